/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devnsctl: the command-line front end of device namespaces.  main.c holds
 * the table of commands; each command lives in its own file and parses its
 * own options.  Commands return the program's exit status: 0 success, 1 an
 * error (reported on stderr), 2 a usage error.
 */
#ifndef DEVNSCTL_H
#define DEVNSCTL_H

#include <stdio.h>
#include <sys/types.h>

struct impl_vtty_devs;

struct devnsctl_cmd {
	const char *name;
	const char *args;		/* synopsis after the name */
	const char *summary;		/* one line for the command list */
	int (*run)(int argc, char **argv);	/* argv[0] is the command's name */
	void (*help)(FILE *out);	/* full help, after the synopsis */
};

extern const struct devnsctl_cmd devnsctl_list;
extern const struct devnsctl_cmd devnsctl_activate;
extern const struct devnsctl_cmd devnsctl_watch;
extern const struct devnsctl_cmd devnsctl_screenshot;
extern const struct devnsctl_cmd devnsctl_vnc;
extern const struct devnsctl_cmd devnsctl_key;
extern const struct devnsctl_cmd devnsctl_type;
extern const struct devnsctl_cmd devnsctl_console;
extern const struct devnsctl_cmd devnsctl_consoles;

/* "usage: devnsctl NAME ARGS" and the command's help, on @out. */
void cmd_usage(const struct devnsctl_cmd *cmd, FILE *out);
/* A usage error: the message, a pointer to --help, and status 2. */
int cmd_usage_error(const struct devnsctl_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An error: "devnsctl: " and the message on stderr; returns 1. */
int cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A pid (> 0) or a number in [min, max]: 0, or -EINVAL. */
int parse_pid(const char *s, pid_t *pid);
int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v);
/* A pid, or "host" (devnsctl's own pid: the host's namespace): 0, or -EINVAL. */
int parse_target(const char *s, pid_t *pid);
/*
 * The terminals of @pid's namespace, with an error message on failure
 * (why it failed, in words a user can act on).  Returns 0 or 1.
 */
int get_terminals(pid_t pid, struct impl_vtty_devs *d);
/* Words for an error of the control interface about @pid (errno > 0). */
const char *ctl_strerror(int err);

#endif /* DEVNSCTL_H */
