// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-16: a hangup of the container side (vhangup(), or the exit of the
 * session leader that had the terminal as controlling terminal) does not
 * break the terminal: the container reopens it and the host reads its
 * output again.  Then fuzzy-synchronised races (fzsync.h): container opens,
 * writes, closes and hangups against host attaches, reads, writes and
 * detaches; and namespace teardown against host attaches while the
 * container churns.  Every wait has a deadline, so a deadlock shows as a
 * barrier timeout; a WARN or oops taints the kernel, which the runner
 * catches; afterwards the counters are back where they were.
 */
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fzsync.h"
#include "vtty_fixture.h"

/* ---- hangups ------------------------------------------------------------------ */

/* What the container saw around a hangup (ct_shared()). */
struct hup_report {
	int step, err;		/* the failing step, 0 if none */
	int old_read;		/* read() of the hung-up file: its count, or -errno */
	int old_write;		/* write() of the hung-up file: its count, or -errno */
	int new_write;		/* write() of the reopened file */
	uint32_t ready;		/* the survivor holds the terminal (leader exit test) */
	uint32_t done;		/* the survivor finished */
};

static int fail_step(struct hup_report *rep, int step)
{
	rep->err = errno;
	rep->step = step;
	return step;
}

/* After a hangup of @fd: how it behaves, then reopen @path and write @text. */
static int after_hangup(struct hup_report *rep, int fd, const char *path, const char *text)
{
	char c;
	int fd2;

	rep->old_read = (int)read(fd, &c, 1);
	if (rep->old_read < 0)
		rep->old_read = -errno;
	rep->old_write = (int)write(fd, "x", 1);
	if (rep->old_write < 0)
		rep->old_write = -errno;
	close(fd);
	fd2 = open(path, O_RDWR | O_NOCTTY);
	if (fd2 < 0)
		return fail_step(rep, 10);
	rep->new_write = (int)write(fd2, text, strlen(text));
	if (rep->new_write < 0)
		rep->new_write = -errno;
	close(fd2);
	return 0;
}

/* In a container: a session leader writes on its terminal @n, vhangup()s it, reopens it. */
static int hangup_and_reopen(long n)
{
	struct hup_report *rep = ct_shared();
	char path[32];
	int fd;

	signal(SIGHUP, SIG_IGN);	/* the session leader gets it */
	vtty_ct_path((unsigned int)n, path, sizeof(path));
	if (setsid() < 0)
		return fail_step(rep, 1);
	fd = open(path, O_RDWR);	/* its controlling terminal now */
	if (fd < 0)
		return fail_step(rep, 2);
	if (write(fd, "before the hangup;", 18) != 18)
		return fail_step(rep, 3);
	if (vhangup())
		return fail_step(rep, 4);
	return after_hangup(rep, fd, path, "after the hangup;");
}

#define EXPECT_HUNG_UP_THEN_REOPENED(rep, text)					\
	do {									\
		EXPECT_EQ(0, (rep)->old_read)					\
			TH_LOG("read of the hung-up file gave %d", (rep)->old_read); \
		EXPECT_EQ(-EIO, (rep)->old_write) TH_LOG("write of the hung-up file"); \
		EXPECT_EQ((int)strlen(text), (rep)->new_write)			\
			TH_LOG("write after reopening: %s", strerror(-(rep)->new_write)); \
	} while (0)

TEST_F(vt, container_reopens_terminal_after_vhangup)
{
	struct hup_report *rep = ct_shared();
	struct impl_vtty_devs devs;
	struct ct *ct;
	char seen[128];
	int hfd, r;

	REQ("VTTY-16");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	memset(rep, 0, sizeof(*rep));
	r = ct_call(ct, hangup_and_reopen, 0);
	ASSERT_EQ(0, r) TH_LOG("step %d failed: %s (result %d)", rep->step, strerror(rep->err), r);
	EXPECT_HUNG_UP_THEN_REOPENED(rep, "after the hangup;");
	r = vtty_expect(hfd, "before the hangup;after the hangup;", VT_SOON,
			seen, sizeof(seen));
	EXPECT_EQ(0, r) TH_LOG("the host read '%s'", seen);
}

/*
 * In a container: a session leader takes terminal @n as its controlling
 * terminal, writes, forks a survivor that shares the file, and exits.  The
 * survivor sees the hangup, reopens the terminal and writes again.
 */
