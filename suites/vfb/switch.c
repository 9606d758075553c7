// SPDX-License-Identifier: GPL-2.0
/*
 * Switching the panel between dev_ns: pass-through of the active one
 * (VFB-10), no trace of the passive ones (VFB-11), live mappings that follow
 * their dev_ns across switches (VFB-12), contents saved and restored exactly
 * (VFB-13), and the panel taking the active dev_ns's state (VFB-16).
 */
#include <signal.h>

#include <devns.h>

#include "vfb_fixture.h"

VW_WORLD_FIXTURE(switch)

/* Native time a background step may take before a test gives up. */
#define STEP_MS		5000

/* For an agent: the vfb opened and all of it mapped; the fd, or -1 with -errno in *@err. */
static int open_vfb(size_t *smem, uint8_t **map, int *err)
{
	struct fb_fix_screeninfo fix;
	int fd = fb_open(FB_VFB);

	if (fd < 0) {
		*err = fd;
		return -1;
	}
	if (!ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		*smem = fix.smem_len;
		*map = fb_map(fd, *smem);
		if (*map)
			return fd;
	}
	*err = -errno;
	close(fd);
	return -1;
}

/* ---- VFB-10: pass-through ---------------------------------------------- */

struct pt_shared {
	uint32_t phase;		/* writer: 1, 2 after drawing pattern seed, seed + 1 */
	uint32_t go;		/* test: 1, 2 after checking the panel */
	uint32_t seed;
	int err;
};

/* Spin on shared memory (no system call) until *p >= v; false on timeout. */
static bool spin_until(volatile uint32_t *p, uint32_t v, int64_t end)
{
	unsigned long n = 0;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) < v) {
		if (!(++n & 0xfffff) && now_ms() > end)
			return false;
		__builtin_ia32_pause();
	}
	return true;
}

/*
 * Draw through a mapping and say so through shared memory only: the test
 * reads the panel while we make no system call at all.  Twice: the second
 * frame goes through pages the first one already faulted in.
 */
static int pt_writer(long unused)
{
	struct pt_shared *s = vw_scratch();
	int64_t end = now_ms() + deadline_ms(4 * STEP_MS);
	uint8_t *map;
	size_t smem;
	int fd;

	(void)unused;
	fd = open_vfb(&smem, &map, &s->err);
	if (fd < 0)
		return 1;
	fb_pattern(map, smem, 0, s->seed);
	__atomic_store_n(&s->phase, 1, __ATOMIC_RELEASE);
	if (!spin_until(&s->go, 1, end))
		return 2;
	fb_pattern(map, smem, 0, s->seed + 1);
	__atomic_store_n(&s->phase, 2, __ATOMIC_RELEASE);
	if (!spin_until(&s->go, 2, end))
		return 2;
	munmap(map, smem);
	close(fd);
	return 0;
}

static void pass_through(struct __test_metadata *_metadata, FIXTURE_DATA(switch) *self,
			 struct ct *writer_ct, uint32_t seed)
{
	struct pt_shared *s = vw_scratch();
	struct job *job;
	int pfd;

	VW_PANEL_FD(&pfd);
	s->seed = seed;
	VW_NEW_JOB(&job);
	if (writer_ct) {
		ASSERT_EQ(0, job_start(job, writer_ct, pt_writer, 0));
	} else {
		ASSERT_EQ(0, job_start(job, NULL, pt_writer, 0));
	}
	for (uint32_t phase = 1; phase <= 2; phase++) {
		ASSERT_EQ(0, flag_wait(&s->phase, phase, deadline_ms(STEP_MS)))
			TH_LOG("writer did not draw frame %u (err %d)", phase, s->err);
		VW_EXPECT_CONTENT(pfd, seed + phase - 1, 0, self->vw.smem,
				  phase == 1 ? "panel after the first frame through the mapping"
					     : "panel after the second frame through the mapping");
		flag_post(&s->go, phase);
	}
	EXPECT_EQ(0, job_join(job, deadline_ms(STEP_MS)));
	close(pfd);
}

