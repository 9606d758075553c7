// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-13, VTTY-14: only a privileged process of the initial namespaces may
 * list or attach terminals; bad arguments fail with the documented errors,
 * and a host read or write with a bad buffer loses nothing.
 */
#include <grp.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <devns.h>

#include "vtty_fixture.h"

/* ---- VTTY-13: privilege ---------------------------------------------------- */

/* The four privileged requests, each on a target namespace. */
enum priv_op {
	OP_DEVICES_TARGET,	/* DEVNS_IOC_VTTY_DEVICES of the container */
	OP_DEVICES_OWN,		/* ... of the caller's own namespace (pid 0) */
	OP_ATTACH_TARGET,	/* DEVNS_IOC_VTTY_ATTACH to the container's terminal 0 */
	OP_ATTACH_OWN,		/* ... to the caller's own namespace's terminal 0 */
	OP_COUNT,
};

static const char *const op_name[OP_COUNT] = {
	"DEVICES (container)", "DEVICES (own namespace)",
	"ATTACH (container)", "ATTACH (own namespace)",
};

/* What an unprivileged caller got: for each request 0 (it worked) or -errno. */
struct priv_report {
	int setup;		/* 0, or the step of the caller's set-up that failed */
	int setup_err;
	int ret[2][OP_COUNT];	/* [0] handle opened by host root, [1] by the caller */
};

static int inherited_ctl = -1;	/* opened by host root before the fork */

/* Try every request on @ctl, with @target the container as the caller sees it. */
static void try_requests(int ctl, pid_t target, int *ret)
{
	struct impl_vtty_devs d;
	int fd;

	ret[OP_DEVICES_TARGET] = impl()->vtty_devices(ctl, target, &d);
	ret[OP_DEVICES_OWN] = impl()->vtty_devices(ctl, 0, &d);
	fd = impl()->vtty_attach(ctl, target, 0, 0);
	ret[OP_ATTACH_TARGET] = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	fd = impl()->vtty_attach(ctl, 0, 0, 0);
	ret[OP_ATTACH_OWN] = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
}

/* Both handles: the inherited one, then one the caller opens itself (if it may). */
static void try_both_handles(struct priv_report *rep, pid_t target)
{
	int own = impl()->open_ctl();

	try_requests(inherited_ctl, target, rep->ret[0]);
	if (own < 0) {
		for (int i = 0; i < OP_COUNT; i++)
			rep->ret[1][i] = -EPERM;	/* could not even open it */
		return;
	}
	try_requests(own, target, rep->ret[1]);
	close(own);
}

static void expect_all_eperm(struct __test_metadata *_metadata, const struct priv_report *rep,
			     const char *who)
{
	ASSERT_EQ(0, rep->setup) TH_LOG("%s: set-up step %d failed: %s", who, rep->setup,
					strerror(rep->setup_err));
	for (int h = 0; h < 2; h++) {
		for (int i = 0; i < OP_COUNT; i++) {
			EXPECT_EQ(-EPERM, rep->ret[h][i])
				TH_LOG("%s, handle opened by %s: %s gave %s", who,
				       h ? "the caller" : "host root", op_name[i],
				       rep->ret[h][i] ? strerror(-rep->ret[h][i]) : "success");
		}
	}
}

/* In a container (real root there): its own init is pid 1. */
static int requests_in_container(long unused)
{
	(void)unused;
	try_both_handles(ct_shared(), 1);
	return 0;
}

TEST_F(vt, container_root_gets_eperm)
{
	struct priv_report *rep = ct_shared();
	struct ct *ct;

	REQ("VTTY-13");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	inherited_ctl = impl()->open_ctl();
	ASSERT_LE(0, inherited_ctl);
	VT_NEW_BARE_CT(&ct);		/* inherits the handle */
	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, ct_call(ct, requests_in_container, 0));
	expect_all_eperm(_metadata, rep, "root in a container");
	close(inherited_ctl);
}

/*
 * In a forked host process: become root of a new user namespace owned by
 * host uid @uid (all capabilities there, none in the initial one), then try.
 */
