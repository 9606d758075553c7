// SPDX-License-Identifier: GPL-2.0
/*
 * The native peer of the vfb switch that a KMS user would pick instead
 * (issue 18, goal 3): two DRM clients of bochs-drm hand the display over
 * with DRM master.  Each client has its own dumb buffer and framebuffer; a
 * switch is the old master's drmDropMaster(), the new one's drmSetMaster()
 * and drmModeSetCrtc() of its framebuffer, which returns when the display
 * shows it.  Variants (benchmark "native_switch", microseconds, lower is
 * better, params width and height):
 *   drm-master         the new master shows its buffer as it is (its pixels
 *                      never moved: the peer of the zero-copy strategy);
 *   drm-master-redraw  it first draws its frame again from a copy in its own
 *                      memory (a client that keeps no picture in video memory
 *                      while in the background: the peer of the copy strategy).
 * The variants are interleaved per sample, the display sizes per round.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "bench.h"
#include "devices.h"
#include "dumb.h"
#include "fb.h"

#define MAX_SIZES	8

static const char usage[] =
	"Usage: drm-master [options]\n"
	"DRM master handover between two KMS clients of bochs-drm (" BENCH_DRM_CARD ", ci/vm\n"
	"--vga std): benchmark native_switch, variants drm-master (drop master, set\n"
	"master, set the CRTC to the new master's framebuffer) and drm-master-redraw\n"
	"(the same after drawing the new master's frame again from its own memory),\n"
	"microseconds per switch.  Runs as root in the guest; loads bochs if needed.\n"
	"  --sizes LIST   display sizes, e.g. 640x480,1920x1080 (default 640x480,\n"
	"                 1920x1080,3840x2160; a size the connector or the video\n"
	"                 memory cannot show is recorded as not reached)\n";

enum { OPT_SIZES = 256 };

static struct bench_opts o;
static unsigned int sizes[MAX_SIZES][2] = { { 640, 480 }, { 1920, 1080 }, { 3840, 2160 } };
static unsigned int nr_sizes = 3;

static int take_opt(int val, const char *arg)
{
	char *copy, *tok, *save = NULL;
	unsigned int n = 0;

	if (val != OPT_SIZES)
		return -1;
	copy = strdup(arg);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (n == MAX_SIZES || sscanf(tok, "%ux%u", &sizes[n][0], &sizes[n][1]) != 2 ||
		    sizes[n][0] < 64 || sizes[n][1] < 64 || sizes[n][0] > 8192 ||
		    sizes[n][1] > 8192) {
			free(copy);
			return -1;
		}
		n++;
	}
	free(copy);
	if (!n)
		return -1;
	nr_sizes = n;
	return 0;
}

/* One KMS client: its node, its buffer and framebuffer, its picture. */
struct client {
	struct bench_dumb dumb;
	uint32_t fb;
	char *picture;		/* its frame in its own memory (the redraw's source) */
};

/* Where the clients show their frames. */
struct output {
	uint32_t crtc, connector;
	drmModeModeInfo mode;
};