TEST_F(switch, mmap_writes_reach_panel_host_active)
{
	int hfd;

	REQ("VFB-10");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	pass_through(_metadata, self, NULL, 0x1001);
	close(hfd);
}

TEST_F(switch, mmap_writes_reach_panel_container_active)
{
	struct vw_req r;
	struct ct *a;

	REQ("VFB-10");
	REQUIRE_VFB();
	VW_NEW_CT(&a);
	r = vw_op(VW_GET);		/* A gets a vfb state */
	VW_REMOTE(a, &r);
	VW_ACTIVATE(a->pid);
	pass_through(_metadata, self, a, 0x1101);
}

TEST_F(switch, write_reaches_panel)
{
	const size_t off = 12345, len = 1001;
	struct vw_req r;
	struct ct *a;
	int hfd, pfd;

	REQ("VFB-10");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	VW_NEW_CT(&a);

	VW_DRAW(hfd, 0x1201);
	VW_EXPECT_CONTENT(pfd, 0x1201, 0, self->vw.smem, "panel after the active host's write");

	VW_ACTIVATE(a->pid);
	r = vw_fill(0x1202, VW_VIA_RW, 0, self->vw.smem);
	VW_REMOTE(a, &r);
	VW_EXPECT_CONTENT(pfd, 0x1202, 0, self->vw.smem, "panel after the active container's write");
	/* An unaligned write in the middle reaches exactly its bytes. */
	r = vw_fill(0x1203, VW_VIA_RW, off, len);
	VW_REMOTE(a, &r);
	VW_EXPECT_CONTENT(pfd, 0x1202, 0, off, "panel before an unaligned write");
	VW_EXPECT_CONTENT(pfd, 0x1203, off, len, "panel under an unaligned write");
	VW_EXPECT_CONTENT(pfd, 0x1202, off + len, self->vw.smem - off - len,
			  "panel after an unaligned write");
	close(pfd);
	close(hfd);
}

/* ---- VFB-11: background ------------------------------------------------ */

struct bg_shared {
	uint32_t stop;
	uint32_t rounds;	/* frames completed; frame k has seed BG_SEED + k */
	int err;
};

#define BG_SEED 0xd000

/* Redraw the whole buffer, alternately through the mapping and by pwrite, until told to stop. */
static int bg_drawer(long unused)
{
	struct bg_shared *s = vw_scratch();
	int64_t end = now_ms() + deadline_ms(20 * STEP_MS);
	uint8_t *map, *buf;
	size_t smem;
	uint32_t k;
	int fd;

	(void)unused;
	fd = open_vfb(&smem, &map, &s->err);
	if (fd < 0)
		return 1;
	buf = malloc(smem);
	if (!buf) {
		s->err = -ENOMEM;
		return 1;
	}
	for (k = 1; now_ms() < end; k++) {
		if (k & 1) {
			fb_pattern(map, smem, 0, BG_SEED + k);
		} else {
			fb_pattern(buf, smem, 0, BG_SEED + k);
			s->err = fb_pwrite_all(fd, buf, smem, 0);
			if (s->err)
				return 1;
		}
		flag_post(&s->rounds, k);
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
			return 0;
	}
	s->err = -ETIMEDOUT;
	return 2;
}

/* Read the panel until the drawer has done @frames more frames: always @seed. */
static void watch_panel(struct __test_metadata *_metadata, FIXTURE_DATA(switch) *self,
			int pfd, uint32_t seed, uint32_t frames, const char *what)
{
	struct bg_shared *s = vw_scratch();
	uint32_t until = __atomic_load_n(&s->rounds, __ATOMIC_ACQUIRE) + frames;
	int64_t end = now_ms() + deadline_ms(10 * STEP_MS);
	int samples = 0;

	while (samples < 3 || __atomic_load_n(&s->rounds, __ATOMIC_ACQUIRE) < until) {
		struct vw_req q = vw_check(seed, VW_VIA_RW, 0, self->vw.smem);

		ASSERT_EQ(0, s->err) TH_LOG("the drawer failed after %u frames", s->rounds);
		ASSERT_GT(end, now_ms()) TH_LOG("the drawer did only %u frames", s->rounds);
		VW_DO(pfd, &q);
		samples++;
		ASSERT_EQ(self->vw.smem, q.where)
			TH_LOG("%s: panel changed at byte %llu during background drawing (sample %d, frame %u)",
			       what, (unsigned long long)q.where, samples, s->rounds);
	}
}

