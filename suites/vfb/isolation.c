// SPDX-License-Identifier: GPL-2.0
/*
 * VFB-8, VFB-9: what one dev_ns sets or draws in its vfb is its own: other
 * containers, the host and the panel never see it (until, for state, the
 * dev_ns becomes active: VFB-16).
 */
#include "vfb_fixture.h"

VW_WORLD_FIXTURE(isolation)

/* The fields of a var that make up "the mode and the pan offsets". */
#define EXPECT_SAME_GEOMETRY(want, got, what)					\
	do {									\
		EXPECT_EQ((want).xres, (got).xres) TH_LOG("%s: xres", what);	\
		EXPECT_EQ((want).yres, (got).yres) TH_LOG("%s: yres", what);	\
		EXPECT_EQ((want).xres_virtual, (got).xres_virtual) TH_LOG("%s: xres_virtual", what); \
		EXPECT_EQ((want).yres_virtual, (got).yres_virtual) TH_LOG("%s: yres_virtual", what); \
		EXPECT_EQ((want).xoffset, (got).xoffset) TH_LOG("%s: xoffset", what); \
		EXPECT_EQ((want).yoffset, (got).yoffset) TH_LOG("%s: yoffset", what); \
	} while (0)

static bool same_cmap(uint16_t a[3][256], uint16_t b[3][256])
{
	return !memcmp(a, b, sizeof(uint16_t) * 3 * 256);
}

TEST_F(isolation, passive_mode_and_pan_stay_private)
{
	struct fb_var_screeninfo panel0, pv, host0, b0;
	struct vw_req r, a_set;
	unsigned int x, y, yv, yoff;
	struct ct *a, *b;
	int hfd;

	REQ("VFB-8", "VFB-3", "VFB-16");
	REQUIRE_VFB_MODES();
	vw_pannable_mode(&self->vw, &x, &y, &yv);
	ASSERT_LT(y, yv) TH_LOG("mode %ux%u leaves no room to pan", x, y);
	yoff = yv - y;
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	ASSERT_EQ(0, ioctl(hfd, FBIOGET_VSCREENINFO, &host0));
	ASSERT_EQ(0, vw_panel_var(&panel0));
	EXPECT_SAME_GEOMETRY(host0, panel0, "panel shows the active host's mode");
	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	b0 = r.var;

	/* Passive A: a new mode, then a pan. */
	r = vw_mode(x, y, x, yv);
	VW_REMOTE(a, &r);
	r = vw_op(VW_PAN);
	r.yoffset = yoff;
	VW_REMOTE(a, &r);
	a_set = vw_op(VW_GET);
	VW_REMOTE(a, &a_set);
	ASSERT_EQ(x, a_set.var.xres);
	ASSERT_EQ(y, a_set.var.yres);
	ASSERT_EQ(yv, a_set.var.yres_virtual);
	ASSERT_EQ(yoff, a_set.var.yoffset) TH_LOG("pan not recorded in the passive container");

	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	EXPECT_SAME_GEOMETRY(b0, r.var, "container B after A's mode change");
	ASSERT_EQ(0, ioctl(hfd, FBIOGET_VSCREENINFO, &pv));
	EXPECT_SAME_GEOMETRY(host0, pv, "host after A's mode change");
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_SAME_GEOMETRY(panel0, pv, "panel while A is passive");

	/* A active: the panel takes A's mode and offsets; nobody else changes. */
	VW_ACTIVATE(a->pid);
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_SAME_GEOMETRY(a_set.var, pv, "panel after activating A");
	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	EXPECT_SAME_GEOMETRY(b0, r.var, "container B after A became active");

	/* The host, passive now, changes its mode: invisible until it is active. */
	ASSERT_EQ(0, fb_set_mode(hfd, self->vw.modes[1].xres, self->vw.modes[1].yres,
				 self->vw.modes[1].xres, self->vw.modes[1].yres, &host0));
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_SAME_GEOMETRY(a_set.var, pv, "panel after the passive host's mode change");
	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_SAME_GEOMETRY(a_set.var, r.var, "container A after the host's mode change");

	VW_ACTIVATE(b->pid);
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_SAME_GEOMETRY(b0, pv, "panel after activating B");
	VW_ACTIVATE_HOST();
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_SAME_GEOMETRY(host0, pv, "panel after activating the host again");
	close(hfd);
}

