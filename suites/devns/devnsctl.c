// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl as the host's tool (list, activate, watch, screenshot, vnc), run as a
 * user would, against the implementation: what it prints agrees with
 * GET_STATE and DESCRIBE, what it does is what the ioctls do (DEVNS-5,
 * DEVNS-9, DEVNS-13), its screenshot and VNC view of a background container
 * are exact (DMG-1), and a mistake gets a message and status 1 or 2, not a
 * change.
 *
 * devnsctl is $DEVNS_DEVNSCTL, or build/bin/devnsctl (make build).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <jpeglib.h>
#include <net/if.h>
#include <png.h>
#include <rfb/keysym.h>
#include <rfb/rfbclient.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "devns_test.h"
#include "fb.h"
#include "input.h"
#include "tool.h"
#include "vtty.h"

#define MAX_CT	2

FIXTURE(devnsctl) {
	const struct impl_ops *im;
	int fd;
	struct ct ct[MAX_CT];
	int nct;
	struct tool tool;
};

FIXTURE_SETUP(devnsctl)
{
	self->im = impl();
	self->nct = 0;
	self->tool.pid = 0;
	self->tool.out = self->tool.err = -1;
	self->fd = self->im->open_ctl();
	ASSERT_LE(0, self->fd) TH_LOG("open control: %s", strerror(-self->fd));
}

FIXTURE_TEARDOWN(devnsctl)
{
	tool_kill(&self->tool);
	if (self->fd >= 0) {
		self->im->activate(self->fd, getpid(), 0);
		close(self->fd);
	}
	for (int i = 0; i < self->nct; i++)
		ct_stop(&self->ct[i]);
}

/* A new container of the fixture: its struct ct. */
#define NEW_CT(ctp)								\
	do {									\
		ASSERT_GT(MAX_CT, self->nct);					\
		*(ctp) = &self->ct[self->nct];					\
		CT_START(*(ctp), CT_CLONE, NULL);				\
		self->nct++;							\
	} while (0)

/* devnsctl ARGS... in the background, as self->tool. */
#define SPAWN(...)								\
	do {									\
		const char *_argv[] = { "devnsctl", __VA_ARGS__, NULL };	\
		ASSERT_EQ(0, tool_spawn(&self->tool, tool_devnsctl_path(), _argv)) \
			TH_LOG("running %s", tool_devnsctl_path());		\
	} while (0)

/* devnsctl ARGS... to its end: the exit status must be @code. */
#define RUN(code, ...)								\
	do {									\
		int _st;							\
		SPAWN(__VA_ARGS__);						\
		_st = tool_finish(&self->tool, deadline_ms(5000));		\
		ASSERT_NE(-ETIMEDOUT, _st) TH_LOG("devnsctl did not end in time"); \
		ASSERT_TRUE(WIFEXITED(_st)) TH_LOG("devnsctl died of signal %d", WTERMSIG(_st)); \
		ASSERT_EQ((code), WEXITSTATUS(_st))				\
			TH_LOG("stdout: %s\nstderr: %s", self->tool.outbuf, self->tool.errbuf); \
	} while (0)

/* Read devnsctl's output until @needle, within the deadline. */
#define EXPECT_PRINTS(needle)							\
	do {									\
		int _r = tool_expect(&self->tool, (needle), deadline_ms(3000));	\
		ASSERT_EQ(0, _r) TH_LOG("waiting for '%s': %s; stdout: %s; stderr: %s", \
					(needle), strerror(-_r), self->tool.outbuf, \
					self->tool.errbuf);			\
	} while (0)

/*
 * Two containers, the second active: the list names each with its pid (its
 * init, the lowest pid in it), id, level and state, and the host too, in
 * text and in JSON.
 */
/* Put vfb @fd in the panel's smallest mode with room to pan; *@var gets it. */
static int pannable_mode(int fd, struct fb_var_screeninfo *var)
{
	struct fb_fix_screeninfo fix;
	struct fb_mode_size m[8];
	int n = fb_panel_modes(m, 8), best = 0;
	unsigned int yv;

	if (n <= 0 || ioctl(fd, FBIOGET_FSCREENINFO, &fix))
		return n < 0 ? n : -errno;
	for (int i = 1; i < n; i++)
		if (m[i].xres * m[i].yres < m[best].xres * m[best].yres)
			best = i;
	yv = fix.smem_len / (m[best].xres * 4);
	if (yv > 2 * m[best].yres)
		yv = 2 * m[best].yres;
	return fb_set_mode(fd, m[best].xres, m[best].yres, m[best].xres, yv, var);
}

