// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl consoles <pid> [--bind]: the terminals of a namespace, and the
 * container runtime's part (bind-mounting them as its consoles).
 */
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "devnsctl.h"
#include "vtty.h"

static void consoles_help(FILE *out)
{
	fprintf(out,
		"Prints the virtual terminals of the device namespace of <pid> (a process\n"
		"of the container, as the host sees it), one line per terminal:\n"
		"\n"
		"  N  CONTAINER-PATHS  HOST-NODE  MAJOR:MINOR\n"
		"\n"
		"N is the number 'devnsctl console <pid> N' takes (1 is the console, which\n"
		"the container sees as /dev/console and /dev/tty1; N > 1 is /dev/ttyN).\n"
		"The first call for a namespace creates its terminals (and their nodes).\n"
		"\n"
		"Options:\n"
		"  -b, --bind   also bind-mount each host node on its container paths, in\n"
		"               <pid>'s mount namespace (what a container runtime does;\n"
		"               missing targets are created).  The namespace must be\n"
		"               private: devnsctl refuses if <pid> shares its own mount\n"
		"               namespace, and mounts propagate to the host if <pid>'s\n"
		"               /dev is a shared mount.  The runtime must also allow the\n"
		"               device numbers in the container's device cgroup.\n"
		"  -h, --help   this text\n");
}

/* True if @pid's mount namespace is ours (a bind there would change the host). */
static bool same_mount_ns(pid_t pid)
{
	struct stat self, other;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
	if (stat("/proc/self/ns/mnt", &self) || stat(path, &other))
		return false;	/* the bind will report the error */
	return self.st_ino == other.st_ino && self.st_dev == other.st_dev;
}

static int consoles(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bind", no_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct impl_vtty_devs d;
	char node[64], path[64];
	bool bind = false;
	unsigned int n;
	pid_t pid;
	int c, ret;

	while ((c = getopt_long(argc, argv, "bh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			bind = true;
			break;
		case 'h':
			cmd_usage(&devnsctl_consoles, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_consoles, "bad option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(&devnsctl_consoles, "expected one <pid>");
	if (parse_pid(argv[optind], &pid))
		return cmd_usage_error(&devnsctl_consoles, "bad pid '%s'", argv[optind]);
	if (get_terminals(pid, &d))
		return 1;
	for (n = 0; n < d.count; n++) {
		vtty_ct_path(n, path, sizeof(path));
		if (n == 0)
			strcat(path, ",/dev/tty1");
		printf("%u %s %s %u:%u\n", n + 1, path, vtty_node(&d, n, node, sizeof(node)),
		       d.major, d.first_minor + n);
	}
	if (fflush(stdout))
		return cmd_error("writing the list: %m");
	if (!bind)
		return 0;
	if (same_mount_ns(pid))
		return cmd_error("pid %d shares devnsctl's mount namespace: refusing to bind "
				 "the terminals over the host's /dev (give the container a "
				 "private mount namespace first)", (int)pid);
	ret = vtty_bind_consoles(pid, &d);
	if (ret < 0)
		return cmd_error("binding the terminals in pid %d's mount namespace: %s",
				 (int)pid, strerror(-ret));
	return 0;
}

const struct devnsctl_cmd devnsctl_consoles = {
	.name = "consoles",
	.args = "<pid> [--bind]",
	.summary = "list a container's terminals; --bind mounts them as its consoles",
	.run = consoles,
	.help = consoles_help,
};
