// SPDX-License-Identifier: GPL-2.0
/*
 * DMG-4..10: damage tracking.  A damage view (impl()->vfb_view() with
 * IMPL_VIEW_DAMAGE) hands over, at each impl()->vfb_damage(), the pages of
 * its namespace's picture written since its last call, and flags for what
 * changes every pixel.  Each test draws into container A's vfb through a
 * mapping this process holds of A's own vfb file (so the stores are A's),
 * through write(), from processes in A, or through configuration changes,
 * and checks exactly which pages the view is told about.  Variants: A
 * passive (its backing store) or active (the panel).
 */
#include <poll.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "vfb_fixture.h"

#define PAGE		4096u

FIXTURE(damage) {
	struct vw_world vw;
	struct ct *a;
	int fd;			/* A's vfb, opened in A */
	uint8_t *map;		/* all of it, MAP_SHARED, read-write */
	int v;			/* a damage view of A, its first FULL fetched */
	size_t npages;
	uint64_t *bits;		/* room for npages bits */
	uint64_t *want;
};

FIXTURE_VARIANT(damage) {
	bool active;		/* A is the active namespace */
};

FIXTURE_VARIANT_ADD(damage, passive) {
	.active = false,
};

FIXTURE_VARIANT_ADD(damage, active) {
	.active = true,
};

#define WORDS(n)	(((n) + 63) / 64)

/* A damage view of @pid's namespace, or fail the test. */
#define DMG_VIEW(vp, pid)							\
	do {									\
		*(vp) = self->vw.im->vfb_view(self->vw.fd, (pid),		\
					      IMPL_VIEW_CLOEXEC | IMPL_VIEW_DAMAGE); \
		ASSERT_LE(0, *(vp)) TH_LOG("damage view: %s", strerror(-*(vp))); \
	} while (0)

/* One fetch from view @v into self->bits and *@d: 0 or -errno. */
static int fetch(int v, uint64_t *bits, size_t npages, struct impl_damage *d)
{
	memset(bits, 0, WORDS(npages) * 8);
	*d = (struct impl_damage){ .bitmap = bits, .nbits = (uint32_t)npages };
	return impl()->vfb_damage(v, d);
}

#define FETCH(v, d)								\
	do {									\
		int _r = fetch((v), self->bits, self->npages, (d));		\
		ASSERT_EQ(0, _r) TH_LOG("fetch: %s", strerror(-_r));		\
	} while (0)

static bool has_bit(const uint64_t *b, size_t p)
{
	return b[p / 64] >> (p % 64) & 1;
}

static void set_bit(uint64_t *b, size_t p)
{
	b[p / 64] |= 1ull << (p % 64);
}

static size_t count_bits(const uint64_t *b, size_t n)
{
	size_t p, c = 0;

	for (p = 0; p < n; p++)
		c += has_bit(b, p);
	return c;
}

/* First page where @a and @b differ, or @n. */
static size_t first_diff(const uint64_t *a, const uint64_t *b, size_t n)
{
	size_t p;

	for (p = 0; p < n; p++)
		if (has_bit(a, p) != has_bit(b, p))
			return p;
	return n;
}

/* Fetch from @v: flags @fl, exactly the pages in self->want. */
#define EXPECT_DAMAGE(v, fl, what)						\
	do {									\
		struct impl_damage _d;						\
		size_t _p;							\
		FETCH((v), &_d);						\
		EXPECT_EQ((uint32_t)(fl), _d.flags) TH_LOG("%s: flags", (what)); \
		_p = first_diff(self->bits, self->want, self->npages);		\
		EXPECT_EQ(self->npages, _p)					\
			TH_LOG("%s: page %zu %s (%zu pages reported, %zu expected)", \
			       (what), _p, _p < self->npages && has_bit(self->want, _p) ? \
			       "missed" : "reported but not written",		\
			       count_bits(self->bits, self->npages),		\
			       count_bits(self->want, self->npages));		\
		memset(self->want, 0, WORDS(self->npages) * 8);			\
	} while (0)

/* Fetch until nothing is left, or fail. */
#define DRAIN(v)								\
	do {									\
		struct impl_damage _d;						\
		int _i;								\
		for (_i = 0; _i < 4; _i++) {					\
			FETCH((v), &_d);					\
			if (!_d.flags && _d.first == _d.last)			\
				break;						\
		}								\
		ASSERT_GT(4, _i) TH_LOG("damage never drained");		\
	} while (0)