TEST_F_TIMEOUT(devnsctl, list_shows_every_namespace_and_the_active_one, deadline_ms(6000) / 1000)
{
	struct fb_var_screeninfo var;
	struct impl_vtty_devs ttys;
	char want[200];
	struct impl_ns host;
	struct ct *a, *b;
	int vfb, tty;

	REQ("DEVNS-13");
	REQUIRE_CAP(IMPL_CAP_COUNTERS | IMPL_CAP_VFB | IMPL_CAP_VTTY);
	NEW_CT(&a);
	NEW_CT(&b);
	/* tracked while something holds them: a vfb file (a), being active (b) */
	vfb = ct_open(a, self->im->device("vfb"), O_RDWR);
	ASSERT_LE(0, vfb) TH_LOG("opening the vfb in the container: %s", strerror(-vfb));
	ASSERT_EQ(0, self->im->activate(self->fd, b->pid, 0));
	ASSERT_EQ(0, self->im->describe(self->fd, getpid(), 0, &host));
	/* a has a framebuffer (panning: its virtual size is not its mode) and a terminal open */
	ASSERT_EQ(0, pannable_mode(vfb, &var));
	ASSERT_EQ(0, vtty_setup(a, &ttys));
	tty = ct_open(a, "/dev/tty2", O_RDWR | O_NOCTTY);
	ASSERT_LE(0, tty) TH_LOG("opening a terminal in the container: %s", strerror(-tty));

	RUN(0, "list", "--json");
	snprintf(want, sizeof(want), "\"activations\": 0, \"mode\": \"%ux%u\", \"terminals\": %u, "
		 "\"terminals_open\": 1}", var.xres, var.yres, ttys.count);
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);
	snprintf(want, sizeof(want), "\"activations\": 1, \"mode\": null, \"terminals\": null, "
		 "\"terminals_open\": null}");
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);
	snprintf(want, sizeof(want), "{\"pid\": %d, \"id\": %llu, \"level\": 1, \"state\": \"passive\"",
		 (int)a->pid, (unsigned long long)pidns_id(a->pid));
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);
	snprintf(want, sizeof(want), "{\"pid\": %d, \"id\": %llu, \"level\": 1, \"state\": \"active\"",
		 (int)b->pid, (unsigned long long)pidns_id(b->pid));
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);
	snprintf(want, sizeof(want), "\"id\": %llu, \"level\": 0, \"state\": \"host\"",
		 (unsigned long long)host.id);
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);

	RUN(0, "list");
	close(tty);
	close(vfb);
	snprintf(want, sizeof(want), "\n%-8d %-12llu %-5u %-12s ", (int)b->pid,
		 (unsigned long long)pidns_id(b->pid), 1u, "active");
	EXPECT_NE(NULL, strstr(self->tool.outbuf, want)) TH_LOG("no '%s' in: %s", want, self->tool.outbuf);
}

/*
 * activate PID switches to its namespace (one switch, even when asked
 * twice), activate host back, and each prints the namespace it made active.
 */
TEST_F_TIMEOUT(devnsctl, activate_switches_once_and_back_to_the_host, deadline_ms(6000) / 1000)
{
	struct impl_state before, st;
	char pid[16], want[64];
	struct ct *a;

	REQ("DEVNS-5");
	NEW_CT(&a);
	ASSERT_EQ(0, self->im->get_state(self->fd, &before));
	snprintf(pid, sizeof(pid), "%d", (int)a->pid);

	RUN(0, "activate", pid);
	snprintf(want, sizeof(want), "active: %llu\n", (unsigned long long)pidns_id(a->pid));
	EXPECT_STREQ(want, self->tool.outbuf);
	ASSERT_EQ(0, self->im->get_state(self->fd, &st));
	EXPECT_EQ(pidns_id(a->pid), st.active_id);
	EXPECT_EQ(before.generation + 1, st.generation);

	RUN(0, "activate", "--quiet", pid);
	EXPECT_STREQ("", self->tool.outbuf);
	ASSERT_EQ(0, self->im->get_state(self->fd, &st));
	EXPECT_EQ(before.generation + 1, st.generation) TH_LOG("activating the active one switched");

	RUN(0, "activate", "host");
	snprintf(want, sizeof(want), "active: %llu (host)\n", (unsigned long long)before.self_id);
	EXPECT_STREQ(want, self->tool.outbuf);
	ASSERT_EQ(0, self->im->get_state(self->fd, &st));
	EXPECT_EQ(before.self_id, st.active_id);
	EXPECT_EQ(before.generation + 2, st.generation);
}

