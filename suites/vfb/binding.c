// SPDX-License-Identifier: GPL-2.0
/*
 * VFB-7: a vfb file belongs to its opener's dev_ns for its whole life: a
 * child in another dev_ns that inherited it, or a process of another dev_ns
 * that received it over SCM_RIGHTS, reads, writes, maps and configures the
 * opener's state, never its own.
 */
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "vfb_fixture.h"

VW_WORLD_FIXTURE(binding)

/*
 * What a process did with a foreign fd, and what it saw of its own vfb
 * (in vw_scratch() for processes in containers).
 */
struct use_report {
	unsigned int x, y;	/* in: the mode to set through the fd */
	int step;		/* 0 done, else the failing step */
	int err;
	unsigned int own_xres;	/* its own dev_ns's vfb, opened afterwards */
	uint64_t own_zero;	/* bytes of its own contents that are zero, from 0 */
	uint64_t own_ns, opener_ns;
};

/*
 * Through @fd: the first half by pwrite, the second half through a mapping
 * (pattern seed), then FBIOPUT_VSCREENINFO to rep->x x rep->y.  Then open
 * the vfb ourselves and look at our own state.
 */
static int use_foreign_fd(int fd, uint32_t seed, struct use_report *rep)
{
	struct fb_fix_screeninfo fix;
	struct fb_var_screeninfo var;
	struct vw_req r;
	uint8_t *map, *buf;
	size_t half;
	int own;

	rep->own_ns = pidns_id(0);
	if (ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		rep->err = -errno;
		return rep->step = 1;
	}
	half = fix.smem_len / 2;
	buf = malloc(half);
	if (!buf)
		return rep->step = 2;
	fb_pattern(buf, half, 0, seed);
	rep->err = fb_pwrite_all(fd, buf, half, 0);
	free(buf);
	if (rep->err)
		return rep->step = 3;
	map = fb_map(fd, fix.smem_len);
	if (!map) {
		rep->err = -errno;
		return rep->step = 4;
	}
	fb_pattern(map + half, fix.smem_len - half, half, seed);
	munmap(map, fix.smem_len);
	rep->err = fb_set_mode(fd, rep->x, rep->y, rep->x, rep->y, NULL);
	if (rep->err)
		return rep->step = 5;

	own = fb_open(FB_VFB);
	if (own < 0) {
		rep->err = own;
		return rep->step = 6;
	}
	if (ioctl(own, FBIOGET_VSCREENINFO, &var)) {
		rep->err = -errno;
		return rep->step = 7;
	}
	rep->own_xres = var.xres;
	r = vw_check(0, VW_VIA_RW, 0, fix.smem_len);
	rep->err = vw_do(own, &r);
	if (rep->err)
		return rep->step = 8;
	rep->own_zero = r.where;
	close(own);
	return rep->step = 0;
}

/* A report in vw_scratch() for use_foreign_fd() in the panel's second mode. */
static struct use_report *new_report(FIXTURE_DATA(binding) *self)
{
	struct use_report *rep = vw_scratch();

	rep->x = self->vw.modes[1].xres;
	rep->y = self->vw.modes[1].yres;
	return rep;
}

/* Check from the host what use_foreign_fd did: the opener's state changed, the user's did not. */
static void expect_used(struct __test_metadata *_metadata, FIXTURE_DATA(binding) *self,
			const struct use_report *rep, const char *user)
{
	EXPECT_EQ(0, rep->step) TH_LOG("%s: step %d failed: %s", user, rep->step, strerror(-rep->err));
	EXPECT_NE(self->vw.modes[1].xres, rep->own_xres)
		TH_LOG("%s: its own vfb took the mode set through the foreign fd", user);
	EXPECT_EQ(self->vw.smem, rep->own_zero)
		TH_LOG("%s: its own vfb got the data written through the foreign fd (byte %llu)",
		       user, (unsigned long long)rep->own_zero);
}

/* The opener's state after use_foreign_fd(seed, x, y), read through @fd of the opener. */
static void expect_opener(struct __test_metadata *_metadata, FIXTURE_DATA(binding) *self,
			  int fd, uint32_t seed, unsigned int x, const char *opener)
{
	struct vw_req r = vw_op(VW_GET);

	VW_DO(fd, &r);
	EXPECT_EQ(x, r.var.xres) TH_LOG("%s did not get the mode set through its fd", opener);
	VW_EXPECT_CONTENT(fd, seed, 0, self->vw.smem, opener);
}

/* ---- inherited by fork ------------------------------------------------- */

static int use_inherited(long fd)
{
	return use_foreign_fd((int)fd, 0x9001, vw_scratch()) ? 1 : 0;
}

/* The host opens, then a container is forked off: the container's processes inherit the fd. */
TEST_F(binding, fd_inherited_into_container_stays_host)
{
	struct use_report *rep;
	struct vw_req r;
	struct ct *a;
	int hfd;

	REQ("VFB-7");
	REQUIRE_VFB_MODES();
	VW_HOST_FD(&hfd);
	VW_DRAW(hfd, 0x9000);
	rep = new_report(self);
	VW_NEW_CT(&a);			/* inherits hfd */
	EXPECT_EQ(0, ct_call(a, use_inherited, hfd));
	expect_used(_metadata, self, rep, "child in container A");
	EXPECT_NE(pidns_id(getpid()), rep->own_ns);

	expect_opener(_metadata, self, hfd, 0x9001, self->vw.modes[1].xres, "host");
	VW_EXPECT_PANEL(0x9001, "panel (the host is active)");
	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_NE(self->vw.modes[1].xres, r.var.xres) TH_LOG("A's vfb took the mode");
	close(hfd);
}