/* Store @val into page @p of A's picture through self->map; expect it. */
#define STORE(p, val)								\
	do {									\
		((volatile uint32_t *)(self->map + (size_t)(p) * PAGE))[7] = (val); \
		set_bit(self->want, (p));					\
	} while (0)

/* The view shows @val where STORE(p, val) put it. */
#define EXPECT_SHOWN(v, p, val)							\
	do {									\
		uint32_t _w = 0;						\
		EXPECT_EQ(4, pread((v), &_w, 4, (off_t)(p) * PAGE + 28));	\
		EXPECT_EQ((uint32_t)(val), _w) TH_LOG("view at page %zu", (size_t)(p)); \
	} while (0)

FIXTURE_SETUP(damage)
{
	vw_world_setup(_metadata, &self->vw);
	self->fd = self->v = -1;
	self->map = MAP_FAILED;
	self->bits = self->want = NULL;
	if (!impl_has(IMPL_CAP_VFB | IMPL_CAP_DAMAGE))
		return;		/* the tests skip */
	VW_NEW_CT(&self->a);
	if (variant->active)
		VW_ACTIVATE(self->a->pid);
	VW_CT_FD(&self->fd, self->a);
	self->map = mmap(NULL, self->vw.smem, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, self->map) TH_LOG("mmap A's vfb: %s", strerror(errno));
	self->npages = self->vw.smem / PAGE;
	self->bits = calloc(WORDS(self->npages), 8);
	self->want = calloc(WORDS(self->npages), 8);
	ASSERT_TRUE(self->bits && self->want);
	DMG_VIEW(&self->v, self->a->pid);
	DRAIN(self->v);
}

FIXTURE_TEARDOWN(damage)
{
	if (self->map != MAP_FAILED)
		munmap(self->map, self->vw.smem);
	if (self->v >= 0)
		close(self->v);
	if (self->fd >= 0)
		close(self->fd);
	free(self->bits);
	free(self->want);
	vw_world_teardown(&self->vw);
}

#define REQUIRE_DAMAGE()							\
	do {									\
		REQUIRE_VFB();							\
		REQUIRE_CAP(IMPL_CAP_DAMAGE);					\
	} while (0)

TEST_F(damage, the_first_fetch_is_full_then_nothing_is_left)
{
	struct impl_damage d, again;
	int v;

	REQ("DMG-6", "DMG-8");
	REQUIRE_DAMAGE();
	DMG_VIEW(&v, self->a->pid);
	FETCH(v, &d);
	EXPECT_EQ(IMPL_DAMAGE_FULL, d.flags);
	EXPECT_EQ(self->npages, d.nbits) TH_LOG("nbits is the picture's pages");
	FETCH(v, &again);
	EXPECT_EQ(0, again.flags);
	EXPECT_EQ(again.first, again.last) TH_LOG("pages %u..%u", again.first, again.last);
	EXPECT_EQ(0, count_bits(self->bits, self->npages));
	EXPECT_EQ(d.seq, again.seq) TH_LOG("nothing changed, the sequence number moved");
	close(v);
}

TEST_F(damage, stores_through_a_mapping_are_reported_exactly)
{
	size_t pages[] = { 0, 1, self->npages / 2, self->npages - 1 };
	struct impl_damage d;
	size_t i;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	for (i = 0; i < 4; i++)
		STORE(pages[i], 0x5100 + i);
	EXPECT_DAMAGE(self->v, 0, "four stores");
	for (i = 0; i < 4; i++)
		EXPECT_SHOWN(self->v, pages[i], 0x5100 + i);
	FETCH(self->v, &d);
	EXPECT_EQ(d.first, d.last) TH_LOG("reported twice");
}

/* The fetch re-arms: the next store to the same page is reported again. */
TEST_F(damage, a_page_stored_after_a_fetch_is_reported_again)
{
	size_t p = self->npages / 3;
	uint32_t round;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	for (round = 1; round <= 4; round++) {
		STORE(p, round);
		STORE(p + 1, round);
		EXPECT_DAMAGE(self->v, 0, "a store after the last fetch");
		EXPECT_SHOWN(self->v, p, round);
	}
}