/* Mistakes: a message, status 1 (an error) or 2 (usage), and no switch. */
TEST_F_TIMEOUT(devnsctl, mistakes_are_named_and_change_nothing, deadline_ms(6000) / 1000)
{
	struct impl_state before, st;

	REQ("DEVNS-7");
	ASSERT_EQ(0, self->im->get_state(self->fd, &before));

	RUN(1, "activate", "2147483647");	/* no such process */
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "no such process")) TH_LOG("%s", self->tool.errbuf);
	RUN(2, "activate");
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "usage: devnsctl activate")) TH_LOG("%s", self->tool.errbuf);
	RUN(2, "activate", "-5");
	RUN(2, "activate", "12abc");
	RUN(2, "list", "extra");
	RUN(2, "watch", "--count", "0");
	RUN(2, "no-such-command");
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "no command 'no-such-command'")) TH_LOG("%s", self->tool.errbuf);
	RUN(0, "activate", "--help");
	EXPECT_NE(NULL, strstr(self->tool.outbuf, "usage: devnsctl activate")) TH_LOG("%s", self->tool.outbuf);

	ASSERT_EQ(0, self->im->get_state(self->fd, &st));
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
}

/*
 * watch prints a switch as it happens (not at its next look at the list),
 * a new container, and the death of the active one (the fall back to the
 * host is a switch), then ends with status 0 on SIGINT.
 */
TEST_F_TIMEOUT(devnsctl, watch_reports_switches_births_and_deaths, deadline_ms(6000) / 1000)
{
	char want[96], dead[64], gone[64];
	const char *const ends[] = { dead, gone };
	struct impl_state before;
	struct ct *a;
	uint64_t id;
	int st, ret;

	REQ("DEVNS-9");
	REQUIRE_CAP(IMPL_CAP_POLL);
	ASSERT_EQ(0, self->im->get_state(self->fd, &before));
	SPAWN("watch");
	snprintf(want, sizeof(want), "watching: generation %llu active %llu\n",
		 (unsigned long long)before.generation, (unsigned long long)before.active_id);
	EXPECT_PRINTS(want);

	NEW_CT(&a);
	ASSERT_EQ(0, self->im->activate(self->fd, a->pid, 0));
	snprintf(want, sizeof(want), "switch %llu: active %llu\n",
		 (unsigned long long)before.generation + 1, (unsigned long long)pidns_id(a->pid));
	EXPECT_PRINTS(want);
	if (impl_has(IMPL_CAP_COUNTERS)) {
		snprintf(want, sizeof(want), "new %llu\n", (unsigned long long)pidns_id(a->pid));
		EXPECT_PRINTS(want);
	}

	snprintf(want, sizeof(want), "switch %llu: active %llu\n",
		 (unsigned long long)before.generation + 2, (unsigned long long)before.active_id);
	id = pidns_id(a->pid);
	ct_stop(a);
	EXPECT_PRINTS(want);
	if (impl_has(IMPL_CAP_COUNTERS)) {
		/* dead, or gone at once (nothing holds the namespace any more) */
		snprintf(dead, sizeof(dead), "dead %llu\n", (unsigned long long)id);
		snprintf(gone, sizeof(gone), "gone %llu\n", (unsigned long long)id);
		ret = tool_expect_any(&self->tool, ends, 2, deadline_ms(3000));
		EXPECT_LE(0, ret) TH_LOG("neither '%s' nor '%s' in: %s", dead, gone,
					 self->tool.outbuf);
	}

	ASSERT_EQ(0, kill(self->tool.pid, SIGINT));
	st = tool_finish(&self->tool, deadline_ms(5000));
	ASSERT_NE(-ETIMEDOUT, st) TH_LOG("watch did not end on SIGINT");
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("status %#x; stderr: %s", st, self->tool.errbuf);
}

/*
 * In the container: its whole vfb painted by @paint(@buf, @info, @arg) and
 * written with pwrite (0 or errno), for ct_call().
 */
static int draw_vfb(void (*paint)(uint8_t *buf, const struct fb_info_pair *info, long arg),
		    long arg)
{
	struct fb_info_pair info;
	int fd = fb_open(FB_VFB), ret;
	uint8_t *buf;

	if (fd < 0)
		return -fd;
	ret = fb_get(fd, &info);
	buf = ret ? NULL : calloc(1, info.fix.smem_len);
	if (buf) {
		paint(buf, &info, arg);
		ret = fb_pwrite_all(fd, buf, info.fix.smem_len, 0);
		free(buf);
	} else if (!ret) {
		ret = -ENOMEM;
	}
	close(fd);
	return -ret;
}

