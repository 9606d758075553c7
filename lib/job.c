// SPDX-License-Identifier: GPL-2.0
/* Background jobs on the host or in a container (see job.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job.h"

/* What the keeper and its job write on the report pipe, in this order. */
enum job_event {
	JOB_STARTED,	/* val: the job's pid as the host sees it */
	JOB_RESULT,	/* val: fn's return value */
	JOB_ENDED,	/* val: -1000 - signal, or the exit status */
};

struct job_report {
	int event;
	int val;
};

/* Our pid as the host sees it: /proc is the host's, so /proc/self is too. */
static pid_t host_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return (pid_t)atoi(buf);
}

static void report(int fd, enum job_event event, int val)
{
	struct job_report r = { .event = event, .val = val };

	write_full(fd, &r, sizeof(r));
}

/*
 * The keeper holds no file of its job's: a test that closes its own copy of
 * a file (and has the job close the job's) closes it for good.
 */
static void close_all_but(int keep)
{
	if (keep > 3)
		close_range(3, (unsigned int)keep - 1, 0);
	close_range((unsigned int)keep + 1, ~0U, 0);
}

void job_keeper(ct_fn fn, long arg, int report_fd)
{
	int status = 0, ended;
	pid_t pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		report(report_fd, JOB_STARTED, host_pid());
		report(report_fd, JOB_RESULT, fn(arg));
		_exit(0);
	}
	if (pid > 0)
		close_all_but(report_fd);
	if (pid < 0)
		ended = -errno;
	else if (waitpid(pid, &status, 0) != pid)
		ended = -ECHILD;
	else if (WIFSIGNALED(status))
		ended = -1000 - WTERMSIG(status);
	else
		ended = WEXITSTATUS(status);
	report(report_fd, JOB_ENDED, ended);
	_exit(0);
}

/*
 * Take one report within @timeout_ms into @j: 0, or -ETIMEDOUT.  The end of
 * the pipe without JOB_ENDED is an end too: the job vanished.
 */
static int take_report(struct job *j, int timeout_ms)
{
	struct pollfd p = { .fd = j->fd, .events = POLLIN };
	int64_t end = now_ms() + timeout_ms;
	struct job_report r;
	ssize_t n;

	for (;;) {
		int64_t left = end - now_ms();
		int ready = poll(&p, 1, left > 0 ? (int)left : 0);

		if (ready > 0)
			break;
		if (ready == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
	do
		n = read(j->fd, &r, sizeof(r));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(r)) {
		if (!j->got_result)
			j->result = -EPIPE;
		j->ended = true;
		return 0;
	}
	switch (r.event) {
	case JOB_STARTED:
		j->pid = r.val;
		break;
	case JOB_RESULT:
		j->result = r.val;
		j->got_result = true;
		break;
	default:
		if (!j->got_result)
			j->result = r.val;
		j->ended = true;
		break;
	}
	return 0;
}

/* The job ended (or was killed): close the pipe, reap a host keeper. */
static void forget(struct job *j)
{
	int status;

	if (j->keeper > 0) {
		if (!j->ended)
			kill(j->keeper, SIGKILL);
		while (waitpid(j->keeper, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (j->open)
		close(j->fd);
	j->keeper = 0;
	j->fd = -1;
	j->open = false;
	j->ended = true;
}

int job_start(struct job *j, struct ct *ct, ct_fn fn, long arg)
{
	int64_t end;
	int p[2];

	*j = (struct job){ .fd = -1, .result = -EINVAL };
	if (ct) {
		j->fd = ct_spawn(ct, fn, arg);
		if (j->fd < 0) {
			j->result = j->fd;
			j->fd = -1;
			return j->result;
		}
		j->open = true;
	} else {
		if (pipe2(p, O_CLOEXEC))
			return -errno;
		j->keeper = fork();
		if (j->keeper == 0) {
			close(p[0]);
			job_keeper(fn, arg, p[1]);
		}
		close(p[1]);
		if (j->keeper < 0) {
			j->keeper = 0;
			close(p[0]);
			return -errno;
		}
		j->fd = p[0];
		j->open = true;
	}
	end = now_ms() + deadline_ms(5000);
	while (!j->pid && !j->ended)
		if (take_report(j, (int)(end - now_ms())))
			break;
	if (j->pid > 0)
		return 0;
	if (!j->ended)
		j->result = -ETIMEDOUT;
	job_kill(j);
	return j->result < 0 ? j->result : -EPROTO;
}

bool job_running(struct job *j)
{
	while (j->open && !j->ended && take_report(j, 0) == 0)
		;
	return j->open && !j->ended;
}

int job_join(struct job *j, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	while (j->open && !j->ended) {
		if (take_report(j, (int)(end - now_ms())) == -ETIMEDOUT) {
			job_kill(j);
			j->result = -ETIMEDOUT;
			return -ETIMEDOUT;
		}
	}
	forget(j);
	return j->result;
}

void job_kill(struct job *j)
{
	if (job_running(j)) {
		if (j->pid > 0)
			kill(j->pid, SIGKILL);
		j->result = -ECANCELED;
	}
	forget(j);
}