TEST_F_TIMEOUT(switch, passive_drawing_never_reaches_panel, deadline_s(30))
{
	struct bg_shared *s = vw_scratch();
	struct job *job;
	struct vw_req r;
	struct ct *a, *b;
	int hfd, pfd, ret;

	REQ("VFB-11");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	VW_DRAW(hfd, 0x2001);
	r = vw_fill(0x2002, VW_VIA_RW, 0, self->vw.smem);
	VW_REMOTE(b, &r);

	VW_NEW_JOB(&job);
	ASSERT_EQ(0, job_start(job, a, bg_drawer, 0));
	watch_panel(_metadata, self, pfd, 0x2001, 4, "host active");
	VW_ACTIVATE(b->pid);
	watch_panel(_metadata, self, pfd, 0x2002, 4, "container B active");
	flag_post(&s->stop, 1);
	ret = job_join(job, deadline_ms(4 * STEP_MS));
	ASSERT_EQ(0, ret) TH_LOG("drawer: %d, err %d", ret, s->err);

	/* The drawing did happen, in A's own buffer. */
	VW_EXPECT_REMOTE_CONTENT(a, BG_SEED + s->rounds, 0, self->vw.smem, "A's last frame");
	VW_EXPECT_CONTENT(pfd, 0x2002, 0, self->vw.smem, "panel after the drawing");
	close(pfd);
	close(hfd);
}

/* ---- VFB-12: remap on switch ------------------------------------------- */

#define REMAP_SWITCHES	1000
#define REMAP_STOP	UINT32_MAX

struct remap_shared {
	uint32_t cmd;		/* i + 2: write marker i; REMAP_STOP */
	uint32_t ack[2];	/* 1: mapped and drawn; i + 2: marker i written */
	int err[2];
};

static size_t marker_off(size_t smem, uint32_t i)
{
	return ((size_t)i * 4099 % (smem / 4)) * 4;
}

static uint32_t marker(uint8_t tag, uint32_t i)
{
	return (uint32_t)tag << 24 | 0x800000 | i;
}

static uint32_t base_seed(uint8_t tag)
{
	return 0x3000 + tag;
}

/*
 * A process inside a container holds one mapping for the whole test and,
 * on each command, writes marker i through it.  arg: slot | tag << 8.
 */
static int remap_agent(long arg)
{
	struct remap_shared *s = vw_scratch();
	int slot = (int)(arg & 0xff);
	uint8_t tag = (uint8_t)(arg >> 8);
	uint8_t *map;
	size_t smem;
	uint32_t i;
	int fd;

	fd = open_vfb(&smem, &map, &s->err[slot]);
	if (fd < 0)
		return 1;
	fb_pattern(map, smem, 0, base_seed(tag));
	flag_post(&s->ack[slot], 1);
	for (i = 0;; i++) {
		if (flag_wait(&s->cmd, i + 2, deadline_ms(4 * STEP_MS))) {
			s->err[slot] = -ETIMEDOUT;
			return 1;
		}
		if (__atomic_load_n(&s->cmd, __ATOMIC_ACQUIRE) == REMAP_STOP)
			break;
		*(volatile uint32_t *)(map + marker_off(smem, i)) = marker(tag, i);
		flag_post(&s->ack[slot], i + 2);
	}
	munmap(map, smem);
	close(fd);
	return 0;
}

static uint32_t word_at(struct __test_metadata *_metadata, int fd, size_t off)
{
	uint32_t w = 0;

	EXPECT_EQ(0, fb_pread_all(fd, &w, 4, (off_t)off));
	return w;
}

