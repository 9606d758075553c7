// SPDX-License-Identifier: GPL-2.0
/*
 * blit: throughput of drawing into a frame through write(), pwrite() and a
 * shared mapping (memcpy, memset), for the whole frame and for small
 * rectangles, on the virtual framebuffer (foreground, background, host only)
 * and its native peers (the panel, vfb.ko, bochs-drm's fbdev, DRM dumb
 * buffers).  Benchmark "blit", MB/s (10^6 bytes/s), higher is better;
 * params method, region, width, height; variant = device.  The counters'
 * ops are bytes drawn.
 *
 * Three phases, devices interleaved per sample index in each (their order
 * rotated by one at every index, so that none is always first or last):
 *   1. no container exists and the host is active ("virtualisation off"):
 *      panel, vfb-hostonly, vfb.ko, bochs-fbdev, drm-dumb;
 *   2. two containers, the first active: vfb-fg, vfb-bg, panel again (its
 *      samples of every phase make one point);
 *   3. the same containers, each watched by a host damage view (SPEC 3.3)
 *      that fetches the damage before every sample, as a VNC server would
 *      between frames, so that every sample's stores are tracked and pay
 *      for the re-arm: vfb-fg-viewed, vfb-bg-viewed, panel.
 *
 * Benchmark "blit_over_panel" (x, higher is better; same params): each
 * device's sample over the panel's sample of the same index, method and
 * region in the same phase, measured a moment apart.  The guest's speed
 * under TCG moves for seconds at a time, and minutes lie between the
 * phases; the paired ratio cancels what the two samples share.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench.h"
#include "container.h"
#include "devices.h"
#include "dumb.h"
#include "fb.h"
#include "impl.h"

#define RECT		64	/* rect64: RECT x RECT pixels, one op per row */
#define PAGE		4096u
#define MAX_TARGETS	8

enum method { M_WRITE, M_PWRITE, M_MEMCPY, M_MEMSET, NR_METHODS };
enum region { R_FULL, R_RECT, NR_REGIONS };

static const char *const method_name[NR_METHODS] = {
	"write", "pwrite", "mmap-memcpy", "mmap-memset",
};
static const char *const region_name[NR_REGIONS] = { "full", "rect64" };

/* One device being measured. */
struct target {
	const char *variant;	/* the points' variant */
	int fd;			/* for write/pwrite; -1: mapping only */
	bool own_fd;		/* close fd when done */
	char *map;		/* shared mapping of map_len bytes, NULL: none */
	size_t map_len;
	char *copy;		/* the picture again for memcpy, apart from map */
	unsigned int pitch;	/* bytes per row */
	bool again;		/* measured in an earlier phase: no second warm-up */
	int view;		/* a damage view fetched before each sample, or -1 */
	bool failed[NR_METHODS];
};

static struct bench_opts o;
static unsigned int width = 1024, height = 768;
static unsigned int frames_per_sample, rects_per_sample;
/*
 * The picture drawn, laid out like the device: one for write() and pwrite()
 * to every device, so that the kernel's copies from it see the same layout;
 * each mapping gets its own copy for memcpy() (struct target's copy).
 */
static char *src;
static size_t src_len;

static const char usage[] =
	"Usage: blit [options]\n"
	"Blit throughput (benchmark \"blit\", MB/s, higher is better) through write\n"
	"(lseek + write), pwrite, mmap-memcpy and mmap-memset, for the whole frame\n"
	"(region \"full\": line_length x height bytes in one op) and 64x64-pixel\n"
	"rectangles (\"rect64\", one op per row, at a position that changes every\n"
	"time), on the devices vfb-fg, vfb-bg, panel, vfb-hostonly, vfb.ko (loaded on\n"
	"demand), bochs-fbdev (modprobe bochs; needs ci/vm --vga std, and\n"
	"--append video=Virtual-1:1024x768 for bochs to use the same mode) and\n"
	"drm-dumb (libdrm dumb buffer on " BENCH_DRM_CARD ", mmap-* only), and\n"
	"vfb-fg-viewed and vfb-bg-viewed: the same containers while a host damage\n"
	"view fetches their damage before every sample (SPEC 3.3).  Samples: 4\n"
	"frames or 128 rectangles each (--smoke: 1 or 8).  Counters (kept samples\n"
	"only): ops = bytes.  Benchmark \"blit_over_panel\" (x, higher is better):\n"
	"each device's sample over the panel's of the same index, method and region\n"
	"in the same phase.\n"
	"Runs as root in the guest with devns.ko loaded; a device that cannot be\n"
	"reached is recorded as such and the others are still measured.\n"
	"\n"
	"Options:\n"
	"  --width W     frame width in pixels (default 1024)\n"
	"  --height H    frame height in pixels (default 768); every device is\n"
	"                measured on the same W x H x 32 frame\n";