static int leader_exits(long n)
{
	struct hup_report *rep = ct_shared();
	char path[32];
	pid_t leader, survivor;
	int fd;

	vtty_ct_path((unsigned int)n, path, sizeof(path));
	leader = fork();
	if (leader < 0)
		return fail_step(rep, 1);
	if (leader == 0) {
		signal(SIGHUP, SIG_IGN);
		if (setsid() < 0)
			_exit(fail_step(rep, 2));
		fd = open(path, O_RDWR);
		if (fd < 0)
			_exit(fail_step(rep, 3));
		if (write(fd, "leader;", 7) != 7)
			_exit(fail_step(rep, 4));
		survivor = fork();
		if (survivor < 0)
			_exit(fail_step(rep, 5));
		if (survivor == 0) {
			struct pollfd p = { .fd = fd, .events = 0 };

			flag_post(&rep->ready, 1);
			/* Wait for the hangup the leader's exit causes. */
			if (poll(&p, 1, VT_SOON) != 1 || !(p.revents & POLLHUP))
				_exit(fail_step(rep, 6));
			after_hangup(rep, fd, path, "survivor;");
			flag_post(&rep->done, 1);
			_exit(0);
		}
		if (flag_wait(&rep->ready, 1, VT_SOON))
			_exit(fail_step(rep, 7));
		_exit(0);	/* the session leader exits */
	}
	waitpid(leader, NULL, 0);
	if (flag_wait(&rep->done, 1, 2 * VT_SOON) && !rep->step)
		return fail_step(rep, 8);
	return rep->step;
}

TEST_F(vt, container_reopens_terminal_after_session_leader_exit)
{
	struct hup_report *rep = ct_shared();
	struct impl_vtty_devs devs;
	struct ct *ct;
	char seen[128];
	int hfd, r;

	REQ("VTTY-16");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 2, IMPL_VTTY_NONBLOCK);
	memset(rep, 0, sizeof(*rep));
	r = ct_call(ct, leader_exits, 2);
	ASSERT_EQ(0, r) TH_LOG("step %d failed: %s (result %d)", rep->step, strerror(rep->err), r);
	EXPECT_HUNG_UP_THEN_REOPENED(rep, "survivor;");
	r = vtty_expect(hfd, "leader;survivor;", VT_SOON, seen, sizeof(seen));
	EXPECT_EQ(0, r) TH_LOG("the host read '%s'", seen);
}

/* ---- races -------------------------------------------------------------------- */

#define CT_OPS		4	/* container operations, by round */
#define HOST_OPS	3	/* host operations, by round */
/* Rounds of the races by default; DEVNS_STRESS=full: 400 and 100. */
#define RACE_ROUNDS	120
#define TEARDOWN_ROUNDS	40

/* Shared by the racing parties: mapped before any container or job exists. */
struct race_shm {
	struct fzs fz;
	pid_t cur_pid;			/* teardown race: this round's container */
	uint32_t ct_done[CT_OPS], ct_fail[CT_OPS];
	int ct_err[CT_OPS];		/* errno of the last failure */
	uint32_t host_done[HOST_OPS], host_fail[HOST_OPS];
	int host_err[HOST_OPS];
	uint32_t attached, esrch, other, eof_missing;
	int other_err;
};

static struct race_shm *shm;

static void __attribute__((constructor)) map_race_shm(void)
{
	shm = ct_shared_map(sizeof(*shm));
}

static void race_reset(uint32_t rounds)
{
	memset(shm, 0, sizeof(*shm));
	/* Delays up to about one system call (1 ms native, scaled like everything else). */
	fzs_init(&shm->fz, rounds, deadline_ms(5000), (uint32_t)deadline_ms(1) * 1000);
}

static void ignore_tty_signals(void)
{
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
}

static void note(uint32_t *fails, int *err, int e)
{
	(*fails)++;
	*err = e;
}

/*
 * One container operation on @path, chosen by @k: 0 open-write-close, 1 take
 * it as controlling terminal, write, vhangup(), close; 2 open-close; 3 open,
 * set the window size, write, close.  Nothing here blocks.
 */
static void container_op(const char *path, unsigned int k, uint32_t *fails, int *err)
{
	struct winsize ws = { .ws_row = 24, .ws_col = (unsigned short)(80 + k) };
	static const char out[] = "container output racing;";
	int fd = open(path, O_RDWR | O_NONBLOCK | (k == 1 ? 0 : O_NOCTTY));

	if (fd < 0) {
		note(fails, err, errno);
		return;
	}
	if (k == 3 && ioctl(fd, TIOCSWINSZ, &ws))
		note(fails, err, errno);
	if (k != 2 && write(fd, out, sizeof(out) - 1) != (ssize_t)sizeof(out) - 1)
		note(fails, err, errno);
	if (k == 1 && vhangup())
		note(fails, err, errno);
	close(fd);
}

