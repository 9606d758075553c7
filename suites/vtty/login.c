// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-17: a real console session.  A container runs an unmodified busybox
 * getty with sh on its console (/dev/console, set up as a runtime does);
 * the host attaches with `devnsctl console <pid>` on a pseudo-terminal, as
 * a user at a terminal would: types commands, reads their output, sees its
 * window size in the container, resizes, and detaches with ESC '.', and the
 * shell is still there afterwards.  Also devnsctl without a terminal (pipes)
 * and its error and end-of-namespace reports.
 *
 * devnsctl is $DEVNS_DEVNSCTL, or build/bin/devnsctl next to this program's
 * build/suites/ (make build puts it there).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "devns_test.h"
#include "tool.h"
#include "vtty.h"
#include "vtty_world.h"

/*
 * A whole login session takes seconds natively but over 30 s (the harness's
 * default) on a debug kernel under TCG: the limit scales like every deadline.
 */
#define LOGIN_TIMEOUT	(deadline_ms(20000) / 1000)
#define GETTY		"/bin/busybox"
#define SEEN_LEN	4096

/* Terminal output for a log line (one at a time: a static buffer). */
static const char *show(const char *text)
{
	static char buf[4 * SEEN_LEN];

	return vtty_printable(text, strlen(text), buf, sizeof(buf));
}

/* What the container's getty launcher reports (ct_shared()). */
struct getty_report {
	int exec_err;		/* errno of a failed exec, 0 if none */
};

FIXTURE(login) {
	struct vt_world vt;	/* host fds, closed in teardown */
	struct ct ct;
	bool ct_started;
	struct impl_vtty_devs devs;
	pid_t tool;		/* a devnsctl still to reap (0: none) */
};

FIXTURE_SETUP(login)
{
	vt_world_setup(&self->vt);
	signal(SIGPIPE, SIG_IGN);
	self->ct_started = false;
	self->tool = 0;
	memset(ct_shared(), 0, sizeof(struct getty_report));
}

FIXTURE_TEARDOWN(login)
{
	if (self->tool > 0) {
		kill(self->tool, SIGKILL);
		waitpid(self->tool, NULL, 0);
	}
	vt_world_teardown(&self->vt);
	if (self->ct_started)
		ct_stop(&self->ct);
}

/*
 * In the container: start getty on the console in the background (it makes
 * its own session, and the console its controlling terminal) and return.
 */
static int start_getty(long unused)
{
	struct getty_report *rep = ct_shared();
	pid_t pid = fork();

	(void)unused;
	if (pid < 0)
		return errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execl(GETTY, "getty", "-n", "-l", "/bin/sh", "0", "/dev/console", (char *)NULL);
		rep->exec_err = errno;
		_exit(127);
	}
	return 0;
}

/*
 * A container whose console runs getty + sh, ready for commands: the test
 * attaches itself, types a command until its output comes (the first
 * lines may be lost to getty's flush of the input), and detaches.
 */