static void requests_as_userns_root(struct priv_report *rep, pid_t target, uid_t uid)
{
	int ret;

	if (uid && (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))) {
		rep->setup = 1;
		rep->setup_err = errno;
		return;
	}
	/* A uid change makes us non-dumpable: /proc/self would stay root's. */
	if (prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER)) {
		rep->setup = 2;
		rep->setup_err = errno;
		return;
	}
	ret = userns_map_root(0, uid);
	if (ret) {
		rep->setup = 3;
		rep->setup_err = -ret;
		return;
	}
	/* Proof of the capabilities it has in its namespace. */
	if (getuid() != 0 || unshare(CLONE_NEWUTS)) {
		rep->setup = 4;
		rep->setup_err = errno;
		return;
	}
	try_both_handles(rep, target);
}

/* Run @fn(rep, target, arg) in a forked host process and wait for it. */
static int in_host_child(void (*fn)(struct priv_report *, pid_t, uid_t), pid_t target, uid_t arg)
{
	int status;
	pid_t child = fork();

	if (child < 0)
		return -errno;
	if (child == 0) {
		fn(ct_shared(), target, arg);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

TEST_F(vt, user_namespace_root_gets_eperm)
{
	static const uid_t owners[] = { 0, 65534 };	/* host root, nobody */
	struct priv_report *rep = ct_shared();
	struct impl_vtty_devs devs;
	struct ct *ct;
	char who[64];

	REQ("VTTY-13");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	inherited_ctl = impl()->open_ctl();
	ASSERT_LE(0, inherited_ctl);
	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
		memset(rep, 0, sizeof(*rep));
		ASSERT_EQ(0, in_host_child(requests_as_userns_root, ct->pid, owners[i]));
		snprintf(who, sizeof(who), "root of a user namespace owned by uid %u", owners[i]);
		expect_all_eperm(_metadata, rep, who);
	}
	close(inherited_ctl);
}

static void requests_as_nobody(struct priv_report *rep, pid_t target, uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) {
		rep->setup = 1;
		rep->setup_err = errno;
		return;
	}
	try_both_handles(rep, target);
}

TEST_F(vt, unprivileged_host_user_gets_eperm)
{
	struct priv_report *rep = ct_shared();
	struct impl_vtty_devs devs;
	struct ct *ct;

	REQ("VTTY-13");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	inherited_ctl = impl()->open_ctl();
	ASSERT_LE(0, inherited_ctl);
	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, in_host_child(requests_as_nobody, ct->pid, 65534));
	expect_all_eperm(_metadata, rep, "uid 65534 on the host");
	close(inherited_ctl);
}

/* ---- VTTY-14: bad input ---------------------------------------------------- */

/* ioctl(@fd, @cmd, @arg): 0, or the errno it failed with. */
static int ioctl_err(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* Attach with raw arguments: the fd (closed again) as 0, or the errno. */
static int attach_err(int ctl, pid_t pid, uint32_t index, uint32_t flags, uint32_t reserved)
{
	struct devns_vtty_attach a = { .pid = pid, .index = index, .flags = flags,
				       .reserved = reserved };
	int fd = ioctl(ctl, DEVNS_IOC_VTTY_ATTACH, &a);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int devices_err(int ctl, pid_t pid, uint32_t flags)
{
	struct devns_vtty_devices d = { .pid = pid, .flags = flags };

	return ioctl_err(ctl, DEVNS_IOC_VTTY_DEVICES, &d);
}

TEST_F(vt, bad_flags_reserved_index_or_pid_einval)
{
	struct impl_vtty_devs devs;
	struct devns_vtty_attach a;
	struct ct *ct;
	int ctl, fd;

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_UAPI);
	VT_NEW_CT(&ct, &devs);
	ctl = impl()->open_ctl();
	ASSERT_LE(0, ctl);
	ASSERT_TRUE(vt_keep_fd(&self->vt, ctl));

	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0, 1u << 2, 0)) TH_LOG("unknown flag");
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0, 0x80000000u, 0)) TH_LOG("unknown flag");
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0, DEVNS_VTTY_NONBLOCK | 8, 0));
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0, 0, 1)) TH_LOG("reserved");
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0, 0, 0x80000000u)) TH_LOG("reserved");
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, devs.count, 0, 0)) TH_LOG("index == count");
	EXPECT_EQ(EINVAL, attach_err(ctl, ct->pid, 0xffffffffu, 0, 0)) TH_LOG("index ~0");
	EXPECT_EQ(EINVAL, attach_err(ctl, -1, 0, 0, 0)) TH_LOG("pid -1");
	EXPECT_EQ(EINVAL, attach_err(ctl, -2147483647 - 1, 0, 0, 0)) TH_LOG("pid INT_MIN");
	EXPECT_EQ(EINVAL, devices_err(ctl, ct->pid, 1)) TH_LOG("DEVICES flags 1");
	EXPECT_EQ(EINVAL, devices_err(ctl, ct->pid, 0x80000000u)) TH_LOG("DEVICES flags");
	EXPECT_EQ(EINVAL, devices_err(ctl, -1, 0)) TH_LOG("DEVICES pid -1");
	EXPECT_EQ(EINVAL, devices_err(ctl, -2147483647 - 1, 0)) TH_LOG("DEVICES pid INT_MIN");

	/* None of those took the terminal; the valid flags work and mean what they say. */
	a = (struct devns_vtty_attach){ .pid = ct->pid, .index = devs.count - 1,
					.flags = DEVNS_VTTY_NONBLOCK | DEVNS_VTTY_CLOEXEC };
	fd = ioctl(ctl, DEVNS_IOC_VTTY_ATTACH, &a);
	ASSERT_LE(0, fd) TH_LOG("valid attach: %s", strerror(errno));
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	a.flags = 0;
	fd = ioctl(ctl, DEVNS_IOC_VTTY_ATTACH, &a);
	ASSERT_LE(0, fd) TH_LOG("valid attach: %s", strerror(errno));
	EXPECT_FALSE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_FALSE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	EXPECT_EQ(0, attach_err(ctl, ct->pid, 0, 0, 0));
}

