// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl list [--json]: every device namespace the implementation tracks,
 * with a process of each (its lowest pid, as the host sees it).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"

static void list_help(FILE *out)
{
	fprintf(out,
		"Lists the device namespaces the implementation tracks (a container's\n"
		"from the first use of its devices, a DESCRIBE or an activation, until\n"
		"its last reference goes), one line each:\n"
		"\n"
		"  PID  ID  LEVEL  STATE  ACTIVATIONS  MODE  TERMINALS\n"
		"\n"
		"PID is the lowest pid of a process in the namespace as the host sees it\n"
		"(\"-\" when none is left), ID its pid-namespace inode number (readlink /proc/PID/ns/pid),\n"
		"LEVEL its nesting depth (0: the host), STATE host, active, passive or\n"
		"dead, ACTIVATIONS how often it became active, MODE its framebuffer's\n"
		"visible size and TERMINALS how many terminals it has and how many of\n"
		"them its processes hold open (\"-\": it has not used that device).  The\n"
		"first line is the switch generation.\n"
		"\n"
		"Options:\n"
		"  -j, --json   one JSON object: {\"generation\": G, \"namespaces\": [{\"pid\",\n"
		"               \"id\", \"level\", \"state\", \"activations\", \"mode\",\n"
		"               \"terminals\", \"terminals_open\"}, ...]} (pid, level and\n"
		"               activations null when no process is left; mode and\n"
		"               terminals null for a device not used)\n"
		"  -h, --help   this text\n");
}

/* The lowest pid whose pid namespace is @id, or 0. */
static pid_t lowest_pid_in(uint64_t id)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t best = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[64];
		struct stat st;
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end || pid <= 0 || (best && pid >= best))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
		if (!stat(path, &st) && st.st_ino == id)
			best = (pid_t)pid;
	}
	closedir(d);
	return best;
}

static const char *state_of(bool host, bool active, bool dead)
{
	if (dead)
		return "dead";
	if (active)
		return host ? "host,active" : "active";
	return host ? "host" : "passive";
}

/*
 * Namespace @i's vfb mode and terminals, as table cells (@mode, @ttys: "-"
 * for none) and JSON members (@jmode, @jttys: null for none).
 */
static void describe_states(const struct impl_report *r, int i, char mode[24], char ttys[32],
			    char jmode[48], char jttys[80])
{
	if (r->ns[i].xres) {
		snprintf(mode, 24, "%ux%u", r->ns[i].xres, r->ns[i].yres);
		snprintf(jmode, 48, "\"mode\": \"%s\"", mode);
	} else {
		snprintf(mode, 24, "-");
		snprintf(jmode, 48, "\"mode\": null");
	}
	if (r->ns[i].terminals >= 0) {
		snprintf(ttys, 32, "%d (%d open)", r->ns[i].terminals, r->ns[i].terminals_open);
		snprintf(jttys, 80, "\"terminals\": %d, \"terminals_open\": %d",
			 r->ns[i].terminals, r->ns[i].terminals_open);
	} else {
		snprintf(ttys, 32, "-");
		snprintf(jttys, 80, "\"terminals\": null, \"terminals_open\": null");
	}
}

static int list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct impl_ops *im = impl();
	struct impl_report r;
	bool json = false;
	int c, ctl, ret, i;

	while ((c = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			cmd_usage(&devnsctl_list, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_list, "bad option");
		}
	}
	if (argc != optind)
		return cmd_usage_error(&devnsctl_list, "no arguments expected");
	if (!im->report)
		return cmd_error("the implementation '%s' has no namespace list", im->name);
	ctl = im->open_ctl();
	if (ctl < 0)
		return cmd_error("opening the control device: %s", ctl_strerror(-ctl));
	ret = im->report(&r);
	if (ret) {
		close(ctl);
		return cmd_error("reading the namespace list: %s", ctl_strerror(-ret));
	}
	if (json)
		printf("{\"generation\": %llu, \"namespaces\": [", (unsigned long long)r.generation);
	else
		printf("generation %llu\n%-8s %-12s %-5s %-12s %-11s %-10s %s\n",
		       (unsigned long long)r.generation, "PID", "ID", "LEVEL", "STATE", "ACTIVATIONS",
		       "MODE", "TERMINALS");
	for (i = 0; i < r.nr_listed; i++) {
		pid_t pid = r.ns[i].dead ? 0 : lowest_pid_in(r.ns[i].id);
		const char *state = state_of(r.ns[i].host, r.ns[i].active, r.ns[i].dead);
		char mode[24], ttys[32], jmode[48], jttys[80], acts[24];
		struct impl_ns ns;
		bool known;

		/* a process that exited since the scan: shown without one */
		known = pid && !im->describe(ctl, pid, 0, &ns) && ns.id == r.ns[i].id;
		describe_states(&r, i, mode, ttys, jmode, jttys);
		if (json && known) {
			printf("%s\n  {\"pid\": %d, \"id\": %llu, \"level\": %u, \"state\": \"%s\", "
			       "\"activations\": %llu, %s, %s}", i ? "," : "", (int)pid,
			       (unsigned long long)r.ns[i].id, ns.level, state,
			       (unsigned long long)ns.activations, jmode, jttys);
		} else if (json) {
			printf("%s\n  {\"pid\": null, \"id\": %llu, \"level\": null, \"state\": \"%s\", "
			       "\"activations\": null, %s, %s}", i ? "," : "",
			       (unsigned long long)r.ns[i].id, state, jmode, jttys);
		} else if (known) {
			snprintf(acts, sizeof(acts), "%llu", (unsigned long long)ns.activations);
			printf("%-8d %-12llu %-5u %-12s %-11s %-10s %s\n", (int)pid,
			       (unsigned long long)r.ns[i].id, ns.level, state, acts, mode, ttys);
		} else {
			printf("%-8s %-12llu %-5s %-12s %-11s %-10s %s\n", "-",
			       (unsigned long long)r.ns[i].id, "-", state, "-", mode, ttys);
		}
	}
	if (json)
		printf("\n]}\n");
	close(ctl);
	return fflush(stdout) ? cmd_error("writing the list: %m") : 0;
}

const struct devnsctl_cmd devnsctl_list = {
	.name = "list",
	.args = "[--json]",
	.summary = "the device namespaces: pid, state, activations, framebuffer mode, terminals",
	.run = list,
	.help = list_help,
};