enum { OPT_WIDTH = 256, OPT_HEIGHT };

static int take_opt(int val, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*end || v < RECT || v > 8192)
		return -1;
	if (val == OPT_WIDTH)
		width = (unsigned int)v;
	else
		height = (unsigned int)v;
	return 0;
}

/* Make the picture at least @len bytes long (a device's pitch x height). */
static void src_reserve(size_t len)
{
	if (len <= src_len)
		return;
	free(src);
	src = malloc(len);
	if (!src) {
		perror("malloc");
		exit(2);
	}
	src_len = len;
	fb_pattern(src, len, 0, 0x5eed);
}

/*
 * @t's copy of the picture for memcpy() into its mapping, placed where QEMU's
 * TCG does not make the copies slower for the layout's sake (bench_map_apart()).
 */
static void copy_make(struct target *t)
{
	src_reserve(t->map_len);
	t->copy = bench_map_apart(t->map, t->map_len);
	if (!t->copy) {
		perror("mmap");
		exit(2);
	}
	memcpy(t->copy, src, t->map_len);
}

/* Draw @len bytes of the picture at device offset @off (the same offset in it). */
static int span(struct target *t, enum method m, size_t off, size_t len, int fill)
{
	switch (m) {
	case M_WRITE:
		if (lseek(t->fd, (off_t)off, SEEK_SET) < 0)
			return -errno;
		return write_full(t->fd, src + off, len);
	case M_PWRITE:
		return fb_pwrite_all(t->fd, src + off, len, (off_t)off);
	case M_MEMCPY:
		memcpy(t->map + off, t->copy + off, len);
		return 0;
	case M_MEMSET:
		memset(t->map + off, fill, len);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Draw the @w x @h rectangle at (@x, @y), one op per row. */
static int blit_rect(struct target *t, enum method m, unsigned int x, unsigned int y,
		     unsigned int w, unsigned int h, int fill)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < h && !ret; i++)
		ret = span(t, m, (y + i) * (size_t)t->pitch + (size_t)x * 4, (size_t)w * 4, fill);
	return ret;
}

/* The viewer's frame: fetch (and so re-arm) what @t's namespace damaged. */
static void fetch_damage(struct target *t)
{
	static uint64_t bits[(64u << 20) / PAGE / 64];	/* up to a 64 MiB frame */
	struct impl_damage d = { .bitmap = bits, .nbits = sizeof(bits) * 8 };
	int ret = impl()->vfb_damage(t->view, &d);

	if (ret) {
		bench_progress("%s: damage fetch failed: %s; no more fetches", t->variant,
			       strerror(-ret));
		close(t->view);
		t->view = -1;
	}
}

#define BLIT_PARAMS "\"method\":\"%s\",\"region\":\"%s\",\"width\":%u,\"height\":%u"

/*
 * One sample of @t with method @m over region @r; sample index @s.
 * Returns its MB/s, or a negative value if it was not measured.
 */
