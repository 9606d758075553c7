// SPDX-License-Identifier: GPL-2.0
/*
 * LIFE-3: the active dev_ns's init is killed while its processes draw
 * through a mapping and write(), and while a host process (which survives
 * the namespace) stores through another mapping of the same vfb.  The host
 * becomes active (generation bumped), the panel shows the host's picture
 * (black when the host has no vfb state: after a reload), and afterwards
 * neither the surviving mapping nor the dead namespace's file reaches the
 * panel: their stores land in the dead dev_ns's own buffer, or the mapping
 * faults with SIGBUS.
 */
#include <setjmp.h>
#include <sys/mman.h>

#include "holders_fixture.h"
#include "vfb_world.h"

#define HOST_SEED	0xd3a70001u	/* the host's picture */
#define AFTER_SEED	0xd3a70002u	/* stored through the surviving mapping after the death */
#define FILE_SEED	0xd3a70003u	/* written to the dead namespace's file after the death */
#define TAG_CT_MAP	0x41
#define TAG_CT_WRITE	0x42
#define TAG_SURVIVOR	0x43

/* Shared with the drawing processes (in the container and on the host). */
struct death_shm {
	size_t smem;
	int vfd;			/* the survivor's inherited fd of the container's vfb */
	uint32_t rounds[3];		/* frames drawn: container map, container write, survivor */
	uint32_t phase2;		/* the test tells the survivor: store AFTER_SEED once */
	uint32_t phase2_done;		/* it did (or it got SIGBUS: sigbus) */
	uint32_t sigbus;
	int err;			/* a drawer's set-up failure (-errno) */
};

static struct death_shm *shm;

static void __attribute__((constructor)) map_death_shm(void)
{
	shm = ct_shared_map(sizeof(*shm));
}

/* In the container: draw frames through a mapping of its own vfb until killed. */
static int ct_map_drawer(long unused)
{
	int fd = fb_open(FB_VFB);
	uint8_t *map;

	(void)unused;
	map = fd < 0 ? NULL : fb_map(fd, shm->smem);
	if (!map) {
		shm->err = -errno;
		return 1;
	}
	for (uint32_t r = 1;; r++) {
		vw_tagged(map, shm->smem, 0, TAG_CT_MAP, r);
		flag_post(&shm->rounds[0], r);
	}
}

/* In the container: write() frames to its own vfb until killed. */
static int ct_write_drawer(long unused)
{
	size_t chunk = 64 * 1024;
	int fd = fb_open(FB_VFB);
	void *buf = malloc(chunk);

	(void)unused;
	if (fd < 0 || !buf) {
		shm->err = fd < 0 ? fd : -ENOMEM;
		return 1;
	}
	for (uint32_t r = 1;; r++) {
		for (size_t off = 0; off < shm->smem; off += chunk) {
			size_t n = shm->smem - off < chunk ? shm->smem - off : chunk;

			vw_tagged(buf, n, off, TAG_CT_WRITE, r);
			if (fb_pwrite_all(fd, buf, n, (off_t)off))
				shm->err = -EIO;
		}
		flag_post(&shm->rounds[1], r);
	}
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

/*
 * On the host: map the container's vfb (the inherited fd) and store frames
 * until phase 2; then store AFTER_SEED over all of it once.  A SIGBUS
 * (allowed after the death) ends it with sigbus set.
 */
static int survivor(long unused)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	uint8_t *map = fb_map(shm->vfd, shm->smem);

	(void)unused;
	if (!map) {
		shm->err = -errno;
		return 1;
	}
	sigaction(SIGBUS, &sa, NULL);
	if (sigsetjmp(bus_jmp, 1)) {
		shm->sigbus = 1;
		flag_post(&shm->phase2_done, 1);
		return 0;
	}
	for (uint32_t r = 1; !__atomic_load_n(&shm->phase2, __ATOMIC_SEQ_CST); r++) {
		vw_tagged(map, shm->smem, 0, TAG_SURVIVOR, r);
		flag_post(&shm->rounds[2], r);
	}
	fb_pattern(map, shm->smem, 0, AFTER_SEED);
	flag_post(&shm->phase2_done, 1);
	munmap(map, shm->smem);
	return 0;
}

/* pwrite pattern @seed over the first @len bytes of @fd. */
static int write_pattern(int fd, size_t len, uint32_t seed)
{
	void *buf = malloc(len);
	int ret;

	if (!buf)
		return -ENOMEM;
	fb_pattern(buf, len, 0, seed);
	ret = fb_pwrite_all(fd, buf, len, 0);
	free(buf);
	return ret;
}

/* The whole panel: the offset of the first byte that is not pattern @seed (0: black), or smem. */
static long panel_check(size_t smem, uint32_t seed)
{
	uint8_t *buf = malloc(smem);
	long where;
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = vw_panel_read(buf, smem, 0);
	where = ret ? ret : (long)fb_pattern_find(buf, smem, 0, seed);
	free(buf);
	return where;
}

/*
 * The body of both tests: @host_seed is the host's picture (0: the host
 * has no vfb state, the panel must turn black).
 */
