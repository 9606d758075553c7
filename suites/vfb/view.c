// SPDX-License-Identifier: GPL-2.0
/*
 * DMG-1..3: the host's view of a namespace's picture.  A view is a
 * read-only file on one namespace's vfb state (impl()->vfb_view()): it reads
 * that namespace's pixels whether it is active or passive, follows its
 * switches without being reopened, is the host's alone, and ends (end of
 * file, EPOLLHUP) when its namespace dies.
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "vfb_fixture.h"
#include "holders.h"

/* What a view shows, for each way a container draws: pwrite or stores through a mapping. */
FIXTURE(view) {
	struct vw_world vw;
};

FIXTURE_VARIANT(view) {
	int via;	/* enum vw_via */
};

FIXTURE_VARIANT_ADD(view, write) {
	.via = VW_VIA_RW,
};

FIXTURE_VARIANT_ADD(view, mmap) {
	.via = VW_VIA_MMAP,
};

FIXTURE_SETUP(view)
{
	vw_world_setup(_metadata, &self->vw);
}

FIXTURE_TEARDOWN(view)
{
	vw_world_teardown(&self->vw);
}

#define REQUIRE_VIEW()								\
	do {									\
		REQUIRE_VFB();							\
		REQUIRE_CAP(IMPL_CAP_VIEW);					\
	} while (0)

/* A view of @pid's namespace (0: ours) or fail the test. */
#define VIEW_OPEN(fdp, pid)							\
	do {									\
		*(fdp) = self->vw.im->vfb_view(self->vw.fd, (pid), IMPL_VIEW_CLOEXEC); \
		ASSERT_LE(0, *(fdp)) TH_LOG("view of %d: %s", (int)(pid), strerror(-*(fdp))); \
	} while (0)

/* The whole picture behind view @fd is pattern @seed. */
#define EXPECT_VIEW(fd, seed, what)						\
	VW_EXPECT_CONTENT((fd), (seed), 0, self->vw.smem, (what))

/* @ct draws pattern @seed over its whole vfb, the variant's way. */
#define DRAW_IN(ct, seed)							\
	do {									\
		struct vw_req _d = vw_fill((seed), variant->via, 0, self->vw.smem); \
		VW_REMOTE((ct), &_d);						\
	} while (0)

/* What the panel shows, as a hash (0 if it cannot be read). */
static uint64_t panel_hash(size_t smem)
{
	void *buf = malloc(smem);
	uint64_t h = 0;

	if (buf && vw_panel_read(buf, smem, 0) == 0)
		h = fb_hash(buf, smem);
	free(buf);
	return h;
}

TEST_F(view, shows_a_passive_containers_picture_and_mode)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	uint64_t panel;
	struct vw_req r;
	unsigned int x, y, yv;
	struct ct *a;
	int v;

	REQ("DMG-1");
	REQUIRE_VIEW();
	panel = panel_hash(self->vw.smem);
	VW_NEW_CT(&a);
	vw_pannable_mode(&self->vw, &x, &y, &yv);
	r = vw_mode(x, y, x, yv);
	VW_REMOTE(a, &r);
	DRAW_IN(a, 0xa11ce);
	VIEW_OPEN(&v, a->pid);
	EXPECT_VIEW(v, 0xa11ce, "view of passive A");
	ASSERT_EQ(0, ioctl(v, FBIOGET_VSCREENINFO, &var));
	EXPECT_EQ(x, var.xres);
	EXPECT_EQ(y, var.yres);
	EXPECT_EQ(yv, var.yres_virtual);
	ASSERT_EQ(0, ioctl(v, FBIOGET_FSCREENINFO, &fix));
	EXPECT_EQ(self->vw.smem, fix.smem_len);
	EXPECT_EQ(x * 4, fix.line_length);
	EXPECT_EQ(panel, panel_hash(self->vw.smem)) TH_LOG("the panel changed");
	close(v);
}

