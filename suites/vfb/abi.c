// SPDX-License-Identifier: GPL-2.0
/*
 * VFB-1..VFB-6: the fbdev ABI of the virtual framebuffer, with IGT's fbdev
 * semantics (info, pan, read, write, unaligned, eof, nullptr) and the rest
 * of SPEC.md's rules.  Three variants of every test:
 *
 *   native  the kernel's own vfb.ko (fb_open(FB_NATIVE)): the reference the
 *           IGT-style tests must agree with.  SPEC rules that are not native
 *           fbdev behaviour (mode list, blank, vsync, cmap ranges) are
 *           skipped with the reason; documented deviations of vfb.ko are
 *           expected failures (FB_KNOWN_DEVIATION).
 *   fg      our vfb opened by the test process while the host is active:
 *           the host's vfb state, on the panel.
 *   bg      our vfb opened inside a container (ct_open) while the host
 *           stays active: a fresh, passive vfb state.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devns.h"
#include "vfb_test.h"

FIXTURE(vfb) {
	int fd;			/* the framebuffer under test */
	int ctl;		/* control handle (fg, bg), else -1 */
	struct ct ct;		/* bg: the container that opened fd */
	struct fb_info_pair orig;	/* at setup: restored in teardown */
	bool restore;
	size_t len;		/* smem_len */
	size_t page;
};

FIXTURE_VARIANT(vfb) {
	bool native;		/* vfb.ko instead of the implementation's vfb */
	bool container;		/* opened in a passive container */
};

FIXTURE_VARIANT_ADD(vfb, native) {
	.native = true,
};

FIXTURE_VARIANT_ADD(vfb, fg) {
	.native = false,
};

FIXTURE_VARIANT_ADD(vfb, bg) {
	.container = true,
};

FIXTURE_SETUP(vfb)
{
	const struct impl_ops *im = impl();

	self->fd = -1;
	self->ctl = -1;
	self->page = (size_t)sysconf(_SC_PAGESIZE);
	if (variant->native) {
		self->fd = fb_open(FB_NATIVE);
		if (self->fd == -ENOENT)
			SKIP(return, "no vfb.ko for this kernel under /lib/modules");
		ASSERT_LE(0, self->fd) TH_LOG("load/open vfb.ko: %s", strerror(-self->fd));
	} else {
		REQUIRE_VFB();
		self->ctl = im->open_ctl();
		ASSERT_LE(0, self->ctl) TH_LOG("open control: %s", strerror(-self->ctl));
		/* The host active: fg is the active dev_ns, bg a passive one. */
		ASSERT_EQ(0, im->activate(self->ctl, getpid(), 0));
		if (variant->container) {
			CT_START(&self->ct, CT_CLONE, NULL);
			self->fd = ct_open(&self->ct, fb_path(FB_VFB), O_RDWR | O_CLOEXEC);
		} else {
			self->fd = fb_open(FB_VFB);
		}
		ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", fb_path(FB_VFB), strerror(-self->fd));
	}
	ASSERT_EQ(0, fb_get(self->fd, &self->orig));
	self->restore = true;
	self->len = self->orig.fix.smem_len;
	ASSERT_LT(0, self->len);
}

FIXTURE_TEARDOWN(vfb)
{
	if (self->fd >= 0) {
		if (self->restore) {
			struct fb_var_screeninfo var = self->orig.var;

			var.activate = FB_ACTIVATE_NOW;
			EXPECT_EQ(0, ioctl(self->fd, FBIOPUT_VSCREENINFO, &var))
				TH_LOG("restoring the mode: %s", strerror(errno));
		}
		if (!variant->native)
			ioctl(self->fd, FBIOBLANK, FB_BLANK_UNBLANK);
		close(self->fd);
	}
	ct_stop(&self->ct);
	if (self->ctl >= 0) {
		impl()->activate(self->ctl, getpid(), 0);
		close(self->ctl);
	}
}

/* Skip the native variant: @why the SPEC rule is not native fbdev behaviour. */
#define NOT_NATIVE(why)								\
	do {									\
		if (variant->native)						\
			SKIP(return, "vfb.ko: %s", why);			\
	} while (0)

/*
 * The native variant showed exactly the documented deviation @name: report
 * it as an expected failure and end the test, unless something else failed
 * already or the running kernel does not have that deviation (then the
 * caller's next check fails).
 */
#define NATIVE_DEVIATION(name)							\
	do {									\
		if (variant->native && _metadata->exit_code == KSFT_PASS)	\
			FB_KNOWN_DEVIATION(return, name);			\
	} while (0)

/* First offset in @buf (of @len) whose byte is not @v, or @len. */
static size_t find_not(const unsigned char *buf, size_t len, unsigned char v)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != v)
			return i;
	return len;
}

