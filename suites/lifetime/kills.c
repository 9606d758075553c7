// SPDX-License-Identifier: GPL-2.0
/*
 * LIFE-4: rounds (150; 1,000 with DEVNS_STRESS=full), each with a new
 * container whose whole namespace is SIGKILLed (its init) during, after or
 * before one operation of the test, chosen by round:
 *
 *   0  a switch to it and back to the host (or, in odd rounds, from it
 *      when it is already active);
 *   1  a page-fault storm on a mapping of its vfb, from the host (which
 *      survives it) and from a process inside it; active in odd rounds;
 *   2  a host attach to one of its terminals, then typing and (odd
 *      rounds) reading until the end of file its death must bring;
 *   3  a container process opening one of its terminals (ct_open) and
 *      handing the file to the host, which writes to it;
 *   4  its teardown: the host lets go of a vfb file, a mapping, a host
 *      attach fd and a container terminal file, in a round-dependent order.
 *
 * Where the kill falls is steered, by round, so that what the test claims
 * does not depend on the machine's speed:
 *
 *   fuzzy   a host process kills at a random point of the operation
 *           (fuzzy-synchronised, fzsync.h): anything may happen;
 *   after   the test kills only once the operation completed: it must have
 *           succeeded (the namespace was alive all along);
 *   before  the test kills first and waits until the init has exited: an
 *           operation that can see the death (an activation, an attach, a
 *           container open) must find the namespace gone.
 *
 * Each operation may only succeed or fail with the documented errors of a
 * namespace that is going (ESRCH; EIO on its terminals; SIGBUS on its
 * mapping); every wait has a deadline, so a deadlock shows as a barrier
 * timeout.  The test reports how many rounds of each kind found the
 * namespace gone.  Afterwards every live-object counter is back to its
 * starting value and the implementation stops and starts again (optional:
 * reload).  A warning or an oops taints the kernel, which the runner catches.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <sys/mman.h>

#include "fzsync.h"
#include "fb.h"
#include "holders_fixture.h"
#include "vtty.h"

#define VARIANTS	5

static const char *const variant_name[VARIANTS] = {
	"switch", "fault storm", "host attach", "terminal open", "teardown",
};

/* Where the kill falls, by round: rounds / VARIANTS % KILL_KINDS. */
enum kill_at {
	KILL_DURING,	/* fuzzy: the killer job, at a random point */
	KILL_AFTER,	/* the test, once the operation completed */
	KILL_BEFORE,	/* the test, and waits until the init exited */
	KILL_KINDS,
};

static const char *const kill_name[KILL_KINDS] = { "during", "after", "before" };

/* Shared by the killer (a host job) and the test. */
struct kill_shm {
	struct fzs fz;
	pid_t cur_pid;			/* this round's container init */
	uint32_t done[KILL_KINDS][VARIANTS];	/* rounds of each operation */
	uint32_t late[KILL_KINDS][VARIANTS];	/* ... that found the namespace gone (or SIGBUS) */
	uint32_t sees[VARIANTS];	/* kill-before rounds whose operation can see the death */
	uint32_t missed[VARIANTS];	/* ... in which it did not */
	uint32_t bad[VARIANTS];		/* rounds with an undocumented result */
	int bad_err[VARIANTS];		/* the last one (errno, or -signal) */
	uint32_t sigbus;		/* fault storms ended by SIGBUS */
	uint32_t no_eof;		/* attaches that never read end of file */
	uint32_t not_exited;		/* kill-before rounds whose init did not exit in time */
};

static struct kill_shm *shm;

static void __attribute__((constructor)) map_kill_shm(void)
{
	shm = ct_shared_map(sizeof(*shm));
}

static enum kill_at kill_at(uint32_t round)
{
	return (enum kill_at)(round / VARIANTS % KILL_KINDS);
}

/*
 * Can the operation of round @round (variant @v) see that its namespace is
 * dead?  An activation (even rounds of the switch), an attach and a
 * container open must fail then; the others may go either way.
 */
static bool sees_death(int v, uint32_t round)
{
	return (v == 0 && !(round & 1)) || v == 2 || v == 3;
}

