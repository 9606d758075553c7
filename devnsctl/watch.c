// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl watch [--count N]: switches, new namespaces and deaths as lines,
 * until ^C (or N events).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"

/* How often the namespace list is read again for births and deaths. */
#define RESCAN_MS	500

static void watch_help(FILE *out)
{
	fprintf(out,
		"Prints one line per event, as it happens:\n"
		"\n"
		"  watching: generation G active ID     once, when it is ready\n"
		"  switch G: active ID                  the active namespace changed\n"
		"                                       (G: the switch generation)\n"
		"  new ID                               a namespace is tracked\n"
		"  dead ID                              its last process exited\n"
		"  gone ID                              it is no longer tracked\n"
		"\n"
		"Switches are reported at once (poll() on the control device); births\n"
		"and deaths within half a second, when the implementation has a\n"
		"namespace list.  Ends with status 0 on ^C, SIGTERM or after --count\n"
		"events.\n"
		"\n"
		"Options:\n"
		"  -c, --count N  stop after N events (switches, births and deaths)\n"
		"  -h, --help     this text\n");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct seen {
	int n;
	uint64_t id[IMPL_MAX_LISTED];
	bool dead[IMPL_MAX_LISTED];
};

static int find(const struct seen *s, uint64_t id)
{
	for (int i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return i;
	return -1;
}

/* The list now, and the lines for what changed since @old (events counted). */
static void rescan(const struct impl_ops *im, struct seen *old, bool print, unsigned long *events)
{
	struct impl_report r;
	struct seen now = { 0 };
	int i, k;

	if (!im->report || im->report(&r))
		return;
	for (i = 0; i < r.nr_listed; i++) {
		now.id[now.n] = r.ns[i].id;
		now.dead[now.n++] = r.ns[i].dead;
		k = find(old, r.ns[i].id);
		if (print && k < 0) {
			printf("new %llu\n", (unsigned long long)r.ns[i].id);
			++*events;
		}
		if (print && r.ns[i].dead && (k < 0 || !old->dead[k])) {
			printf("dead %llu\n", (unsigned long long)r.ns[i].id);
			++*events;
		}
	}
	for (i = 0; print && i < old->n; i++) {
		if (find(&now, old->id[i]) < 0) {
			printf("gone %llu\n", (unsigned long long)old->id[i]);
			++*events;
		}
	}
	*old = now;
}

static int watch(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct impl_ops *im = impl();
	unsigned long count = 0, events = 0;
	struct impl_state st;
	struct sigaction sa;
	struct seen seen = { 0 };
	int c, ctl, ret;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_uint(optarg, 1, 1000000, &count))
				return cmd_usage_error(&devnsctl_watch, "bad count '%s'", optarg);
			break;
		case 'h':
			cmd_usage(&devnsctl_watch, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_watch, "bad option");
		}
	}
	if (argc != optind)
		return cmd_usage_error(&devnsctl_watch, "no arguments expected");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ctl = im->open_ctl();
	if (ctl < 0)
		return cmd_error("opening the control device: %s", ctl_strerror(-ctl));
	/* GET_STATE acknowledges the generation: poll() wakes at the next switch */
	ret = im->get_state(ctl, &st);
	if (ret) {
		close(ctl);
		return cmd_error("reading the state: %s", ctl_strerror(-ret));
	}
	rescan(im, &seen, false, &events);
	printf("watching: generation %llu active %llu\n", (unsigned long long)st.generation,
	       (unsigned long long)st.active_id);
	fflush(stdout);
	while (!stop && (!count || events < count)) {
		ret = im->wait_switch(ctl, im->report ? RESCAN_MS : -1);
		if (ret < 0 && ret != -EINTR) {
			close(ctl);
			return cmd_error("waiting for a switch: %s", strerror(-ret));
		}
		if (ret > 0) {
			ret = im->get_state(ctl, &st);
			if (ret) {
				close(ctl);
				return cmd_error("reading the state: %s", ctl_strerror(-ret));
			}
			printf("switch %llu: active %llu\n", (unsigned long long)st.generation,
			       (unsigned long long)st.active_id);
			events++;
		}
		rescan(im, &seen, true, &events);
		if (fflush(stdout)) {
			close(ctl);
			return cmd_error("writing: %m");
		}
	}
	close(ctl);
	return 0;
}

const struct devnsctl_cmd devnsctl_watch = {
	.name = "watch",
	.args = "[--count N]",
	.summary = "print switches, new namespaces and deaths as they happen",
	.run = watch,
	.help = watch_help,
};
