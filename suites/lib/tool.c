// SPDX-License-Identifier: GPL-2.0
/* Running a program of ours from a test (see tool.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "tool.h"

const char *tool_devnsctl_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("DEVNS_DEVNSCTL");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "devnsctl";
	exe[n] = '\0';
	/* <build>/suites/<suite>/<program> */
	snprintf(path, sizeof(path), "%s/bin/devnsctl", dirname(dirname(dirname(exe))));
	return path;
}

int tool_spawn(struct tool *t, const char *path, const char *const argv[])
{
	int out[2], err[2], null;

	memset(t, 0, sizeof(*t));
	t->out = t->err = -1;
	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -errno;
	}
	t->pid = fork();
	if (t->pid == 0) {
		null = open("/dev/null", O_RDONLY);
		if (null < 0 || dup2(null, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
			_exit(121);
		signal(SIGPIPE, SIG_DFL);
		execv(path, (char *const *)argv);
		_exit(122);
	}
	close(out[1]);
	close(err[1]);
	if (t->pid < 0) {
		t->pid = 0;
		close(out[0]);
		close(err[0]);
		return -errno;
	}
	t->out = out[0];
	t->err = err[0];
	return 0;
}

/* Append what @fd has to @buf (closing it at end of file). */
static void drain(int *fd, char *buf, size_t *len, size_t max)
{
	char scratch[512];
	ssize_t n;

	if (*len < max - 1)
		n = read(*fd, buf + *len, max - 1 - *len);
	else
		n = read(*fd, scratch, sizeof(scratch));	/* full: keep the start */
	if (n > 0 && *len < max - 1) {
		*len += (size_t)n;
		buf[*len] = '\0';
	} else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		close(*fd);
		*fd = -1;
	}
}

/* One round of reading, at most @left_ms: false once both pipes ended. */
static bool read_some(struct tool *t, int64_t left_ms)
{
	struct pollfd p[2] = { { .fd = t->out, .events = POLLIN }, { .fd = t->err, .events = POLLIN } };

	if (t->out < 0 && t->err < 0)
		return false;
	if (poll(p, 2, left_ms > 0 ? (int)left_ms : 0) <= 0)
		return true;
	if (t->out >= 0 && p[0].revents)
		drain(&t->out, t->outbuf, &t->outlen, sizeof(t->outbuf));
	if (t->err >= 0 && p[1].revents)
		drain(&t->err, t->errbuf, &t->errlen, sizeof(t->errbuf));
	return true;
}

static int found(const struct tool *t, const char *const *needles, int n)
{
	for (int i = 0; i < n; i++)
		if (strstr(t->outbuf, needles[i]))
			return i;
	return -1;
}

int tool_expect_any(struct tool *t, const char *const *needles, int n, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int i;

	while ((i = found(t, needles, n)) < 0) {
		if (now_ms() >= end)
			return -ETIMEDOUT;
		if (!read_some(t, end - now_ms())) {
			i = found(t, needles, n);
			return i >= 0 ? i : -EPIPE;
		}
	}
	return i;
}

int tool_expect(struct tool *t, const char *needle, int timeout_ms)
{
	int ret = tool_expect_any(t, &needle, 1, timeout_ms);

	return ret > 0 ? 0 : ret;
}

int tool_finish(struct tool *t, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int status;

	while (read_some(t, end - now_ms())) {
		if (now_ms() >= end) {
			tool_kill(t);
			return -ETIMEDOUT;
		}
	}
	/* both pipes ended: it exited, or closed them (then the deadline holds) */
	while (waitpid(t->pid, &status, WNOHANG) == 0) {
		if (now_ms() >= end) {
			tool_kill(t);
			return -ETIMEDOUT;
		}
		usleep(10000);
	}
	t->pid = 0;
	return status;
}

void tool_kill(struct tool *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
	if (t->out >= 0)
		close(t->out);
	if (t->err >= 0)
		close(t->err);
	t->out = t->err = -1;
}