static double measure(struct target *t, enum method m, enum region r, unsigned int s)
{
	struct bench_point *p;
	struct bench_counters c;
	uint64_t t0, t1, bytes = 0;
	double mbs;
	unsigned int i, k;
	int ret = 0, fill = 0x40 + (int)(s % 64);
	/* sample s is a warm-up one for every point (one sample per index) */
	bool keep = s >= o.warmup;

	if (t->failed[m] || (m <= M_PWRITE ? t->fd < 0 : !t->map))
		return -1;
	p = bench_point("blit", t->variant, "MB/s", BENCH_HIGHER, BLIT_PARAMS,
			method_name[m], region_name[r], width, height);
	if (t->view >= 0)
		fetch_damage(t);
	if (keep)	/* counters of kept samples only, like the ops */
		bench_counters_start(&c);
	t0 = bench_now_ns();
	if (r == R_FULL) {
		/* the whole frame, line_length x height bytes, in one op */
		for (i = 0; i < frames_per_sample && !ret; i++)
			ret = span(t, m, 0, (size_t)t->pitch * height, fill);
		bytes = (uint64_t)frames_per_sample * t->pitch * height;
	} else {
		for (i = 0; i < rects_per_sample && !ret; i++) {
			k = s * rects_per_sample + i;
			ret = blit_rect(t, m, k * 263 % (width - RECT + 1),
					k * 151 % (height - RECT + 1), RECT, RECT, fill);
		}
		bytes = (uint64_t)rects_per_sample * RECT * RECT * 4;
	}
	t1 = bench_now_ns();
	if (keep)
		bench_counters_stop(&c, p, ret ? 0 : bytes);
	if (ret) {
		t->failed[m] = true;
		bench_progress("%s %s %s failed: %s; not measured further", t->variant,
			       method_name[m], region_name[r], strerror(-ret));
		return -1;
	}
	mbs = t1 > t0 ? (double)bytes * 1e3 / (double)(t1 - t0) : 0;
	if (!t->again || keep)
		bench_add(p, mbs);
	return mbs;
}

/* The samples of @n devices (@mbs[i] < 0: not measured) over the panel's. */
static void pair_with_panel(struct target *ts, const double *mbs, unsigned int n,
			    enum method m, enum region r)
{
	double panel = -1;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ts[i].variant, "panel"))
			panel = mbs[i];
	if (panel <= 0)
		return;
	for (i = 0; i < n; i++)
		if (mbs[i] >= 0 && strcmp(ts[i].variant, "panel"))
			bench_add_state(bench_point("blit_over_panel", ts[i].variant, "x",
						    BENCH_HIGHER, BLIT_PARAMS, method_name[m],
						    region_name[r], width, height),
					mbs[i] / panel);
}

static void run_phase(struct target *ts, unsigned int n, const char *what)
{
	unsigned int total = o.warmup + o.samples, s, i;
	uint64_t start = bench_now_ns();
	int m, r;

	if (!n) {
		bench_progress("%s: no device to measure", what);
		return;
	}
	for (s = 0; s < total; s++) {
		for (r = 0; r < NR_REGIONS; r++)
			for (m = 0; m < NR_METHODS; m++) {
				double mbs[MAX_TARGETS];

				/* the devices' order rotates with the sample index */
				for (i = 0; i < n; i++) {
					unsigned int d = (i + s) % n;

					mbs[d] = measure(&ts[d], (enum method)m, (enum region)r, s);
				}
				if (s >= o.warmup)
					pair_with_panel(ts, mbs, n, (enum method)m, (enum region)r);
			}
		bench_progress("%s: sample %u/%u (%u warm-up), %.1f s", what, s + 1, total,
			       o.warmup, (double)(bench_now_ns() - start) / 1e9);
	}
}

/*
 * Make @fd (an fbdev, device record @name at @path) a target: it must show
 * at least the frame at 32 bpp (else its mode is set to it).  Returns true
 * if the device was reached; @fd is the target's (closed on failure if
 * @own).
 */
static bool fb_target(struct target *t, const char *variant, const char *name,
		      const char *path, int fd, bool own, const char *how)
{
	struct fb_info_pair info;
	int ret;

	memset(t, 0, sizeof(*t));
	t->variant = variant;
	t->fd = -1;
	t->view = -1;
	if (fd < 0) {
		bench_device(name, path, false, "%s: open: %s", variant, strerror(-fd));
		return false;
	}
	ret = fb_get(fd, &info);
	if (!ret && (info.var.bits_per_pixel != 32 || info.var.xres < width ||
		     info.var.yres < height)) {
		ret = fb_set_mode(fd, width, height, 0, 0, NULL);
		if (!ret)
			ret = fb_get(fd, &info);
	}
	if (ret || info.var.bits_per_pixel != 32 || info.var.xres < width ||
	    info.var.yres < height || (size_t)info.fix.line_length * height > info.fix.smem_len) {
		bench_device(name, path, false, "%s: cannot show %ux%ux32 (%s; mode %ux%ux%u)",
			     variant, width, height, ret ? strerror(-ret) : "mode refused",
			     info.var.xres, info.var.yres, info.var.bits_per_pixel);
		if (own)
			close(fd);
		return false;
	}
	t->fd = fd;
	t->own_fd = own;
	t->pitch = info.fix.line_length;
	t->map_len = ((size_t)t->pitch * height + PAGE - 1) / PAGE * PAGE;
	t->map = fb_map(fd, t->map_len);
	src_reserve(t->map_len);
	if (t->map)
		copy_make(t);
	bench_device(name, path, true, "%s: %.16s %ux%u pitch %u smem_len %u%s%s", variant,
		     info.fix.id, info.var.xres, info.var.yres, t->pitch, info.fix.smem_len,
		     t->map ? "" : ", mmap failed: ", t->map ? how : strerror(errno));
	return true;
}