/* The agent's whole buffer: its base pattern with all markers 0..n-1. */
static void expect_markers(struct __test_metadata *_metadata, FIXTURE_DATA(switch) *self,
			   int fd, uint8_t tag, uint32_t n, const char *what)
{
	uint8_t *want = malloc(self->vw.smem), *got = malloc(self->vw.smem);
	size_t i;

	ASSERT_TRUE(want && got);
	fb_pattern(want, self->vw.smem, 0, base_seed(tag));
	for (uint32_t k = 0; k < n; k++) {
		uint32_t m = marker(tag, k);

		memcpy(want + marker_off(self->vw.smem, k), &m, 4);
	}
	ASSERT_EQ(0, fb_pread_all(fd, got, self->vw.smem, 0));
	for (i = 0; i < self->vw.smem && want[i] == got[i]; i++)
		;
	EXPECT_EQ(self->vw.smem, i) TH_LOG("%s: byte %zu is %#x, want %#x", what, i,
					 i < self->vw.smem ? got[i] : 0, i < self->vw.smem ? want[i] : 0);
	free(want);
	free(got);
}

/*
 * @a and @b (NULL: the host, which draws pattern host_seed itself) take
 * turns on the panel; agents in the containers write a marker through their
 * mapping after every switch.
 */
static void remap(struct __test_metadata *_metadata, FIXTURE_DATA(switch) *self,
		  struct ct *a, struct ct *b, uint32_t host_seed)
{
	struct remap_shared *s = vw_scratch();
	struct ct *side[2] = { a, b };
	const uint8_t tags[2] = { 0xa1, 0xb1 };
	struct job *job[2] = { NULL, NULL };
	int cfd[2] = { -1, -1 }, hfd = -1, pfd, k, ret;
	uint32_t i;

	VW_PANEL_FD(&pfd);
	if (!b) {
		VW_HOST_FD(&hfd);
		VW_DRAW(hfd, host_seed);
	}
	for (k = 0; k < 2; k++) {
		if (!side[k])
			continue;
		VW_CT_FD(&cfd[k], side[k]);
		VW_NEW_JOB(&job[k]);
		ASSERT_EQ(0, job_start(job[k], side[k], remap_agent, k | tags[k] << 8));
		ASSERT_EQ(0, flag_wait(&s->ack[k], 1, deadline_ms(STEP_MS)))
			TH_LOG("agent %d did not start: %d", k, s->err[k]);
	}

	for (i = 0; i < REMAP_SWITCHES; i++) {
		int on = i & 1;		/* which side is active now */
		size_t off = marker_off(self->vw.smem, i);

		if (side[on]) {
			VW_ACTIVATE(side[on]->pid);
		} else {
			VW_ACTIVATE_HOST();
		}
		flag_post(&s->cmd, i + 2);
		for (k = 0; k < 2; k++) {
			if (!side[k])
				continue;
			ASSERT_EQ(0, flag_wait(&s->ack[k], i + 2, deadline_ms(STEP_MS)))
				TH_LOG("switch %u: agent %d did not write (err %d)",
				       i, k, s->err[k]);
		}
		for (k = 0; k < 2; k++) {
			if (!side[k])
				continue;
			ASSERT_EQ(marker(tags[k], i), word_at(_metadata, cfd[k], off))
				TH_LOG("switch %u: the marker of agent %d (%s) is not in its vfb",
				       i, k, k == on ? "active" : "passive");
		}
		if (side[on]) {
			ASSERT_EQ(marker(tags[on], i), word_at(_metadata, pfd, off))
				TH_LOG("switch %u: the active agent's marker is not on the panel", i);
		} else {
			uint32_t want;

			fb_pattern(&want, 4, off, host_seed);
			ASSERT_EQ(want, word_at(_metadata, pfd, off))
				TH_LOG("switch %u: the passive agent's marker reached the panel", i);
		}
	}
	flag_post(&s->cmd, REMAP_STOP);
	for (k = 0; k < 2; k++) {
		if (!side[k])
			continue;
		ret = job_join(job[k], deadline_ms(STEP_MS));
		EXPECT_EQ(0, ret) TH_LOG("agent %d: %d%s", k, ret,
					 ret == -1000 - SIGBUS ? " (SIGBUS)" : "");
	}

