// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl: the command-line front end of device namespaces.  This file
 * dispatches to the commands of the table below and holds what they share
 * (usage, errors, argument parsing).  A new command (activate, list, ...)
 * is a file with a struct devnsctl_cmd and a line in the table.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devnsctl.h"
#include "vtty.h"

static const struct devnsctl_cmd *const commands[] = {
	&devnsctl_list,
	&devnsctl_activate,
	&devnsctl_watch,
	&devnsctl_screenshot,
	&devnsctl_vnc,
	&devnsctl_key,
	&devnsctl_type,
	&devnsctl_console,
	&devnsctl_consoles,
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: devnsctl COMMAND [ARGS...]\n"
		"       devnsctl help [COMMAND] | devnsctl COMMAND --help\n"
		"\n"
		"Device namespaces from the host: a container is named by the pid of any of\n"
		"its processes, as the host sees it.  Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
		"  %-10s this text, or a command's help\n"
		"\n"
		"Needs root on the host (CAP_SYS_ADMIN in the initial namespaces) and the\n"
		"device namespace implementation (DEVNS_IMPL, default: reference, the\n"
		"devns.ko module).  Exit status: 0 success, 1 error, 2 bad usage.\n",
		"help");
}

void cmd_usage(const struct devnsctl_cmd *cmd, FILE *out)
{
	fprintf(out, "usage: devnsctl %s %s\n\n", cmd->name, cmd->args);
	cmd->help(out);
}

int cmd_usage_error(const struct devnsctl_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "devnsctl %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: devnsctl %s %s\n(devnsctl %s --help for more)\n",
		cmd->name, cmd->args, cmd->name);
	return 2;
}

int cmd_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "devnsctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *end || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

int parse_pid(const char *s, pid_t *pid)
{
	unsigned long v;

	if (parse_uint(s, 1, INT_MAX, &v))
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

int parse_target(const char *s, pid_t *pid)
{
	if (!strcmp(s, "host")) {
		*pid = getpid();	/* devnsctl runs in the host's namespace */
		return 0;
	}
	return parse_pid(s, pid);
}

const char *ctl_strerror(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied: needs root on the host "
		       "(CAP_SYS_ADMIN in the initial namespaces)";
	case ESRCH:
		return "no such process, or its namespace is gone";
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return "no device namespace control device (is the devns module loaded?)";
	case EOPNOTSUPP:
	case ENOTTY:
		return "the implementation has no virtual terminals";
	default:
		return strerror(err);
	}
}

int get_terminals(pid_t pid, struct impl_vtty_devs *d)
{
	int ret = vtty_devices(pid, d);

	if (ret < 0)
		return cmd_error("terminals of pid %d: %s", (int)pid, ctl_strerror(-ret));
	if (d->count == 0)
		return cmd_error("pid %d's namespace has no terminals", (int)pid);
	return 0;
}

static const struct devnsctl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	}
	return NULL;
}

static int help(int argc, char **argv)
{
	const struct devnsctl_cmd *cmd;

	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "devnsctl: no command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	cmd_usage(cmd, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct devnsctl_cmd *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return help(argc - 1, argv + 1);
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "devnsctl: no command '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	return cmd->run(argc - 1, argv + 1);
}