static bool dumb_target(struct target *t, struct bench_dumb *d)
{
	char why[200];

	memset(t, 0, sizeof(*t));
	t->variant = "drm-dumb";
	t->fd = -1;
	t->view = -1;
	if (bench_dumb_create(d, BENCH_DRM_CARD, width, height, 32, why, sizeof(why))) {
		bench_device("drm-dumb", BENCH_DRM_CARD, false, "%s", why);
		return false;
	}
	if ((uint64_t)d->pitch * height > d->size) {
		bench_device("drm-dumb", BENCH_DRM_CARD, false, "dumb buffer too small");
		bench_dumb_destroy(d);
		return false;
	}
	t->map = d->map;
	t->map_len = d->size;
	copy_make(t);
	t->pitch = d->pitch;
	bench_device("drm-dumb", BENCH_DRM_CARD, true, "dumb buffer %ux%ux32 pitch %u size %llu",
		     width, height, d->pitch, (unsigned long long)d->size);
	return true;
}

static void target_close(struct target *t)
{
	if (t->map && t->fd >= 0)
		munmap(t->map, t->map_len);
	if (t->own_fd && t->fd >= 0)
		close(t->fd);
	if (t->view >= 0)
		close(t->view);
	if (t->copy)
		munmap(t->copy, t->map_len);
	t->copy = NULL;
	t->map = NULL;
	t->fd = -1;
	t->view = -1;
}

/*
 * Phase 3: @ts[0..@n) again as "<variant>-viewed", each with a damage view
 * of namespace @pids[i]; the others (the panel) as they are.
 */
static void run_viewed(struct target *ts, unsigned int n, const pid_t *pids, int ctl)
{
	char names[MAX_TARGETS][48];
	unsigned int i, viewed = 0;

	if (!impl_has(IMPL_CAP_DAMAGE)) {
		bench_progress("phase 3: implementation %s tracks no damage", impl()->name);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!pids[i])
			continue;
		ts[i].view = impl()->vfb_view(ctl, pids[i], IMPL_VIEW_CLOEXEC | IMPL_VIEW_DAMAGE);
		if (ts[i].view < 0) {
			bench_progress("%s: no damage view: %s", ts[i].variant, strerror(-ts[i].view));
			continue;
		}
		snprintf(names[i], sizeof(names[i]), "%s-viewed", ts[i].variant);
		ts[i].variant = names[i];
		ts[i].again = false;
		viewed++;
	}
	bench_progress("phase 3 (the containers watched by damage views): %u viewed", viewed);
	if (viewed)
		run_phase(ts, n, "phase 3");
}

/* Make the host the active dev_ns; false with a message if that fails. */
static bool host_active(int ctl)
{
	int ret = ctl < 0 ? ctl : impl()->activate(ctl, getpid(), 0);

	if (ret)
		bench_progress("cannot make the host active: %s", strerror(-ret));
	return !ret;
}