static void paint_pattern(uint8_t *buf, const struct fb_info_pair *info, long seed)
{
	fb_pattern(buf, info->fix.smem_len, 0, (uint32_t)seed);
}

/* In the container: its whole vfb in pattern @seed (0 or errno). */
static int draw_pattern(long seed)
{
	return draw_vfb(paint_pattern, seed);
}

/*
 * A new container of the fixture that drew pattern @seed over its vfb: its
 * mode in *@infop (a new state's, the default: the host's when it is in the
 * default mode too) and its pid as text in @pidtext (16 bytes).
 */
#define NEW_DRAWN_CT(ctp, seed, infop, pidtext)					\
	do {									\
		NEW_CT(ctp);							\
		ASSERT_EQ(0, ct_call(*(ctp), draw_pattern, (seed)));		\
		ASSERT_EQ(0, default_mode(infop));				\
		snprintf((pidtext), 16, "%d", (int)(*(ctp))->pid);		\
	} while (0)

/* A new vfb state's mode (the default) as the host's vfb reports it: 0 or -errno. */
static int default_mode(struct fb_info_pair *info)
{
	int fd = fb_open(FB_VFB), ret;

	if (fd < 0)
		return fd;
	ret = fb_get(fd, info);
	close(fd);
	return ret;
}

/*
 * The first pixel of a PNG that differs from pattern @seed drawn on a vfb of
 * @info's mode (XRGB8888, the visible area at the pan offsets): its index,
 * or width x height if none does.
 */
static size_t png_differs(const unsigned char *rgb, const struct fb_info_pair *info, uint32_t seed)
{
	size_t len = info->fix.smem_len, x, y;
	uint8_t *pix = malloc(len);
	size_t w = info->var.xres, h = info->var.yres;

	if (!pix)
		return 0;
	fb_pattern(pix, len, 0, seed);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			const uint8_t *p = pix + (info->var.yoffset + y) * info->fix.line_length +
					   (info->var.xoffset + x) * 4;
			const unsigned char *q = rgb + (y * w + x) * 3;

			/* little-endian XRGB8888: bytes B, G, R, X */
			if (q[0] != p[2] || q[1] != p[1] || q[2] != p[0]) {
				free(pix);
				return y * w + x;
			}
		}
	}
	free(pix);
	return w * h;
}

/*
 * screenshot of a passive container: a PNG of its visible area whose every
 * pixel is what the container drew; the panel (the host's) is untouched.
 */
TEST_F_TIMEOUT(devnsctl, screenshot_of_a_passive_container_is_exact, deadline_ms(12000) / 1000)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	struct fb_info_pair info;
	unsigned char *rgb = NULL;
	char path[64], pid[16];
	struct ct *a;
	size_t at;

	REQ("DMG-1");
	REQUIRE_CAP(IMPL_CAP_VIEW);
	NEW_DRAWN_CT(&a, 0x5c4ee7, &info, pid);
	snprintf(path, sizeof(path), "/tmp/devnsctl-screenshot-%d.png", (int)getpid());
	RUN(0, "screenshot", pid, "-o", path);
	EXPECT_NE(NULL, strstr(self->tool.outbuf, path)) TH_LOG("%s", self->tool.outbuf);
	ASSERT_NE(0, png_image_begin_read_from_file(&img, path)) TH_LOG("%s", img.message);
	EXPECT_EQ(info.var.xres, img.width);
	EXPECT_EQ(info.var.yres, img.height);
	img.format = PNG_FORMAT_RGB;
	rgb = malloc(PNG_IMAGE_SIZE(img));
	ASSERT_NE(NULL, rgb);
	ASSERT_NE(0, png_image_finish_read(&img, NULL, rgb, 0, NULL)) TH_LOG("%s", img.message);
	unlink(path);
	if (img.width == info.var.xres && img.height == info.var.yres) {
		at = png_differs(rgb, &info, 0x5c4ee7);
		EXPECT_EQ((size_t)img.width * img.height, at)
			TH_LOG("pixel %zu (x %zu, y %zu) is not what the container drew",
			       at, at % img.width, at / img.width);
	}
	free(rgb);
}