	/* Every marker is where it belongs, and nowhere else. */
	for (k = 0; k < 2; k++) {
		if (!side[k])
			continue;
		expect_markers(_metadata, self, cfd[k], tags[k], REMAP_SWITCHES,
			       k ? "B's vfb" : "A's vfb");
		VW_ACTIVATE(side[k]->pid);
		expect_markers(_metadata, self, pfd, tags[k], REMAP_SWITCHES,
			       k ? "panel with B active" : "panel with A active");
		close(cfd[k]);
	}
	if (hfd >= 0) {
		VW_EXPECT_CONTENT(hfd, host_seed, 0, self->vw.smem, "the host's vfb");
		close(hfd);
	}
	close(pfd);
}

TEST_F_TIMEOUT(switch, mapping_follows_switches_host_and_container, deadline_s(40))
{
	struct ct *a;

	REQ("VFB-12");
	REQUIRE_VFB();
	VW_NEW_CT(&a);
	remap(_metadata, self, a, NULL, 0x3abc);
}

TEST_F_TIMEOUT(switch, mappings_follow_switches_between_containers, deadline_s(40))
{
	struct ct *a, *b;

	REQ("VFB-12");
	REQUIRE_VFB();
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	remap(_metadata, self, a, b, 0);
}

/* ---- VFB-13: save and restore ------------------------------------------ */

#define SR_CYCLES 10

/*
 * Three dev_ns, each in a mode of the panel's list (a different one each,
 * rotating, so every mode is exercised), each with its own picture, taking
 * turns on the panel: after every switch the panel shows the active one's
 * mode and picture exactly; at the end every picture is intact.
 */
TEST_F_TIMEOUT(switch, contents_survive_switches_in_every_mode, deadline_s(60))
{
	struct ct *a, *b;
	int hfd, fds[3], pfd;
	pid_t pids[3];

	REQ("VFB-13", "VFB-16");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	VW_NEW_CT(&a);
	VW_NEW_CT(&b);
	VW_CT_FD(&fds[0], a);
	VW_CT_FD(&fds[1], b);
	fds[2] = hfd;
	pids[0] = a->pid;
	pids[1] = b->pid;
	pids[2] = getpid();

	for (int m = 0; m < self->vw.nmodes; m++) {
		struct fb_mode_size mode[3];
		uint32_t seeds[3];

		for (int n = 0; n < 3; n++) {
			struct vw_req r;

			mode[n] = self->vw.modes[(m + n) % self->vw.nmodes];
			seeds[n] = 0x5000 + (uint32_t)(m * 16 + n + 1);
			r = vw_mode(mode[n].xres, mode[n].yres, mode[n].xres, mode[n].yres);
			VW_DO(fds[n], &r);
			r = vw_fill(seeds[n], (m + n) & 1 ? VW_VIA_MMAP : VW_VIA_RW, 0, self->vw.smem);
			VW_DO(fds[n], &r);
		}
		for (int i = 0; i < 3 * SR_CYCLES; i++) {
			struct fb_var_screeninfo pv;
			int n = i % 3;

			VW_ACTIVATE(pids[n]);
			ASSERT_EQ(0, ioctl(pfd, FBIOGET_VSCREENINFO, &pv));
			ASSERT_EQ(mode[n].xres, pv.xres) TH_LOG("mode set %d, switch %d", m, i);
			ASSERT_EQ(mode[n].yres, pv.yres) TH_LOG("mode set %d, switch %d", m, i);
			if (i % 3 == (i / 3) % 3 || i >= 3 * SR_CYCLES - 3)
				VW_EXPECT_CONTENT(pfd, seeds[n], 0, self->vw.smem, "panel after a switch");
		}
		for (int n = 0; n < 3; n++)
			VW_EXPECT_CONTENT(fds[n], seeds[n], 0, self->vw.smem,
					  n == 2 ? "host after the switches" : "container after the switches");
	}
	close(fds[0]);
	close(fds[1]);
	close(pfd);
	close(hfd);
}