TEST_F(vt, missing_pid_esrch)
{
	int ctl, status;
	pid_t gone = fork();

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_UAPI);
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, &status, 0));
	ctl = impl()->open_ctl();
	ASSERT_LE(0, ctl);
	ASSERT_TRUE(vt_keep_fd(&self->vt, ctl));
	EXPECT_EQ(ESRCH, attach_err(ctl, gone, 0, 0, 0));
	EXPECT_EQ(ESRCH, devices_err(ctl, gone, 0));
	/* Above PID_MAX_LIMIT: never a process. */
	EXPECT_EQ(ESRCH, attach_err(ctl, 0x3ffffff, 0, 0, 0));
	EXPECT_EQ(ESRCH, devices_err(ctl, 0x3ffffff, 0));
}

/* NULL, hidden from the compiler's checks of read() and write() arguments. */
static char *volatile nowhere;

/*
 * Two pages, the second unmapped: page_end(m) is the first unmapped byte,
 * so an argument starting a few bytes before it is partly mapped.
 */
static char *map_before_hole(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (munmap(p + 4096, 4096)) {
		munmap(p, 8192);
		return NULL;
	}
	return p;
}

TEST_F(vt, bad_argument_pointers_efault)
{
	struct impl_vtty_devs devs;
	struct devns_vtty_attach a;
	struct ct *ct;
	char *page, *hole;
	int ctl, hfd;

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_UAPI);
	VT_NEW_CT(&ct, &devs);
	ctl = impl()->open_ctl();
	ASSERT_LE(0, ctl);
	ASSERT_TRUE(vt_keep_fd(&self->vt, ctl));
	page = map_before_hole();
	ASSERT_NE(NULL, page);
	hole = page + 4096;

	/* The control device. */
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_DEVICES, NULL));
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_DEVICES, hole));
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_DEVICES, hole - 8)) TH_LOG("straddling");
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_ATTACH, NULL));
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_ATTACH, hole));
	a = (struct devns_vtty_attach){ .pid = ct->pid };
	memcpy(hole - 8, &a, 8);	/* pid and index are valid, flags and reserved unmapped */
	EXPECT_EQ(EFAULT, ioctl_err(ctl, DEVNS_IOC_VTTY_ATTACH, hole - 8)) TH_LOG("straddling");

	/* The host fd: none of these took the terminal. */
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	EXPECT_EQ(EFAULT, ioctl_err(hfd, DEVNS_VTTY_IOC_INFO, NULL));
	EXPECT_EQ(EFAULT, ioctl_err(hfd, DEVNS_VTTY_IOC_INFO, hole));
	EXPECT_EQ(EFAULT, ioctl_err(hfd, TIOCGWINSZ, NULL));
	EXPECT_EQ(EFAULT, ioctl_err(hfd, TIOCGWINSZ, hole));
	EXPECT_EQ(EFAULT, ioctl_err(hfd, TIOCSWINSZ, NULL));
	EXPECT_EQ(EFAULT, ioctl_err(hfd, TIOCSWINSZ, hole - 4)) TH_LOG("straddling");
	munmap(page, 4096);
}