/* The first connected connector, its CRTC, and a mode of @w x @h. */
static int find_output(int fd, unsigned int w, unsigned int h, struct output *out,
		       char *why, size_t why_len)
{
	drmModeRes *res = drmModeGetResources(fd);
	int ret = -ENOENT;

	if (!res) {
		snprintf(why, why_len, "drmModeGetResources: %s", strerror(errno));
		return -errno;
	}
	snprintf(why, why_len, "no connected connector");
	for (int i = 0; i < res->count_connectors && ret; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);

		if (!c)
			continue;
		if (c->connection == DRM_MODE_CONNECTED && res->count_crtcs) {
			snprintf(why, why_len, "the connector has no %ux%u mode", w, h);
			for (int m = 0; m < c->count_modes && ret; m++) {
				if (c->modes[m].hdisplay != w || c->modes[m].vdisplay != h)
					continue;
				out->mode = c->modes[m];
				out->connector = c->connector_id;
				out->crtc = res->crtcs[0];
				ret = 0;
			}
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return ret;
}

static void client_close(struct client *c)
{
	if (c->picture)
		munmap(c->picture, c->dumb.size);
	c->picture = NULL;
	if (c->fb)
		drmModeRmFB(c->dumb.fd, c->fb);
	c->fb = 0;
	bench_dumb_destroy(&c->dumb);
}

/* A client with a @w x @h buffer showing picture @seed; 0 or -errno and @why. */
static int client_open(struct client *c, unsigned int w, unsigned int h, uint32_t seed,
		       char *why, size_t why_len)
{
	int ret;

	memset(c, 0, sizeof(*c));
	ret = bench_dumb_create(&c->dumb, BENCH_DRM_CARD, w, h, 32, why, why_len);
	if (ret)
		return ret;
	if (drmModeAddFB(c->dumb.fd, w, h, 24, 32, c->dumb.pitch, c->dumb.handle, &c->fb)) {
		ret = -errno;
		c->fb = 0;
		snprintf(why, why_len, "drmModeAddFB %ux%u: %s", w, h, strerror(-ret));
		client_close(c);
		return ret;
	}
	c->picture = bench_map_apart(c->dumb.map, c->dumb.size);
	if (!c->picture) {
		ret = -errno;
		snprintf(why, why_len, "picture: %s", strerror(-ret));
		client_close(c);
		return ret;
	}
	fb_pattern(c->picture, c->dumb.size, 0, seed);
	memcpy(c->dumb.map, c->picture, c->dumb.size);
	return 0;
}

/* Hand the display from @from to @to; @redraw: @to draws its frame first. */
static int handover(struct client *from, struct client *to, struct output *out, bool redraw)
{
	if (drmDropMaster(from->dumb.fd) || drmSetMaster(to->dumb.fd))
		return -errno;
	if (redraw)
		memcpy(to->dumb.map, to->picture, to->dumb.size);
	if (drmModeSetCrtc(to->dumb.fd, out->crtc, to->fb, 0, 0, &out->connector, 1, &out->mode))
		return -errno;
	return 0;
}

/* Every sample of one size: the variants interleaved. */
static void measure_size(unsigned int w, unsigned int h)
{
	static const char *const variant[2] = { "drm-master", "drm-master-redraw" };
	struct bench_point *p[2];
	struct client c[2];
	struct output out;
	char why[200];
	unsigned int s, total = o.warmup + o.samples, cur = 0;
	int ret, v;

	ret = client_open(&c[0], w, h, 0xa, why, sizeof(why));
	if (!ret) {
		ret = client_open(&c[1], w, h, 0xb, why, sizeof(why));
		if (ret)
			client_close(&c[0]);
	}
	if (ret) {
		bench_device("drm-master", BENCH_DRM_CARD, false, "%ux%u: %s", w, h, why);
		return;
	}
	ret = find_output(c[0].dumb.fd, w, h, &out, why, sizeof(why));
	/* the first client shows its frame: it is the master to start with */
	if (!ret && (drmSetMaster(c[0].dumb.fd) ||
		     drmModeSetCrtc(c[0].dumb.fd, out.crtc, c[0].fb, 0, 0, &out.connector, 1,
				    &out.mode))) {
		ret = -errno;
		snprintf(why, sizeof(why), "the first client cannot show %ux%u: %s", w, h,
			 strerror(-ret));
	}
	if (ret) {
		bench_device("drm-master", BENCH_DRM_CARD, false, "%ux%u: %s", w, h, why);
		goto out;
	}
	bench_device("drm-master", BENCH_DRM_CARD, true, "%ux%u, two clients, pitch %u",
		     w, h, c[0].dumb.pitch);
	for (v = 0; v < 2; v++)
		p[v] = bench_point("native_switch", variant[v], "us", BENCH_LOWER,
				   "\"width\":%u,\"height\":%u", w, h);
	for (s = 0; s < total && !ret; s++) {
		for (v = 0; v < 2 && !ret; v++) {
			struct bench_counters k;
			uint64_t t0, t1;

			if (s >= o.warmup)
				bench_counters_start(&k);
			t0 = bench_now_ns();
			ret = handover(&c[cur], &c[!cur], &out, v);
			t1 = bench_now_ns();
			if (s >= o.warmup)
				bench_counters_stop(&k, p[v], ret ? 0 : 1);
			if (ret) {
				bench_progress("%ux%u %s: %s; this size is not measured further",
					       w, h, variant[v], strerror(-ret));
				break;
			}
			cur = !cur;
			bench_add(p[v], (double)(t1 - t0) / 1000.0);
		}
		bench_progress("%ux%u sample %u/%u", w, h, s + 1, total);
	}
	drmDropMaster(c[cur].dumb.fd);
out:
	client_close(&c[1]);
	client_close(&c[0]);
}

int main(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "sizes", required_argument, NULL, OPT_SIZES },
		{ NULL, 0, NULL, 0 },
	};
	char path[64], why[200];
	int fd;

	bench_parse(argc, argv, &o, usage, extra, take_opt);
	/* bochs loaded and its fbdev up: the in-kernel client has the display */
	fd = bench_bochs_fb_open(path, sizeof(path), why, sizeof(why));
	if (fd < 0) {
		bench_device("drm-master", BENCH_DRM_CARD, false, "%s", why);
		return bench_finish();
	}
	close(fd);
	if (o.smoke)
		nr_sizes = 1;
	for (unsigned int i = 0; i < nr_sizes; i++)
		measure_size(sizes[i][0], sizes[i][1]);
	return bench_finish();
}