static void start_session(struct __test_metadata *_metadata, FIXTURE_DATA(login) *self)
{
	static const char cmd[] = "echo $((6*7))ready\n";
	struct getty_report *rep = ct_shared();
	int64_t end = now_ms() + deadline_ms(20000);
	char seen[SEEN_LEN] = "";
	int host, ret = -ETIMEDOUT;

	ASSERT_EQ(0, ct_start(&self->ct, CT_CLONE, NULL));
	self->ct_started = true;
	ret = vtty_setup(&self->ct, &self->devs);
	ASSERT_EQ(0, ret) TH_LOG("vtty_setup: %s", strerror(-ret));
	ASSERT_EQ(0, ct_call(&self->ct, start_getty, 0));
	host = vtty_attach(self->ct.pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
	ASSERT_LE(0, host) TH_LOG("attach to the console: %s", strerror(-host));
	vt_keep_fd(&self->vt, host);
	while (now_ms() < end && !rep->exec_err) {
		ssize_t w = vtty_write_for(host, cmd, strlen(cmd), deadline_ms(1000));

		ASSERT_LE(0, w) TH_LOG("typing on the console: %s", strerror((int)-w));
		ret = vtty_expect(host, "42ready", deadline_ms(1000), seen, sizeof(seen));
		if (ret != -ETIMEDOUT)
			break;
	}
	ASSERT_EQ(0, rep->exec_err) TH_LOG("exec %s getty: %s", GETTY, strerror(rep->exec_err));
	ASSERT_EQ(0, ret) TH_LOG("the shell on the console did not answer (%s); it printed: %s",
				 strerror(-ret), show(seen));
	vt_close_fd(&self->vt, host);
}

/*
 * Run devnsctl @args (NULL-terminated, without argv[0]) with the given
 * stdin, stdout and stderr, in a new session; with @ctty, stdin (a
 * terminal) becomes its controlling terminal.  self->tool gets its pid.
 */
static void spawn_devnsctl(struct __test_metadata *_metadata, FIXTURE_DATA(login) *self,
			   const char *const *args, int in, int out, int err, bool ctty)
{
	const char *argv[16] = { "devnsctl" };
	size_t i;
	pid_t pid;

	for (i = 0; args[i]; i++) {
		ASSERT_GT(sizeof(argv) / sizeof(argv[0]) - 1, i + 1);
		argv[i + 1] = args[i];
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		signal(SIGHUP, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		setsid();
		if (ctty && ioctl(in, TIOCSCTTY, 0))
			_exit(120);
		if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(121);
		execv(tool_devnsctl_path(), (char **)argv);
		_exit(122);
	}
	self->tool = pid;
}

/*
 * spawn_devnsctl() with its stdin, stdout and stderr on new pipes: *@in
 * gets the write end of its stdin, *@out and *@err the read ends of its
 * stdout and stderr (all closed by the fixture's teardown).
 */
static void spawn_devnsctl_piped(struct __test_metadata *_metadata, FIXTURE_DATA(login) *self,
				 const char *const *args, int *in, int *out, int *err)
{
	int p[3][2], i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pipe2(p[i], O_CLOEXEC));
		vt_keep_fd(&self->vt, p[i][0]);
		vt_keep_fd(&self->vt, p[i][1]);
	}
	spawn_devnsctl(_metadata, self, args, p[0][0], p[1][1], p[2][1], false);
	vt_close_fd(&self->vt, p[0][0]);
	vt_close_fd(&self->vt, p[1][1]);
	vt_close_fd(&self->vt, p[2][1]);
	*in = p[0][1];
	*out = p[1][0];
	*err = p[2][0];
}

/* What devnsctl wrote on @fd (its stderr) within @timeout_ms, NUL-terminated in @err. */
static void read_stderr(struct __test_metadata *_metadata, int fd, char *err, size_t len,
			int timeout_ms)
{
	ssize_t n = vtty_read_for(fd, err, len - 1, timeout_ms);

	ASSERT_LE(0, n);
	err[n] = '\0';
}

/* Wait at most @timeout_ms for devnsctl to end; its wait status, or -ETIMEDOUT. */
static int wait_devnsctl(FIXTURE_DATA(login) *self, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int pidfd = (int)syscall(SYS_pidfd_open, self->tool, 0);
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int status;

	if (pidfd < 0)
		return -errno;
	for (;;) {
		int64_t left = end - now_ms();
		int n = poll(&p, 1, left > 0 ? (int)left : 0);

		if (n > 0 || (n < 0 && errno != EINTR) || left <= 0)
			break;
	}
	close(pidfd);
	if (waitpid(self->tool, &status, WNOHANG) != self->tool)
		return -ETIMEDOUT;
	self->tool = 0;
	return status;
}

#define EXPECT_EXIT(self, timeout_ms, code)					\
	do {									\
		int _st = wait_devnsctl((self), (timeout_ms));			\
		ASSERT_NE(-ETIMEDOUT, _st) TH_LOG("devnsctl did not exit in time"); \
		ASSERT_LE(0, _st) TH_LOG("waiting for devnsctl: %s", strerror(-_st)); \
		EXPECT_TRUE(WIFEXITED(_st)) TH_LOG("devnsctl died of signal %d", \
						   WTERMSIG(_st));		\
		EXPECT_EQ((code), WEXITSTATUS(_st)) TH_LOG("devnsctl exit status"); \
	} while (0)

/* Type @text on @fd, all of it before the deadline. */
#define TYPE(fd, text)								\
	ASSERT_EQ((ssize_t)strlen(text),					\
		  vtty_write_for((fd), (text), strlen(text), deadline_ms(5000)))

/* Read @fd until @needle; @seen gets what came before (and the needle). */
#define EXPECT_OUTPUT(fd, needle, seen)						\
	do {									\
		int _r = vtty_expect((fd), (needle), deadline_ms(10000), (seen), SEEN_LEN); \
		ASSERT_EQ(0, _r) TH_LOG("waiting for '%s': %s; got: %s", (needle), \
					strerror(-_r), show(seen));		\
	} while (0)