/* Container party: a session leader doing container_op() on terminal @n, one per round. */
static int container_party(long n)
{
	char path[32];

	ignore_tty_signals();
	if (setsid() < 0) {
		fzs_abort(&shm->fz);
		return 1;
	}
	vtty_ct_path((unsigned int)n, path, sizeof(path));
	while (fzs_start(&shm->fz, FZS_B)) {
		unsigned int k = fzs_round(&shm->fz, FZS_B) % CT_OPS;

		container_op(path, k, &shm->ct_fail[k], &shm->ct_err[k]);
		shm->ct_done[k]++;
		if (!fzs_end(&shm->fz, FZS_B))
			break;
	}
	return 0;
}

/*
 * One host operation on terminal @n of @pid, by @k: attach, then 0 read,
 * 1 type, 2 resize and read the counters; then detach.
 */
static void host_op(pid_t pid, unsigned int n, unsigned int k)
{
	struct winsize ws = { .ws_row = 30, .ws_col = 100 };
	struct impl_vtty_info info;
	char buf[512];
	int fd = vtty_attach(pid, n, IMPL_VTTY_NONBLOCK), ret = 0;

	if (fd < 0) {
		note(&shm->host_fail[k], &shm->host_err[k], -fd);
		return;
	}
	if (k == 0) {
		ssize_t n = vtty_drain(fd, buf, sizeof(buf));

		ret = n < 0 ? (int)-n : 0;
	}
	/* Input may find the terminal closed or full (EAGAIN), nothing else. */
	if (k == 1 && write(fd, "typed", 5) < 0 && errno != EAGAIN)
		ret = errno;
	if (k == 2)
		ret = ioctl(fd, TIOCSWINSZ, &ws) ? errno : -vtty_info(fd, &info);
	if (ret)
		note(&shm->host_fail[k], &shm->host_err[k], ret);
	close(fd);
}

TEST_F_TIMEOUT(vt, race_open_write_hangup_against_attach_detach, VT_TIMEOUT(30))
{
	struct impl_vtty_devs devs;
	struct impl_report r;
	struct vt_write w;
	struct ct *ct;
	uint32_t rounds, want = (uint32_t)stress_count(RACE_ROUNDS, 400);
	int job, hfd;
	long before;

	REQ("VTTY-16");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	before = impl_has(IMPL_CAP_COUNTERS) ? vt_vttys_settled(VT_SETTLE) : 0;
	ASSERT_LE(0, before);
	VT_NEW_CT(&ct, &devs);
	race_reset(want);
	job = vt_spawn(ct, container_party, 1);
	ASSERT_LE(0, job);

	while (fzs_start(&shm->fz, FZS_A)) {
		unsigned int k = fzs_round(&shm->fz, FZS_A) % HOST_OPS;

		host_op(ct->pid, 1, k);
		shm->host_done[k]++;
		if (!fzs_end(&shm->fz, FZS_A))
			break;
	}
	ASSERT_EQ(0, vt_job_wait(job, VT_SOON));
	rounds = atomic_load(&shm->fz.done);
	TH_LOG("%u rounds: container %u/%u/%u/%u ops, host %u/%u/%u ops; delayed %u+%u",
	       rounds, shm->ct_done[0], shm->ct_done[1], shm->ct_done[2], shm->ct_done[3],
	       shm->host_done[0], shm->host_done[1], shm->host_done[2],
	       shm->fz.delayed[FZS_A], shm->fz.delayed[FZS_B]);
	EXPECT_FALSE(fzs_timed_out(&shm->fz)) TH_LOG("a party stopped answering (deadlock?)");
	EXPECT_EQ(want, rounds) TH_LOG("the rounds stopped early");
	for (int k = 0; k < CT_OPS; k++) {
		EXPECT_EQ(0, shm->ct_fail[k])
			TH_LOG("container operation %d: %u failures, last: %s",
			       k, shm->ct_fail[k], strerror(shm->ct_err[k]));
	}
	for (int k = 0; k < HOST_OPS; k++) {
		EXPECT_EQ(0, shm->host_fail[k])
			TH_LOG("host operation %d: %u failures, last: %s",
			       k, shm->host_fail[k], strerror(shm->host_err[k]));
	}

	/* The terminal still works both ways round. */
	VT_ATTACH(&hfd, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	w = vt_write_text("/dev/tty2", "still working");
	VT_CT_WRITE(ct, &w, VT_SOON);
	EXPECT_EQ(0, vtty_expect(hfd, "still working", VT_SOON, NULL, 0));
	VT_CLOSE(&hfd);
	ct_stop(ct);
	if (impl_has(IMPL_CAP_COUNTERS)) {
		EXPECT_EQ(0, vt_wait_vttys(before, VT_SETTLE, &r))
			TH_LOG("count vtty %ld, want %ld", r.vttys, before);
	}
}

/* In a container: open, write, close and hang up its terminals until it dies. */
static void __attribute__((noreturn)) churn(void)
{
	int64_t end = now_ms() + deadline_ms(20000);	/* in case nobody kills it */
	char path[32];
	int dummy;
	uint32_t fails = 0;

	ignore_tty_signals();
	setsid();
	for (unsigned int i = 0; now_ms() < end; i++) {
		container_op(vtty_ct_path(i % 3, path, sizeof(path)), i % CT_OPS, &fails, &dummy);
		sched_yield();
	}
	_exit(0);
}

static int start_churn(long unused)
{
	pid_t child = fork();

	(void)unused;
	if (child == 0)
		churn();
	return child < 0 ? 1 : 0;
}

/* Wait (bounded) until @fd reads end of file; false if it did not. */
static bool reads_to_eof(int fd, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	char buf[1024];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) < 0)
			return false;
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return true;
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return false;
	}
}