/* screenshot's mistakes: a message and status 1 or 2, no file. */
TEST_F_TIMEOUT(devnsctl, screenshot_mistakes_are_named, deadline_ms(6000) / 1000)
{
	char path[64];

	REQ("DMG-3");
	REQUIRE_CAP(IMPL_CAP_VIEW);
	snprintf(path, sizeof(path), "/tmp/devnsctl-screenshot-%d.png", (int)getpid());
	RUN(1, "screenshot", "2147483647", "-o", path);
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "no such process")) TH_LOG("%s", self->tool.errbuf);
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("a file was written");
	RUN(2, "screenshot");
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "usage: devnsctl screenshot")) TH_LOG("%s", self->tool.errbuf);
	RUN(1, "screenshot", "host", "-o", "/nonexistent-dir/x.png");
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "/nonexistent-dir/x.png")) TH_LOG("%s", self->tool.errbuf);
}

/* libvncclient's messages: not in the test's output. */
static void vnc_quiet(const char *fmt, ...)
{
	(void)fmt;
}

/* The rows the server's updates covered since the last reset: [y0, y1). */
static int updated_y0 = INT_MAX, updated_y1;

static void vnc_record_update(rfbClient *c, int x, int y, int w, int h)
{
	(void)c, (void)x, (void)w;
	if (y < updated_y0)
		updated_y0 = y;
	if (y + h > updated_y1)
		updated_y1 = y + h;
}

/*
 * Read VNC updates until the client's framebuffer shows @pix, the pixels
 * of a vfb of @info's mode: 0, -ETIMEDOUT, or -EPIPE (the server went).
 * The client's pixels are bytes R, G, B, X; the vfb's XRGB8888 B, G, R, X.
 */
static int vnc_wait_for_pixels(rfbClient *c, const struct fb_info_pair *info, const uint8_t *pix,
			       int timeout_ms, char *why, size_t whylen)
{
	int64_t end = now_ms() + timeout_ms;
	int ret = -ETIMEDOUT;

	while (now_ms() < end) {
		int n = WaitForMessage(c, 50000);
		bool same = c->width == (int)info->var.xres && c->height == (int)info->var.yres;

		if (n < 0 || (n > 0 && !HandleRFBServerMessage(c))) {
			ret = -EPIPE;
			break;
		}
		if (!same)
			snprintf(why, whylen, "the client's screen is %dx%d", c->width, c->height);
		for (int y = 0; same && y < c->height; y++) {
			for (int x = 0; same && x < c->width; x++) {
				const uint8_t *p = pix + (size_t)y * info->fix.line_length + (size_t)x * 4;
				const uint8_t *q = c->frameBuffer + ((size_t)y * c->width + x) * 4;

				same = q[0] == p[2] && q[1] == p[1] && q[2] == p[0];
				if (!same)
					snprintf(why, whylen, "pixel %d,%d is %02x%02x%02x, not %02x%02x%02x",
						 x, y, q[0], q[1], q[2], p[2], p[1], p[0]);
			}
		}
		if (same) {
			ret = 0;
			break;
		}
	}
	return ret;
}

/* The same, for pattern @seed over the whole vfb. */
static int vnc_wait_for(rfbClient *c, const struct fb_info_pair *info, uint32_t seed,
			int timeout_ms, char *why, size_t whylen)
{
	uint8_t *pix = malloc(info->fix.smem_len);
	int ret;

	if (!pix)
		return -ENOMEM;
	fb_pattern(pix, info->fix.smem_len, 0, seed);
	ret = vnc_wait_for_pixels(c, info, pix, timeout_ms, why, whylen);
	free(pix);
	return ret;
}

#define RECT_X		64
#define RECT_Y		64
#define RECT_SIZE	64
#define RECT_PIXEL	0x00abcdefu

/* A 64x64 rectangle at (64, 64) painted over @buf, a vfb of @info's mode. */
static void paint_rect(uint8_t *buf, const struct fb_info_pair *info)
{
	for (size_t y = RECT_Y; y < RECT_Y + RECT_SIZE; y++)
		for (size_t x = RECT_X; x < RECT_X + RECT_SIZE; x++)
			memcpy(buf + y * info->fix.line_length + x * 4, &(uint32_t){ RECT_PIXEL }, 4);
}

/* In the container: the rectangle stored through a mapping of its vfb (0 or errno). */
static int draw_rect(long unused)
{
	struct fb_info_pair info;
	int fd = fb_open(FB_VFB), ret;
	uint8_t *map;

	(void)unused;
	if (fd < 0)
		return -fd;
	ret = fb_get(fd, &info);
	map = ret ? NULL : fb_map(fd, info.fix.smem_len);
	if (map) {
		paint_rect(map, &info);
		munmap(map, info.fix.smem_len);
	}
	close(fd);
	return ret ? -ret : map ? 0 : EIO;
}

/*
 * type and key reach a passive container's virtual input; a key held with
 * "key ... down" is released there when the container is switched away.
 */