int main(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ NULL, 0, NULL, 0 },
	};
	struct target ts[MAX_TARGETS], panel;
	struct bench_dumb dumb = { .fd = -1 };
	struct impl_state st = { 0 };
	struct ct fg, bg;
	pid_t pids[MAX_TARGETS] = { 0 };
	char path[64], why[200];
	const char *vfb = impl()->device("vfb");
	bool has_vfb = impl_has(IMPL_CAP_VFB), panel_ok, fg_up = false, bg_up = false;
	unsigned int n = 0, i;
	int ctl, fd, ret;

	bench_parse(argc, argv, &o, usage, extra, take_opt);
	frames_per_sample = o.smoke ? 1 : 4;
	rects_per_sample = o.smoke ? 8 : 128;
	ctl = impl()->open_ctl();
	if (ctl < 0)
		bench_progress("no control device: %s", strerror(-ctl));

	/* Phase 1: no container, the host active. */
	panel_ok = has_vfb && fb_target(&panel, "panel", "panel", fb_path(FB_PANEL),
					fb_open(FB_PANEL), true, "");
	if (!has_vfb)
		bench_device("panel", "", false, "implementation %s has no vfb", impl()->name);
	if (panel_ok)
		ts[n++] = panel;
	if (!has_vfb) {
		bench_device("vfb", vfb, false, "vfb-hostonly: implementation %s has no vfb",
			     impl()->name);
	} else if (!host_active(ctl) || impl()->get_state(ctl, &st) || !st.self_active) {
		bench_device("vfb", vfb, false, "vfb-hostonly: the host is not active");
	} else {
		snprintf(why, sizeof(why), ", host active, %u namespace(s)", st.nr_namespaces);
		if (fb_target(&ts[n], "vfb-hostonly", "vfb", vfb, fb_open(FB_VFB), true, why))
			n++;
	}
	fd = fb_open(FB_NATIVE);
	if (fb_target(&ts[n], "vfb.ko", "vfb.ko", fd >= 0 ? fb_path(FB_NATIVE) : "", fd, true, ""))
		n++;
	fd = bench_bochs_fb_open(path, sizeof(path), why, sizeof(why));
	if (fd < 0)
		bench_device("bochs-fbdev", "", false, "%s", why);
	else if (fb_target(&ts[n], "bochs-fbdev", "bochs-fbdev", path, fd, true, ""))
		n++;
	if (dumb_target(&ts[n], &dumb))
		n++;
	bench_progress("phase 1 (no container, host active): %u device(s), %ux%u, "
		       "%u frame(s) or %u rects per sample", n, width, height,
		       frames_per_sample, rects_per_sample);
	run_phase(ts, n, "phase 1");
	for (i = panel_ok ? 1 : 0; i < n; i++)
		target_close(&ts[i]);	/* the dumb buffer's mapping is its own */
	bench_dumb_destroy(&dumb);

	/* Phase 2: two containers, the first active. */
	n = 0;
	if (!has_vfb || ctl < 0) {
		bench_device("vfb", vfb, false, "vfb-fg/vfb-bg: %s",
			     has_vfb ? "no control device" : "implementation has no vfb");
	} else if ((ret = ct_start(&fg, CT_CLONE, NULL)) || (fg_up = true,
		   (ret = ct_start(&bg, CT_CLONE, NULL)))) {
		bench_device("vfb", vfb, false, "vfb-fg/vfb-bg: container: %s", strerror(-ret));
	} else if (bg_up = true, (ret = impl()->activate(ctl, fg.pid, 0))) {
		bench_device("vfb", vfb, false, "vfb-fg/vfb-bg: activate: %s", strerror(-ret));
	} else {
		if (fb_target(&ts[n], "vfb-fg", "vfb", vfb, ct_open(&fg, vfb, O_RDWR | O_CLOEXEC),
			      true, ", active container's state"))
			pids[n++] = fg.pid;
		if (fb_target(&ts[n], "vfb-bg", "vfb", vfb, ct_open(&bg, vfb, O_RDWR | O_CLOEXEC),
			      true, ", passive container's state"))
			pids[n++] = bg.pid;
	}
	if (panel_ok) {
		panel.again = true;
		ts[n++] = panel;
	}
	bench_progress("phase 2 (two containers, one active): %u device(s)", n);
	run_phase(ts, n, "phase 2");
	run_viewed(ts, n, pids, ctl);
	for (i = 0; i < n; i++)
		target_close(&ts[i]);
	if (fg_up || bg_up)
		host_active(ctl);
	if (bg_up)
		ct_stop(&bg);
	if (fg_up)
		ct_stop(&fg);
	if (ctl >= 0)
		close(ctl);
	free(src);
	return bench_finish();
}