/*
 * Host party of the teardown race: attach to this round's container while
 * it is being killed.  Either the attach fails with ESRCH (too late), or it
 * works; then type, and in odd rounds keep the fd until the end of file
 * the death must bring.
 */
static int attach_party(long unused)
{
	(void)unused;
	while (fzs_start(&shm->fz, FZS_B)) {
		uint32_t round = fzs_round(&shm->fz, FZS_B);
		int fd = vtty_attach(shm->cur_pid, round % 4, IMPL_VTTY_NONBLOCK);

		if (fd == -ESRCH) {
			shm->esrch++;
		} else if (fd < 0) {
			shm->other++;
			shm->other_err = -fd;
		} else {
			shm->attached++;
			if (write(fd, "x", 1) < 0 && errno != EAGAIN && errno != EIO) {
				shm->other++;
				shm->other_err = errno;
			}
			if ((round & 1) && !reads_to_eof(fd, VT_SOON))
				shm->eof_missing++;
			close(fd);
		}
		if (!fzs_end(&shm->fz, FZS_B))
			break;
	}
	return 0;
}

TEST_F_TIMEOUT(vt, race_namespace_teardown_against_attach_and_open, VT_TIMEOUT(45))
{
	struct impl_vtty_devs devs;
	struct impl_report r;
	struct vt_write w;
	struct ct *ct;
	uint32_t rounds, want = (uint32_t)stress_count(TEARDOWN_ROUNDS, 100);
	int job, hfd;
	long before;

	REQ("VTTY-16");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	before = impl_has(IMPL_CAP_COUNTERS) ? vt_vttys_settled(VT_SETTLE) : 0;
	ASSERT_LE(0, before);
	race_reset(want);
	job = vt_spawn(NULL, attach_party, 0);
	ASSERT_LE(0, job);

	for (;;) {
		struct ct c;
		bool go;
		int ret;

		ret = ct_start(&c, CT_CLONE, NULL);
		if (!ret)
			ret = vtty_setup(&c, &devs);
		if (!ret)
			ret = ct_call(&c, start_churn, 0);
		if (ret) {
			fzs_abort(&shm->fz);
			ct_stop(&c);
			ASSERT_EQ(0, ret) TH_LOG("round %u: container set-up: %d",
						 atomic_load(&shm->fz.done), ret);
		}
		shm->cur_pid = c.pid;
		go = fzs_start(&shm->fz, FZS_A);
		if (go) {
			kill(c.pid, SIGKILL);	/* the namespace dies */
			go = fzs_end(&shm->fz, FZS_A);
		}
		ct_stop(&c);
		if (!go)
			break;
	}
	ASSERT_EQ(0, vt_job_wait(job, VT_SOON));
	rounds = atomic_load(&shm->fz.done);
	TH_LOG("%u rounds: %u attaches before the death, %u too late (ESRCH); delayed %u+%u",
	       rounds, shm->attached, shm->esrch,
	       shm->fz.delayed[FZS_A], shm->fz.delayed[FZS_B]);
	EXPECT_FALSE(fzs_timed_out(&shm->fz)) TH_LOG("a party stopped answering (deadlock?)");
	EXPECT_EQ(want, rounds) TH_LOG("the rounds stopped early");
	EXPECT_EQ(0, shm->other) TH_LOG("unexpected error: %s", strerror(shm->other_err));
	EXPECT_EQ(0, shm->eof_missing) TH_LOG("attached fds that never saw end of file");

	/* A new namespace's terminals work, and nothing was left behind. */
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	w = vt_write_text("/dev/console", "after the races");
	VT_CT_WRITE(ct, &w, VT_SOON);
	EXPECT_EQ(0, vtty_expect(hfd, "after the races", VT_SOON, NULL, 0));
	VT_CLOSE(&hfd);
	ct_stop(ct);
	if (impl_has(IMPL_CAP_COUNTERS)) {
		EXPECT_EQ(0, vt_wait_vttys(before, VT_SETTLE, &r))
			TH_LOG("count vtty %ld, want %ld", r.vttys, before);
	}
}

TEST_HARNESS_MAIN
