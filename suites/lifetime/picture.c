// SPDX-License-Identifier: GPL-2.0
/*
 * LIFE-2: a passive dev_ns keeps its picture, mode and cmap while its
 * processes live, with every vfb file and mapping closed (Cells freed them
 * on the last close); a later open reads and maps exactly what was drawn.
 * Once the namespace has died, the state lives on only while a holder
 * does: the last one going frees it.
 */
#include "holders_fixture.h"
#include "vfb_world.h"

#define PICTURE_SEED	0x2e570001u
#define CMAP_SEED	0x2e57c0a1u

/* A mode other than the panel's default when it has one, else the default with a taller virtual screen. */
static int other_mode(struct vw_req *r, size_t smem)
{
	struct fb_mode_size modes[8];
	int n = fb_panel_modes(modes, 8);

	if (n <= 0)
		return n ? n : -ENODEV;
	memset(r, 0, sizeof(*r));
	r->op = VW_SET_MODE;
	r->xres = r->xres_virtual = modes[n > 1 ? 1 : 0].xres;
	r->yres = r->yres_virtual = modes[n > 1 ? 1 : 0].yres;
	if (smem / (r->xres * 4) > r->yres)
		r->yres_virtual = (unsigned int)(smem / (r->xres * 4));
	return 0;
}

static struct vw_req contents(int op, int via, uint64_t off, uint64_t len)
{
	return (struct vw_req){ .op = op, .via = via, .seed = PICTURE_SEED, .off = off, .len = len };
}

/* The mode and cmap @got reports are the ones @mode and CMAP_SEED set. */
#define EXPECT_CONFIG(got, mode, what)						\
	do {									\
		uint16_t _c[3][256];						\
		vw_cmap_fill(_c, CMAP_SEED);					\
		EXPECT_EQ((mode)->xres, (got)->var.xres) TH_LOG("%s: xres", (what)); \
		EXPECT_EQ((mode)->yres, (got)->var.yres) TH_LOG("%s: yres", (what)); \
		EXPECT_EQ((mode)->yres_virtual, (got)->var.yres_virtual)	\
			TH_LOG("%s: yres_virtual", (what));			\
		EXPECT_EQ(0, memcmp(_c, (got)->cmap, sizeof(_c)))		\
			TH_LOG("%s: the cmap is not the one set", (what));	\
	} while (0)

TEST_F_TIMEOUT(lt, passive_picture_mode_cmap_survive_closing_every_file, deadline_s(20))
{
	struct vw_req mode, cmap = { .op = VW_PUTCMAP, .seed = CMAP_SEED }, q;
	struct impl_state st;
	struct holders *h;
	long smem;
	int ret;

	REQ("LIFE-2");
	REQUIRE_CAP(IMPL_CAP_VFB);
	smem = vw_smem_len();
	ASSERT_LT(0, smem);
	ASSERT_EQ(0, other_mode(&mode, (size_t)smem));
	LT_HOLD(&h, 0);
	/* Every request opens its own vfb file in the container and closes it. */
	ASSERT_EQ(0, vw_remote(&h->ct, &mode)) TH_LOG("set mode %ux%u", mode.xres, mode.yres);
	ASSERT_EQ(0, vw_remote(&h->ct, &cmap));
	q = contents(VW_FILL, VW_VIA_MMAP, 0, (uint64_t)smem / 2);
	ASSERT_EQ(0, vw_remote(&h->ct, &q));
	q = contents(VW_FILL, VW_VIA_RW, (uint64_t)smem / 2, (uint64_t)smem - (uint64_t)smem / 2);
	ASSERT_EQ(0, vw_remote(&h->ct, &q));
	ASSERT_EQ(0, lt_state(&st));
	ASSERT_NE(h->id, st.active_id) TH_LOG("the container must be passive");

	/* No vfb file or mapping of it is left anywhere; its process lives. */
	q = (struct vw_req){ .op = VW_GET };
	ASSERT_EQ(0, vw_remote(&h->ct, &q));
	EXPECT_CONFIG(&q, &mode, "reopened");
	q = contents(VW_CHECK, VW_VIA_RW, 0, 0);
	ret = vw_remote(&h->ct, &q);
	ASSERT_EQ(0, ret);
	EXPECT_EQ((uint64_t)smem, q.where) TH_LOG("read after reopening: not the picture at byte %llu",
						 (unsigned long long)q.where);
	q = contents(VW_CHECK, VW_VIA_MMAP, 0, 0);
	ASSERT_EQ(0, vw_remote(&h->ct, &q));
	EXPECT_EQ((uint64_t)smem, q.where) TH_LOG("mapped after reopening: not the picture at byte %llu",
						 (unsigned long long)q.where);
}

