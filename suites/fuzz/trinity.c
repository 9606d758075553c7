// SPDX-License-Identifier: GPL-2.0
/*
 * SEC-3, second opinion: Debian's trinity, run against the module's device
 * nodes for a fixed number of system calls (500; 2,000 with
 * DEVNS_STRESS=full), all of which must run: the deadline only detects a
 * hang.
 *
 * Trinity runs in a container (its own PID and mount namespaces) as user
 * nobody, from a scratch directory under /tmp.  Its victims (-V) are nodes
 * made for it on a tmpfs of the container, owned by nobody: the control
 * device, the vfb and two of the container's terminals (named "vterm": trinity
 * skips files called tty*).  Only file-backed fds are fuzzed
 * (--enable-fds=pseudo: the victims) with the file system calls that reach
 * a driver: ioctl, read, write, their vector and positional forms, lseek
 * and mmap, 64- and 32-bit.  The panel is not a victim: it is root-only,
 * and its fbdev core ioctls (FBIOPUT_CON2FBMAP) would put fbcon on it.
 *
 * Afterwards: trinity finished its count with status 0 and says it ran
 * that many calls, the kernel gained no taint (the runner checks that too),
 * every live-object counter is back to its value before the container,
 * and the control device still answers GET_STATE.
 */
#include <grp.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "holders.h"
#include "vfb_fixture.h"
#include "vtty.h"

VW_WORLD_FIXTURE(trinity)

#define TRINITY		"/usr/bin/trinity"	/* or $DEVNS_TRINITY (ci/tests/test-checks.sh) */
#define NOBODY		65534u
#define SYSCALLS	500		/* trinity -N, or $DEVNS_TRINITY_SYSCALLS */
#define FULL_SYSCALLS	2000		/* ... with DEVNS_STRESS=full */
#define CHILDREN	"4"		/* trinity -C */
#define DEFAULT_SEED	"1"		/* trinity -s, or $DEVNS_TRINITY_SEED */
#define LDISC_AUTOLOAD	"/proc/sys/dev/tty/ldisc_autoload"

/* What the container's process needs: in the page shared with every process. */
struct trinity_plan {
	char trinity[128];	/* the program */
	char dir[64];		/* scratch directory (host /tmp) */
	char seed[24];
	char count[24];
	dev_t ctl, vfb;
	dev_t term[2];
	int nterm;
};

/* A node for trinity: owned by nobody, read-write for it only. */
static int victim(const char *dir, const char *name, dev_t dev)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/victims/%s", dir, name);
	if (mknod(path, S_IFCHR | 0600, dev) || chown(path, NOBODY, NOBODY))
		return -errno;
	return 0;
}

/*
 * In a new process of the container (private mounts): the victims on a
 * tmpfs of its own (the host's /tmp is nodev), then trinity as nobody with
 * its output in the scratch directory.  Returns only on failure (120..127).
 */
