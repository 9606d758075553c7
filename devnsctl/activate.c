// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl activate <pid>|host: put a namespace in the foreground (its
 * display, console and keyboard), as DEVNS_IOC_ACTIVATE does.
 */
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"

static void activate_help(FILE *out)
{
	fprintf(out,
		"Makes the device namespace of <pid> (a process of the container, as the\n"
		"host sees it) the active one: its framebuffer goes on the panel, its\n"
		"terminals and input become the foreground.  \"host\" makes the host's own\n"
		"namespace active again.  Activating the namespace that is already active\n"
		"changes nothing.  Prints the namespace's id unless --quiet.\n"
		"\n"
		"Options:\n"
		"  -q, --quiet  print nothing\n"
		"  -h, --help   this text\n");
}

static int activate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct impl_ops *im = impl();
	struct impl_ns ns;
	bool quiet = false;
	pid_t pid;
	int c, ctl, ret;

	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'h':
			cmd_usage(&devnsctl_activate, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_activate, "bad option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(&devnsctl_activate, "expected one <pid> or \"host\"");
	if (parse_target(argv[optind], &pid))
		return cmd_usage_error(&devnsctl_activate, "bad pid '%s'", argv[optind]);
	ctl = im->open_ctl();
	if (ctl < 0)
		return cmd_error("opening the control device: %s", ctl_strerror(-ctl));
	ret = im->activate(ctl, pid, 0);
	if (!ret && !quiet)
		ret = im->describe(ctl, pid, 0, &ns);
	close(ctl);
	if (ret)
		return cmd_error("activating pid %d: %s", (int)pid, ctl_strerror(-ret));
	if (!quiet)
		printf("active: %llu%s\n", (unsigned long long)ns.id, ns.host ? " (host)" : "");
	return fflush(stdout) ? cmd_error("writing: %m") : 0;
}

const struct devnsctl_cmd devnsctl_activate = {
	.name = "activate",
	.args = "<pid>|host [--quiet]",
	.summary = "make a container's namespace (or the host's) the active one",
	.run = activate,
	.help = activate_help,
};