TEST_F(isolation, passive_cmap_stays_private)
{
	uint16_t host_c[3][256], a_c[3][256], b_c[3][256], got[3][256];
	struct vw_req r;
	struct ct *a, *b, *c;
	int hfd;

	REQ("VFB-8", "VFB-5", "VFB-16");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	VW_NEW_CT(&c);
	vw_cmap_fill(host_c, 0x11);
	vw_cmap_fill(a_c, 0x33);
	vw_cmap_fill(b_c, 0x22);

	r = vw_op(VW_PUTCMAP);
	r.seed = 0x11;
	VW_DO(hfd, &r);
	r.seed = 0x22;
	VW_REMOTE(b, &r);
	r.seed = 0x33;
	VW_REMOTE(a, &r);

	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_TRUE(same_cmap(a_c, r.cmap)) TH_LOG("A does not read back its own cmap");
	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	EXPECT_TRUE(same_cmap(b_c, r.cmap)) TH_LOG("B's cmap changed (A's leaked?)");
	r = vw_op(VW_GET);
	VW_DO(hfd, &r);
	EXPECT_TRUE(same_cmap(host_c, r.cmap)) TH_LOG("the host's cmap changed");
	ASSERT_EQ(0, vw_panel_cmap(got));
	EXPECT_TRUE(same_cmap(host_c, got)) TH_LOG("panel cmap is not the active host's");
	r = vw_op(VW_GET);
	VW_REMOTE(c, &r);
	EXPECT_FALSE(same_cmap(a_c, r.cmap)) TH_LOG("a new container starts with A's cmap");
	EXPECT_FALSE(same_cmap(b_c, r.cmap)) TH_LOG("a new container starts with B's cmap");
	EXPECT_FALSE(same_cmap(host_c, r.cmap)) TH_LOG("a new container starts with the host's cmap");

	VW_ACTIVATE(a->pid);
	ASSERT_EQ(0, vw_panel_cmap(got));
	EXPECT_TRUE(same_cmap(a_c, got)) TH_LOG("panel did not take A's cmap on activation");
	r = vw_op(VW_GET);
	VW_REMOTE(b, &r);
	EXPECT_TRUE(same_cmap(b_c, r.cmap));
	r = vw_op(VW_GET);
	VW_DO(hfd, &r);
	EXPECT_TRUE(same_cmap(host_c, r.cmap));

	VW_ACTIVATE(b->pid);
	ASSERT_EQ(0, vw_panel_cmap(got));
	EXPECT_TRUE(same_cmap(b_c, got)) TH_LOG("panel did not take B's cmap on activation");
	VW_ACTIVATE_HOST();
	ASSERT_EQ(0, vw_panel_cmap(got));
	EXPECT_TRUE(same_cmap(host_c, got)) TH_LOG("panel did not take the host's cmap back");
	close(hfd);
}

static int panel_blank(struct __test_metadata *_metadata)
{
	struct impl_report rep;

	EXPECT_EQ(0, impl()->report(&rep));
	return rep.panel_blank;
}

TEST_F(isolation, passive_blank_stays_private)
{
	struct vw_req r;
	struct ct *a, *b, *c;
	int hfd;

	REQ("VFB-8", "VFB-5", "VFB-16");
	REQUIRE_VFB();
	REQUIRE_CAP(IMPL_CAP_PANEL_STATE);
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	VW_NEW_CT(&c);
	ASSERT_EQ(FB_BLANK_UNBLANK, panel_blank(_metadata));

	r = vw_op(VW_BLANK);
	r.blank = FB_BLANK_POWERDOWN;
	VW_REMOTE(a, &r);
	r.blank = FB_BLANK_NORMAL;
	VW_REMOTE(b, &r);
	r = vw_op(VW_GET);		/* C has a vfb state, never blanked */
	VW_REMOTE(c, &r);
	EXPECT_EQ(FB_BLANK_UNBLANK, panel_blank(_metadata))
		TH_LOG("a passive container's blank reached the panel");

	VW_ACTIVATE(b->pid);
	EXPECT_EQ(FB_BLANK_NORMAL, panel_blank(_metadata));
	VW_ACTIVATE(a->pid);
	EXPECT_EQ(FB_BLANK_POWERDOWN, panel_blank(_metadata));
	VW_ACTIVATE(c->pid);
	EXPECT_EQ(FB_BLANK_UNBLANK, panel_blank(_metadata)) TH_LOG("C shows another's blank level");
	VW_ACTIVATE_HOST();
	EXPECT_EQ(FB_BLANK_UNBLANK, panel_blank(_metadata)) TH_LOG("the host shows A's or B's blank");

	/* A's level is still A's own: back on the panel when A is active again. */
	VW_ACTIVATE(a->pid);
	EXPECT_EQ(FB_BLANK_POWERDOWN, panel_blank(_metadata));
	close(hfd);
}

/*
 * Content isolation through @via: the host, A and B each draw their own
 * pattern, while the host is active and again while A is active, and each
 * reads back only its own.
 */
