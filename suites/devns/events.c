// SPDX-License-Identifier: GPL-2.0
/*
 * DEVNS-9, DEVNS-10: switch events through poll(), and the fall back to the
 * host when the active namespace dies.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "devns_test.h"
#include "ctl_fixture.h"

/*
 * A poller on its own handle: acknowledge the state, say ready, wait.
 * Exit 0 if woken within the deadline with generation @expect.
 */
static int poller(uint64_t expect, int ready_fd)
{
	const struct impl_ops *im = impl();
	struct impl_state st;
	int fd = im->open_ctl();

	if (fd < 0 || im->get_state(fd, &st))
		return 10;
	if (write(ready_fd, "r", 1) != 1)
		return 11;
	if (im->wait_switch(fd, deadline_ms(3000)) != 1)
		return 12;
	if (im->get_state(fd, &st) || st.generation != expect)
		return 13;
	return 0;
}

TEST_F(ctl, poll_blocks_without_switch)
{
	struct impl_state st;

	REQ("DEVNS-9");
	REQUIRE_CAP(IMPL_CAP_POLL);
	GET_STATE(&st);
	EXPECT_EQ(0, self->im->wait_switch(self->fd, deadline_ms(30)));
}

TEST_F(ctl, poll_wakes_every_poller)
{
	struct impl_state st;
	pid_t kids[3];
	int ready[2], status;
	char c;
	struct ct a;

	REQ("DEVNS-9");
	REQUIRE_CAP(IMPL_CAP_POLL);
	CT_START(&a, CT_CLONE, NULL);
	GET_STATE(&st);
	ASSERT_EQ(0, pipe(ready));
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			_exit(poller(st.generation + 1, ready[1]));
		ASSERT_EQ(1, read(ready[0], &c, 1));
	}
	/* Switch only when every poller sleeps: a missed wake-up must show. */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, proc_wait_blocked(kids[i], SYS_poll, deadline_ms(2000)));
	ACTIVATE(a.pid);
	for (int i = 0; i < 3; i++) {
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("poller %d: status %#x (12 = not woken)", i, status);
	}
	/* Our own handle saw it too, until we read the state. */
	EXPECT_EQ(1, self->im->wait_switch(self->fd, 0));
	GET_STATE(&st);
	EXPECT_EQ(0, self->im->wait_switch(self->fd, 0));
	ct_stop(&a);
}

/* Wait for the next switch and return the new state (ASSERTs on timeout). */
#define EXPECT_SWITCH_TO(id, gen)					\
	do {									\
		struct impl_state _st;						\
		EXPECT_EQ(1, self->im->wait_switch(self->fd, deadline_ms(3000)));\
		GET_STATE(&_st);						\
		EXPECT_EQ((id), _st.active_id);					\
		EXPECT_EQ((gen), _st.generation);			\
	} while (0)

TEST_F(ctl, fallback_when_active_dies)
{
	struct impl_state st;
	struct impl_ns ns;
	struct ct a;

	REQ("DEVNS-10");
	CT_START(&a, CT_CLONE, NULL);
	ACTIVATE(a.pid);
	GET_STATE(&st);
	ct_stop(&a);
	EXPECT_SWITCH_TO(pidns_id(getpid()), st.generation + 1);
	DESCRIBE(getpid(), &ns);
	EXPECT_TRUE(ns.active);
}

TEST_F(ctl, fallback_when_nested_active_dies_with_parent)
{
	struct impl_state st;
	struct ct a, nested;

	REQ("DEVNS-10");
	CT_START(&a, CT_UNSHARE, NULL);
	CT_START(&nested, CT_CLONE, &a);
	ACTIVATE(nested.pid);
	GET_STATE(&st);
	ct_stop(&a);		/* takes the nested namespace with it */
	EXPECT_SWITCH_TO(pidns_id(getpid()), st.generation + 1);
	ct_stop(&nested);
}

TEST_F(ctl, passive_death_is_not_a_switch)
{
	struct impl_state st, after;
	struct impl_report r;
	struct ct a, b;
	uint64_t b_id;

	REQ("DEVNS-10");
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&b, CT_CLONE, NULL);
	b_id = pidns_id(b.pid);
	ACTIVATE(b.pid);
	ACTIVATE(a.pid);
	GET_STATE(&st);
	ct_stop(&b);
	if (impl_has(IMPL_CAP_COUNTERS)) {
		/* Wait until the implementation has processed b's death. */
		int64_t end = now_ms() + deadline_ms(3000);
		bool listed = true;

		while (listed && now_ms() < end) {
			ASSERT_EQ(0, self->im->report(&r));
			listed = false;
			for (int i = 0; i < r.nr_listed; i++)
				listed |= r.ns[i].id == b_id && !r.ns[i].dead;
			if (listed)
				usleep(2000);
		}
		EXPECT_FALSE(listed) TH_LOG("b still listed alive");
	}
	EXPECT_EQ(0, self->im->wait_switch(self->fd, deadline_ms(30)));
	GET_STATE(&after);
	EXPECT_EQ(st.generation, after.generation);
	EXPECT_EQ(pidns_id(a.pid), after.active_id);
	ct_stop(&a);
}

TEST_HARNESS_MAIN
