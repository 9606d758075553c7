/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vfb world for the vfb behaviour tests (VW_WORLD_FIXTURE), and the
 * VW_* macros: a control handle, the containers and background calls a
 * test starts (all stopped in teardown, so tests never leak a namespace or
 * a writer into the next), the host made active again and the host's vfb
 * put back in its default mode.  Include once per test program, after
 * vfb_test.h.
 */
#ifndef DEVNS_VFB_FIXTURE_H
#define DEVNS_VFB_FIXTURE_H

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfb_test.h"
#include "vfb_world.h"

#define VW_MAX_CT	6
#define VW_MAX_JOBS	8

/*
 * What a vfb test holds: a control handle, the containers and background
 * calls it starts, the vfb's size and the panel's modes.  A test program
 * declares its fixture with a "struct vw_world vw" member (VW_WORLD_FIXTURE
 * when it holds nothing else), set up and torn down by vw_world_setup()
 * and vw_world_teardown(): the VW_* macros below use self->vw.
 */
struct vw_world {
	const struct impl_ops *im;
	int fd;				/* control handle */
	struct ct ct[VW_MAX_CT];
	int nct;
	struct job job[VW_MAX_JOBS];
	int njobs;
	size_t smem;			/* the vfb's smem_len */
	struct fb_mode_size modes[8];	/* the panel's mode list */
	int nmodes;
};

static inline void vw_world_setup(struct __test_metadata *_metadata, struct vw_world *w)
{
	w->im = impl();
	w->nct = w->njobs = 0;
	w->fd = w->im->open_ctl();
	ASSERT_LE(0, w->fd) TH_LOG("open control: %s", strerror(-w->fd));
	vw_scratch_reset();
	if (impl_has(IMPL_CAP_VFB)) {
		long len = vw_smem_len();

		ASSERT_LT(0, len) TH_LOG("vfb smem_len: %s", strerror((int)-len));
		w->smem = (size_t)len;
		w->nmodes = fb_panel_modes(w->modes, 8);
		ASSERT_LT(0, w->nmodes) TH_LOG("panel modes: %s", strerror(-w->nmodes));
	}
}

/* Stops what the test started, makes the host active, resets the host's vfb. */
static inline void vw_world_teardown(struct vw_world *w)
{
	int i;

	for (i = 0; i < w->njobs; i++)
		job_kill(&w->job[i]);
	if (w->fd >= 0) {
		w->im->activate(w->fd, getpid(), 0);
		close(w->fd);
	}
	for (i = 0; i < w->nct; i++)
		ct_stop(&w->ct[i]);
	if (impl_has(IMPL_CAP_VFB)) {
		int v = fb_open(FB_VFB);

		if (v >= 0) {
			vw_reset(v, 0, 0);
			close(v);
		}
	}
}

/*
 * A fixture's data seen as its world alone, for helpers that several
 * fixtures of a file share: they take a struct vw_fixture *self (the VW_*
 * macros work on it), and a test passes VW_FIXTURE(self).  Valid for any
 * fixture whose data holds a struct vw_world named vw (a struct and its
 * first member share their address).
 */
struct vw_fixture {
	struct vw_world vw;
};
#define VW_FIXTURE(self) ((struct vw_fixture *)&(self)->vw)

/*
 * VW_WORLD_FIXTURE(name): FIXTURE(name) holding a struct vw_world and
 * nothing else, set up and torn down by vw_world_setup() and
 * vw_world_teardown().  Each test program declares its own, named for
 * what it tests (the name prefixes its results); one with variants writes
 * its FIXTURE out.
 */
#define VW_WORLD_FIXTURE(name)							\
	FIXTURE(name) {								\
		struct vw_world vw;						\
	};									\
	FIXTURE_SETUP(name)							\
	{									\
		vw_world_setup(_metadata, &self->vw);				\
	}									\
	FIXTURE_TEARDOWN(name)							\
	{									\
		vw_world_teardown(&self->vw);					\
	}

/* Checked wrappers: ASSERT inside, so only usable in test bodies. */
#define VW_ACTIVATE(pid)							\
	do {									\
		int _r = self->vw.im->activate(self->vw.fd, (pid), 0);		\
		ASSERT_EQ(0, _r) TH_LOG("activate %d: %s", (int)(pid), strerror(-_r)); \
	} while (0)

#define VW_ACTIVATE_HOST() VW_ACTIVATE(getpid())

#define VW_STATE(st)								\
	ASSERT_EQ(0, self->vw.im->get_state(self->vw.fd, (st)))

/* Start a container (CT_CLONE) owned by the fixture; *pp points at it. */
#define VW_NEW_CT(pp)								\
	do {									\
		int _r;								\
		ASSERT_GT(VW_MAX_CT, self->vw.nct);				\
		_r = ct_start(&self->vw.ct[self->vw.nct], CT_CLONE, NULL);		\
		ASSERT_EQ(0, _r) TH_LOG("ct_start: %s", strerror(-_r));	\
		*(pp) = &self->vw.ct[self->vw.nct++];					\
	} while (0)

/* A background job owned by the fixture (killed in teardown); *pp points at it. */
#define VW_NEW_JOB(pp)								\
	do {									\
		ASSERT_GT(VW_MAX_JOBS, self->vw.njobs);				\
		*(pp) = &self->vw.job[self->vw.njobs++];				\
		**(pp) = (struct job){ .fd = -1 };				\
	} while (0)