/* The killer: SIGKILL this round's init at the fuzzy-synchronised moment. */
static int killer(long unused)
{
	(void)unused;
	while (fzs_start(&shm->fz, FZS_A)) {
		if (kill_at(fzs_round(&shm->fz, FZS_A)) == KILL_DURING)
			kill(shm->cur_pid, SIGKILL);
		if (!fzs_end(&shm->fz, FZS_A))
			break;
	}
	return 0;
}

static void note(int v, uint32_t round, bool late, bool bad, int err)
{
	enum kill_at k = kill_at(round);

	shm->done[k][v]++;
	if (late)
		shm->late[k][v]++;
	if (k == KILL_BEFORE && sees_death(v, round)) {
		shm->sees[v]++;
		if (!late)
			shm->missed[v]++;
	}
	if (bad) {
		shm->bad[v]++;
		shm->bad_err[v] = err;
	}
}

/* In the container: a process that faults its own mapping until killed. */
static int ct_fault_churn(long unused)
{
	pid_t child = fork();

	(void)unused;
	if (child == 0) {
		int fd = fb_open(FB_VFB);
		struct fb_info_pair info;
		volatile uint8_t *map;

		if (fd < 0 || fb_get(fd, &info))
			_exit(1);
		map = fb_map(fd, info.fix.smem_len);
		if (!map)
			_exit(1);
		for (uint32_t i = 0;; i++) {
			for (size_t off = 0; off < info.fix.smem_len; off += 4096)
				map[off] = (uint8_t)i;
			madvise((void *)map, info.fix.smem_len, MADV_DONTNEED);
		}
	}
	return child < 0 ? 1 : 0;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/*
 * Touch every page of @h's mapping, dropping the PTEs in between: faults
 * all the way.  False if it ended with SIGBUS.
 */
static bool fault_storm(struct holders *h)
{
	volatile uint8_t *map = h->map;

	if (sigsetjmp(bus_jmp, 1)) {
		shm->sigbus++;
		return false;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t off = 0; off < h->smem; off += 4096)
			map[off] = (uint8_t)pass;
		madvise(h->map, h->smem, MADV_DONTNEED);
	}
	return true;
}

/* Read @fd until end of file, bounded; false if none came. */
static bool reads_to_eof(int fd, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	char buf[512];

	for (;;) {
		ssize_t n = vtty_read_for(fd, buf, sizeof(buf), (int)(end - now_ms()));

		if (n == 0)
			return now_ms() < end;
		if (n < 0 && n != -EAGAIN && n != -EINTR)
			return false;
		if (now_ms() >= end)
			return false;
	}
}

/* What each round holds, by variant. */
static unsigned int holders_for(int v)
{
	switch (v) {
	case 0:
	case 1:
		return HOLD_BIT(HOLD_FILE) | HOLD_BIT(HOLD_MAP);
	case 4:
		return HOLD_ALL;
	default:
		return 0;
	}
}