/* In A: open, unshare(CLONE_NEWPID), fork: the child lives in a new dev_ns. */
static int open_unshare_fork(long unused)
{
	struct use_report *rep = vw_scratch();
	int fd, status;
	pid_t child;

	(void)unused;
	rep->opener_ns = pidns_id(0);
	fd = fb_open(FB_VFB);
	if (fd < 0) {
		rep->err = fd;
		return rep->step = 10;
	}
	if (unshare(CLONE_NEWPID)) {
		rep->err = -errno;
		return rep->step = 11;
	}
	child = fork();
	if (child == 0)
		_exit(use_foreign_fd(fd, 0x9101, rep) ? 1 : 0);
	if (child < 0 || waitpid(child, &status, 0) != child) {
		rep->err = -errno;
		return rep->step = 12;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 13;
}

TEST_F(binding, fd_kept_by_child_in_new_namespace)
{
	struct use_report *rep;
	struct ct *a;
	int afd;

	REQ("VFB-7");
	REQUIRE_VFB_MODES();
	rep = new_report(self);
	VW_NEW_CT(&a);
	EXPECT_EQ(0, ct_call(a, open_unshare_fork, 0));
	expect_used(_metadata, self, rep, "child in a namespace nested in A");
	EXPECT_NE(rep->opener_ns, rep->own_ns) TH_LOG("the child is not in a new namespace");
	VW_CT_FD(&afd, a);
	expect_opener(_metadata, self, afd, 0x9101, self->vw.modes[1].xres, "container A");
	close(afd);
}

/* ---- passed over SCM_RIGHTS -------------------------------------------- */

TEST_F(binding, fd_passed_from_container_to_host_stays_container)
{
	struct use_report *rep;
	struct vw_req r;
	struct ct *a;
	int hfd, afd;

	REQ("VFB-7");
	REQUIRE_VFB_MODES();
	VW_HOST_FD(&hfd);
	VW_DRAW(hfd, 0x9200);
	VW_NEW_CT(&a);
	VW_CT_FD(&afd, a);		/* opened in A, received over SCM_RIGHTS */

	rep = new_report(self);
	use_foreign_fd(afd, 0x9201, rep);
	EXPECT_EQ(0, rep->step) TH_LOG("step %d failed: %s", rep->step, strerror(-rep->err));
	/* The host's own vfb (use_foreign_fd opened it itself) is untouched... */
	EXPECT_NE(self->vw.modes[1].xres, rep->own_xres) TH_LOG("the host's vfb took the mode");
	VW_EXPECT_CONTENT(hfd, 0x9200, 0, self->vw.smem, "host's vfb");
	VW_EXPECT_PANEL(0x9200, "panel (the host is active)");
	/* ...A's has it all, as A itself sees it. */
	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_EQ(self->vw.modes[1].xres, r.var.xres) TH_LOG("A did not get the mode");
	VW_EXPECT_REMOTE_CONTENT(a, 0x9201, 0, self->vw.smem, "A's vfb");
	VW_ACTIVATE(a->pid);
	VW_EXPECT_PANEL(0x9201, "panel with A active");
	close(afd);
	close(hfd);
}

/* In B: receive A's fd over the socket inherited from the test, and use it. */
static int receive_and_use(long sock)
{
	struct use_report *rep = vw_scratch();
	int val, fd, ret = recv_fd((int)sock, &val, &fd);

	if (!ret && fd < 0)
		ret = -EPROTO;
	if (ret) {
		rep->err = ret;
		return rep->step = 20;
	}
	return use_foreign_fd(fd, 0x9301, rep) ? 1 : 0;
}

TEST_F(binding, fd_passed_between_containers_stays_opener)
{
	struct use_report *rep;
	struct vw_req r;
	struct ct *a, *b;
	int sv[2], afd, hfd;

	REQ("VFB-7");
	REQUIRE_VFB_MODES();
	rep = new_report(self);
	VW_HOST_FD(&hfd);
	VW_DRAW(hfd, 0x9300);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);			/* inherits sv[1] */
	VW_CT_FD(&afd, a);
	ASSERT_EQ(0, send_fd(sv[0], 0, afd));
	close(afd);			/* B holds A's file only */
	EXPECT_EQ(0, ct_call(b, receive_and_use, sv[1]));
	expect_used(_metadata, self, rep, "container B");

	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_EQ(self->vw.modes[1].xres, r.var.xres) TH_LOG("A did not get the mode set by B");
	VW_EXPECT_REMOTE_CONTENT(a, 0x9301, 0, self->vw.smem, "A's vfb");
	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	EXPECT_NE(self->vw.modes[1].xres, r.var.xres) TH_LOG("B's vfb took the mode");
	VW_EXPECT_REMOTE_CONTENT(b, 0, 0, self->vw.smem, "B's vfb");
	VW_EXPECT_PANEL(0x9300, "panel (the host is active)");
	close(sv[0]);
	close(sv[1]);
	close(hfd);
}

TEST_HARNESS_MAIN