TEST_F(damage, reads_are_not_damage)
{
	volatile uint32_t sum = 0;
	size_t p;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	for (p = 0; p < self->npages; p++)
		sum += ((volatile uint32_t *)(self->map + p * PAGE))[3];
	EXPECT_DAMAGE(self->v, 0, "reads only");
	(void)sum;
}

TEST_F(damage, write_reports_every_page_it_touches)
{
	size_t len = 2 * PAGE + 20, p;
	off_t off = 3 * PAGE - 10;
	char *buf = malloc(len);

	REQ("DMG-5");
	REQUIRE_DAMAGE();
	ASSERT_NE(NULL, buf);
	memset(buf, 0x7e, len);
	ASSERT_EQ((ssize_t)len, pwrite(self->fd, buf, len, off));
	for (p = 2; p <= 5; p++)
		set_bit(self->want, p);
	ASSERT_EQ(1, pwrite(self->fd, buf, 1, 10 * PAGE - 1));
	set_bit(self->want, 9);
	EXPECT_DAMAGE(self->v, 0, "unaligned pwrites");
	free(buf);
}

/* A 64x64 rectangle reports the pages of its rows, not the screen. */
TEST_F(damage, a_small_rectangle_reports_only_its_pages)
{
	struct fb_fix_screeninfo fix;
	size_t y, line, start, end, p;

	REQ("DMG-5");
	REQUIRE_DAMAGE();
	ASSERT_EQ(0, ioctl(self->fd, FBIOGET_FSCREENINFO, &fix));
	line = fix.line_length;
	for (y = 96; y < 96 + 64; y++) {
		start = y * line + 128 * 4;
		end = start + 64 * 4;
		memset(self->map + start, 0x3c, end - start);
		for (p = start / PAGE; p <= (end - 1) / PAGE; p++)
			set_bit(self->want, p);
	}
	EXPECT_LT(count_bits(self->want, self->npages), self->npages / 4);
	EXPECT_DAMAGE(self->v, 0, "a 64x64 rectangle");
}

/* Stores through a second mapping and from a fork, before and after a fetch. */
TEST_F(damage, every_mapping_and_process_is_tracked)
{
	uint8_t *second;
	size_t p = self->npages / 2;
	int round;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	second = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 8 * PAGE);
	ASSERT_NE(MAP_FAILED, second);
	for (round = 1; round <= 2; round++) {
		pid_t child = fork();
		int status;

		ASSERT_LE(0, child);
		if (!child) {
			((volatile uint32_t *)(self->map + p * PAGE))[7] = round;
			_exit(0);
		}
		ASSERT_EQ(child, waitpid(child, &status, 0));
		ASSERT_EQ(0, status);
		set_bit(self->want, p);
		((volatile uint32_t *)(second + PAGE))[0] = round;
		set_bit(self->want, 9);
		EXPECT_DAMAGE(self->v, 0, round == 1 ? "a fork and a second mapping" :
			      "the same, after a fetch");
		EXPECT_SHOWN(self->v, p, round);
	}
	munmap(second, 4 * PAGE);
}

/* mprotect back to writable does not make a page writable unseen. */
TEST_F(damage, mprotect_cannot_hide_a_store)
{
	size_t p = 5;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	STORE(p, 1);
	EXPECT_DAMAGE(self->v, 0, "the first store");
	ASSERT_EQ(0, mprotect(self->map, self->vw.smem, PROT_READ));
	ASSERT_EQ(0, mprotect(self->map, self->vw.smem, PROT_READ | PROT_WRITE));
	STORE(p, 2);
	EXPECT_DAMAGE(self->v, 0, "a store after mprotect(READ) then (READ|WRITE)");
	EXPECT_SHOWN(self->v, p, 2);
}

TEST_F(damage, stores_of_a_process_that_exited_are_kept)
{
	size_t p = self->npages - 2;
	pid_t child;
	int status;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		uint8_t *m = mmap(NULL, self->vw.smem, PROT_READ | PROT_WRITE, MAP_SHARED,
				  self->fd, 0);

		if (m == MAP_FAILED)
			_exit(1);
		((volatile uint32_t *)(m + p * PAGE))[7] = 0xe817;
		munmap(m, self->vw.smem);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, status);
	set_bit(self->want, p);
	EXPECT_DAMAGE(self->v, 0, "a store by a process now gone");
	EXPECT_SHOWN(self->v, p, 0xe817);
}

