/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FIXTURE(vt) for the vtty behaviour tests: the containers, host fds
 * (attaches and container files) and background jobs a test starts, all
 * stopped, closed and killed in teardown, so no test leaks a terminal, an
 * attach or a namespace into the next.  Include once per test program.
 *
 * SIGHUP, SIGTTOU and SIGTTIN are ignored in the test process: it holds
 * terminals (a session leader holding one gets SIGHUP on a hangup).
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

#define VT_MAX_CT	6
#define VT_MAX_FD	64

FIXTURE(vt) {
	struct ct ct[VT_MAX_CT];
	int nct;
	int fd[VT_MAX_FD];	/* open host fds (-1: free slot) */
};

FIXTURE_SETUP(vt)
{
	int i;

	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	self->nct = 0;
	for (i = 0; i < VT_MAX_FD; i++)
		self->fd[i] = -1;
	vt_jobs_reset();
}

FIXTURE_TEARDOWN(vt)
{
	int i;

	vt_jobs_reset();
	for (i = 0; i < VT_MAX_FD; i++) {
		if (self->fd[i] >= 0)
			close(self->fd[i]);
	}
	for (i = 0; i < self->nct; i++)
		ct_stop(&self->ct[i]);
}

/* Remember @fd for teardown; false if the table is full. */
static inline bool vt_keep_fd(FIXTURE_DATA(vt) *self, int fd)
{
	int i;

	for (i = 0; i < VT_MAX_FD; i++) {
		if (self->fd[i] < 0) {
			self->fd[i] = fd;
			return true;
		}
	}
	return false;
}

/* Close a remembered fd (detach, or the container file's close). */
static inline int vt_close_fd(FIXTURE_DATA(vt) *self, int fd)
{
	int i;

	for (i = 0; i < VT_MAX_FD; i++) {
		if (self->fd[i] == fd)
			self->fd[i] = -1;
	}
	return close(fd) ? -errno : 0;
}

/* A container (CT_CLONE) owned by the fixture, not yet set up for consoles. */
#define VT_NEW_BARE_CT(pp)							\
	do {									\
		int _r;								\
		ASSERT_GT(VT_MAX_CT, self->nct);				\
		_r = ct_start(&self->ct[self->nct], CT_CLONE, NULL);		\
		ASSERT_EQ(0, _r) TH_LOG("ct_start: %s", strerror(-_r));	\
		*(pp) = &self->ct[self->nct++];					\
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
		ASSERT_TRUE(vt_keep_fd(self, _fd));				\
		*(fdp) = _fd;							\
	} while (0)

/* open(@path, @flags) by a process in @ct (a container file); *fdp is kept for teardown. */
#define VT_CT_OPEN(fdp, ct, path, flags)					\
	do {									\
		int _fd = ct_open((ct), (path), (flags));			\
		ASSERT_LE(0, _fd) TH_LOG("open %s in the container: %s",	\
					 (path), strerror(-_fd));		\
		ASSERT_TRUE(vt_keep_fd(self, _fd));				\
		*(fdp) = _fd;							\
	} while (0)

/* Close a kept fd and forget it; *fdp becomes -1. */
#define VT_CLOSE(fdp)								\
	do {									\
		EXPECT_EQ(0, vt_close_fd(self, *(fdp)));			\
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
#define VT_TIMEOUT(native_s) vw_timeout(native_s)

#endif /* DEVNS_VTTY_FIXTURE_H */