static void die_mid_draw(struct __test_metadata *_metadata, FIXTURE_DATA(lt) *self,
			 uint32_t host_seed)
{
	uint64_t host_id = pidns_id(0);
	struct impl_state st;
	struct impl_report r;
	struct holders *h;
	int jobs[3], ret;
	uint64_t gen;
	long where;
	int64_t end;

	ASSERT_EQ(0, lt_activate(getpid()));
	LT_HOLD(&h, HOLD_BIT(HOLD_FILE));
	memset(shm, 0, sizeof(*shm));
	shm->smem = h->smem;
	shm->vfd = h->vfd;
	ASSERT_EQ(0, lt_activate(h->ct.pid));

	jobs[0] = vt_spawn(&h->ct, ct_map_drawer, 0);
	jobs[1] = vt_spawn(&h->ct, ct_write_drawer, 0);
	jobs[2] = vt_spawn(NULL, survivor, 0);
	for (int i = 0; i < 3; i++) {
		ASSERT_LE(0, jobs[i]) TH_LOG("drawer %d: %s", i, strerror(-jobs[i]));
		ASSERT_EQ(0, flag_wait(&shm->rounds[i], 2, LT_SOON))
			TH_LOG("drawer %d drew no frame (error %d)", i, shm->err);
	}
	ASSERT_EQ(0, lt_state(&st));
	gen = st.generation;
	ASSERT_EQ(h->id, st.active_id);

	/* The init dies mid-draw; every process of the namespace with it. */
	hold_release(h, HOLD_PROC);
	for (end = now_ms() + LT_SETTLE; now_ms() < end; usleep(2000)) {
		ASSERT_EQ(0, lt_state(&st));
		if (st.active_id == host_id && st.generation > gen)
			break;
	}
	ASSERT_EQ(host_id, st.active_id) TH_LOG("the host did not become active");
	EXPECT_LT(gen, st.generation) TH_LOG("no switch was counted");
	if (impl_has(IMPL_CAP_PANEL_STATE)) {
		ASSERT_EQ(0, impl()->report(&r));
		EXPECT_EQ(host_seed ? host_id : 0, r.panel_owner)
			TH_LOG("the panel's owner after the fallback");
	}
	where = panel_check(h->smem, host_seed);
	EXPECT_EQ((long)h->smem, where) TH_LOG("the panel is not the host's %s at byte %ld",
					       host_seed ? "picture" : "black", where);

	/* The survivor stores once more, all over; the dead one's file is written. */
	flag_post(&shm->phase2, 1);
	ASSERT_EQ(0, flag_wait(&shm->phase2_done, 1, LT_SOON)) TH_LOG("the survivor is stuck");
	ASSERT_EQ(0, shm->err);
	ret = write_pattern(h->vfd, h->smem / 2, FILE_SEED);
	ASSERT_EQ(0, ret) TH_LOG("write to the dead namespace's file: %s", strerror(-ret));
	where = panel_check(h->smem, host_seed);
	EXPECT_EQ((long)h->smem, where) TH_LOG("a store of the dead namespace reached the panel at byte %ld",
					       where);
	/* Where they went instead: its own buffer. */
	where = hold_fd_check(h->vfd, h->smem / 2, FILE_SEED);
	EXPECT_EQ((long)(h->smem / 2), where) TH_LOG("the dead namespace's file does not read back its write");
	if (!shm->sigbus) {
		uint8_t page[4096];
		size_t off = h->smem - sizeof(page);

		ASSERT_EQ(0, fb_pread_all(h->vfd, page, sizeof(page), (off_t)off));
		EXPECT_EQ(sizeof(page), fb_pattern_find(page, sizeof(page), off, AFTER_SEED))
			TH_LOG("the survivor's stores are not in the dead namespace's buffer");
	}
	TH_LOG("frames before the death: map %u, write %u, survivor %u; survivor %s",
	       shm->rounds[0], shm->rounds[1], shm->rounds[2],
	       shm->sigbus ? "got SIGBUS" : "stored into the buffer");
}

TEST_F_TIMEOUT(lt, active_dies_mid_draw_host_picture_returns, deadline_s(20))
{
	int fd, ret;
	long smem;

	REQ("LIFE-3");
	REQUIRE_CAP(IMPL_CAP_VFB);
	ASSERT_EQ(0, lt_activate(getpid()));
	smem = vw_smem_len();
	ASSERT_LT(0, smem);
	fd = fb_open(FB_VFB);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vw_reset(fd, 0, 0));
	ret = write_pattern(fd, (size_t)smem, HOST_SEED);
	close(fd);
	ASSERT_EQ(0, ret);
	die_mid_draw(_metadata, self, HOST_SEED);
}

TEST_F_TIMEOUT(lt, active_dies_mid_draw_host_without_state_black, deadline_s(30))
{
	const struct impl_ops *im = impl();
	struct hold_counts c;
	int ret;

	REQ("LIFE-3");
	REQUIRE_CAP(IMPL_CAP_VFB | IMPL_CAP_COUNTERS);
	if (!impl_has(IMPL_CAP_RELOAD))
		SKIP(return, "the host's vfb state can only go with a restart, and '%s' cannot",
		     im->name);
	/* A fresh implementation: nobody has asked for the host's vfb state. */
	LT_BASELINE(&c, false);
	ret = impl_stop_settled();
	ASSERT_EQ(0, ret) TH_LOG("stop: %s", strerror(-ret));
	ASSERT_EQ(0, im->start());
	ASSERT_EQ(0, hold_counts_now(&c));
	ASSERT_EQ(0, c.states) TH_LOG("a fresh implementation has %ld states", c.states);
	die_mid_draw(_metadata, self, 0);
	ASSERT_EQ(0, hold_counts_now(&c));
	EXPECT_EQ(1, c.states) TH_LOG("only the dead namespace's vfb state should exist");
}

TEST_HARNESS_MAIN