/* A page made writable while nobody watched is tracked once a view opens. */
TEST_F(damage, mappings_written_before_the_view_are_tracked)
{
	size_t p = 11;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	close(self->v);
	self->v = -1;
	STORE(p, 1);
	DMG_VIEW(&self->v, self->a->pid);
	DRAIN(self->v);
	memset(self->want, 0, WORDS(self->npages) * 8);
	STORE(p, 2);
	EXPECT_DAMAGE(self->v, 0, "a store to a page written before the view opened");
}

static int poll_view(long fd)
{
	struct pollfd p = { .fd = (int)fd, .events = POLLIN };
	int r = poll(&p, 1, deadline_ms(10000));

	return r == 1 && (p.revents & POLLIN) ? 1 : 100 + r;
}

TEST_F(damage, poll_wakes_a_viewer_at_the_first_store)
{
	struct pollfd p = { .fd = self->v, .events = POLLIN };
	struct job *j;

	REQ("DMG-8");
	REQUIRE_DAMAGE();
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("POLLIN with no damage (revents %#x)", p.revents);
	VW_NEW_JOB(&j);
	ASSERT_EQ(0, job_start(j, NULL, poll_view, self->v));
	ASSERT_EQ(0, proc_wait_blocked(j->pid, SYS_poll, deadline_ms(5000)));
	STORE(3, 1);
	EXPECT_EQ(1, job_join(j, deadline_ms(5000))) TH_LOG("the waiting poll() did not wake");
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_DAMAGE(self->v, 0, "the store that woke it");
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("POLLIN after the fetch");
}

TEST_F(damage, the_sequence_number_counts_changes)
{
	struct impl_damage d0, d1, d2, d3;
	uint32_t px = 1;

	REQ("DMG-8");
	REQUIRE_DAMAGE();
	FETCH(self->v, &d0);
	STORE(4, 1);
	FETCH(self->v, &d1);
	EXPECT_LT(d0.seq, d1.seq) TH_LOG("a store");
	ASSERT_EQ(4, pwrite(self->fd, &px, 4, 0));
	FETCH(self->v, &d2);
	EXPECT_LT(d1.seq, d2.seq) TH_LOG("a write()");
	FETCH(self->v, &d3);
	EXPECT_EQ(d2.seq, d3.seq) TH_LOG("nothing happened");
}

TEST_F(damage, mode_pan_cmap_and_blank_report_everything)
{
	unsigned int x, y, yv;
	struct vw_req r;

	REQ("DMG-6");
	REQUIRE_DAMAGE();
	vw_pannable_mode(&self->vw, &x, &y, &yv);
	r = vw_mode(x, y, x, yv);
	VW_DO(self->fd, &r);
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL | IMPL_DAMAGE_MODE, "a mode change");
	r = vw_op(VW_PAN);
	r.yoffset = yv - y;
	VW_DO(self->fd, &r);
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL, "a pan");
	r = vw_op(VW_PUTCMAP);
	r.seed = 9;
	VW_DO(self->fd, &r);
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL, "a colour map");
	r = vw_op(VW_BLANK);
	r.blank = FB_BLANK_NORMAL;
	VW_DO(self->fd, &r);
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL, "blanking");
}

TEST_F(damage, a_switch_reports_everything_to_both_namespaces)
{
	struct ct *b;
	int vb;

	REQ("DMG-6");
	REQUIRE_DAMAGE();
	VW_NEW_CT(&b);
	DMG_VIEW(&vb, b->pid);
	DRAIN(vb);
	if (!variant->active) {
		VW_ACTIVATE(self->a->pid);
		EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL | IMPL_DAMAGE_SWITCH, "A activated");
	}
	VW_ACTIVATE(b->pid);
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_FULL | IMPL_DAMAGE_SWITCH, "A deactivated");
	EXPECT_DAMAGE(vb, IMPL_DAMAGE_FULL | IMPL_DAMAGE_SWITCH, "B activated");
	close(vb);
}