#define VW_DO(fd, req)								\
	do {									\
		int _r = vw_do((fd), (req));					\
		ASSERT_EQ(0, _r) TH_LOG("vfb op %d: %s", (req)->op, strerror(-_r)); \
	} while (0)

#define VW_REMOTE(ct, req)							\
	do {									\
		int _r = vw_remote((ct), (req));				\
		ASSERT_EQ(0, _r) TH_LOG("vfb op %d in container: %d (%s)",	\
					(req)->op, _r, _r > -1000 ? strerror(-_r) : "signal"); \
	} while (0)

/* An fd on the host's own vfb, in the default mode, unblanked. */
#define VW_HOST_FD(fdp)								\
	do {									\
		*(fdp) = fb_open(FB_VFB);					\
		ASSERT_LE(0, *(fdp)) TH_LOG("open vfb: %s", strerror(-*(fdp))); \
		ASSERT_EQ(0, vw_reset(*(fdp), 0, 0));				\
	} while (0)

/* An fd on the panel (root-only: the host's view of what is shown). */
#define VW_PANEL_FD(fdp)							\
	do {									\
		*(fdp) = fb_open(FB_PANEL);					\
		ASSERT_LE(0, *(fdp)) TH_LOG("open panel: %s", strerror(-*(fdp))); \
	} while (0)

/* Fill all of the vfb behind @fd with pattern @seed, by pwrite. */
#define VW_DRAW(fd, seed)							\
	do {									\
		struct vw_req _d = vw_fill((seed), VW_VIA_RW, 0, self->vw.smem);	\
		VW_DO((fd), &_d);						\
	} while (0)

/* Skip unless the implementation has a vfb and the panel a second mode (modes[1]). */
#define REQUIRE_VFB_MODES()							\
	do {									\
		REQUIRE_VFB();							\
		if (self->vw.nmodes < 2)						\
			SKIP(return, "the panel has a single mode");		\
	} while (0)

/* An fd on @ct's vfb (opened inside it). */
#define VW_CT_FD(fdp, ct)							\
	do {									\
		*(fdp) = vw_open_in(ct);					\
		ASSERT_LE(0, *(fdp)) TH_LOG("open vfb in container: %s", strerror(-*(fdp))); \
	} while (0)

/*
 * A mode of the list other than the default (modes[0]) with room to pan:
 * the smallest one, with yres_virtual up to twice yres.  With a single
 * mode, the default one.
 */
static inline void vw_pannable_mode(const struct vw_world *w, unsigned int *x, unsigned int *y,
				    unsigned int *yv)
{
	int best = w->nmodes > 1 ? 1 : 0;
	unsigned int max_y;

	for (int i = 2; i < w->nmodes; i++)
		if (w->modes[i].xres * w->modes[i].yres <
		    w->modes[best].xres * w->modes[best].yres)
			best = i;
	*x = w->modes[best].xres;
	*y = w->modes[best].yres;
	max_y = (unsigned int)(w->smem / (*x * 4));
	*yv = max_y < 2 * *y ? max_y : 2 * *y;
}

/* Requests, for brevity. */
static inline struct vw_req vw_op(int op)
{
	return (struct vw_req){ .op = op };
}

static inline struct vw_req vw_fill(uint32_t seed, int via, uint64_t off, uint64_t len)
{
	return (struct vw_req){ .op = VW_FILL, .seed = seed, .via = via, .off = off, .len = len };
}

static inline struct vw_req vw_check(uint32_t seed, int via, uint64_t off, uint64_t len)
{
	struct vw_req r = vw_fill(seed, via, off, len);

	r.op = VW_CHECK;
	return r;
}

static inline struct vw_req vw_mode(unsigned int x, unsigned int y, unsigned int xv, unsigned int yv)
{
	return (struct vw_req){ .op = VW_SET_MODE, .xres = x, .yres = y,
				.xres_virtual = xv, .yres_virtual = yv };
}

/*
 * Assert that [off, off+len) of what @fd reads is pattern @seed (seed 0:
 * all zero).  @what names the view in the failure message.
 */
#define VW_EXPECT_CONTENT(fd, seed, off, len, what)				\
	VW_EXPECT_CHECKED_(VW_DO, fd, seed, off, len, what)

/* The same, read by a process in @ct from its own vfb. */
#define VW_EXPECT_REMOTE_CONTENT(ct, seed, off, len, what)			\
	VW_EXPECT_CHECKED_(VW_REMOTE, ct, seed, off, len, what)

/* For the two above: a VW_CHECK request run by @run (VW_DO or VW_REMOTE) on @on. */
#define VW_EXPECT_CHECKED_(run, on, seed, off, len, what)			\
	do {									\
		struct vw_req _q = vw_check((seed), VW_VIA_RW, (off), (len));	\
		run((on), &_q);							\
		EXPECT_EQ((uint64_t)(len), _q.where)				\
			TH_LOG("%s: not pattern %#x at byte %llu", (what),	\
			       (unsigned int)(seed),				\
			       (unsigned long long)((off) + _q.where));		\
	} while (0)

/* The panel (whole smem) must hold pattern @seed. */
#define VW_EXPECT_PANEL(seed, what)						\
	do {									\
		int _p;								\
		VW_PANEL_FD(&_p);						\
		VW_EXPECT_CONTENT(_p, (seed), 0, self->vw.smem, (what));		\
		close(_p);							\
	} while (0)

#endif /* DEVNS_VFB_FIXTURE_H */
