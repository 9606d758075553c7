/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(lt) for the lifetime tests: the containers with their holders
 * (holders.h) and the background jobs (vtty_world.h) a test starts, all let
 * go in teardown, and the host made active again.  It keeps no control
 * handle open, so a test may stop and start the implementation.  Include
 * once per test program.
 *
 * SIGPIPE is ignored (a request to a container that was just killed fails
 * with EPIPE instead), and so are SIGHUP, SIGTTOU and SIGTTIN (the test
 * holds terminals).
 */
#ifndef DEVNS_HOLDERS_FIXTURE_H
#define DEVNS_HOLDERS_FIXTURE_H

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "devns_test.h"
#include "holders.h"
#include "vtty_world.h"

#define LT_MAX_HOLDERS	4

FIXTURE(lt) {
	struct holders h[LT_MAX_HOLDERS];
	int nh;
};

FIXTURE_SETUP(lt)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	self->nh = 0;
	vt_jobs_reset();
}

FIXTURE_TEARDOWN(lt)
{
	int ctl;

	vt_jobs_reset();
	for (int i = 0; i < self->nh; i++)
		hold_release_all(&self->h[i]);
	ctl = impl()->open_ctl();
	if (ctl >= 0) {
		impl()->activate(ctl, getpid(), 0);
		close(ctl);
	}
}

/* A container with the holders @want (holders.h), owned by the fixture: *@hp. */
#define LT_HOLD(hp, want)							\
	do {									\
		int _r;								\
		ASSERT_GT(LT_MAX_HOLDERS, self->nh);				\
		_r = hold_start(&self->h[self->nh], (want));			\
		ASSERT_EQ(0, _r) TH_LOG("container with holders: %s", strerror(-_r)); \
		*(hp) = &self->h[self->nh++];					\
	} while (0)

/* The counters' baseline (hold_baseline), or fail. */
#define LT_BASELINE(c, host_states)						\
	do {									\
		int _r = hold_baseline((c), (host_states), LT_SETTLE);		\
		ASSERT_EQ(0, _r) TH_LOG("baseline: %s (containers left from before?)", \
					strerror(-_r));				\
	} while (0)

/* One activation through a fresh control handle: 0 or -errno. */
static inline int lt_activate(pid_t pid)
{
	int ctl = impl()->open_ctl(), ret;

	if (ctl < 0)
		return ctl;
	ret = impl()->activate(ctl, pid, 0);
	close(ctl);
	return ret;
}

static inline int lt_state(struct impl_state *st)
{
	int ctl = impl()->open_ctl(), ret;

	if (ctl < 0)
		return ctl;
	ret = impl()->get_state(ctl, st);
	close(ctl);
	return ret;
}

/* What should happen at once (generous for TCG). */
#define LT_SOON deadline_ms(2000)
/* How long freeing a dead namespace may take (death work, deferred fput). */
#define LT_SETTLE deadline_ms(2000)

#endif /* DEVNS_HOLDERS_FIXTURE_H */
