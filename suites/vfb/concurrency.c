// SPDX-License-Identifier: GPL-2.0
/*
 * VFB-14: writers in the host and in three containers draw numbered frames,
 * region by region, some regions through a mapping and some by pwrite,
 * while the test switches the panel among them continuously.  Every pixel
 * carries its namespace's tag in its top byte, so a panel sample taken while
 * one namespace is active must show that tag only; at the end each
 * namespace holds exactly its last frame.  The amount of switching is a
 * fixed count (DEVNS_STRESS=full: the 10,000-switch stress); deadlines only
 * catch writers that stopped making progress.
 */
#include "vfb_fixture.h"

VW_WORLD_FIXTURE(concurrency)

#define CC_NS		4	/* the host and three containers */
#define CC_REGIONS	16
#define STRESS_SWITCHES	1000	/* by default: the stress test's switches */

struct cc_writer {
	uint32_t rounds;	/* complete frames */
	uint32_t last;		/* frame number of the final frame */
	int err;
	unsigned int xres, yres;	/* mode it draws in */
	/* A frame that did not read back as written: */
	uint32_t bad_round;
	uint64_t bad_off;
	uint32_t bad_word;
};

struct cc_shared {
	uint32_t stop;
	int64_t end_ms;		/* writers give up after the test's timeout (CLOCK_MONOTONIC) */
	struct cc_writer w[CC_NS];
};

static uint8_t cc_tag(int n)
{
	return (uint8_t)(0x10 + n);
}