TEST_F(view, shows_the_active_containers_picture)
{
	struct ct *a;
	int v;

	REQ("DMG-1");
	REQUIRE_VIEW();
	VW_NEW_CT(&a);
	VW_ACTIVATE(a->pid);
	DRAW_IN(a, 0xac7);
	VIEW_OPEN(&v, a->pid);
	EXPECT_VIEW(v, 0xac7, "view of active A");
	VW_EXPECT_PANEL(0xac7, "panel while A is active");
	close(v);
}

/* The whole mapped picture @map is pattern @seed. */
#define EXPECT_MAPPED(map, seed, what)						\
	do {									\
		size_t _at = fb_pattern_find((map), self->vw.smem, 0, (seed));	\
		EXPECT_EQ(self->vw.smem, _at)					\
			TH_LOG("%s: not pattern %#x at byte %zu", (what), (unsigned int)(seed), _at); \
	} while (0)

/*
 * One view and its read-only mapping, never reopened or remapped, across
 * switches in both directions: both show what the namespace drew.
 */
#define EXPECT_BOTH(v, map, seed, what)						\
	do {									\
		EXPECT_VIEW((v), (seed), what " (read)");			\
		EXPECT_MAPPED((map), (seed), what " (mapped)");			\
	} while (0)

TEST_F(view, reads_and_maps_its_namespace_across_switches)
{
	struct ct *a;
	void *map;
	int v;

	REQ("DMG-1");
	REQUIRE_VIEW();
	VW_NEW_CT(&a);
	DRAW_IN(a, 0x1);
	VIEW_OPEN(&v, a->pid);
	map = mmap(NULL, self->vw.smem, PROT_READ, MAP_SHARED, v, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap of a view: %s", strerror(errno));
	EXPECT_BOTH(v, map, 0x1, "A passive");
	VW_ACTIVATE(a->pid);
	EXPECT_BOTH(v, map, 0x1, "A just activated");
	DRAW_IN(a, 0x2);
	EXPECT_BOTH(v, map, 0x2, "A drew while active");
	VW_ACTIVATE_HOST();
	EXPECT_BOTH(v, map, 0x2, "A passive again");
	DRAW_IN(a, 0x3);
	EXPECT_BOTH(v, map, 0x3, "A drew while passive");
	munmap(map, self->vw.smem);
	close(v);
}

/* Each view shows its own namespace only, the host's included. */
TEST_F(view, shows_only_its_own_namespace)
{
	int va, vb, vh, hfd;
	struct ct *a, *b;

	REQ("DMG-1");
	REQUIRE_VIEW();
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	VW_HOST_FD(&hfd);
	DRAW_IN(a, 0xa);
	DRAW_IN(b, 0xb);
	VW_DRAW(hfd, 0xc);
	VIEW_OPEN(&va, a->pid);
	VIEW_OPEN(&vb, b->pid);
	VIEW_OPEN(&vh, 0);
	VW_ACTIVATE(b->pid);
	EXPECT_VIEW(va, 0xa, "view of A");
	EXPECT_VIEW(vb, 0xb, "view of B (active)");
	EXPECT_VIEW(vh, 0xc, "view of the host (passive)");
	close(va);
	close(vb);
	close(vh);
	close(hfd);
}

/* The view as a file: who may open it, its errors, its end. */
VW_WORLD_FIXTURE(view_file)

/* In a container (its root, every capability it has): the host's call. */
static int view_from_inside(long unused)
{
	const struct impl_ops *im = impl();
	int ctl = im->open_ctl(), r;

	(void)unused;
	if (ctl < 0)
		return 200;
	r = im->vfb_view(ctl, 0, 0);
	close(ctl);
	if (r >= 0)
		return 0;
	return -r;
}

/* A host process that dropped root. */
static int view_as_nobody(long pid)
{
	if (setgid(65534) || setuid(65534))
		return 201;
	return view_from_inside(pid);
}

TEST_F(view_file, is_the_hosts_alone)
{
	struct job *j;
	struct ct *a;

	REQ("DMG-2");
	REQUIRE_VIEW();
	VW_NEW_CT(&a);
	EXPECT_EQ(EPERM, ct_call(a, view_from_inside, 0)) TH_LOG("root of a container");
	VW_NEW_JOB(&j);
	ASSERT_EQ(0, job_start(j, NULL, view_as_nobody, 0));
	EXPECT_EQ(EPERM, job_join(j, deadline_ms(10000))) TH_LOG("an unprivileged host user");
}

TEST_F(view_file, bad_arguments_get_clear_errors)
{
	const struct impl_ops *im = self->vw.im;
	struct fb_var_screeninfo var;
	char *volatile nowhere = NULL;	/* hidden from the compiler's checks */
	char byte;
	void *map;
	int v;

	REQ("DMG-3");
	REQUIRE_VIEW();
	EXPECT_EQ(-EINVAL, im->vfb_view(self->vw.fd, 0, 1u << 7)) TH_LOG("unknown flag");
	EXPECT_EQ(-EINVAL, im->vfb_view(self->vw.fd, -1, 0)) TH_LOG("negative pid");
	EXPECT_EQ(-ESRCH, im->vfb_view(self->vw.fd, 0x3ffffff0, 0)) TH_LOG("no such process");
	VIEW_OPEN(&v, 0);
	EXPECT_EQ(-1, write(v, "x", 1));
	EXPECT_EQ(EBADF, errno) TH_LOG("write on a read-only view");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v, 0));
	EXPECT_EQ(EACCES, errno) TH_LOG("a writable mapping of a view");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, v, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a private mapping of a view");
	EXPECT_EQ(MAP_FAILED, mmap(NULL, self->vw.smem + 4096, PROT_READ, MAP_SHARED, v, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a mapping past smem_len");
	map = mmap(NULL, 4096, PROT_READ, MAP_SHARED, v, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap of a view: %s", strerror(errno));
	EXPECT_EQ(-1, mprotect(map, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno) TH_LOG("mprotect of a view's mapping to writable");
	munmap(map, 4096);
	ASSERT_EQ(0, ioctl(v, FBIOGET_VSCREENINFO, &var));
	EXPECT_EQ(-1, ioctl(v, FBIOPUT_VSCREENINFO, &var));
	EXPECT_EQ(ENOTTY, errno) TH_LOG("a view cannot set the mode");
	EXPECT_EQ(-1, ioctl(v, FBIOGET_VSCREENINFO, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ((off_t)self->vw.smem, lseek(v, 0, SEEK_END));
	EXPECT_EQ(0, read(v, &byte, 1)) TH_LOG("read at the end");
	EXPECT_EQ(-1, pread(v, nowhere, 16, 0));
	EXPECT_EQ(EFAULT, errno);
	close(v);
}

/*
 * The view holds its namespace like an open file: when the namespace dies
 * the view hangs up (poll) and reads end of file; the namespace is listed
 * until the view is closed, then it is gone.
 */
TEST_F(view_file, ends_when_its_namespace_dies)
{
	struct vw_req draw = vw_fill(0xdead, VW_VIA_RW, 0, self->vw.smem);
	struct pollfd p;
	uint64_t id;
	char byte;
	struct ct *a;
	int v;

	REQ("DMG-3");
	REQUIRE_VIEW();
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	VW_NEW_CT(&a);
	VW_REMOTE(a, &draw);
	id = pidns_id(a->pid);
	ASSERT_NE(0, id);
	VIEW_OPEN(&v, a->pid);
	p = (struct pollfd){ .fd = v, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents) TH_LOG("a live namespace's view is readable");
	ct_stop(a);
	/* events 0: only the hangup (always reported) ends the wait, not POLLIN */
	p = (struct pollfd){ .fd = v, .events = 0 };
	ASSERT_EQ(1, poll(&p, 1, deadline_ms(10000))) TH_LOG("no hangup after the death");
	EXPECT_TRUE(p.revents & POLLHUP) TH_LOG("revents %#x", p.revents);
	EXPECT_EQ(0, pread(v, &byte, 1, 0)) TH_LOG("a dead namespace's view reads end of file");
	EXPECT_EQ(1, hold_listed(id, NULL)) TH_LOG("the view holds the namespace");
	close(v);
	EXPECT_EQ(0, hold_wait_listed(id, false, deadline_ms(10000)))
		TH_LOG("the namespace outlived its last holder, the view");
}

TEST_HARNESS_MAIN