TEST_F(switch, contents_survive_closing_every_file)
{
	struct vw_req r;
	struct ct *a;
	int hfd, pfd;

	REQ("VFB-13");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	VW_DRAW(hfd, 0x6001);
	VW_NEW_CT(&a);

	/* Each remote operation opens and closes A's only file. */
	r = vw_fill(0x6002, VW_VIA_MMAP, 0, self->vw.smem);
	VW_REMOTE(a, &r);
	VW_EXPECT_REMOTE_CONTENT(a, 0x6002, 0, self->vw.smem, "A (passive) after closing");
	VW_ACTIVATE(a->pid);
	VW_EXPECT_CONTENT(pfd, 0x6002, 0, self->vw.smem, "panel after activating A with no file open");
	r = vw_fill(0x6003, VW_VIA_RW, 0, self->vw.smem / 2);
	VW_REMOTE(a, &r);
	VW_ACTIVATE_HOST();
	VW_EXPECT_CONTENT(pfd, 0x6001, 0, self->vw.smem, "panel back on the host");
	VW_EXPECT_REMOTE_CONTENT(a, 0x6003, 0, self->vw.smem / 2, "A saved with no file open");
	VW_EXPECT_REMOTE_CONTENT(a, 0x6002, self->vw.smem / 2, self->vw.smem - self->vw.smem / 2,
				 "A saved with no file open (second half)");
	VW_ACTIVATE(a->pid);
	VW_EXPECT_CONTENT(pfd, 0x6003, 0, self->vw.smem / 2, "panel on A again");
	close(pfd);
	close(hfd);
}

TEST_F(switch, panel_black_when_active_ns_has_no_vfb)
{
	struct impl_report rep;
	struct vw_req r;
	struct ct *c, *d;
	int hfd, pfd;

	REQ("VFB-13");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_PANEL_FD(&pfd);
	VW_DRAW(hfd, 0x7001);
	VW_NEW_CT(&c);			/* never opens the vfb */
	VW_NEW_CT(&d);
	r = vw_fill(0x7002, VW_VIA_RW, 0, self->vw.smem);
	VW_REMOTE(d, &r);

	VW_ACTIVATE(c->pid);
	VW_EXPECT_CONTENT(pfd, 0, 0, self->vw.smem, "panel with a dev_ns without vfb after the host");
	if (impl_has(IMPL_CAP_PANEL_STATE)) {
		ASSERT_EQ(0, self->vw.im->report(&rep));
		EXPECT_EQ(0, rep.panel_owner);
	}
	VW_ACTIVATE(d->pid);
	VW_EXPECT_CONTENT(pfd, 0x7002, 0, self->vw.smem, "panel on D");
	VW_ACTIVATE(c->pid);
	VW_EXPECT_CONTENT(pfd, 0, 0, self->vw.smem, "panel with a dev_ns without vfb after D");
	VW_ACTIVATE_HOST();
	VW_EXPECT_CONTENT(pfd, 0x7001, 0, self->vw.smem, "panel back on the host");
	VW_EXPECT_REMOTE_CONTENT(d, 0x7002, 0, self->vw.smem, "D");
	close(pfd);
	close(hfd);
}

/* ---- VFB-16: the panel ------------------------------------------------- */

