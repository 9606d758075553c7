// SPDX-License-Identifier: GPL-2.0
/*
 * in-devns: run a command inside a new dev_ns (a new PID namespace),
 * made the active one first (--active) or left passive (--passive), wait
 * for it, make the host active again and exit with the command's status.
 * The benchmarks use it to run fio on a container's own /dev/vfb0.
 *
 * The new namespace's init is a small process of ours that starts the
 * command, reaps every orphan and exits with the command's status; the
 * namespace ends with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "impl.h"

#define EXIT_OWN	125	/* in-devns itself failed */
#define EXIT_NOEXEC	127	/* the command could not be started */

static const char usage[] =
	"Usage: in-devns --active|--passive [--] CMD [ARGS...]\n"
	"Run CMD inside a new dev_ns (a new PID namespace; its processes open their\n"
	"own vfb state through /dev/vfb0), made the active dev_ns first (--active,\n"
	"through the implementation adapter DEVNS_IMPL) or left passive (--passive,\n"
	"the host stays active).  Waits for CMD, makes the host active again and\n"
	"exits with CMD's status (128 + N if signal N killed it; 127 if it could not\n"
	"be started; 125 if in-devns itself failed).  Runs as root.\n"
	"\n"
	"Options:\n"
	"  --active      make the new dev_ns the active one before CMD starts\n"
	"  --passive     leave it passive\n"
	"  -h, --help    this text\n";

static volatile sig_atomic_t init_pid;

/* SIGTERM/SIGHUP: end the namespace; the host is still restored. */
static void on_term(int sig)
{
	(void)sig;
	if (init_pid > 0)
		kill((pid_t)init_pid, SIGKILL);
}

/* A wait status as an exit status. */
static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_OWN;
}

/* The namespace's init: wait for the go, run @cmd, reap until it is gone. */
static void __attribute__((noreturn)) ns_init(int go, char **cmd)
{
	int status = 0, code = EXIT_OWN;
	char c;
	pid_t child, pid;

	if (read(go, &c, 1) != 1)
		_exit(EXIT_OWN);
	close(go);
	child = fork();
	if (child < 0) {
		perror("in-devns: fork");
		_exit(EXIT_OWN);
	}
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "in-devns: %s: %s\n", cmd[0], strerror(errno));
		_exit(EXIT_NOEXEC);
	}
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid == child)
			code = exit_code(status);
		if (pid < 0 && errno == ECHILD)
			break;
	}
	_exit(code);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "active", no_argument, NULL, 'a' },
		{ "passive", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_term };
	int mode = 0, c, go[2], ctl, ret, status, code;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'p':
			if (mode && mode != c) {
				fprintf(stderr, "in-devns: --active and --passive exclude each other\n");
				return EXIT_OWN;
			}
			mode = c;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_OWN;
		}
	}
	if (!mode || optind >= argc) {
		fprintf(stderr, "in-devns: %s\n%s", mode ? "no command" : "--active or --passive?",
			usage);
		return EXIT_OWN;
	}
	ctl = impl()->open_ctl();
	if (ctl < 0 && mode == 'a') {
		fprintf(stderr, "in-devns: control device: %s\n", strerror(-ctl));
		return EXIT_OWN;
	}
	if (pipe2(go, O_CLOEXEC) || unshare(CLONE_NEWPID)) {
		perror("in-devns: new PID namespace");
		return EXIT_OWN;
	}
	/* The terminal's signals reach the command; we stay to restore the host. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	pid = fork();
	if (pid < 0) {
		perror("in-devns: fork");
		return EXIT_OWN;
	}
	if (pid == 0) {
		close(go[1]);
		ns_init(go[0], argv + optind);
	}
	close(go[0]);
	init_pid = pid;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (mode == 'a') {
		ret = impl()->activate(ctl, pid, 0);
		if (ret) {
			fprintf(stderr, "in-devns: activate: %s\n", strerror(-ret));
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return EXIT_OWN;
		}
	}
	if (write(go[1], "g", 1) != 1) {
		perror("in-devns: start");
		kill(pid, SIGKILL);
	}
	close(go[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("in-devns: waitpid");
			status = EXIT_OWN << 8;
			break;
		}
	}
	code = exit_code(status);
	if (ctl >= 0) {
		ret = impl()->activate(ctl, getpid(), 0);
		if (ret) {
			fprintf(stderr, "in-devns: making the host active again: %s\n",
				strerror(-ret));
			code = code ? code : EXIT_OWN;
		}
		close(ctl);
	}
	return code;
}
