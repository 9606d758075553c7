/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(vt) for the vtty behaviour tests, and the VT_* macros: the
 * containers, host fds (attaches and container files) and background jobs
 * a test starts are a struct vt_world, all stopped, closed and killed in
 * teardown, so no test leaks a terminal, an attach or a namespace into the
 * next.  Include once per test program.
 */
#ifndef DEVNS_VTTY_FIXTURE_H
#define DEVNS_VTTY_FIXTURE_H

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "devns_test.h"
#include "vtty.h"
#include "vtty_world.h"

/*
 * FIXTURE(vt): a struct vt_world (vtty_world.h) and nothing else.  A test
 * file that needs variants of its own declares its own FIXTURE with a
 * "struct vt_world vt" member, set up and torn down by vt_world_setup()
 * and vt_world_teardown(); the VT_* macros below work in both (they use
 * self->vt).
 */
FIXTURE(vt) {
	struct vt_world vt;
};

FIXTURE_SETUP(vt)
{
	vt_world_setup(&self->vt);
}

FIXTURE_TEARDOWN(vt)
{
	vt_world_teardown(&self->vt);
}

/* A container (CT_CLONE) owned by the fixture, not yet set up for consoles. */
#define VT_NEW_BARE_CT(pp)							\
	do {									\
		int _r;								\
		ASSERT_GT(VT_MAX_CT, self->vt.nct);				\
		_r = ct_start(&self->vt.ct[self->vt.nct], CT_CLONE, NULL);	\
		ASSERT_EQ(0, _r) TH_LOG("ct_start: %s", strerror(-_r));	\
		*(pp) = &self->vt.ct[self->vt.nct++];				\
	} while (0)

/*
 * A container with its consoles (vtty_setup): /dev/console, /dev/tty1 ..
 * /dev/tty<count> inside are its terminals; *devs gets them.
 */
#define VT_NEW_CT(pp, devs)							\
	do {									\
		int _s;								\
		VT_NEW_BARE_CT(pp);						\
		_s = vtty_setup(*(pp), (devs));					\
		ASSERT_EQ(0, _s) TH_LOG("vtty_setup: %s", strerror(-_s));	\
	} while (0)

/* Attach to terminal @n of @pid's namespace (IMPL_VTTY_* flags); *fdp is kept for teardown. */
#define VT_ATTACH(fdp, pid, n, flags)						\
	do {									\
		int _fd = vtty_attach((pid), (n), (flags));			\
		ASSERT_LE(0, _fd) TH_LOG("attach %d/%u: %s", (int)(pid),	\
					 (unsigned int)(n), strerror(-_fd));	\
		ASSERT_TRUE(vt_keep_fd(&self->vt, _fd));				\
		*(fdp) = _fd;							\
	} while (0)

/* open(@path, @flags) by a process in @ct (a container file); *fdp is kept for teardown. */
#define VT_CT_OPEN(fdp, ct, path, flags)					\
	do {									\
		int _fd = ct_open((ct), (path), (flags));			\
		ASSERT_LE(0, _fd) TH_LOG("open %s in the container: %s",	\
					 (path), strerror(-_fd));		\
		ASSERT_TRUE(vt_keep_fd(&self->vt, _fd));				\
		*(fdp) = _fd;							\
	} while (0)

/* Close a kept fd and forget it; *fdp becomes -1. */
#define VT_CLOSE(fdp)								\
	do {									\
		EXPECT_EQ(0, vt_close_fd(&self->vt, *(fdp)));			\
		*(fdp) = -1;							\
	} while (0)

#define VT_INFO(fd, info)							\
	do {									\
		int _r = vtty_info((fd), (info));				\
		ASSERT_EQ(0, _r) TH_LOG("DEVNS_VTTY_IOC_INFO: %s", strerror(-_r)); \
	} while (0)

/* Run a vt_write in a container, with a deadline; ASSERTs that it finished and succeeded. */
#define VT_CT_WRITE(ct, w, timeout_ms)						\
	do {									\
		int _r = vt_ct_write((ct), (w), (timeout_ms));			\
		ASSERT_EQ(0, _r) TH_LOG("writing %s in the container: %s",	\
					(w)->path, _r == -ETIMEDOUT ?		\
					"did not finish before the deadline" :	\
					strerror(-_r));				\
		ASSERT_EQ(VT_W_OK, (w)->step)					\
			TH_LOG("%s: %s failed: %s (after %llu bytes)", (w)->path, \
			       vt_write_step_name((w)->step), strerror((w)->err), \
			       (unsigned long long)(w)->done);			\
	} while (0)

/*
 * How long something that should happen at once may take: generous for
 * TCG, yet a failed wait still ends before the harness's 30 s per test.
 */
#define VT_SOON deadline_ms(2000)

/* How long freeing a dead namespace's terminals may take (vt_vttys_settled, vt_wait_vttys). */
#define VT_SETTLE deadline_ms(1000)

/* Per-test timeout for TEST_F_TIMEOUT: @native_s, scaled for the emulator. */
#define VT_TIMEOUT(native_s) deadline_s(native_s)

#endif /* DEVNS_VTTY_FIXTURE_H */