TEST_F_TIMEOUT(devnsctl, key_and_type_reach_a_passive_container, deadline_ms(8000) / 1000)
{
	static const uint16_t typed[][2] = {
		{ KEY_LEFTSHIFT, 1 }, { KEY_H, 1 }, { KEY_H, 0 }, { KEY_LEFTSHIFT, 0 },
		{ KEY_I, 1 }, { KEY_I, 0 },
	};
	struct input_event e[16];
	char pid[16];
	struct ct *a;
	int in, n, i;

	REQ("INPUT-6", "INPUT-3");
	REQUIRE_CAP(IMPL_CAP_INPUT);
	NEW_CT(&a);
	snprintf(pid, sizeof(pid), "%d", (int)a->pid);
	in = ct_open(a, self->im->device("input"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, in) TH_LOG("the container's virtual input: %s", strerror(-in));
	RUN(0, "type", pid, "Hi");
	n = input_read_events(in, e, 12, deadline_ms(3000));
	ASSERT_EQ(12, n) TH_LOG("the container got %d events for \"Hi\"", n);
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(EV_KEY, e[2 * i].type);
		EXPECT_EQ(typed[i][0], e[2 * i].code) TH_LOG("key %d", i);
		EXPECT_EQ(typed[i][1], e[2 * i].value) TH_LOG("key %d", i);
		EXPECT_EQ(EV_SYN, e[2 * i + 1].type);
	}
	RUN(0, "key", pid, "shift", "down");
	ASSERT_EQ(2, input_read_events(in, e, 2, deadline_ms(3000)));
	EXPECT_EQ(KEY_LEFTSHIFT, e[0].code);
	EXPECT_EQ(1, e[0].value);
	ASSERT_EQ(0, self->im->activate(self->fd, a->pid, 0));
	ASSERT_EQ(0, self->im->activate(self->fd, getpid(), 0));
	ASSERT_EQ(2, input_read_events(in, e, 2, deadline_ms(3000))) TH_LOG("no release at the switch");
	EXPECT_EQ(KEY_LEFTSHIFT, e[0].code);
	EXPECT_EQ(0, e[0].value);
	RUN(2, "key", pid, "nosuchkey");
	EXPECT_NE(NULL, strstr(self->tool.errbuf, "unknown key 'nosuchkey'")) TH_LOG("%s", self->tool.errbuf);
	close(in);
}

/*
 * A key and a click from VNC client @c reach container @a (passive) as
 * evdev events on its virtual input.
 */
