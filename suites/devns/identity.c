// SPDX-License-Identifier: GPL-2.0
/*
 * DEVNS-1, DEVNS-2: which device namespace a process is in, for containers
 * made by clone(CLONE_NEWPID) and by unshare(CLONE_NEWPID) + fork, joined by
 * setns + fork, and nested.
 */
#include "devns_test.h"

FIXTURE(ident) {
	const struct impl_ops *im;
	int fd;
	struct ct a;
};

FIXTURE_VARIANT(ident) {
	enum ct_mode mode;
};

FIXTURE_VARIANT_ADD(ident, clone) { .mode = CT_CLONE };
FIXTURE_VARIANT_ADD(ident, unshare) { .mode = CT_UNSHARE };

FIXTURE_SETUP(ident)
{
	self->im = impl();
	self->fd = self->im->open_ctl();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ct_start(&self->a, variant->mode, NULL));
}

FIXTURE_TEARDOWN(ident)
{
	ct_stop(&self->a);
	self->im->activate(self->fd, getpid(), 0);
	close(self->fd);
}

TEST_F(ident, host_identity)
{
	struct impl_ns ns;

	REQ("DEVNS-1");
	ASSERT_EQ(0, self->im->describe(self->fd, getpid(), 0, &ns));
	EXPECT_EQ(pidns_id(getpid()), ns.id);
	EXPECT_EQ(0, ns.level);
	EXPECT_TRUE(ns.host);
	/* pid 0 means the caller itself */
	ASSERT_EQ(0, self->im->describe(self->fd, 0, 0, &ns));
	EXPECT_EQ(pidns_id(getpid()), ns.id);
}

TEST_F(ident, container_identity)
{
	struct impl_ns ns;

	REQ("DEVNS-1");
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &ns));
	EXPECT_EQ(pidns_id(self->a.pid), ns.id);
	EXPECT_NE(pidns_id(getpid()), ns.id);
	EXPECT_EQ(1, ns.level);
	EXPECT_FALSE(ns.host);
}

TEST_F(ident, creator_stays_in_host)
{
	struct impl_ns ns;

	REQ("DEVNS-1");
	/* For unshare, the helper is the process that called unshare(CLONE_NEWPID). */
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.helper, 0, &ns));
	EXPECT_EQ(pidns_id(getpid()), ns.id);
	EXPECT_TRUE(ns.host);
}

/* Inside a container: our own namespace through pid 0, into the shared page. */
static int describe_self(long slot)
{
	struct impl_ns ns;
	uint64_t *out = ct_shared();
	int fd = impl()->open_ctl();
	int ret = fd < 0 ? fd : impl()->describe(fd, 0, 0, &ns);

	if (ret)
		return -ret;
	out[slot] = ns.id;
	out[slot + 1] = pidns_id(0);
	return 0;
}

TEST_F(ident, members_share_one_namespace)
{
	uint64_t *out = ct_shared();
	struct impl_ns ns;
	struct ct joined;

	REQ("DEVNS-1");
	CT_START(&joined, CT_JOIN, &self->a);
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &ns));
	ASSERT_EQ(0, ct_call(&self->a, describe_self, 0));
	ASSERT_EQ(0, ct_call(&joined, describe_self, 2));
	EXPECT_EQ(ns.id, out[0]) TH_LOG("a child of the container's init");
	EXPECT_EQ(out[1], out[0]);
	EXPECT_EQ(ns.id, out[2]) TH_LOG("a process that joined by setns + fork");
	EXPECT_EQ(out[3], out[2]);
	ASSERT_EQ(0, self->im->describe(self->fd, joined.pid, 0, &ns));
	EXPECT_EQ(out[0], ns.id);
	ct_stop(&joined);
}

TEST_F(ident, distinct_namespaces)
{
	struct impl_ns na, nb;
	struct ct b;

	REQ("DEVNS-2");
	CT_START(&b, variant->mode, NULL);
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &na));
	ASSERT_EQ(0, self->im->describe(self->fd, b.pid, 0, &nb));
	EXPECT_NE(na.id, nb.id);
	EXPECT_EQ(pidns_id(b.pid), nb.id);
	/* Distinct namespaces, not one object under two names. */
	ASSERT_EQ(0, self->im->activate(self->fd, self->a.pid, 0));
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &na));
	ASSERT_EQ(0, self->im->describe(self->fd, b.pid, 0, &nb));
	EXPECT_TRUE(na.active);
	EXPECT_FALSE(nb.active);
	ct_stop(&b);
}

TEST_F(ident, nested_namespace)
{
	struct impl_ns na, nn;
	struct ct nested;

	REQ("DEVNS-1", "DEVNS-2");
	CT_START(&nested, variant->mode, &self->a);
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &na));
	ASSERT_EQ(0, self->im->describe(self->fd, nested.pid, 0, &nn));
	EXPECT_EQ(pidns_id(nested.pid), nn.id);
	EXPECT_NE(na.id, nn.id);
	EXPECT_EQ(2, nn.level);
	ASSERT_EQ(0, self->im->activate(self->fd, nested.pid, 0));
	ASSERT_EQ(0, self->im->describe(self->fd, self->a.pid, 0, &na));
	ASSERT_EQ(0, self->im->describe(self->fd, nested.pid, 0, &nn));
	EXPECT_TRUE(nn.active);
	EXPECT_FALSE(na.active);
	ct_stop(&nested);
}

TEST_HARNESS_MAIN