/* Set-up of round @round (variant @v) on a new container; 0 or -errno. */
static int prepare(struct holders *h, int v, uint32_t round, int *ctfd, char *node, size_t len)
{
	struct impl_vtty_devs d;
	int ret = hold_start(h, holders_for(v));

	if (ret)
		return ret;
	if ((v == 0 || v == 1) && (round & 1))
		ret = lt_activate(h->ct.pid);
	if (!ret && v == 1)
		ret = ct_call(&h->ct, ct_fault_churn, 0);
	if (!ret && (v == 3 || v == 4)) {
		ret = v == 4 ? 0 : vtty_devices(h->ct.pid, &d);
		vtty_node(v == 4 ? &h->devs : &d, round % 3, node, len);
	}
	if (!ret && v == 4) {
		*ctfd = ct_open(&h->ct, node, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (*ctfd < 0)
			ret = *ctfd;
	}
	return ret > 0 ? -ret : ret;
}

/*
 * The racing operation of variant @v.  An attach that must read end of
 * file after a kill that comes only once the operation completed is left
 * open in *@eof_fd.
 */
static void operate(struct holders *h, int v, uint32_t round, int *ctfd, const char *node,
		    int *eof_fd)
{
	pid_t pid = h->ct.pid;
	int ret, fd;

	switch (v) {
	case 0:
		ret = (round & 1) ? 0 : lt_activate(pid);
		note(v, round, ret == -ESRCH, ret && ret != -ESRCH, -ret);
		ret = lt_activate(getpid());
		if (ret)
			note(v, round, false, true, -ret);
		break;
	case 1:
		note(v, round, !fault_storm(h), false, 0);
		break;
	case 2:
		fd = vtty_attach(pid, round % 4, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
		note(v, round, fd == -ESRCH, fd < 0 && fd != -ESRCH, -fd);
		if (fd < 0)
			break;
		if (write(fd, "x", 1) < 0 && errno != EAGAIN && errno != EIO)
			note(v, round, false, true, errno);
		if ((round & 1) && kill_at(round) == KILL_AFTER) {
			*eof_fd = fd;
			break;
		}
		/* Killed during it or before: the end of file must come (or be there). */
		if ((round & 1) && !reads_to_eof(fd, LT_SOON))
			shm->no_eof++;
		close(fd);
		break;
	case 3:
		/* Any failure is the namespace going: its server or the opener died. */
		fd = ct_open(&h->ct, node, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		note(v, round, fd < 0, false, 0);
		if (fd < 0)
			break;
		if (write(fd, "y", 1) < 0 && errno != EIO && errno != EAGAIN)
			note(v, round, false, true, errno);
		close(fd);
		break;
	case 4:
		for (int i = 0; i < HOLD_KINDS; i++) {
			int k = (int)((round / VARIANTS + (uint32_t)i) % HOLD_KINDS);

			if (k == HOLD_PROC) {		/* stands for the container's terminal file */
				close(*ctfd);
				*ctfd = -1;
			} else {
				hold_release(h, (enum hold_kind)k);
			}
		}
		note(v, round, false, false, 0);
		break;
	}
}

/* Round @round of variant @v on @h, killed where kill_at() says. */
static void kill_round(struct holders *h, int v, uint32_t round, int *ctfd, const char *node)
{
	int eof_fd = -1;

	switch (kill_at(round)) {
	case KILL_DURING:	/* the killer job kills */
		operate(h, v, round, ctfd, node, &eof_fd);
		break;
	case KILL_AFTER:
		operate(h, v, round, ctfd, node, &eof_fd);
		kill(h->ct.pid, SIGKILL);
		if (eof_fd >= 0 && !reads_to_eof(eof_fd, LT_SOON))
			shm->no_eof++;
		break;
	case KILL_BEFORE:
		kill(h->ct.pid, SIGKILL);
		if (proc_wait_exited(h->ct.pid, LT_SETTLE))
			shm->not_exited++;
		operate(h, v, round, ctfd, node, &eof_fd);
		break;
	case KILL_KINDS:
		break;
	}
	if (eof_fd >= 0)
		close(eof_fd);
}

/* The rounds that found the namespace gone, of @k, as "n/m n/m ..." by variant. */
static const char *late_str(enum kill_at k, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int v = 0; v < VARIANTS && at < len; v++)
		at += (size_t)snprintf(buf + at, len - at, "%s%u/%u", v ? " " : "",
				       shm->late[k][v], shm->done[k][v]);
	return buf;
}

TEST_F_TIMEOUT(lt, kill_at_any_point, deadline_s(stress_count(30, 150)))
{
	const struct impl_ops *im = impl();
	struct sigaction sa = { .sa_handler = on_sigbus };
	uint32_t want = (uint32_t)stress_count(150, 1000);
	struct hold_counts base, now;
	struct impl_state st;
	char b1[128], b2[128];
	uint32_t rounds;
	int job, ret;

	REQ("LIFE-4");
	REQUIRE_CAP(IMPL_CAP_VFB | IMPL_CAP_VTTY | IMPL_CAP_COUNTERS);
	LT_BASELINE(&base, true);
	sigaction(SIGBUS, &sa, NULL);
	memset(shm, 0, sizeof(*shm));
	/* Delays up to about a switch (2 ms native, scaled); exactly @want rounds. */
	fzs_init(&shm->fz, want, deadline_ms(5000), (uint32_t)deadline_ms(2) * 1000);
	job = vt_spawn(NULL, killer, 0);
	ASSERT_LE(0, job);

	for (uint32_t round = 1;; round++) {
		int v = (int)(round % VARIANTS), ctfd = -1;
		struct holders h;
		char node[32];
		bool go;

		ret = prepare(&h, v, round, &ctfd, node, sizeof(node));
		if (ret) {
			fzs_abort(&shm->fz);
			hold_release_all(&h);
			ASSERT_EQ(0, ret) TH_LOG("round %u (%s): set-up: %s", round,
						 variant_name[v], strerror(-ret));
		}
		shm->cur_pid = h.ct.pid;
		go = fzs_start(&shm->fz, FZS_B);
		if (go) {
			kill_round(&h, v, round, &ctfd, node);
			go = fzs_end(&shm->fz, FZS_B);
		}
		if (ctfd >= 0)
			close(ctfd);
		hold_release_all(&h);
		if (go && round % 50 == 0) {
			printf("# round %u/%u\n", round, want);
			fflush(stdout);
		}
		if (!go)
			break;
	}
	ASSERT_EQ(0, vt_job_wait(job, LT_SOON));
	rounds = atomic_load(&shm->fz.done);
	/* The coverage reached: found gone / rounds, per kill point and operation. */
	TH_LOG("found the namespace gone / rounds, by operation (%s, %s, %s, %s, %s):",
	       variant_name[0], variant_name[1], variant_name[2], variant_name[3],
	       variant_name[4]);
	for (int k = 0; k < KILL_KINDS; k++)
		TH_LOG("  killed %-6s %s", kill_name[k], late_str((enum kill_at)k, b1, sizeof(b1)));
	for (int v = 0; v < VARIANTS; v++) {
		EXPECT_EQ(0, shm->bad[v]) TH_LOG("%s: %u undocumented results, the last: %s",
						 variant_name[v], shm->bad[v],
						 strerror(shm->bad_err[v]));
		/* By construction: some rounds got their operation in before the death... */
		EXPECT_LT(0, shm->done[KILL_AFTER][v])
			TH_LOG("%s: no round killed after it", variant_name[v]);
		/* ... and there the namespace was alive all along. */
		EXPECT_EQ(0, shm->late[KILL_AFTER][v])
			TH_LOG("%s: %u of %u rounds found the namespace gone before it was killed",
			       variant_name[v], shm->late[KILL_AFTER][v], shm->done[KILL_AFTER][v]);
		/* ... and some found it gone, wherever the operation can see that. */
		if (sees_death(v, 0))
			EXPECT_LT(0, shm->sees[v])
				TH_LOG("%s: no round killed before it", variant_name[v]);
		EXPECT_EQ(0, shm->missed[v])
			TH_LOG("%s: %u of %u rounds did not see a namespace whose init had exited",
			       variant_name[v], shm->missed[v], shm->sees[v]);
	}
	TH_LOG("fault storms ended by SIGBUS: %u; delayed %u+%u", shm->sigbus,
	       shm->fz.delayed[FZS_A], shm->fz.delayed[FZS_B]);
	EXPECT_FALSE(fzs_timed_out(&shm->fz)) TH_LOG("a party stopped answering (deadlock?)");
	EXPECT_EQ(want, rounds) TH_LOG("the rounds stopped early");
	EXPECT_EQ(0, shm->not_exited) TH_LOG("killed inits that did not exit");
	EXPECT_EQ(0, shm->no_eof) TH_LOG("host attach fds that never read end of file");

	/* Nothing is left of all those containers. */
	ASSERT_EQ(0, lt_activate(getpid()));
	ret = hold_wait_counts(&base, LT_SETTLE, &now);
	ASSERT_EQ(0, ret) TH_LOG("counters %s, at the start %s", hold_counts_str(&now, b1, sizeof(b1)),
				 hold_counts_str(&base, b2, sizeof(b2)));
	if (!impl_has(IMPL_CAP_RELOAD)) {
		TH_LOG("implementation '%s' cannot be restarted: reload not checked", im->name);
		return;
	}
	ret = impl_stop_settled();
	ASSERT_EQ(0, ret) TH_LOG("stop (rmmod) after the rounds: %s", strerror(-ret));
	ASSERT_EQ(0, im->start());
	ASSERT_EQ(0, lt_state(&st));
	EXPECT_EQ(0, st.generation);
	EXPECT_EQ(pidns_id(0), st.active_id);
}

TEST_HARNESS_MAIN
