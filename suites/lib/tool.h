/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a program of ours (devnsctl) from a test: its stdout and stderr
 * on pipes, read with deadlines, and its exit status.
 */
#ifndef DEVNS_TOOL_H
#define DEVNS_TOOL_H

#include <stddef.h>
#include <sys/types.h>

#define TOOL_OUT_MAX	16384
#define TOOL_ERR_MAX	4096

struct tool {
	pid_t pid;			/* 0: not running (or reaped) */
	int out, err;			/* read ends, -1 once at end of file */
	char outbuf[TOOL_OUT_MAX];	/* what it printed so far, NUL-terminated */
	size_t outlen;
	char errbuf[TOOL_ERR_MAX];
	size_t errlen;
};

/* devnsctl: $DEVNS_DEVNSCTL, else <build>/bin/devnsctl next to <build>/suites/. */
const char *tool_devnsctl_path(void);

/* Start @path with @argv (argv[0] included), stdin /dev/null: 0 or -errno. */
int tool_spawn(struct tool *t, const char *path, const char *const argv[]);
/* Read until stdout holds @needle: 0, -ETIMEDOUT, or -EPIPE (it ended first). */
int tool_expect(struct tool *t, const char *needle, int timeout_ms);
/* The same for the first of @n needles: its index, or -ETIMEDOUT / -EPIPE. */
int tool_expect_any(struct tool *t, const char *const *needles, int n, int timeout_ms);
/* Read both to end of file and reap: the wait status, or -ETIMEDOUT (then killed). */
int tool_finish(struct tool *t, int timeout_ms);
/* Kill and reap a tool still running, close its pipes (teardown). */
void tool_kill(struct tool *t);

#endif /* DEVNS_TOOL_H */