TEST_F(vt, unknown_host_fd_ioctl_enotty)
{
	struct impl_vtty_devs devs;
	struct devns_vtty_devices d;
	char arg[64];
	struct ct *ct;
	int hfd;

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_UAPI);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	memset(arg, 0, sizeof(arg));
	d = (struct devns_vtty_devices){ .pid = ct->pid };
	/* The control device's requests mean nothing on a host fd. */
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, DEVNS_IOC_VTTY_DEVICES, &d));
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, DEVNS_IOC_VTTY_ATTACH, arg));
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, DEVNS_IOC_ACTIVATE, arg));
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, _IO(DEVNS_IOC_MAGIC, 0x7f), NULL));
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, _IOR(DEVNS_IOC_MAGIC, 0x20, __u32), arg))
		TH_LOG("INFO's number with the wrong size");
	EXPECT_EQ(ENOTTY, ioctl_err(hfd, 0x12345678, arg));
}

TEST_F(vt, host_read_with_bad_buffer_loses_nothing)
{
	struct impl_vtty_devs devs;
	struct impl_vtty_info info;
	struct vt_write w;
	struct ct *ct;
	char *page, *hole, buf[3000];
	ssize_t n, rest;
	size_t taken = 0;
	int hfd;

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	w = vt_write_pattern("/dev/tty2", 95, sizeof(buf), 0);
	VT_CT_WRITE(ct, &w, VT_SOON);
	VT_INFO(hfd, &info);
	ASSERT_EQ(sizeof(buf), info.buffered);
	page = map_before_hole();
	ASSERT_NE(NULL, page);
	hole = page + 4096;

	EXPECT_EQ(-1, read(hfd, nowhere, 100));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, read(hfd, hole, 100));
	EXPECT_EQ(EFAULT, errno);
	VT_INFO(hfd, &info);
	EXPECT_EQ(sizeof(buf), info.buffered) TH_LOG("a failed read consumed output");
	/*
	 * 100 mapped bytes, then the hole: either EFAULT with nothing taken,
	 * or a short read of bytes that all arrived (taken from the buffer).
	 */
	n = read(hfd, hole - 100, 1000);
	if (n < 0) {
		EXPECT_EQ(EFAULT, errno);
	} else {
		EXPECT_GE(100, n);
		taken = (size_t)n;
		memcpy(buf, hole - 100, taken);
	}
	VT_INFO(hfd, &info);
	EXPECT_EQ(sizeof(buf) - taken, info.buffered);
	/* Everything else is still there, in order. */
	rest = vtty_read_for(hfd, buf + taken, sizeof(buf) - taken, VT_SOON);
	EXPECT_EQ((ssize_t)(sizeof(buf) - taken), rest);
	EXPECT_EQ(-1, vtty_pattern_check(buf, taken + (rest > 0 ? (size_t)rest : 0), 95, 0));
	munmap(page, 4096);
}

TEST_F(vt, host_write_with_bad_buffer_loses_nothing)
{
	struct impl_vtty_devs devs;
	struct vt_agent in = { .raw = true, .want = 7 }, *a;
	struct ct *ct;
	char *page, *hole;
	int hfd, id;

	REQ("VTTY-14");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 2, IMPL_VTTY_NONBLOCK);
	vtty_ct_path(2, in.path, sizeof(in.path));
	id = vt_agent_start(ct, &in);
	ASSERT_LE(0, id);
	ASSERT_EQ(0, vt_agent_opened(id, VT_SOON));
	a = &vt_job(id)->agent;
	page = map_before_hole();
	ASSERT_NE(NULL, page);
	hole = page + 4096;

	ASSERT_EQ(3, vtty_write_for(hfd, "abc", 3, VT_SOON));
	EXPECT_EQ(-1, write(hfd, nowhere, 10));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, write(hfd, hole, 10));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(3, vtty_write_for(hfd, "def", 3, VT_SOON));
	ASSERT_EQ(0, flag_wait(&a->got, 6, VT_SOON)) TH_LOG("got %u bytes", a->got);
	/* The reader asleep again with 6 bytes: the failed writes added nothing. */
	ASSERT_EQ(0, proc_wait_blocked(vt_job(id)->pid, SYS_read, VT_SOON));
	EXPECT_EQ(6, a->got);
	EXPECT_EQ(0, memcmp(a->data, "abcdef", 6)) TH_LOG("read '%.*s'", (int)a->got, a->data);
	munmap(page, 4096);
}

TEST_HARNESS_MAIN