static void vnc_types_into(struct __test_metadata *_metadata, rfbClient *c, struct ct *a)
{
	static const struct { uint16_t type, code; int32_t value; } want[] = {
		{ EV_KEY, KEY_A, 1 }, { EV_SYN, SYN_REPORT, 0 }, { EV_KEY, KEY_A, 0 },
		{ EV_SYN, SYN_REPORT, 0 }, { EV_REL, REL_X, 10 }, { EV_REL, REL_Y, 20 },
		{ EV_KEY, BTN_LEFT, 1 }, { EV_SYN, SYN_REPORT, 0 }, { EV_KEY, BTN_LEFT, 0 },
		{ EV_SYN, SYN_REPORT, 0 },
	};
	struct input_event e[12];
	int in, n, i;

	in = ct_open(a, impl()->device("input"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, in) TH_LOG("the container's virtual input: %s", strerror(-in));
	ASSERT_TRUE(SendKeyEvent(c, XK_a, TRUE) && SendKeyEvent(c, XK_a, FALSE));
	ASSERT_TRUE(SendPointerEvent(c, 10, 20, rfbButton1Mask) && SendPointerEvent(c, 10, 20, 0));
	n = input_read_events(in, e, 10, deadline_ms(5000));
	EXPECT_EQ(10, n) TH_LOG("the container got %d events from the VNC client", n);
	for (i = 0; i < n && i < 10; i++) {
		EXPECT_EQ(want[i].type, e[i].type) TH_LOG("event %d", i);
		EXPECT_EQ(want[i].code, e[i].code) TH_LOG("event %d", i);
		EXPECT_EQ(want[i].value, e[i].value) TH_LOG("event %d", i);
	}
	close(in);
}

/*
 * vnc serves a passive container's picture exactly (a libvncclient client
 * on a unix socket, every pixel), follows what it draws next, and ends
 * with status 0 on SIGINT.
 */
TEST_F_TIMEOUT(devnsctl, vnc_serves_a_passive_container_exactly, deadline_ms(20000) / 1000)
{
	struct fb_info_pair info;
	char path[64], pid[16], *argv[3], why[96] = "";
	const char *bands;
	uint8_t *expect;
	rfbClient *c;
	struct ct *a;
	int argc = 2, st, slack;

	REQ("DMG-1", "DMG-5", "INPUT-6");
	REQUIRE_CAP(IMPL_CAP_VIEW);
	NEW_DRAWN_CT(&a, 0x7c1, &info, pid);
	snprintf(path, sizeof(path), "/tmp/devnsctl-vnc-%d.sock", (int)getpid());
	SPAWN("vnc", pid, "--unix", path);
	EXPECT_PRINTS("serving ");

	rfbClientLog = rfbClientErr = vnc_quiet;
	c = rfbGetClient(8, 3, 4);
	ASSERT_NE(NULL, c);
	/* raw: exact and cheap on a local socket (tight's JPEG blurs noise) */
	c->appData.encodingsString = "raw";
	c->appData.enableJPEG = FALSE;
	argv[0] = "test";
	argv[1] = path;
	argv[2] = NULL;
	ASSERT_TRUE(rfbInitClient(c, &argc, argv)) TH_LOG("connecting to %s", path);	/* frees c on failure */
	EXPECT_EQ((int)info.var.xres, c->width);
	EXPECT_EQ((int)info.var.yres, c->height);
	EXPECT_EQ(0, vnc_wait_for(c, &info, 0x7c1, deadline_ms(5000), why, sizeof(why)))
		TH_LOG("the first picture: %s", why);
	ASSERT_EQ(0, ct_call(a, draw_pattern, 0x7c2));
	EXPECT_EQ(0, vnc_wait_for(c, &info, 0x7c2, deadline_ms(5000), why, sizeof(why)))
		TH_LOG("what it drew next: %s", why);
	/* a small rectangle: only the rows around it are sent */
	ASSERT_NE(NULL, expect = malloc(info.fix.smem_len));
	fb_pattern(expect, info.fix.smem_len, 0, 0x7c2);
	paint_rect(expect, &info);
	c->GotFrameBufferUpdate = vnc_record_update;
	updated_y0 = INT_MAX;
	updated_y1 = 0;
	ASSERT_EQ(0, ct_call(a, draw_rect, 0));
	EXPECT_EQ(0, vnc_wait_for_pixels(c, &info, expect, deadline_ms(5000), why, sizeof(why)))
		TH_LOG("a 64x64 rectangle: %s", why);
	slack = 4096 / (int)info.fix.line_length + 1;
	EXPECT_LE(RECT_Y - slack, updated_y0);
	EXPECT_GE(RECT_Y + RECT_SIZE + slack, updated_y1)
		TH_LOG("a 64x64 rectangle at row %d made rows %d..%d be sent", RECT_Y,
		       updated_y0, updated_y1);
	free(expect);
	if (impl_has(IMPL_CAP_INPUT))
		vnc_types_into(_metadata, c, a);
	rfbClientCleanup(c);

	ASSERT_EQ(0, kill(self->tool.pid, SIGINT));
	st = tool_finish(&self->tool, deadline_ms(5000));
	ASSERT_NE(-ETIMEDOUT, st) TH_LOG("vnc did not end on SIGINT");
	EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("status %#x; stderr: %s", st, self->tool.errbuf);
	EXPECT_NE(NULL, strstr(self->tool.outbuf, "tiles sent")) TH_LOG("%s", self->tool.outbuf);
	if (impl_has(IMPL_CAP_DAMAGE)) {	/* the rectangle came as damage, not a diff */
		unsigned long nbands = 0;

		bands = strstr(self->tool.outbuf, "without damage): ");
		EXPECT_TRUE(bands && sscanf(bands, "without damage): %lu bands", &nbands) == 1 &&
			    nbands > 0) TH_LOG("no band sent from damage: %s", self->tool.outbuf);
	}
	EXPECT_NE(0, access(path, F_OK)) TH_LOG("the socket was left behind");
}

/* Four flat quadrants, for a lossy (JPEG) client: top left, top right, bottom left, bottom right. */
static const uint32_t quadrant_rgb[4] = { 0xff0000, 0x00ff00, 0x0000ff, 0xffffff };

/* Four flat quadrants, the rest of smem_len black. */
static void paint_quadrants(uint8_t *buf, const struct fb_info_pair *info, long unused)
{
	(void)unused;
	for (uint32_t y = 0; y < info->var.yres; y++) {
		uint32_t *row = (uint32_t *)(buf + (size_t)y * info->fix.line_length);

		for (uint32_t x = 0; x < info->var.xres; x++)
			row[x] = quadrant_rgb[(y >= info->var.yres / 2) * 2 + (x >= info->var.xres / 2)];
	}
}

/* In the container: its vfb in the four quadrants (0 or errno). */
static int draw_quadrants(long unused)
{
	return draw_vfb(paint_quadrants, unused);
}

/* The network's loopback up (a guest's starts down): 0 or -errno. */
static int loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
	close(s);
	return ret;
}