/* read()/write() the whole of @len from offset 0 through the file position. */
static int rw_all(int fd, void *buf, size_t len, bool wr)
{
	char *p = buf;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -errno;
	while (len) {
		ssize_t n = wr ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A mode that can pan both ways: the smallest listed mode, virtual 64 wider and as tall as fits. */
static int set_pan_mode(int fd, bool native, size_t smem, struct fb_var_screeninfo *out)
{
	unsigned int x = 640, y = 480, xv, yv;

	if (!native) {
		struct fb_mode_size m[16];
		int i, n = fb_panel_modes(m, 16);

		if (n < 0)
			return n;
		x = m[0].xres;
		y = m[0].yres;
		for (i = 1; i < n; i++) {
			if ((size_t)m[i].xres * m[i].yres < (size_t)x * y) {
				x = m[i].xres;
				y = m[i].yres;
			}
		}
	}
	xv = x + 64;
	yv = (unsigned int)(smem / ((size_t)xv * 4));
	if (yv <= y)
		return -ENOSPC;
	return fb_set_mode(fd, x, y, xv, yv, out);
}

static int pan(int fd, unsigned int x, unsigned int y, bool ywrap)
{
	struct fb_var_screeninfo var;

	if (ioctl(fd, FBIOGET_VSCREENINFO, &var))
		return -errno;
	var.xoffset = x;
	var.yoffset = y;
	if (ywrap)
		var.vmode |= FB_VMODE_YWRAP;
	else
		var.vmode &= ~FB_VMODE_YWRAP;
	return ioctl(fd, FBIOPAN_DISPLAY, &var) ? -errno : 0;
}

/*
 * errno after a call that returned @ret if it failed (-1), else 0:
 * EXPECT_EQ(E, fail_errno(call)) checks that the call fails with E.
 */
static int fail_errno(long ret)
{
	return ret == -1 ? errno : 0;
}

/* An address with nothing mapped: a page mapped and unmapped again; NULL on failure. */
static void *unmapped_page(size_t page)
{
	void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	return munmap(p, page) ? NULL : p;
}

/* Map all of the framebuffer (*@map) and allocate @size bytes (*@buf): 0 or -errno, with neither. */
static int map_and_alloc(FIXTURE_DATA(vfb) *self, size_t size, unsigned char **map,
			 unsigned char **buf)
{
	*map = fb_map(self->fd, self->len);
	if (!*map)
		return -errno;
	*buf = malloc(size);
	if (!*buf) {
		munmap(*map, self->len);
		return -ENOMEM;
	}
	return 0;
}

TEST_F(vfb, info)
{
	struct fb_info_pair i;
	const struct fb_var_screeninfo *v = &i.var;

	REQ("VFB-1");
	ASSERT_EQ(0, fb_get(self->fd, &i));
	EXPECT_NE(0, i.fix.line_length);
	EXPECT_LE(i.fix.line_length, i.fix.smem_len);
	EXPECT_EQ(32, v->bits_per_pixel);
	EXPECT_NE(0, v->xres);
	EXPECT_NE(0, v->yres);
	EXPECT_LE(v->xres, v->xres_virtual);
	EXPECT_LE(v->yres, v->yres_virtual);
	EXPECT_LE(v->xres_virtual * 4, i.fix.line_length);
	if (i.fix.line_length)
		EXPECT_LE(v->yres_virtual, i.fix.smem_len / i.fix.line_length);
	EXPECT_LE(v->xoffset + v->xres, v->xres_virtual);
	EXPECT_LE(v->yoffset + v->yres, v->yres_virtual);
	if (variant->native) {
		EXPECT_EQ(0, strncmp("Virtual FB", i.fix.id, sizeof(i.fix.id))) TH_LOG("id %.16s", i.fix.id);
		return;
	}
	EXPECT_EQ(0, strncmp(DEVNS_VFB_ID, i.fix.id, sizeof(i.fix.id))) TH_LOG("id %.16s", i.fix.id);
	/* The contents are the size of the panel's memory. */
	{
		struct fb_info_pair p;
		int pfd = fb_open(FB_PANEL);

		ASSERT_LE(0, pfd) TH_LOG("open the panel: %s", strerror(-pfd));
		ASSERT_EQ(0, fb_get(pfd, &p));
		close(pfd);
		EXPECT_EQ(p.fix.smem_len, i.fix.smem_len);
	}
}

TEST_F(vfb, smem_start_hidden)
{
	struct fb_info_pair i;

	REQ("VFB-1");
	ASSERT_EQ(0, fb_get(self->fd, &i));
	if (i.fix.smem_start)
		NATIVE_DEVIATION("native_smem_start");
	EXPECT_EQ(0, i.fix.smem_start) TH_LOG("a kernel address is disclosed");
}

TEST_F(vfb, new_state_defaults)
{
	struct fb_mode_size m[16];
	struct fb_info_pair i;
	unsigned char *buf;
	int n;

	REQ("VFB-1");
	NOT_NATIVE("a loaded driver has no per-namespace state");
	if (!variant->container)
		SKIP(return, "the host's vfb state is not new: it lives as long as the host");
	ASSERT_EQ(0, fb_get(self->fd, &i));
	n = fb_panel_modes(m, 16);
	ASSERT_LT(0, n) TH_LOG("panel modes: %s", strerror(-n));
	EXPECT_EQ(m[0].xres, i.var.xres);
	EXPECT_EQ(m[0].yres, i.var.yres);
	EXPECT_EQ(0, i.var.xoffset);
	EXPECT_EQ(0, i.var.yoffset);
	buf = malloc(self->len);
	ASSERT_NE(NULL, buf);
	memset(buf, 0x5a, self->len);
	EXPECT_EQ(0, fb_pread_all(self->fd, buf, self->len, 0));
	n = (int)find_not(buf, self->len, 0);
	EXPECT_EQ(self->len, (size_t)n) TH_LOG("byte %d is not zero", n);
	free(buf);
}

TEST_F(vfb, pan)
{
	struct fb_var_screeninfo set, got;
	unsigned int maxx, maxy;
	int ret;

	REQ("VFB-3");
	ret = set_pan_mode(self->fd, variant->native, self->len, &set);
	ASSERT_EQ(0, ret) TH_LOG("set a mode with a virtual size to pan in: %s", strerror(-ret));
	ASSERT_LT(set.xres, set.xres_virtual);
	ASSERT_LT(set.yres, set.yres_virtual);
	maxx = set.xres_virtual - set.xres;
	maxy = set.yres_virtual - set.yres;

	const unsigned int ok[][2] = { { maxx, maxy }, { 0, 0 }, { 3, 7 }, { maxx, 0 }, { 0, maxy } };
	for (unsigned int k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		EXPECT_EQ(0, pan(self->fd, ok[k][0], ok[k][1], false))
			TH_LOG("pan to %u,%u", ok[k][0], ok[k][1]);
		ASSERT_EQ(0, ioctl(self->fd, FBIOGET_VSCREENINFO, &got));
		EXPECT_EQ(ok[k][0], got.xoffset);
		EXPECT_EQ(ok[k][1], got.yoffset);
	}

	/* Beyond the virtual size: EINVAL, and the offsets stay (0, maxy). */
	const unsigned int bad[][2] = { { maxx + 1, 0 }, { 0, maxy + 1 },
					{ set.xres_virtual, set.yres_virtual } };
	for (unsigned int k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		EXPECT_EQ(-EINVAL, pan(self->fd, bad[k][0], bad[k][1], false))
			TH_LOG("pan to %u,%u", bad[k][0], bad[k][1]);
		ASSERT_EQ(0, ioctl(self->fd, FBIOGET_VSCREENINFO, &got));
		EXPECT_EQ(0, got.xoffset);
		EXPECT_EQ(maxy, got.yoffset);
	}
	if (variant->native) {
		TH_LOG("vfb.ko implements FB_VMODE_YWRAP: not checked");
		return;
	}
	EXPECT_EQ(-EINVAL, pan(self->fd, 0, 1, true));
	ASSERT_EQ(0, ioctl(self->fd, FBIOGET_VSCREENINFO, &got));
	EXPECT_EQ(0, got.xoffset);
	EXPECT_EQ(maxy, got.yoffset);
	EXPECT_EQ(0, got.vmode & FB_VMODE_YWRAP);
}

/*
 * All of the framebuffer between its mapping and a buffer, by pread (or,
 * @wr, pwrite): each of four fills arrives everywhere; then a pattern by
 * read() (write()) through the file position, which catches misplaced bytes
 * that a fill cannot.  Returns 0, or -errno if mapping, allocating or a
 * transfer failed.
 */
static int expect_transfers(struct __test_metadata *_metadata, FIXTURE_DATA(vfb) *self, bool wr)
{
	static const unsigned char values[] = { 0x00, 0x55, 0xaa, 0xff };
	const char *how = wr ? "pwrite" : "pread";
	const uint32_t seed = wr ? 12 : 11;
	unsigned char *map, *buf, *src, *dst;
	size_t bad;
	int ret;

	ret = map_and_alloc(self, self->len, &map, &buf);
	if (ret)
		return ret;
	src = wr ? buf : map;
	dst = wr ? map : buf;
	for (size_t k = 0; k < sizeof(values); k++) {
		memset(src, values[k], self->len);
		memset(dst, ~values[k], self->len);
		ret = wr ? fb_pwrite_all(self->fd, buf, self->len, 0)
			 : fb_pread_all(self->fd, buf, self->len, 0);
		if (ret)
			goto out;
		bad = find_not(dst, self->len, values[k]);
		EXPECT_EQ(self->len, bad) TH_LOG("%s of a fill of 0x%02x: byte %zu differs", how, values[k], bad);
	}
	fb_pattern(src, self->len, 0, seed);
	memset(dst, 0, self->len);
	ret = rw_all(self->fd, buf, self->len, wr);
	if (ret)
		goto out;
	bad = fb_pattern_find(dst, self->len, 0, seed);
	EXPECT_EQ(self->len, bad) TH_LOG("%s of a pattern: byte %zu differs", wr ? "write()" : "read()", bad);
out:
	free(buf);
	munmap(map, self->len);
	return ret;
}

TEST_F(vfb, read)
{
	int ret;

	REQ("VFB-4");
	ret = expect_transfers(_metadata, self, false);
	ASSERT_EQ(0, ret) TH_LOG("mmap, malloc or read: %s", strerror(-ret));
}

TEST_F(vfb, write)
{
	int ret;

	REQ("VFB-4");
	ret = expect_transfers(_metadata, self, true);
	ASSERT_EQ(0, ret) TH_LOG("mmap, malloc or write: %s", strerror(-ret));
}

#define GUARD 64

/* One side of an unaligned transfer: p[0..size), the range at p + at. */
struct span {
	unsigned char *p;
	size_t size, at;
};

/*
 * pread (or, @wr, pwrite) of a range that starts and ends inside pages (a
 * quarter into page 1, four and a half pages long), between the framebuffer
 * and a buffer with GUARD bytes either side: the range arrives exactly, and
 * nothing around it on the receiving side changes.  Returns 0, or -errno if
 * mapping or allocating failed (-ERANGE: the framebuffer is too small).
 */
static int expect_unaligned(struct __test_metadata *_metadata, FIXTURE_DATA(vfb) *self, bool wr)
{
	const size_t off = self->page + self->page / 4, len = 4 * self->page + self->page / 2;
	const char *how = wr ? "pwrite" : "pread";
	const uint32_t seed = wr ? 22 : 21;
	struct span fb, mem, *src, *dst;
	size_t bad;
	ssize_t n;
	int ret;

	if (off + len > self->len) {
		TH_LOG("smem_len %zu: no room for the range", self->len);
		return -ERANGE;
	}
	ret = map_and_alloc(self, len + 2 * GUARD, &fb.p, &mem.p);
	if (ret)
		return ret;
	fb.size = self->len;
	fb.at = off;
	mem.size = len + 2 * GUARD;
	mem.at = GUARD;
	src = wr ? &mem : &fb;
	dst = wr ? &fb : &mem;
	memset(src->p, 0xff, src->size);
	fb_pattern(src->p + src->at, len, off, seed);
	memset(dst->p, 0xa5, dst->size);
	n = wr ? pwrite(self->fd, mem.p + mem.at, len, (off_t)off)
	       : pread(self->fd, mem.p + mem.at, len, (off_t)off);
	EXPECT_EQ((ssize_t)len, n) TH_LOG("%s of the range", how);
	bad = fb_pattern_find(dst->p + dst->at, len, off, seed);
	EXPECT_EQ(len, bad) TH_LOG("%s: byte %zu of the range differs", how, bad);
	bad = find_not(dst->p, dst->at, 0xa5);
	EXPECT_EQ(dst->at, bad) TH_LOG("%s: byte %zu before the range changed", how, bad);
	bad = find_not(dst->p + dst->at + len, dst->size - dst->at - len, 0xa5);
	EXPECT_EQ(dst->size - dst->at - len, bad)
		TH_LOG("%s: byte %zu after the range changed", how, dst->at + len + bad);
	free(mem.p);
	munmap(fb.p, self->len);
	return 0;
}

TEST_F(vfb, unaligned_read)
{
	int ret;

	REQ("VFB-4");
	ret = expect_unaligned(_metadata, self, false);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
}

TEST_F(vfb, unaligned_write)
{
	int ret;

	REQ("VFB-4");
	ret = expect_unaligned(_metadata, self, true);
	ASSERT_EQ(0, ret) TH_LOG("%s", strerror(-ret));
}

TEST_F(vfb, eof)
{
	const unsigned char two[2] = { 0x5a, 0xa5 };
	unsigned char *map, got[2] = { 0, 0 };
	off_t end = (off_t)self->len;
	bool enospc = false;
	ssize_t ret;
	int err;

	REQ("VFB-4");
	map = fb_map(self->fd, self->len);
	ASSERT_NE(NULL, map) TH_LOG("mmap: %s", strerror(errno));
	map[self->len - 1] = 0;

	/* Crossing the end: what fits is written, and counted. */
	errno = 0;
	ret = pwrite(self->fd, two, 2, end - 1);
	err = errno;
	if (variant->native && ret == -1 && err == ENOSPC && map[self->len - 1] == 0x5a) {
		enospc = true;	/* checked below, once the rest is */
	} else {
		EXPECT_EQ(1, ret) TH_LOG("pwrite crossing the end: %s", strerror(err));
		EXPECT_EQ(0x5a, map[self->len - 1]);
	}
	EXPECT_EQ(ENOSPC, fail_errno(pwrite(self->fd, two, 1, end))) TH_LOG("pwrite at the end");
	EXPECT_EQ(EFBIG, fail_errno(pwrite(self->fd, two, 1, end + 1))) TH_LOG("pwrite past the end");
	EXPECT_EQ(0x5a, map[self->len - 1]);

	EXPECT_EQ(1, pread(self->fd, got, 2, end - 1));
	EXPECT_EQ(0x5a, got[0]);
	EXPECT_EQ(0, pread(self->fd, got, 2, end));
	EXPECT_EQ(0, pread(self->fd, got, 2, end + 1));
	EXPECT_EQ(0, pread(self->fd, got, 2, end + (off_t)self->page));
	munmap(map, self->len);
	if (enospc) {
		NATIVE_DEVIATION("sys_write_enospc");
		EXPECT_EQ(1, ret) TH_LOG("ENOSPC for a write crossing the end: not documented for this kernel");
	}
}

TEST_F(vfb, nullptr)
{
	void *gone;

	REQ("VFB-4");
	EXPECT_EQ(EFAULT, fail_errno(pread(self->fd, NULL, self->page, 0)));
	EXPECT_EQ(EFAULT, fail_errno(pwrite(self->fd, NULL, self->page, 0)));
	gone = unmapped_page(self->page);
	ASSERT_NE(NULL, gone) TH_LOG("mmap, munmap: %s", strerror(errno));
	EXPECT_EQ(EFAULT, fail_errno(pread(self->fd, gone, self->page, 0)));
	EXPECT_EQ(EFAULT, fail_errno(pwrite(self->fd, gone, self->page, 0)));
}

TEST_F(vfb, lseek_end)
{
	unsigned char *map, got[4] = { 0 };
	off_t pos;

	REQ("VFB-4");
	pos = lseek(self->fd, 0, SEEK_END);
	if (pos == 0)
		NATIVE_DEVIATION("native_seek_end");
	EXPECT_EQ((off_t)self->len, pos);
	EXPECT_EQ((off_t)self->len - 4, lseek(self->fd, -4, SEEK_END));
	map = fb_map(self->fd, self->len);
	ASSERT_NE(NULL, map) TH_LOG("mmap: %s", strerror(errno));
	memcpy(map + self->len - 4, "\x01\x02\x03\x04", 4);
	EXPECT_EQ(4, read(self->fd, got, 4));
	EXPECT_EQ(0, memcmp(got, "\x01\x02\x03\x04", 4));
	EXPECT_EQ(0, read(self->fd, got, 4));
	munmap(map, self->len);
}

/* FBIOPUT_VSCREENINFO of @var; the var afterwards (GET) in @after. */
static int put_var(int fd, struct fb_var_screeninfo *var, struct fb_var_screeninfo *after)
{
	int ret = ioctl(fd, FBIOPUT_VSCREENINFO, var) ? -errno : 0;

	if (ioctl(fd, FBIOGET_VSCREENINFO, after))
		return -1000;
	return ret;
}

/* The geometry fields a failed call must not change. */
#define EXPECT_SAME_MODE(a, b)							\
	do {									\
		EXPECT_EQ((a).xres, (b).xres);					\
		EXPECT_EQ((a).yres, (b).yres);					\
		EXPECT_EQ((a).xres_virtual, (b).xres_virtual);			\
		EXPECT_EQ((a).yres_virtual, (b).yres_virtual);			\
		EXPECT_EQ((a).xoffset, (b).xoffset);				\
		EXPECT_EQ((a).yoffset, (b).yoffset);				\
		EXPECT_EQ((a).bits_per_pixel, (b).bits_per_pixel);		\
		EXPECT_EQ((a).vmode, (b).vmode);				\
	} while (0)

TEST_F(vfb, modes)
{
	struct fb_var_screeninfo base, var, after;
	struct fb_fix_screeninfo fix;
	struct fb_mode_size m[16];
	unsigned int x, y;
	int n, ret, s = 0, other;

	REQ("VFB-2");
	NOT_NATIVE("check_var accepts any size that fits in memory: it has no mode list");
	n = fb_panel_modes(m, 16);
	ASSERT_LT(0, n) TH_LOG("panel modes: %s", strerror(-n));
	for (int k = n - 1; k >= 0; k--) {
		ret = fb_set_mode(self->fd, m[k].xres, m[k].yres, m[k].xres, m[k].yres, &var);
		EXPECT_EQ(0, ret) TH_LOG("mode %ux%u: %s", m[k].xres, m[k].yres, strerror(-ret));
		ASSERT_EQ(0, ioctl(self->fd, FBIOGET_VSCREENINFO, &after));
		ASSERT_EQ(0, ioctl(self->fd, FBIOGET_FSCREENINFO, &fix));
		EXPECT_EQ(m[k].xres, after.xres);
		EXPECT_EQ(m[k].yres, after.yres);
		EXPECT_EQ(32, after.bits_per_pixel);
		EXPECT_LE(after.xres_virtual * 4, fix.line_length);
		EXPECT_LE((size_t)fix.line_length * after.yres_virtual, self->len);
	}
	/*
	 * From the smallest listed mode (s), so that a slightly taller virtual
	 * size still fits: virtual sizes below the visible ones are rounded up,
	 * and the adjusted var is copied back.
	 */
	for (int k = 1; k < n; k++)
		if ((size_t)m[k].xres * m[k].yres < (size_t)m[s].xres * m[s].yres)
			s = k;
	x = m[s].xres;
	y = m[s].yres;
	ASSERT_EQ(0, ioctl(self->fd, FBIOGET_VSCREENINFO, &base));
	var = base;
	var.xres = x;
	var.yres = y;
	var.xres_virtual = 1;
	var.yres_virtual = 1;
	var.xoffset = var.yoffset = 0;
	var.bits_per_pixel = 32;
	var.activate = FB_ACTIVATE_NOW;
	EXPECT_EQ(0, put_var(self->fd, &var, &after));
	EXPECT_EQ(x, var.xres_virtual) TH_LOG("adjusted var not copied back");
	EXPECT_EQ(y, var.yres_virtual) TH_LOG("adjusted var not copied back");
	EXPECT_EQ(x, after.xres_virtual);
	EXPECT_EQ(y, after.yres_virtual);
	base = after;

	/* Each rejected var: EINVAL, and nothing changes. */
	struct {
		const char *what;
		unsigned int xres, yres, xv, yv, xoff, yoff, bpp, vmode;
	} bad[] = {
		{ "16 bpp", x, y, x, y, 0, 0, 16, 0 },
		{ "24 bpp", x, y, x, y, 0, 0, 24, 0 },
		{ "8 bpp", x, y, x, y, 0, 0, 8, 0 },
		{ "a size not in the list", x + 8, y, x + 8, y, 0, 0, 32, 0 },
		{ "a size not in the list", x, y - 8, x, y - 8, 0, 0, 32, 0 },
		{ "a virtual size too big", x, y, x, (unsigned int)(self->len / (x * 4)) + 1, 0, 0, 32, 0 },
		{ "xoffset outside", x, y, x, y, 1, 0, 32, 0 },
		{ "yoffset outside", x, y, x, y + 4, 0, 5, 32, 0 },
		{ "FB_VMODE_YWRAP", x, y, x, y + 4, 0, 0, 32, FB_VMODE_YWRAP },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		bool listed = false;

		for (int j = 0; j < n; j++)
			listed |= m[j].xres == bad[k].xres && m[j].yres == bad[k].yres;
		if (listed)
			continue;	/* not a bad size on this panel */
		var = base;
		var.xres = bad[k].xres;
		var.yres = bad[k].yres;
		var.xres_virtual = bad[k].xv;
		var.yres_virtual = bad[k].yv;
		var.xoffset = bad[k].xoff;
		var.yoffset = bad[k].yoff;
		var.bits_per_pixel = bad[k].bpp;
		var.vmode = (base.vmode & ~FB_VMODE_YWRAP) | bad[k].vmode;
		var.activate = FB_ACTIVATE_NOW;
		EXPECT_EQ(-EINVAL, put_var(self->fd, &var, &after)) TH_LOG("%s", bad[k].what);
		EXPECT_SAME_MODE(base, after);
	}

	/* FB_ACTIVATE_TEST validates, answers, and stores nothing. */
	var = base;
	other = s ? 0 : n - 1;
	if (other != s) {
		var.xres = var.xres_virtual = m[other].xres;
		var.yres = var.yres_virtual = m[other].yres;
	} else {
		var.yres_virtual = y + 1;
	}
	var.activate = FB_ACTIVATE_TEST;
	EXPECT_EQ(0, put_var(self->fd, &var, &after));
	EXPECT_SAME_MODE(base, after);
	var = base;
	var.bits_per_pixel = 16;
	var.activate = FB_ACTIVATE_TEST;
	EXPECT_EQ(-EINVAL, put_var(self->fd, &var, &after));
	EXPECT_SAME_MODE(base, after);
}

struct cmap256 {
	__u16 r[256], g[256], b[256], t[256];
	struct fb_cmap c;
};

static struct fb_cmap *cmap_init(struct cmap256 *m, unsigned int start, unsigned int len)
{
	m->c.start = start;
	m->c.len = len;
	m->c.red = m->r;
	m->c.green = m->g;
	m->c.blue = m->b;
	m->c.transp = m->t;
	return &m->c;
}

/* Entries 0..15 of @m with colour @which (0 red, 1 green, 2 blue) NULL. */
static struct fb_cmap *cmap_without(struct cmap256 *m, int which)
{
	struct fb_cmap *c = cmap_init(m, 0, 16);

	if (which == 0)
		c->red = NULL;
	else if (which == 1)
		c->green = NULL;
	else
		c->blue = NULL;
	return c;
}

TEST_F(vfb, cmap)
{
	struct cmap256 saved, set, got;
	int ret;

	REQ("VFB-5");
	NOT_NATIVE("SPEC's cmap range rules are not native fbdev behaviour");
	ret = ioctl(self->fd, FBIOGETCMAP, cmap_init(&saved, 0, 256));
	ASSERT_EQ(0, ret) TH_LOG("FBIOGETCMAP: %s", strerror(errno));

	for (unsigned int i = 0; i < 256; i++) {
		set.r[i] = (__u16)(i * 257 ^ 0x1234);
		set.g[i] = (__u16)(i * 131 + 7);
		set.b[i] = (__u16)~(i * 257);
		set.t[i] = (__u16)(i << 4);
	}
	EXPECT_EQ(0, ioctl(self->fd, FBIOPUTCMAP, cmap_init(&set, 0, 256)));
	memset(&got, 0, sizeof(got));
	EXPECT_EQ(0, ioctl(self->fd, FBIOGETCMAP, cmap_init(&got, 0, 256)));
	EXPECT_EQ(0, memcmp(set.r, got.r, sizeof(got.r)));
	EXPECT_EQ(0, memcmp(set.g, got.g, sizeof(got.g)));
	EXPECT_EQ(0, memcmp(set.b, got.b, sizeof(got.b)));
	EXPECT_EQ(0, memcmp(set.t, got.t, sizeof(got.t)));

	/* A part: entries 10..14 change, the others stay. */
	{
		struct cmap256 part;

		for (unsigned int i = 0; i < 5; i++)
			part.r[i] = part.g[i] = part.b[i] = part.t[i] = (__u16)(0xbeef + i);
		EXPECT_EQ(0, ioctl(self->fd, FBIOPUTCMAP, cmap_init(&part, 10, 5)));
		EXPECT_EQ(0, ioctl(self->fd, FBIOGETCMAP, cmap_init(&got, 0, 256)));
		for (unsigned int i = 0; i < 5; i++)
			set.r[10 + i] = set.g[10 + i] = set.b[10 + i] = set.t[10 + i] = (__u16)(0xbeef + i);
		EXPECT_EQ(0, memcmp(set.r, got.r, sizeof(got.r)));
		EXPECT_EQ(0, memcmp(set.b, got.b, sizeof(got.b)));
		/* start/len select what is returned */
		memset(&got, 0, sizeof(got));
		EXPECT_EQ(0, ioctl(self->fd, FBIOGETCMAP, cmap_init(&got, 12, 2)));
		EXPECT_EQ(0xbeef + 2, got.r[0]);
		EXPECT_EQ(0xbeef + 3, got.g[1]);
	}

	/* Ranges: EINVAL for PUT and GET. */
	const unsigned int range[][2] = { { 250, 10 }, { 0, 257 }, { 256, 1 }, { 0, 0 } };
	for (size_t k = 0; k < sizeof(range) / sizeof(range[0]); k++) {
		EXPECT_EQ(EINVAL, fail_errno(ioctl(self->fd, FBIOPUTCMAP,
						   cmap_init(&set, range[k][0], range[k][1]))))
			TH_LOG("PUT start %u len %u", range[k][0], range[k][1]);
		EXPECT_EQ(EINVAL, fail_errno(ioctl(self->fd, FBIOGETCMAP,
						   cmap_init(&got, range[k][0], range[k][1]))))
			TH_LOG("GET start %u len %u", range[k][0], range[k][1]);
	}
	/* NULL colours: EFAULT; transp is optional. */
	for (int which = 0; which < 3; which++) {
		EXPECT_EQ(EFAULT, fail_errno(ioctl(self->fd, FBIOPUTCMAP, cmap_without(&set, which))))
			TH_LOG("PUT with colour %d NULL", which);
		EXPECT_EQ(EFAULT, fail_errno(ioctl(self->fd, FBIOGETCMAP, cmap_without(&got, which))))
			TH_LOG("GET with colour %d NULL", which);
	}
	cmap_init(&set, 0, 256)->transp = NULL;
	EXPECT_EQ(0, ioctl(self->fd, FBIOPUTCMAP, &set.c)) TH_LOG("PUT without transp: %s", strerror(errno));

	EXPECT_EQ(0, ioctl(self->fd, FBIOPUTCMAP, cmap_init(&saved, 0, 256)));
}

TEST_F(vfb, blank)
{
	struct impl_report r;

	REQ("VFB-5");
	NOT_NATIVE("vfb.ko has no fb_blank (FBIOBLANK fails with EINVAL)");
	for (int level = FB_BLANK_UNBLANK; level <= FB_BLANK_POWERDOWN; level++) {
		EXPECT_EQ(0, ioctl(self->fd, FBIOBLANK, level)) TH_LOG("level %d: %s", level, strerror(errno));
		/* Active: the level is the panel's, where the implementation tells it. */
		if (!variant->container && impl_has(IMPL_CAP_PANEL_STATE)) {
			ASSERT_EQ(0, impl()->report(&r));
			EXPECT_EQ(level, r.panel_blank);
		}
	}
	EXPECT_EQ(EINVAL, fail_errno(ioctl(self->fd, FBIOBLANK, FB_BLANK_POWERDOWN + 1)));
	EXPECT_EQ(EINVAL, fail_errno(ioctl(self->fd, FBIOBLANK, -1L)));
	if (!variant->container && impl_has(IMPL_CAP_PANEL_STATE)) {
		ASSERT_EQ(0, impl()->report(&r));
		EXPECT_EQ(FB_BLANK_POWERDOWN, r.panel_blank) TH_LOG("a failed FBIOBLANK changed the level");
	}
	EXPECT_EQ(0, ioctl(self->fd, FBIOBLANK, FB_BLANK_UNBLANK));
}

#define VSYNC_CALLS 50

TEST_F(vfb, waitforvsync)
{
	__u32 crtc = 0;
	int64_t t0, took;
	long sleeps;
	void *gone;

	REQ("VFB-5");
	NOT_NATIVE("vfb.ko has no FBIO_WAITFORVSYNC (ENOTTY)");
	/*
	 * 50 waits at 60 Hz would sleep 50 times (830 ms); not blocking, they
	 * do not sleep at all, however long they take on a slow machine.
	 */
	t0 = now_ms();
	sleeps = voluntary_switches();
	for (int k = 0; k < VSYNC_CALLS; k++)
		ASSERT_EQ(0, ioctl(self->fd, FBIO_WAITFORVSYNC, &crtc)) TH_LOG("%s", strerror(errno));
	sleeps = voluntary_switches() - sleeps;
	took = now_ms() - t0;
	EXPECT_GT(VSYNC_CALLS / 2, sleeps)
		TH_LOG("%d waits slept %ld times (%lld ms)", VSYNC_CALLS, sleeps, (long long)took);
	crtc = 1;
	EXPECT_EQ(EINVAL, fail_errno(ioctl(self->fd, FBIO_WAITFORVSYNC, &crtc)));
	EXPECT_EQ(EFAULT, fail_errno(ioctl(self->fd, FBIO_WAITFORVSYNC, NULL)));
	gone = unmapped_page(self->page);
	ASSERT_NE(NULL, gone) TH_LOG("mmap, munmap: %s", strerror(errno));
	EXPECT_EQ(EFAULT, fail_errno(ioctl(self->fd, FBIO_WAITFORVSYNC, gone)));
}

TEST_F(vfb, poll_ready)
{
	struct pollfd p = { .fd = self->fd, .events = POLLIN | POLLOUT };

	REQ("VFB-5");
	EXPECT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN | POLLOUT, p.revents & (POLLIN | POLLOUT | POLLERR | POLLHUP | POLLNVAL));
}

TEST_F(vfb, unknown_ioctl)
{
	int arg[64] = { 0 };

	REQ("VFB-5");
	EXPECT_EQ(ENOTTY, fail_errno(ioctl(self->fd, _IO('F', 0x7f), arg)));
	EXPECT_EQ(ENOTTY, fail_errno(ioctl(self->fd, _IOWR(0xD5, 0xfe, int), arg)));
	if (variant->native)
		return;	/* fbdev's own console and vblank ioctls are not "other" there */
	EXPECT_EQ(ENOTTY, fail_errno(ioctl(self->fd, FBIOGET_CON2FBMAP, arg))) TH_LOG("FBIOGET_CON2FBMAP");
	EXPECT_EQ(ENOTTY, fail_errno(ioctl(self->fd, FBIOGET_VBLANK, arg))) TH_LOG("FBIOGET_VBLANK");
}

TEST_F(vfb, map_private)
{
	void *p;

	REQ("VFB-6");
	errno = 0;
	p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	if (p != MAP_FAILED) {
		munmap(p, self->len);
		NATIVE_DEVIATION("native_map_private");
	}
	EXPECT_EQ(MAP_FAILED, p) TH_LOG("MAP_PRIVATE was allowed");
	EXPECT_EQ(EINVAL, errno);
}

/* errno of a MAP_SHARED mapping of @len at @off, or 0 (unmapped again) if it succeeded. */
static int mmap_errno(int fd, size_t len, size_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

TEST_F(vfb, mmap_past_end)
{
	size_t all = (self->len + self->page - 1) / self->page * self->page;
	unsigned char *p, got = 0;

	REQ("VFB-6", "VFB-4");
	/* Up to smem_len rounded up to a page: fine. */
	p = mmap(NULL, all, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	EXPECT_NE(MAP_FAILED, p) TH_LOG("mapping all %zu bytes: %s", all, strerror(errno));
	if (p != MAP_FAILED)
		munmap(p, all);
	/* The last page at its offset, coherent with pread. */
	p = mmap(NULL, self->page, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, (off_t)(all - self->page));
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mapping the last page: %s", strerror(errno));
	p[self->len - 1 - (all - self->page)] = 0xc3;
	EXPECT_EQ(1, pread(self->fd, &got, 1, (off_t)self->len - 1));
	EXPECT_EQ(0xc3, got);
	munmap(p, self->page);

	EXPECT_EQ(EINVAL, mmap_errno(self->fd, all + self->page, 0)) TH_LOG("a mapping one page too long");
	EXPECT_EQ(EINVAL, mmap_errno(self->fd, self->page, all)) TH_LOG("a mapping at the end");
	EXPECT_EQ(EINVAL, mmap_errno(self->fd, 2 * self->page, all - self->page))
		TH_LOG("a mapping crossing the end");
}

TEST_HARNESS_MAIN