TEST_F_TIMEOUT(lt, dead_namespace_state_lives_until_last_holder, deadline_s(20))
{
	struct hold_counts base, now;
	struct vw_req mode, cmap = { .op = VW_PUTCMAP, .seed = CMAP_SEED }, q;
	struct holders *h;
	char b1[128], b2[128];
	bool dead = false;
	int64_t end;
	long where;

	REQ("LIFE-2");
	REQUIRE_CAP(IMPL_CAP_VFB | IMPL_CAP_COUNTERS);
	LT_BASELINE(&base, true);
	LT_HOLD(&h, HOLD_BIT(HOLD_FILE) | HOLD_BIT(HOLD_MAP));
	ASSERT_EQ(0, other_mode(&mode, h->smem));
	ASSERT_EQ(0, vw_do(h->vfd, &mode));
	ASSERT_EQ(0, vw_do(h->vfd, &cmap));
	fb_pattern(h->map, h->smem, 0, PICTURE_SEED);
	ASSERT_EQ(0, hold_counts_now(&now));
	EXPECT_EQ(base.containers + 1, now.containers);
	EXPECT_EQ(base.states + 1, now.states) TH_LOG("the container's vfb state is not counted");

	/* The namespace dies; the file and the mapping still hold its state. */
	hold_release(h, HOLD_PROC);
	for (end = now_ms() + LT_SETTLE; hold_listed(h->id, &dead) == 1 && !dead && now_ms() < end;)
		usleep(2000);
	ASSERT_EQ(1, hold_listed(h->id, &dead)) TH_LOG("the dead dev_ns went while held");
	ASSERT_TRUE(dead) TH_LOG("the dev_ns is not marked dead after its init was killed");
	q = (struct vw_req){ .op = VW_GET };
	ASSERT_EQ(0, vw_do(h->vfd, &q));
	EXPECT_CONFIG(&q, &mode, "after the death");
	where = hold_fd_check(h->vfd, h->smem, PICTURE_SEED);
	EXPECT_EQ((long)h->smem, where) TH_LOG("the file after the death: byte %ld", where);
	ASSERT_EQ(0, hold_counts_now(&now));
	EXPECT_EQ(base.states + 1, now.states) TH_LOG("the state went while held");

	hold_release(h, HOLD_FILE);
	EXPECT_EQ(1, hold_listed(h->id, NULL)) TH_LOG("the mapping alone no longer holds the dev_ns");
	where = (long)hold_map_check(h->map, h->smem, PICTURE_SEED);
	EXPECT_EQ((long)h->smem, where) TH_LOG("the mapping after the file closed: byte %ld", where);

	hold_release(h, HOLD_MAP);
	EXPECT_EQ(0, hold_wait_listed(h->id, false, LT_SETTLE))
		TH_LOG("the dev_ns is still listed with no holder left");
	EXPECT_EQ(0, hold_wait_counts(&base, LT_SETTLE, &now))
		TH_LOG("counters %s, before the container %s", hold_counts_str(&now, b1, sizeof(b1)),
		       hold_counts_str(&base, b2, sizeof(b2)));
}

TEST_HARNESS_MAIN
