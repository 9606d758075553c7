/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(ctl): a control handle of the selected implementation, with the
 * host made active again in teardown so tests do not leak state into each
 * other.  Include once per test program, after devns_test.h.
 */
#ifndef DEVNS_CTL_FIXTURE_H
#define DEVNS_CTL_FIXTURE_H

#include <unistd.h>

#include "devns_test.h"

FIXTURE(ctl) {
	const struct impl_ops *im;
	int fd;
};

FIXTURE_SETUP(ctl)
{
	self->im = impl();
	self->fd = self->im->open_ctl();
	ASSERT_LE(0, self->fd) TH_LOG("open control: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(ctl)
{
	if (self->fd >= 0) {
		self->im->activate(self->fd, getpid(), 0);
		close(self->fd);
	}
}

/* Checked wrappers: ASSERT inside, so only usable in test bodies. */
#define GET_STATE(st)								\
	ASSERT_EQ(0, self->im->get_state(self->fd, (st)))

#define DESCRIBE(pid, ns)							\
	ASSERT_EQ(0, self->im->describe(self->fd, (pid), 0, (ns)))

#define ACTIVATE(pid)								\
	ASSERT_EQ(0, self->im->activate(self->fd, (pid), 0))

#endif /* DEVNS_CTL_FIXTURE_H */
