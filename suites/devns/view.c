// SPDX-License-Identifier: GPL-2.0
/*
 * DEVNS-11: what a container sees of the device namespaces; SEC-1: not the
 * introspection file, even as root.
 */
#include "devns_test.h"
#include "ctl_fixture.h"

struct view {
	int ret;
	struct impl_state st;
};

/* In a container: our state through a handle we open ourselves. */
static int read_own_state(long unused)
{
	struct view *v = ct_shared();
	int fd = impl()->open_ctl();

	(void)unused;
	v->ret = fd < 0 ? fd : impl()->get_state(fd, &v->st);
	return 0;
}

TEST_F(ctl, container_sees_only_itself)
{
	struct view *v = ct_shared();
	struct impl_state host;
	struct ct a, b;

	REQ("DEVNS-11");
	REQUIRE_CAP(IMPL_CAP_CONTAINER_VIEW);
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&b, CT_CLONE, NULL);
	ACTIVATE(b.pid);
	GET_STATE(&host);
	ASSERT_EQ(0, ct_call(&a, read_own_state, 0));
	ASSERT_EQ(0, v->ret);
	EXPECT_EQ(pidns_id(a.pid), v->st.self_id);
	EXPECT_FALSE(v->st.self_active);
	EXPECT_EQ(0, v->st.active_id) TH_LOG("another namespace's id leaked");
	EXPECT_EQ(0, v->st.nr_namespaces);
	EXPECT_EQ(host.generation, v->st.generation);

	ACTIVATE(a.pid);
	ASSERT_EQ(0, ct_call(&a, read_own_state, 0));
	ASSERT_EQ(0, v->ret);
	EXPECT_TRUE(v->st.self_active);
	EXPECT_EQ(pidns_id(a.pid), v->st.active_id);
	EXPECT_EQ(0, v->st.nr_namespaces);
	ct_stop(&a);
	ct_stop(&b);
}

static int describe_pid(long pid)
{
	struct impl_ns ns;
	int fd = impl()->open_ctl();
	int ret = fd < 0 ? fd : impl()->describe(fd, (pid_t)pid, 0, &ns);

	return ret < 0 ? -ret : 0;
}

TEST_F(ctl, container_cannot_name_outside)
{
	struct ct a;

	REQ("DEVNS-11");
	CT_START(&a, CT_CLONE, NULL);
	/* Our pid is not in the container's namespace; its own init is pid 1. */
	EXPECT_EQ(ESRCH, ct_call(&a, describe_pid, getpid()));
	EXPECT_EQ(0, ct_call(&a, describe_pid, 1));
	ct_stop(&a);
}

/* In a container (root, host uid 0): read the introspection file. */
static int read_introspection(long unused)
{
	struct view *v = ct_shared();
	struct impl_report r;

	(void)unused;
	v->ret = impl()->report(&r);
	return 0;
}

TEST_F(ctl, container_root_cannot_read_introspection)
{
	struct view *v = ct_shared();
	struct impl_report r;
	struct ct a;

	REQ("SEC-1");
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	ASSERT_EQ(0, impl()->report(&r)) TH_LOG("the host's root cannot read it either");
	CT_START(&a, CT_CLONE, NULL);
	v->ret = 1;
	ASSERT_EQ(0, ct_call(&a, read_introspection, 0));
	EXPECT_EQ(-EACCES, v->ret)
		TH_LOG("a container's root opened the introspection file: %s (want EACCES)",
		       v->ret ? strerror(-v->ret) : "it worked");
	ct_stop(&a);
}

TEST_HARNESS_MAIN