TEST_F(switch, panel_takes_active_state_at_once)
{
	struct fb_var_screeninfo pv;
	struct fb_fix_screeninfo pf;
	uint16_t want[3][256], got[3][256];
	struct impl_report rep;
	unsigned int x, y, yv;
	struct vw_req r;
	struct ct *a;
	int hfd;

	REQ("VFB-16");
	REQUIRE_VFB();
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	vw_pannable_mode(&self->vw, &x, &y, &yv);
	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	VW_ACTIVATE(a->pid);

	/* While A is active, each of its changes is on the panel at once. */
	r = vw_mode(x, y, x, yv);
	VW_REMOTE(a, &r);
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_EQ(x, pv.xres);
	EXPECT_EQ(y, pv.yres);
	EXPECT_EQ(yv, pv.yres_virtual);
	ASSERT_EQ(0, vw_panel_fix(&pf));
	r = vw_op(VW_GET);
	VW_REMOTE(a, &r);
	EXPECT_EQ(r.fix.line_length, pf.line_length) TH_LOG("panel line_length after A's mode change");

	r = vw_op(VW_PAN);
	r.yoffset = yv - y;
	VW_REMOTE(a, &r);
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_EQ(yv - y, pv.yoffset) TH_LOG("A's pan is not on the panel");

	r = vw_op(VW_PUTCMAP);
	r.seed = 0x99;
	VW_REMOTE(a, &r);
	vw_cmap_fill(want, 0x99);
	ASSERT_EQ(0, vw_panel_cmap(got));
	EXPECT_EQ(0, memcmp(want, got, sizeof(want))) TH_LOG("A's cmap is not on the panel");

	if (impl_has(IMPL_CAP_PANEL_STATE)) {
		r = vw_op(VW_BLANK);
		r.blank = FB_BLANK_VSYNC_SUSPEND;
		VW_REMOTE(a, &r);
		ASSERT_EQ(0, self->vw.im->report(&rep));
		EXPECT_EQ(FB_BLANK_VSYNC_SUSPEND, rep.panel_blank);
		EXPECT_NE(0, rep.panel_owner);
		r.blank = FB_BLANK_UNBLANK;
		VW_REMOTE(a, &r);
		ASSERT_EQ(0, self->vw.im->report(&rep));
		EXPECT_EQ(FB_BLANK_UNBLANK, rep.panel_blank);
	}

	/* The host's mode comes back with the host. */
	VW_ACTIVATE_HOST();
	ASSERT_EQ(0, vw_panel_var(&pv));
	EXPECT_EQ(self->vw.modes[0].xres, pv.xres);
	EXPECT_EQ(self->vw.modes[0].yres, pv.yres);
	EXPECT_EQ(0, pv.yoffset);
	ASSERT_EQ(0, vw_panel_fix(&pf));
	EXPECT_EQ(self->vw.modes[0].xres * 4, pf.line_length);
	close(hfd);
}

/* For the host the panel is an ordinary fbdev: read and mmap show the active picture. */
TEST_F(switch, panel_is_an_ordinary_fbdev)
{
	struct fb_fix_screeninfo pf;
	struct vw_req r;
	uint8_t *map;
	struct ct *a;
	int pfd;

	REQ("VFB-16");
	REQUIRE_VFB();
	VW_NEW_CT(&a);
	VW_PANEL_FD(&pfd);
	ASSERT_EQ(0, ioctl(pfd, FBIOGET_FSCREENINFO, &pf));
	EXPECT_STREQ(DEVNS_PANEL_ID, pf.id);
	EXPECT_EQ(self->vw.smem, pf.smem_len);
	map = mmap(NULL, self->vw.smem, PROT_READ, MAP_SHARED, pfd, 0);
	ASSERT_TRUE(map != MAP_FAILED) TH_LOG("mmap panel: %s", strerror(errno));

	r = vw_fill(0x8001, VW_VIA_MMAP, 0, self->vw.smem);
	VW_REMOTE(a, &r);
	VW_ACTIVATE(a->pid);
	VW_EXPECT_CONTENT(pfd, 0x8001, 0, self->vw.smem, "panel read");
	EXPECT_EQ(self->vw.smem, fb_pattern_find(map, self->vw.smem, 0, 0x8001)) TH_LOG("panel mapping");
	r = vw_fill(0x8002, VW_VIA_RW, 4096, 8192);
	VW_REMOTE(a, &r);
	EXPECT_EQ(8192, fb_pattern_find(map + 4096, 8192, 4096, 0x8002))
		TH_LOG("panel mapping after the active container's write");
	munmap(map, self->vw.smem);
	close(pfd);
}

TEST_HARNESS_MAIN