/* Writer @n: frame after frame until told to stop, always finishing a frame. */
static int cc_writer(long n)
{
	struct cc_shared *s = vw_scratch();
	struct cc_writer *w = &s->w[n];
	struct fb_fix_screeninfo fix;
	size_t smem, region;
	uint8_t *map, *buf, *frame;
	uint32_t round;
	size_t at;
	int fd, ret;

	/* Leave the switcher a CPU: it, not the drawing, sets the pace of the test. */
	if (nice(19) < 0) {
		w->err = -errno;
		return 1;
	}
	fd = fb_open(FB_VFB);
	if (fd < 0) {
		w->err = fd;
		return 1;
	}
	ret = fb_set_mode(fd, w->xres, w->yres, w->xres, w->yres, NULL);
	if (ret || ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		w->err = ret ? ret : -errno;
		return 1;
	}
	smem = fix.smem_len;
	region = smem / CC_REGIONS;
	map = fb_map(fd, smem);
	buf = malloc(region);
	frame = malloc(smem);
	if (!map || !buf || !frame) {
		w->err = -ENOMEM;
		return 1;
	}
	for (round = 0;; round++) {
		for (size_t r = 0; r < CC_REGIONS; r++) {
			size_t off = r * region;

			if ((r + (size_t)n) & 1) {
				vw_tagged(map + off, region, off, cc_tag((int)n), round);
			} else {
				vw_tagged(buf, region, off, cc_tag((int)n), round);
				ret = fb_pwrite_all(fd, buf, region, (off_t)off);
				if (ret) {
					w->err = ret;
					return 1;
				}
			}
		}
		/*
		 * Every frame must read back whole, through the file or the
		 * mapping alike, wherever the switches moved it meanwhile: a
		 * write lost in any frame is caught, not only in the last.
		 */
		if (round & 1) {
			ret = fb_pread_all(fd, frame, smem, 0);
			if (ret) {
				w->err = ret;
				return 1;
			}
			at = vw_tagged_find(frame, smem, 0, cc_tag((int)n), round);
		} else {
			at = vw_tagged_find(map, smem, 0, cc_tag((int)n), round);
		}
		if (at < smem) {
			w->bad_round = round;
			w->bad_off = at;
			w->bad_word = round & 1 ? *(uint32_t *)(frame + at) : *(uint32_t *)(map + at);
			w->err = -EIO;
			return 1;
		}
		flag_post(&w->rounds, round + 1);
		if (__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
			break;
		if (now_ms() > s->end_ms) {
			w->err = -ETIMEDOUT;
			return 1;
		}
	}
	w->last = round;
	munmap(map, smem);
	free(frame);
	free(buf);
	close(fd);
	return 0;
}

/* Whole content of @fd is frame @round of namespace @n. */
static void expect_frame(struct __test_metadata *_metadata, FIXTURE_DATA(concurrency) *self,
			 int fd, int n, uint32_t round, const char *what)
{
	uint8_t *buf = malloc(self->vw.smem);
	size_t at;

	ASSERT_TRUE(buf != NULL);
	ASSERT_EQ(0, fb_pread_all(fd, buf, self->vw.smem, 0));
	at = vw_tagged_find(buf, self->vw.smem, 0, cc_tag(n), round);
	EXPECT_EQ(self->vw.smem, at)
		TH_LOG("%s (namespace %d): byte %zu is %#x, want %#x (frame %u)", what, n, at,
		       at < self->vw.smem ? *(uint32_t *)(buf + at) : 0,
		       vw_tagged_word(cc_tag(n), round, at / 4), round);
	free(buf);
}

static uint32_t rng_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void no_lost_writes(struct __test_metadata *_metadata, FIXTURE_DATA(concurrency) *self,
			   int switches, size_t stride)
{
	struct cc_shared *s = vw_scratch();
	struct job *job[CC_NS];
	uint32_t start_rounds[CC_NS], rng = 0x2545f491;
	uint64_t ids[CC_NS];
	int fds[CC_NS], pfd, n, i, cur = 0, judged = 0, bad = 0;
	pid_t pids[CC_NS];
	const uint32_t *panel;
	int64_t end = 0;	/* once @switches are done: writers must progress before it */
	bool progressed = false;

	VW_HOST_FD(&fds[0]);
	pids[0] = getpid();
	for (n = 1; n < CC_NS; n++) {
		struct ct *c;

		VW_NEW_CT(&c);
		VW_CT_FD(&fds[n], c);	/* before the writer occupies the container */
		pids[n] = c->pid;
	}
	for (n = 0; n < CC_NS; n++) {
		ids[n] = pidns_id(pids[n]);
		ASSERT_NE(0, ids[n]);
		s->w[n].xres = self->vw.modes[n % self->vw.nmodes].xres;
		s->w[n].yres = self->vw.modes[n % self->vw.nmodes].yres;
	}
	VW_PANEL_FD(&pfd);
	panel = mmap(NULL, self->vw.smem, PROT_READ, MAP_SHARED, pfd, 0);
	ASSERT_TRUE(panel != MAP_FAILED) TH_LOG("mmap panel: %s", strerror(errno));

	/* No writer outlives the test, whatever happens to the test. */
	s->end_ms = now_ms() + 1000LL * _metadata->timeout;
	for (n = 0; n < CC_NS; n++) {
		VW_NEW_JOB(&job[n]);
		if (n == 0) {
			ASSERT_EQ(0, job_start(job[n], NULL, cc_writer, n));
		} else {
			ASSERT_EQ(0, job_start(job[n], &self->vw.ct[n - 1], cc_writer, n));
		}
	}
	/* Every pixel of every namespace is tagged before the switching starts. */
	for (n = 0; n < CC_NS; n++) {
		int64_t first = now_ms() + deadline_ms(10000);

		/* A writer that failed says so at once: do not wait for it. */
		while (flag_wait(&s->w[n].rounds, 1, deadline_ms(100)) && !s->w[n].err)
			ASSERT_GT(first, now_ms()) TH_LOG("writer %d: no first frame", n);
		ASSERT_EQ(0, s->w[n].err)
			TH_LOG("writer %d: first frame: err %d (frame %u read back %#x at byte %llu)",
			       n, s->w[n].err, s->w[n].bad_round, s->w[n].bad_word,
			       (unsigned long long)s->w[n].bad_off);
		start_rounds[n] = __atomic_load_n(&s->w[n].rounds, __ATOMIC_ACQUIRE);
	}

	for (i = 0; i < switches || !progressed; i++) {
		struct impl_state before, after;
		size_t k, words = self->vw.smem / 4;

		if (i == switches)
			end = now_ms() + deadline_ms(10000);
		if (i >= switches)
			ASSERT_GT(end, now_ms())
				TH_LOG("%d switches done; a writer made no progress meanwhile", i);
		for (int w = 0; w < CC_NS; w++) {
			ASSERT_EQ(0, s->w[w].err)
				TH_LOG("switch %d: writer %d: frame %u read back %#x at byte %llu, want %#x",
				       i, w, s->w[w].bad_round, s->w[w].bad_word,
				       (unsigned long long)s->w[w].bad_off,
				       vw_tagged_word(cc_tag(w), s->w[w].bad_round, s->w[w].bad_off / 4));
		}
		n = (cur + 1 + (int)(rng_next(&rng) % (CC_NS - 1))) % CC_NS;
		VW_ACTIVATE(pids[n]);
		cur = n;

		/* Sample the panel; judge it only if no switch can have happened meanwhile. */
		VW_STATE(&before);
		for (k = (size_t)i % stride; k < words; k += stride) {
			uint32_t px = __atomic_load_n(&panel[k], __ATOMIC_RELAXED);

			if (vw_tag_of(px) != cc_tag(n) && bad++ < 5)
				TH_LOG("switch %d: panel word %zu is %#x while namespace %d (tag %#x) is active",
				       i, k, px, n, cc_tag(n));
		}
		VW_STATE(&after);
		ASSERT_EQ(before.generation, after.generation) TH_LOG("someone else switched");
		ASSERT_EQ(ids[n], after.active_id) TH_LOG("switch %d: another namespace is active", i);
		judged++;
		if (bad)
			break;
		if (i >= switches && !(i % 16)) {
			progressed = true;
			for (int w = 0; w < CC_NS; w++)
				if (__atomic_load_n(&s->w[w].rounds, __ATOMIC_ACQUIRE) < start_rounds[w] + 2)
					progressed = false;
		}
	}
	EXPECT_EQ(0, bad) TH_LOG("a passive namespace's pixels were on the panel");
	flag_post(&s->stop, 1);
	for (n = 0; n < CC_NS; n++) {
		int ret = job_join(job[n], deadline_ms(10000));

		EXPECT_EQ(0, ret) TH_LOG("writer %d: %d, err %d (frame %u read back %#x at byte %llu)",
					 n, ret, s->w[n].err, s->w[n].bad_round, s->w[n].bad_word,
					 (unsigned long long)s->w[n].bad_off);
	}
	TH_LOG("%d switches (%d samples judged); frames per writer: %u %u %u %u", i, judged,
	       s->w[0].last + 1, s->w[1].last + 1, s->w[2].last + 1, s->w[3].last + 1);
	ASSERT_EQ(i, judged);

	/* Each namespace ends with exactly its last frame: read in place, then on the panel. */
	for (n = 0; n < CC_NS; n++)
		expect_frame(_metadata, self, fds[n], n, s->w[n].last, "vfb read in its namespace");
	for (n = 0; n < CC_NS; n++) {
		VW_ACTIVATE(pids[n]);
		expect_frame(_metadata, self, pfd, n, s->w[n].last, "panel with the namespace active");
		close(fds[n]);
	}
	munmap((void *)panel, self->vw.smem);
	close(pfd);
}

TEST_F_TIMEOUT(concurrency, no_lost_writes_while_switching, deadline_s(30))
{
	REQ("VFB-14");
	REQUIRE_VFB();
	no_lost_writes(_metadata, self, 500, 61);
}

/* 10,000 switches with DEVNS_STRESS=full. */
TEST_F_TIMEOUT(concurrency, no_lost_writes_stress, deadline_s(stress_count(60, 300)))
{
	int switches = stress_count(STRESS_SWITCHES, 10000);

	REQ("VFB-14");
	REQUIRE_VFB();
	TH_LOG("%d switches (DEVNS_STRESS=full: 10000)", switches);
	no_lost_writes(_metadata, self, switches, 997);
}

TEST_HARNESS_MAIN