/* A JPEG file as 8-bit RGB rows (malloc'd), its size in *@w, *@h; NULL if it cannot be read. */
static uint8_t *jpeg_rgb(const char *path, unsigned int *w, unsigned int *h)
{
	struct jpeg_decompress_struct d;
	struct jpeg_error_mgr err;
	FILE *f = fopen(path, "rb");
	uint8_t *rgb;

	if (!f)
		return NULL;
	d.err = jpeg_std_error(&err);
	jpeg_create_decompress(&d);
	jpeg_stdio_src(&d, f);
	jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	*w = d.output_width;
	*h = d.output_height;
	rgb = malloc((size_t)*w * *h * 3);
	while (rgb && d.output_scanline < d.output_height) {
		JSAMPROW row = rgb + (size_t)d.output_scanline * *w * 3;

		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	fclose(f);
	return rgb;
}

/*
 * Debian's vncsnapshot, a real client over TCP (loopback), captures a
 * passive container's picture: each quadrant's colour within JPEG's
 * tolerance, sampled away from the edges.
 */
TEST_F_TIMEOUT(devnsctl, vncsnapshot_captures_a_passive_container, deadline_ms(20000) / 1000)
{
	const char *snap_argv[] = { "vncsnapshot", "-quiet", "-allowblank", NULL, NULL, NULL };
	char path[64], pid[16], listen[32], server[32];
	struct fb_info_pair info;
	unsigned int w = 0, h = 0;
	struct tool snap;
	struct ct *a;
	uint8_t *rgb;
	int port, st;

	REQ("DMG-1");
	REQUIRE_CAP(IMPL_CAP_VIEW);
	if (access("/usr/bin/vncsnapshot", X_OK))
		SKIP(return, "vncsnapshot is not installed (ci/deps installs it)");
	ASSERT_EQ(0, loopback_up());
	NEW_CT(&a);
	ASSERT_EQ(0, ct_call(a, draw_quadrants, 0));
	snprintf(pid, sizeof(pid), "%d", (int)a->pid);
	port = 15900 + (int)(getpid() % 1000);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(server, sizeof(server), "127.0.0.1::%d", port);
	snprintf(path, sizeof(path), "/tmp/devnsctl-vncsnapshot-%d.jpg", (int)getpid());
	SPAWN("vnc", pid, "--listen", listen);
	EXPECT_PRINTS("serving ");

	snap_argv[3] = server;
	snap_argv[4] = path;
	ASSERT_EQ(0, tool_spawn(&snap, "/usr/bin/vncsnapshot", snap_argv));
	st = tool_finish(&snap, deadline_ms(10000));
	ASSERT_NE(-ETIMEDOUT, st) TH_LOG("vncsnapshot did not end");
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
		TH_LOG("vncsnapshot: status %#x: %s%s", st, snap.outbuf, snap.errbuf);
	rgb = jpeg_rgb(path, &w, &h);
	unlink(path);
	ASSERT_NE(NULL, rgb) TH_LOG("no JPEG in %s", path);
	ASSERT_EQ(0, default_mode(&info));
	EXPECT_EQ(info.var.xres, w);
	EXPECT_EQ(info.var.yres, h);
	for (int q = 0; q < 4 && w == info.var.xres && h == info.var.yres; q++) {
		unsigned int x = w / 4 + (q & 1) * w / 2, y = h / 4 + (q >> 1) * h / 2;
		const uint8_t *p = rgb + ((size_t)y * w + x) * 3;

		for (int k = 0; k < 3; k++) {
			int want = (quadrant_rgb[q] >> (16 - 8 * k)) & 0xff;

			EXPECT_GE(8, abs(p[k] - want))
				TH_LOG("quadrant %d at %u,%u: channel %d is %d, not %d", q, x, y, k, p[k], want);
		}
	}
	free(rgb);
	ASSERT_EQ(0, kill(self->tool.pid, SIGINT));
	st = tool_finish(&self->tool, deadline_ms(5000));
	EXPECT_TRUE(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) TH_LOG("vnc: status %#x", st);
}

TEST_HARNESS_MAIN