/* A pseudo-terminal pair: *master (kept), *slave (kept) with window size @rows x @cols. */
static void open_pty(struct __test_metadata *_metadata, FIXTURE_DATA(login) *self,
		     int *master, int *slave, unsigned short rows, unsigned short cols)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };
	char *name;

	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, *master);
	vt_keep_fd(&self->vt, *master);
	ASSERT_EQ(0, grantpt(*master));
	ASSERT_EQ(0, unlockpt(*master));
	name = ptsname(*master);
	ASSERT_NE(NULL, name);
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, *slave);
	vt_keep_fd(&self->vt, *slave);
	ASSERT_EQ(0, ioctl(*slave, TIOCSWINSZ, &ws));
}

/*
 * The whole interactive session: attach on a terminal of 33 x 97, a
 * command and its output, `stty size` in the container shows our size (the
 * shell had the console open before we attached), a resize reaches it
 * too, ESC '.' detaches (exit 0, terminal settings restored), and the
 * shell still answers afterwards.
 */
TEST_F_TIMEOUT(login, getty_shell_session_with_devnsctl_console, LOGIN_TIMEOUT)
{
	char seen[SEEN_LEN], pidstr[16];
	const char *args[] = { "console", pidstr, NULL };
	struct winsize big = { .ws_row = 40, .ws_col = 120 };
	struct termios tio;
	int master, slave, host;

	REQ("VTTY-17");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	start_session(_metadata, self);
	open_pty(_metadata, self, &master, &slave, 33, 97);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)self->ct.pid);
	spawn_devnsctl(_metadata, self, args, slave, slave, slave, true);
	vt_close_fd(&self->vt, slave);
	EXPECT_OUTPUT(master, "Attached to tty 1 of pid", seen);

	TYPE(master, "echo $((6*7))marker\r");
	EXPECT_OUTPUT(master, "42marker", seen);

	/*
	 * "size=" and the numbers in one write, so that a prompt the shell's
	 * line editor redraws on SIGWINCH cannot come between them.
	 */
	TYPE(master, "echo size=$(stty size); echo $((5*5))done\r");
	EXPECT_OUTPUT(master, "25done", seen);
	EXPECT_NE(NULL, strstr(seen, "size=33 97\r"))
		TH_LOG("the container does not see the window size 33 97 of devnsctl's terminal: %s",
		       show(seen));

	/* SIGWINCH to devnsctl, which passes the new size on. */
	ASSERT_EQ(0, ioctl(master, TIOCSWINSZ, &big));
	TYPE(master, "echo size=$(stty size); echo $((5*6))done\r");
	EXPECT_OUTPUT(master, "30done", seen);
	EXPECT_NE(NULL, strstr(seen, "size=40 120\r"))
		TH_LOG("the container does not see the new window size 40 120: %s", show(seen));

	/* ESC '.' at the start of a line (after the Enter above), in two writes. */
	TYPE(master, "\x1b");
	TYPE(master, ".");
	EXPECT_OUTPUT(master, "[detached]", seen);
	EXPECT_EXIT(self, deadline_ms(10000), 0);
	ASSERT_EQ(0, tcgetattr(master, &tio));
	EXPECT_TRUE(tio.c_lflag & ICANON) TH_LOG("devnsctl left its terminal in raw mode");
	EXPECT_TRUE(tio.c_lflag & ECHO) TH_LOG("devnsctl left its terminal in raw mode");

	/* The shell is still there, and the console free for the next attach. */
	host = vtty_attach(self->ct.pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
	ASSERT_LE(0, host) TH_LOG("attach after devnsctl detached: %s", strerror(-host));
	vt_keep_fd(&self->vt, host);
	TYPE(host, "echo $((7*8))again\n");
	EXPECT_OUTPUT(host, "56again", seen);
}

/*
 * devnsctl with pipes (a script's use): input passes unchanged (ESC '.' is
 * no escape here), the output comes, and at the end of its input devnsctl
 * exits 0 once the terminal is idle, printing nothing on stderr.
 */
TEST_F_TIMEOUT(login, devnsctl_console_through_pipes, LOGIN_TIMEOUT)
{
	char seen[SEEN_LEN], pidstr[16], linger[16], err[256];
	const char *args[] = { "console", "--linger", linger, pidstr, NULL };
	int in, out, errp;

	REQ("VTTY-17");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	start_session(_metadata, self);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)self->ct.pid);
	snprintf(linger, sizeof(linger), "%d", deadline_ms(200));
	spawn_devnsctl_piped(_metadata, self, args, &in, &out, &errp);

	TYPE(in, "\x1b.\necho $((6*7))piped\n");
	EXPECT_OUTPUT(out, "42piped", seen);
	vt_close_fd(&self->vt, in);
	EXPECT_EXIT(self, deadline_ms(10000), 0);
	read_stderr(_metadata, errp, err, sizeof(err), deadline_ms(1000));
	EXPECT_STREQ("", err) TH_LOG("devnsctl wrote on stderr: %s", show(err));
}