/* B's and the host's drawing never reach A's view. */
TEST_F(damage, other_namespaces_drawing_never_appears)
{
	struct vw_req w = vw_fill(0xb, VW_VIA_RW, 0, self->vw.smem);
	struct vw_req m = vw_fill(0xbb, VW_VIA_MMAP, 0, self->vw.smem);
	struct ct *b;
	int hfd;

	REQ("DMG-7");
	REQUIRE_DAMAGE();
	VW_NEW_CT(&b);
	VW_REMOTE(b, &w);
	VW_REMOTE(b, &m);
	VW_HOST_FD(&hfd);
	VW_DRAW(hfd, 0xc);
	close(hfd);
	EXPECT_DAMAGE(self->v, 0, "B and the host drew");
}

TEST_F(damage, every_view_gets_every_page)
{
	int v2;

	REQ("DMG-7");
	REQUIRE_DAMAGE();
	DMG_VIEW(&v2, self->a->pid);
	DRAIN(v2);
	STORE(20, 1);
	EXPECT_DAMAGE(self->v, 0, "view 1, first store");
	STORE(20, 2);
	STORE(21, 2);
	EXPECT_DAMAGE(self->v, 0, "view 1, second store");
	set_bit(self->want, 20);
	set_bit(self->want, 21);
	EXPECT_DAMAGE(v2, 0, "view 2, both stores");
	close(v2);
}

TEST_F(damage, bad_requests_fail_and_lose_nothing)
{
	struct impl_damage d = { .bitmap = (uint64_t *)8, .nbits = (uint32_t)self->npages };
	int plain;

	REQ("DMG-9");
	REQUIRE_DAMAGE();
	STORE(30, 1);
	EXPECT_EQ(-EFAULT, self->vw.im->vfb_damage(self->v, &d)) TH_LOG("a bad bitmap");
	d = (struct impl_damage){ .bitmap = self->bits, .nbits = (uint32_t)self->npages - 1 };
	EXPECT_EQ(-ENOSPC, self->vw.im->vfb_damage(self->v, &d)) TH_LOG("a bitmap too small");
	EXPECT_EQ(self->npages, d.nbits) TH_LOG("ENOSPC says the size needed");
	EXPECT_DAMAGE(self->v, 0, "after the failed fetches");
	plain = self->vw.im->vfb_view(self->vw.fd, self->a->pid, IMPL_VIEW_CLOEXEC);
	ASSERT_LE(0, plain);
	d = (struct impl_damage){ .bitmap = self->bits, .nbits = (uint32_t)self->npages };
	EXPECT_EQ(-EINVAL, self->vw.im->vfb_damage(plain, &d)) TH_LOG("a view without damage");
	close(plain);
}

static int host_is_active(void *world)
{
	struct vw_world *w = world;
	struct impl_state st;

	return w->im->get_state(w->fd, &st) == 0 && st.self_active;
}

TEST_F(damage, death_hands_over_what_is_left_then_hangs_up)
{
	struct pollfd p = { .fd = self->v, .events = POLLIN };

	REQ("DMG-9");
	REQUIRE_DAMAGE();
	STORE(40, 1);
	ct_stop(self->a);
	if (variant->active)	/* the switch away from the dead A, reported before its death */
		ASSERT_EQ(0, poll_until(host_is_active, &self->vw, deadline_ms(10000)));
	/* events 0: only the hangup ends the wait */
	p.events = 0;
	ASSERT_EQ(1, poll(&p, 1, deadline_ms(10000))) TH_LOG("no hangup after the death");
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLHUP, p.revents) TH_LOG("damage left and the death");
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_DEAD | (variant->active ? IMPL_DAMAGE_FULL |
		      IMPL_DAMAGE_SWITCH : 0), "what was left");
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLHUP, p.revents) TH_LOG("only the hangup once drained");
	EXPECT_DAMAGE(self->v, IMPL_DAMAGE_DEAD, "nothing more");
}

