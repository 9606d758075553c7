// SPDX-License-Identifier: GPL-2.0
/* Adapter selection (see impl.h). */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "impl.h"

static const struct impl_ops *const adapters[] = {
	&impl_reference,
};

const struct impl_ops *impl(void)
{
	static const struct impl_ops *selected;
	const char *want;
	size_t i;

	if (selected)
		return selected;
	want = getenv("DEVNS_IMPL");
	if (!want || !*want)
		want = "reference";
	for (i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++) {
		if (strcmp(adapters[i]->name, want) == 0) {
			selected = adapters[i];
			return selected;
		}
	}
	fprintf(stderr, "devns: unknown implementation '%s' (DEVNS_IMPL); known:", want);
	for (i = 0; i < sizeof(adapters) / sizeof(adapters[0]); i++)
		fprintf(stderr, " %s", adapters[i]->name);
	fprintf(stderr, "\n");
	/* Not 2, 3 or 4: inside a test the harness reads those as XFAIL, XPASS, SKIP. */
	exit(1);
}

/*
 * Check the selection before main(): a program for an unknown
 * implementation prints no KTAP at all, which the runner reports as CRASH.
 */
static void __attribute__((constructor)) check_selection(void)
{
	(void)impl();
}

/* The kselftest runner's exit code for a skipped program. */
#define KSFT_SKIP_EXIT	4

static void __attribute__((noreturn)) ksft_skip(const char *why, int err)
{
	printf("TAP version 13\n1..0 # SKIP devns: %s%s%s\n", why, err ? ": " : "",
	       err ? strerror(err) : "");
	fflush(stdout);
	exit(KSFT_SKIP_EXIT);
}

/* An empty variable counts as not given (ci/vm passes DEVNS_MODULE= without a module). */
static void set_unless_given(const char *name, const char *value)
{
	const char *v = getenv(name);

	if (!v || !*v)
		setenv(name, value, 1);
}

/*
 * A program run from a kselftest install (ci/ksft: <dir>/devns/<suite>/<program>
 * next to <dir>/devns/modules/devns.ko) has no runner to load the module:
 * it loads that one itself when the implementation is absent (and its
 * reloads use it too), finds devnsctl in <dir>/devns/bin/, and when the
 * implementation cannot be had, prints a plan of 0 with the reason and exits
 * 4 before the harness starts, which run_kselftest.sh reports as SKIP.
 * Anywhere else (build/suites/) nothing changes: the runner loads the module.
 */
static void __attribute__((constructor)) ksft_prepare(void)
{
	char exe[PATH_MAX], top[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int fd, ret;

	if (n < 0)
		return;
	exe[n] = '\0';
	/* <dir>/devns/<suite>/<program> -> <dir>/devns */
	snprintf(top, sizeof(top), "%s", dirname(dirname(exe)));
	snprintf(path, sizeof(path), "%s/modules/devns.ko", top);
	if (access(path, F_OK))
		return;
	set_unless_given("DEVNS_MODULE", path);
	snprintf(path, sizeof(path), "%s/bin/devnsctl", top);
	set_unless_given("DEVNS_DEVNSCTL", path);
	fd = impl()->open_ctl();
	if (fd >= 0) {
		close(fd);
		return;
	}
	if (!impl()->start)
		ksft_skip("the implementation is not loaded", -fd);
	ret = impl()->start();
	if (ret && ret != -EEXIST)
		ksft_skip("cannot load the module (DEVNS_MODULE)", -ret);
	fd = impl()->open_ctl();
	if (fd < 0)
		ksft_skip("the module loaded, but its control device does not open", -fd);
	close(fd);
}

bool impl_has(unsigned int caps)
{
	return (impl()->caps & caps) == caps;
}

const char *impl_cap_name(unsigned int cap)
{
	switch (cap) {
	case IMPL_CAP_UAPI:		return "uapi";
	case IMPL_CAP_POLL:		return "poll";
	case IMPL_CAP_RELOAD:		return "reload";
	case IMPL_CAP_COUNTERS:		return "counters";
	case IMPL_CAP_CONTAINER_VIEW:	return "container-view";
	case IMPL_CAP_VFB:		return "vfb";
	case IMPL_CAP_PANEL_STATE:	return "panel-state";
	case IMPL_CAP_VTTY:		return "vtty";
	case IMPL_CAP_VIEW:		return "view";
	case IMPL_CAP_DAMAGE:		return "damage";
	case IMPL_CAP_INPUT:		return "input";
	default:			return "unknown";
	}
}

static int stopped(void *arg)
{
	int *ret = arg;

	*ret = impl()->stop();
	return *ret == 0;
}

int impl_stop_settled(void)
{
	int ret = -EBUSY;

	poll_until(stopped, &ret, deadline_ms(2000));
	return ret;
}