static int run_trinity(long unused)
{
	const struct trinity_plan *p = ct_shared();
	char path[128], victims[96];
	int ret, log;

	(void)unused;
	snprintf(victims, sizeof(victims), "%s/victims", p->dir);
	/* Trinity reads /proc/PID of its children: a procfs of this PID namespace. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) ||
	    mount("tmpfs", victims, "tmpfs", MS_NOSUID, "mode=0755"))
		return 120;
	ret = victim(p->dir, "devns", p->ctl);
	if (!ret && p->vfb)
		ret = victim(p->dir, "vfb0", p->vfb);
	for (int i = 0; !ret && i < p->nterm; i++) {
		snprintf(path, sizeof(path), "vterm%d", i);
		ret = victim(p->dir, path, p->term[i]);
	}
	if (ret)
		return 121;
	snprintf(path, sizeof(path), "%s/work", p->dir);
	if (chdir(path))
		return 122;
	log = open("trinity.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		return 123;
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return 124;
	execl(p->trinity, "trinity", "-q", "-l", "off", "-s", p->seed, "-N", p->count,
	      "-C", CHILDREN, "-V", victims, "--enable-fds=pseudo",
	      "-c", "ioctl", "-c", "read", "-c", "write", "-c", "readv", "-c", "writev",
	      "-c", "pread64", "-c", "pwrite64", "-c", "lseek", "-c", "mmap", (char *)NULL);
	return 127;
}

/* The last @len - 1 bytes of the scratch directory's trinity.log, for messages. */
static const char *log_tail(const struct trinity_plan *p, char *buf, size_t len)
{
	char path[128];
	ssize_t n = 0;
	off_t size;
	int fd;

	snprintf(path, sizeof(path), "%s/work/trinity.log", p->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf[0] = '\0';
	if (fd < 0)
		return "(no log)";
	size = lseek(fd, 0, SEEK_END);
	if (size >= 0)
		n = pread(fd, buf, len - 1, size > (off_t)len - 1 ? size - (off_t)len + 1 : 0);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The line of the log's last 16 KiB that starts with @needle, or NULL. */
static const char *log_line(const struct trinity_plan *p, const char *needle)
{
	static char buf[16384];
	char *at = strstr(log_tail(p, buf, sizeof(buf)), needle);

	if (at)
		at[strcspn(at, "\n")] = '\0';
	return at;
}

/* Remove the scratch directory (the victims' tmpfs went with the container). */
static void remove_scratch(const struct trinity_plan *p)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/work/trinity.log", p->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/work", p->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/victims", p->dir);
	rmdir(path);
	rmdir(p->dir);
}

static unsigned long taint_now(void)
{
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");
	unsigned long t = 0;

	if (f) {
		if (fscanf(f, "%lu", &t) != 1)
			t = 0;
		fclose(f);
	}
	return t;
}

/* Read or write a one-line sysctl; 0 or -errno. */
static int sysctl_rw(const char *path, char *val, size_t len, bool write_it)
{
	int fd = open(path, (write_it ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write_it ? write(fd, val, strlen(val)) : read(fd, val, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if (!write_it)
		val[n] = '\0';
	return 0;
}

TEST_F_TIMEOUT(trinity, on_the_device_nodes, deadline_s(25))
{
	struct trinity_plan *p = ct_shared();
	struct hold_counts start, end;
	struct impl_vtty_devs devs;
	struct impl_state st;
	struct job *job;
	struct stat sb;
	struct ct *ct;
	char tail[1024], autoload[16] = "", buf[128];
	unsigned long taint0, gained;
	const char *seed = getenv("DEVNS_TRINITY_SEED");
	const char *count = getenv("DEVNS_TRINITY_SYSCALLS");
	const char *program = getenv("DEVNS_TRINITY");
	const char *ran;
	unsigned long want, calls = 0;
	int ret, ctl;

	REQ("SEC-3");
	memset(p, 0, sizeof(*p));
	snprintf(p->trinity, sizeof(p->trinity), "%s", program && *program ? program : TRINITY);
	if (access(p->trinity, X_OK))
		SKIP(return, "trinity is not installed (%s: apt-get install trinity)", p->trinity);
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	ASSERT_EQ(0, hold_baseline(&start, false, deadline_ms(2000)));
	taint0 = taint_now();

	snprintf(p->seed, sizeof(p->seed), "%s", seed && *seed ? seed : DEFAULT_SEED);
	if (count && *count)
		snprintf(p->count, sizeof(p->count), "%s", count);
	else
		snprintf(p->count, sizeof(p->count), "%d", stress_count(SYSCALLS, FULL_SYSCALLS));
	want = strtoul(p->count, NULL, 10);
	snprintf(p->dir, sizeof(p->dir), "/tmp/devns-trinity.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(p->dir));
	ASSERT_EQ(0, chmod(p->dir, 0755));
	snprintf(buf, sizeof(buf), "%s/work", p->dir);
	ASSERT_EQ(0, mkdir(buf, 0755));
	ASSERT_EQ(0, chown(buf, NOBODY, NOBODY));
	snprintf(buf, sizeof(buf), "%s/victims", p->dir);
	ASSERT_EQ(0, mkdir(buf, 0755));
	ASSERT_EQ(0, stat(impl()->device("ctl"), &sb));
	p->ctl = sb.st_rdev;
	if (impl_has(IMPL_CAP_VFB)) {
		ASSERT_EQ(0, stat(impl()->device("vfb"), &sb));
		p->vfb = sb.st_rdev;
	}

	VW_NEW_CT(&ct);
	ASSERT_EQ(0, ct_private_mounts(ct));
	if (impl_has(IMPL_CAP_VTTY)) {
		ASSERT_EQ(0, vtty_devices(ct->pid, &devs));
		p->nterm = devs.count < 2 ? (int)devs.count : 2;
		for (int i = 0; i < p->nterm; i++)
			p->term[i] = makedev(devs.major, devs.first_minor + (unsigned int)i);
		/*
		 * Trinity's TIOCSETD would load any line discipline module
		 * (n_hdlc, slip, ...): their bugs are not the module's.
		 */
		if (!sysctl_rw(LDISC_AUTOLOAD, autoload, sizeof(autoload), false))
			sysctl_rw(LDISC_AUTOLOAD, "0\n", 0, true);
	}
	TH_LOG("trinity -s %s -N %s -C %s in container %d on devns%s%s", p->seed, p->count,
	       CHILDREN, ct->pid, p->vfb ? ", vfb0" : "", p->nterm ? ", 2 terminals" : "");

	VW_NEW_JOB(&job);
	ASSERT_EQ(0, job_start(job, ct, run_trinity, 0));
	/* Hang detection only: trinity takes about a minute for 2,000 calls under TCG. */
	ret = job_join(job, deadline_ms(20000));
	ct_stop(ct);		/* whatever is left of trinity dies with its namespace */
	if (autoload[0])
		sysctl_rw(LDISC_AUTOLOAD, autoload, 0, true);

	log_tail(p, tail, sizeof(tail));
	EXPECT_NE(-ETIMEDOUT, ret)
		TH_LOG("trinity did not finish (hung?); its log ends:\n%s", tail);
	EXPECT_EQ(0, ret) TH_LOG("trinity: %d (120..127: set-up; 1: trinity failed), log:\n%s",
				 ret, tail);
	ran = log_line(p, "Ran ");
	if (ran) {
		TH_LOG("trinity: %s", ran);
		if (sscanf(ran, "Ran %lu", &calls) != 1)
			calls = 0;
	}
	/* The coverage is the count asked for, not what fitted in some time. */
	EXPECT_LE(want, calls) TH_LOG("trinity ran %lu of %lu system calls: %s", calls, want, tail);
	EXPECT_EQ(NULL, log_line(p, "kernel became tainted")) TH_LOG("%s", tail);
	gained = taint_now() & ~taint0;
	EXPECT_EQ(0, gained) TH_LOG("the kernel gained taint %#lx", gained);

	ret = hold_wait_counts(&start, deadline_ms(2000), &end);
	EXPECT_EQ(0, ret) TH_LOG("counters: %s, at the start %s",
				 hold_counts_str(&end, tail, sizeof(tail)),
				 hold_counts_str(&start, buf, sizeof(buf)));
	ctl = impl()->open_ctl();
	ASSERT_LE(0, ctl);
	EXPECT_EQ(0, impl()->get_state(ctl, &st));
	close(ctl);
	remove_scratch(p);
}

TEST_HARNESS_MAIN