/* Run devnsctl @args with stdin from /dev/null; its stderr (up to its end) in @err. */
static void run_devnsctl(struct __test_metadata *_metadata, FIXTURE_DATA(login) *self,
			 const char *const *args, char *err, size_t len)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	int errp[2];

	ASSERT_LE(0, null);
	vt_keep_fd(&self->vt, null);
	ASSERT_EQ(0, pipe2(errp, O_CLOEXEC));
	vt_keep_fd(&self->vt, errp[0]);
	vt_keep_fd(&self->vt, errp[1]);
	spawn_devnsctl(_metadata, self, args, null, null, errp[1], false);
	vt_close_fd(&self->vt, errp[1]);
	vt_close_fd(&self->vt, null);
	read_stderr(_metadata, errp[0], err, len, deadline_ms(10000));
	vt_close_fd(&self->vt, errp[0]);
}

/*
 * Errors are reported in words, with exit status 1: a terminal someone
 * else is attached to (EBUSY), a terminal the namespace does not have.
 */
TEST_F_TIMEOUT(login, devnsctl_console_reports_busy_and_bad_terminal, LOGIN_TIMEOUT)
{
	char pidstr[16], bad[16], want[96], err[1024];
	const char *busy_args[] = { "console", pidstr, NULL };
	const char *bad_args[] = { "console", pidstr, bad, NULL };
	int host;

	REQ("VTTY-17");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	ASSERT_EQ(0, ct_start(&self->ct, CT_CLONE, NULL));
	self->ct_started = true;
	ASSERT_EQ(0, vtty_setup(&self->ct, &self->devs));
	snprintf(pidstr, sizeof(pidstr), "%d", (int)self->ct.pid);
	snprintf(bad, sizeof(bad), "%u", self->devs.count + 1);

	host = vtty_attach(self->ct.pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
	ASSERT_LE(0, host) TH_LOG("attach: %s", strerror(-host));
	vt_keep_fd(&self->vt, host);
	run_devnsctl(_metadata, self, busy_args, err, sizeof(err));
	EXPECT_EXIT(self, deadline_ms(10000), 1);
	snprintf(want, sizeof(want), "tty 1 of pid %s is already attached", pidstr);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("stderr: %s", show(err));

	run_devnsctl(_metadata, self, bad_args, err, sizeof(err));
	EXPECT_EXIT(self, deadline_ms(10000), 1);
	snprintf(want, sizeof(want), "no tty %s", bad);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("stderr: %s", show(err));
}

/*
 * The namespace dies while devnsctl is attached: it prints the output
 * that was left, then "[container console closed]", and exits 0.
 */
TEST_F_TIMEOUT(login, devnsctl_console_ends_when_the_namespace_dies, LOGIN_TIMEOUT)
{
	static const char last[] = "last words";
	char seen[SEEN_LEN], pidstr[16], err[256];
	const char *args[] = { "console", pidstr, NULL };
	int in, out, errp, ct_fd;

	REQ("VTTY-17");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	ASSERT_EQ(0, ct_start(&self->ct, CT_CLONE, NULL));
	self->ct_started = true;
	ASSERT_EQ(0, vtty_setup(&self->ct, &self->devs));
	ct_fd = ct_open(&self->ct, "/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	ASSERT_LE(0, ct_fd) TH_LOG("open /dev/console in the container: %s", strerror(-ct_fd));
	vt_keep_fd(&self->vt, ct_fd);
	ASSERT_EQ((ssize_t)strlen(last), write(ct_fd, last, strlen(last)));
	vt_close_fd(&self->vt, ct_fd);

	snprintf(pidstr, sizeof(pidstr), "%d", (int)self->ct.pid);
	spawn_devnsctl_piped(_metadata, self, args, &in, &out, &errp);
	EXPECT_OUTPUT(out, last, seen);

	ct_stop(&self->ct);
	self->ct_started = false;
	EXPECT_EXIT(self, deadline_ms(10000), 0);
	read_stderr(_metadata, errp, err, sizeof(err), deadline_ms(1000));
	EXPECT_NE(NULL, strstr(err, "[container console closed]")) TH_LOG("stderr: %s", show(err));
}

TEST_HARNESS_MAIN
