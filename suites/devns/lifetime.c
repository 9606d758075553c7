// SPDX-License-Identifier: GPL-2.0
/*
 * DEVNS-3, DEVNS-12, DEVNS-13: nothing outlives the containers, the
 * introspection file tells the truth, and a restarted implementation starts
 * with the host active.
 */
#include "devns_test.h"
#include "ctl_fixture.h"

static int no_containers(void *arg)
{
	struct impl_report *r = arg;
	int ret = impl()->report(r);

	return ret ? ret : r->containers == 0 && r->watchers == 0;
}

/* Wait until no container object or watcher is left; 0 on success. */
static int wait_for_no_containers(struct impl_report *r)
{
	return poll_until(no_containers, r, deadline_ms(3000));
}

TEST_F(ctl, introspection_agrees)
{
	struct impl_state st;
	struct impl_report r;
	struct ct a, b;
	int active = 0, hosts = 0;
	bool a_listed = false;

	REQ("DEVNS-13");
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&b, CT_UNSHARE, NULL);
	ACTIVATE(b.pid);
	ACTIVATE(a.pid);
	GET_STATE(&st);
	ASSERT_EQ(0, self->im->report(&r));
	EXPECT_EQ(st.active_id, r.active_id);
	EXPECT_EQ(st.generation, r.generation);
	EXPECT_LE(2, r.containers);
	for (int i = 0; i < r.nr_listed; i++) {
		active += r.ns[i].active;
		hosts += r.ns[i].host;
		if (r.ns[i].id == pidns_id(a.pid)) {
			a_listed = true;
			EXPECT_TRUE(r.ns[i].active);
		}
		if (r.ns[i].host)
			EXPECT_EQ(pidns_id(getpid()), r.ns[i].id);
	}
	EXPECT_TRUE(a_listed);
	EXPECT_EQ(1, active);
	EXPECT_EQ(1, hosts);
	ct_stop(&a);
	ct_stop(&b);
}

TEST_F(ctl, counters_return_to_zero)
{
	struct impl_report r;
	struct ct a, b, nested, joined;

	REQ("DEVNS-12");
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&b, CT_UNSHARE, NULL);
	CT_START(&nested, CT_CLONE, &a);
	CT_START(&joined, CT_JOIN, &b);
	/* Make the implementation track every one of them. */
	ACTIVATE(nested.pid);
	ACTIVATE(joined.pid);
	ACTIVATE(a.pid);
	ASSERT_EQ(0, self->im->report(&r));
	EXPECT_LE(3, r.containers);
	ct_stop(&joined);
	ct_stop(&nested);
	ct_stop(&b);
	ct_stop(&a);
	EXPECT_EQ(0, wait_for_no_containers(&r))
		TH_LOG("left: %ld containers, %ld watchers", r.containers, r.watchers);
}

/* No fixture: an open control handle would (rightly) pin the module. */
TEST(restart_after_containers_exit)
{
	const struct impl_ops *im = impl();
	struct impl_report r;
	struct impl_state st;
	struct impl_ns ns;
	struct ct a;
	int fd, ret;

	REQ("DEVNS-3", "DEVNS-12");
	if (!impl_has(IMPL_CAP_RELOAD) || !impl_has(IMPL_CAP_COUNTERS))
		SKIP(return, "implementation '%s' cannot be restarted", im->name);
	fd = im->open_ctl();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ct_start(&a, CT_CLONE, NULL));
	ASSERT_EQ(0, im->activate(fd, a.pid, 0));
	close(fd);
	ct_stop(&a);
	EXPECT_EQ(0, wait_for_no_containers(&r));
	ret = impl_stop_settled();
	ASSERT_EQ(0, ret) TH_LOG("stop: %s", strerror(-ret));
	ASSERT_EQ(0, im->start());
	fd = im->open_ctl();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, im->get_state(fd, &st));
	EXPECT_EQ(0, st.generation);
	EXPECT_EQ(pidns_id(getpid()), st.active_id);
	ASSERT_EQ(0, im->describe(fd, getpid(), 0, &ns));
	EXPECT_TRUE(ns.active);
	EXPECT_TRUE(ns.host);
	close(fd);
}

TEST_HARNESS_MAIN