/* A container process maps its vfb and stores into every page. */
static int store_everywhere(long smem)
{
	int fd = fb_open(FB_VFB);
	uint8_t *m;
	long off;

	if (fd < 0)
		return 100;
	m = mmap(NULL, (size_t)smem, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 101;
	for (off = 0; off < smem; off += PAGE)
		((volatile uint32_t *)(m + off))[7] = (uint32_t)off;
	munmap(m, (size_t)smem);
	close(fd);
	return 0;
}

/* A first store to each page completes (the write fault is not retried forever). */
TEST_F(damage, stores_to_fresh_pages_complete)
{
	struct job *j;
	size_t p;

	REQ("DMG-10");
	REQUIRE_DAMAGE();
	VW_NEW_JOB(&j);
	ASSERT_EQ(0, job_start(j, self->a, store_everywhere, (long)self->vw.smem));
	EXPECT_EQ(0, job_join(j, deadline_s(20))) TH_LOG("stores into a fresh mapping");
	for (p = 0; p < self->npages; p++)
		set_bit(self->want, p);
	EXPECT_DAMAGE(self->v, 0, "a store into every page, from inside A");
}

/*
 * A writer in A stores and writes numbered values at random pages while the
 * test switches A in and out and copies what each fetch names from the view
 * into a mirror; once the writer ended and the damage drained, the mirror
 * equals the picture byte for byte.
 */
static int scribble(long arg)
{
	long smem = arg >> 8, rounds = arg & 0xff, i;
	uint32_t rnd = 12345, n = 0;
	int fd = fb_open(FB_VFB);
	uint8_t *m;

	if (fd < 0)
		return 100;
	m = mmap(NULL, (size_t)smem, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 101;
	for (i = 0; i < rounds * 400; i++) {
		size_t off;

		rnd = rnd * 1103515245u + 12345u;
		off = ((size_t)(rnd >> 4) % (size_t)(smem / 4)) * 4;
		n++;
		if (i % 4)
			((volatile uint32_t *)(m + off))[0] = n;
		else if (pwrite(fd, &n, 4, (off_t)off) != 4)
			return 102;
	}
	munmap(m, (size_t)smem);
	close(fd);
	return 0;
}

/* Copy what @d names from view @v into @mirror. */
static int copy_damage(int v, const struct impl_damage *d, const uint64_t *bits,
		       uint8_t *mirror, size_t smem)
{
	size_t p, n = smem / PAGE;

	if (d->flags & IMPL_DAMAGE_FULL)
		return fb_pread_all(v, mirror, smem, 0);
	for (p = d->first; p < d->last && p < n; p++)
		if (has_bit(bits, p) && fb_pread_all(v, mirror + p * PAGE, PAGE, (off_t)(p * PAGE)))
			return -EIO;
	return 0;
}

TEST_F_TIMEOUT(damage, a_mirror_built_from_damage_equals_the_picture, 120)
{
	uint8_t *mirror = malloc(self->vw.smem), *pic = malloc(self->vw.smem);
	long rounds = stress_count(20, 200);
	struct impl_damage d;
	int switches = 0, quiet = 0;
	struct job *j;
	size_t at;

	REQ("DMG-4");
	REQUIRE_DAMAGE();
	ASSERT_TRUE(mirror && pic);
	ASSERT_EQ(0, fb_pread_all(self->v, mirror, self->vw.smem, 0));
	VW_NEW_JOB(&j);
	ASSERT_EQ(0, job_start(j, self->a, scribble, (long)self->vw.smem << 8 | rounds));
	while (job_running(j)) {
		FETCH(self->v, &d);
		ASSERT_EQ(0, copy_damage(self->v, &d, self->bits, mirror, self->vw.smem));
		if (switches++ % 3 == 0)
			VW_ACTIVATE(switches % 2 ? self->a->pid : getpid());
	}
	ASSERT_EQ(0, job_join(j, deadline_s(60)));
	while (quiet < 2) {
		FETCH(self->v, &d);
		ASSERT_EQ(0, copy_damage(self->v, &d, self->bits, mirror, self->vw.smem));
		quiet = d.first == d.last && !(d.flags & IMPL_DAMAGE_FULL) ? quiet + 1 : 0;
	}
	ASSERT_EQ(0, fb_pread_all(self->v, pic, self->vw.smem, 0));
	at = 0;
	while (at < self->vw.smem && mirror[at] == pic[at])
		at++;
	EXPECT_EQ(self->vw.smem, at) TH_LOG("the mirror differs at byte %zu (page %zu) after %d switches",
					    at, at / PAGE, switches);
	free(mirror);
	free(pic);
}

TEST_HARNESS_MAIN