static void content_isolation(struct __test_metadata *_metadata, FIXTURE_DATA(isolation) *self, int via)
{
	const size_t half = self->vw.smem / 2, len = self->vw.smem;
	struct vw_req r;
	struct ct *a, *b;
	uint8_t *hmap = NULL;
	int hfd, pfd;

	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	if (via == VW_VIA_MMAP) {
		hmap = fb_map(hfd, len);
		ASSERT_TRUE(hmap != NULL) TH_LOG("mmap host vfb: %s", strerror(errno));
	}
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);

	/* Host active: everyone draws. */
	r = vw_fill(0x4001, via, 0, len);
	VW_DO(hfd, &r);
	r = vw_fill(0xa001, via, 0, len);
	VW_REMOTE(a, &r);
	r = vw_fill(0xb001, via, 0, len);
	VW_REMOTE(b, &r);
	if (hmap)
		EXPECT_EQ(len, fb_pattern_find(hmap, len, 0, 0x4001)) TH_LOG("host mapping");
	VW_EXPECT_CONTENT(hfd, 0x4001, 0, len, "host (active)");
	VW_EXPECT_CONTENT(pfd, 0x4001, 0, len, "panel while the host is active");
	VW_EXPECT_REMOTE_CONTENT(a, 0xa001, 0, len, "container A (passive)");
	VW_EXPECT_REMOTE_CONTENT(b, 0xb001, 0, len, "container B (passive)");
	r = vw_check(0xa001, via, 0, len);
	VW_REMOTE(a, &r);
	EXPECT_EQ(len, r.where) TH_LOG("A through its own %s", via ? "mapping" : "read");

	/* A active: A redraws its first half, the host its second, B everything. */
	VW_ACTIVATE(a->pid);
	r = vw_fill(0xa002, via, 0, half);
	VW_REMOTE(a, &r);
	if (hmap)
		fb_pattern(hmap + half, len - half, half, 0x4002);
	else {
		r = vw_fill(0x4002, via, half, len - half);
		VW_DO(hfd, &r);
	}
	r = vw_fill(0xb002, via, 0, len);
	VW_REMOTE(b, &r);

	VW_EXPECT_REMOTE_CONTENT(a, 0xa002, 0, half, "container A (active), first half");
	VW_EXPECT_REMOTE_CONTENT(a, 0xa001, half, len - half, "container A (active), second half");
	VW_EXPECT_CONTENT(pfd, 0xa002, 0, half, "panel while A is active, first half");
	VW_EXPECT_CONTENT(pfd, 0xa001, half, len - half, "panel while A is active, second half");
	VW_EXPECT_CONTENT(hfd, 0x4001, 0, half, "host (passive), first half");
	VW_EXPECT_CONTENT(hfd, 0x4002, half, len - half, "host (passive), second half");
	if (hmap) {
		EXPECT_EQ(half, fb_pattern_find(hmap, half, 0, 0x4001));
		EXPECT_EQ(len - half, fb_pattern_find(hmap + half, len - half, half, 0x4002));
	}
	VW_EXPECT_REMOTE_CONTENT(b, 0xb002, 0, len, "container B (passive)");

	/* And back: the host's picture is its own again on the panel. */
	VW_ACTIVATE_HOST();
	VW_EXPECT_CONTENT(pfd, 0x4001, 0, half, "panel back on the host, first half");
	VW_EXPECT_CONTENT(pfd, 0x4002, half, len - half, "panel back on the host, second half");
	if (hmap)
		munmap(hmap, len);
	close(pfd);
	close(hfd);
}

TEST_F(isolation, write_content_stays_private)
{
	REQ("VFB-9");
	REQUIRE_VFB();
	content_isolation(_metadata, self, VW_VIA_RW);
}

TEST_F(isolation, mmap_content_stays_private)
{
	REQ("VFB-9");
	REQUIRE_VFB();
	content_isolation(_metadata, self, VW_VIA_MMAP);
}

/* A new vfb state is the default one, whatever others did and whoever is active. */
TEST_F(isolation, new_state_owes_nothing_to_others)
{
	unsigned int x, y, yv;
	struct vw_req r;
	struct ct *a, *c, *d;
	int hfd;

	REQ("VFB-8", "VFB-9", "VFB-1");
	REQUIRE_VFB_MODES();
	vw_pannable_mode(&self->vw, &x, &y, &yv);
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&c);
	VW_NEW_CT(&d);
	VW_DRAW(hfd, 0x4003);
	r = vw_mode(x, y, x, yv);
	VW_REMOTE(a, &r);
	r = vw_op(VW_PAN);
	r.yoffset = yv - y;
	VW_REMOTE(a, &r);
	r = vw_op(VW_PUTCMAP);
	r.seed = 0x77;
	VW_REMOTE(a, &r);
	r = vw_fill(0xa003, VW_VIA_MMAP, 0, self->vw.smem);
	VW_REMOTE(a, &r);

	/* C opens while the host is active, D while A is active. */
	for (int i = 0; i < 2; i++) {
		struct ct *n = i ? d : c;
		uint16_t a_c[3][256];

		if (i)
			VW_ACTIVATE(a->pid);
		r = vw_op(VW_GET);
		VW_REMOTE(n, &r);
		EXPECT_EQ(self->vw.modes[0].xres, r.var.xres) TH_LOG("new state %d: xres", i);
		EXPECT_EQ(self->vw.modes[0].yres, r.var.yres) TH_LOG("new state %d: yres", i);
		EXPECT_EQ(0, r.var.xoffset);
		EXPECT_EQ(0, r.var.yoffset) TH_LOG("new state %d has A's pan", i);
		vw_cmap_fill(a_c, 0x77);
		EXPECT_FALSE(same_cmap(a_c, r.cmap)) TH_LOG("new state %d has A's cmap", i);
		VW_EXPECT_REMOTE_CONTENT(n, 0, 0, self->vw.smem, i ? "new state while A is active"
							      : "new state while the host is active");
	}
	close(hfd);
}

TEST_HARNESS_MAIN
