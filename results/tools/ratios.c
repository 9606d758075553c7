/* ratios.c - the headline ratios of issue 6: for each kernel, two points
 * measured in the same boot, the ratio of their medians, its bootstrap 95 %
 * CI and the target; or one point whose samples are already ratios, each of
 * two measurements the program made next to each other (paired), and its
 * median.  Missing points give "not measured", never a guess. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#define MM "{\"method\":\"mmap-memcpy\",\"region\":\"full\"}"
#define WR "{\"method\":\"write\",\"region\":\"full\"}"
#define BLIT_MATCH "method,region,width,height"
#define P1080 "{\"width\":1920,\"height\":1080}"

static const struct ratio_def defs[] = {
	/* the blit program pairs each device's sample with the panel's, a moment apart */
	{ "fg/panel mmap-memcpy", ">= 0.97", 1, "foreground vfb vs the native panel, mmap + memcpy of the full frame (paired)",
	  "blit_over_panel", "vfb-fg", MM, NULL, NULL, NULL, NULL },
	{ "fg/panel write", ">= 0.95", 1, "foreground vfb vs the native panel, write() of the full frame (paired)",
	  "blit_over_panel", "vfb-fg", WR, NULL, NULL, NULL, NULL },
	{ "bg/panel mmap-memcpy", ">= 0.95", 1, "background vfb vs the native panel, mmap + memcpy (paired)",
	  "blit_over_panel", "vfb-bg", MM, NULL, NULL, NULL, NULL },
	{ "bg/panel write", ">= 0.95", 1, "background vfb vs the native panel, write() (paired)",
	  "blit_over_panel", "vfb-bg", WR, NULL, NULL, NULL, NULL },
	{ "hostonly/panel mmap-memcpy", NULL, 1, "virtualisation off (host namespace only) vs the panel, mmap + memcpy (paired)",
	  "blit_over_panel", "vfb-hostonly", MM, NULL, NULL, NULL, NULL },
	{ "hostonly/panel write", NULL, 1, "virtualisation off vs the panel, write() (paired)",
	  "blit_over_panel", "vfb-hostonly", WR, NULL, NULL, NULL, NULL },
	{ "vfb.ko/panel mmap-memcpy", NULL, 0, "the kernel's vfb.ko vs the panel (native baseline, paired)",
	  "blit_over_panel", "vfb.ko", MM, NULL, NULL, NULL, NULL },
	{ "bochs-fbdev/panel mmap-memcpy", NULL, 0, "bochs-drm's fbdev vs the panel (native baseline, paired)",
	  "blit_over_panel", "bochs-fbdev", MM, NULL, NULL, NULL, NULL },
	{ "drm-dumb/panel mmap-memcpy", NULL, 0, "a DRM dumb buffer vs the panel (native baseline, paired)",
	  "blit_over_panel", "drm-dumb", MM, NULL, NULL, NULL, NULL },
	/* two phases: each side over its own phase's panel */
	{ "fg viewed/unviewed write", ">= 0.9", 1, "foreground vfb watched by a damage view that fetches before every sample vs unwatched, write() of the full frame, each over its phase's panel",
	  "blit_over_panel", "vfb-fg-viewed", WR, "blit_over_panel", "vfb-fg", WR, BLIT_MATCH },
	{ "bg viewed/unviewed write", ">= 0.9", 1, "background vfb watched vs unwatched, write(), each over its phase's panel",
	  "blit_over_panel", "vfb-bg-viewed", WR, "blit_over_panel", "vfb-bg", WR, BLIT_MATCH },
	{ "fg viewed/unviewed mmap-memcpy", NULL, 1, "foreground vfb watched vs unwatched, mmap + memcpy, each over its phase's panel: every page re-armed by each fetch faults twice",
	  "blit_over_panel", "vfb-fg-viewed", MM, "blit_over_panel", "vfb-fg", MM, BLIT_MATCH },
	{ "bg viewed/unviewed mmap-memcpy", NULL, 1, "background vfb watched vs unwatched, mmap + memcpy, each over its phase's panel",
	  "blit_over_panel", "vfb-bg-viewed", MM, "blit_over_panel", "vfb-bg", MM, BLIT_MATCH },
	{ "copy switch/memcpy2x 1080p", "<= 1.2", -1, "copy-strategy switch latency vs two memcpy of the frame measured right before each switch (paired), 1920x1080",
	  "switch_over_limit", "copy", P1080, NULL, NULL, NULL, NULL },
	{ "zerocopy switch 4K/640x480", "<= 1.5", -1, "zero-copy switch latency at 3840x2160 vs at 640x480",
	  "switch_latency", "zerocopy", "{\"width\":3840,\"height\":2160}",
	  "switch_latency", "zerocopy", "{\"width\":640,\"height\":480}", "namespaces,mappers" },
	{ "zerocopy/copy switch 1080p", NULL, -1, "zero-copy vs copy switch latency, 1920x1080",
	  "switch_latency", "zerocopy", P1080, "switch_latency", "copy", P1080, "width,height,namespaces,mappers" },
	{ "kernel-vt/copy switch", NULL, 1, "kernel VT switch vs copy-strategy switch latency (closest size)",
	  "vt_switch", "kernel-vt", "{}", "switch_latency", "copy", "{}", "" },
	{ "copy switch/drm-master-redraw 1080p", NULL, -1, "copy-strategy switch vs a DRM master handover whose new master draws its frame again from its own memory (the native peer of copying), 1920x1080",
	  "switch_latency", "copy", P1080, "native_switch", "drm-master-redraw", P1080, "" },
	{ "zerocopy switch/drm-master 1080p", NULL, -1, "zero-copy switch vs a DRM master handover to a master whose frame is already in video memory (the native peer of zero-copy), 1920x1080",
	  "switch_latency", "zerocopy", P1080, "native_switch", "drm-master", P1080, "" },
	{ "vt-process/copy switch", NULL, 1, "cooperative VT switch of two fbdev programs (VT_PROCESS, the new owner redraws) vs copy-strategy switch latency (closest size)",
	  "native_switch", "vt-process", "{}", "switch_latency", "copy", "{}", "" },
	{ "vinput/evdev input latency", NULL, -1, "a uinput event to a reader: a container's vinput (the container active) vs the device's own evdev node (the host active), batch medians paired",
	  "input_latency_over_native", "vinput", "{}", NULL, NULL, NULL, NULL },
	{ "routed/passed uinput write", NULL, -1, "the uinput write() while a namespace is active (routed) vs while the host is (passed on), batch medians paired",
	  "input_write_over_host", "ns-active", "{}", NULL, NULL, NULL, NULL },
	{ "tty vtty/pty throughput", ">= 0.9", 1, "vtty throughput vs a native pty pair",
	  "tty_throughput", "vtty", "{}", "tty_throughput", "pty", "{}", "*" },
	{ "tty vtty/pty roundtrip", NULL, -1, "vtty round-trip latency vs a native pty pair",
	  "tty_roundtrip", "vtty", "{}", "tty_roundtrip", "pty", "{}", "*" },
	{ "tty nohost/host throughput", NULL, 1, "vtty writes with no host attached vs with a host",
	  "tty_nohost", "vtty-nohost", "{}", "tty_throughput", "vtty", "{}", "*" },
};

static bool selected(const struct point *p, const char *kernel, const char *bench,
		     const char *var, json_t *fixed)
{
	const char *k;
	json_t *v;

	if (strcmp(p->kernel, kernel) || strcmp(p->benchmark, bench) ||
	    strcmp(p->variant, var) || !p->n)
		return false;
	json_object_foreach(fixed, k, v)
		if (!json_equal(json_object_get(p->params, k), v))
			return false;
	return true;
}

static bool matched(const struct point *a, const struct point *b, const char *match)
{
	char buf[256], *save = NULL, *tok;

	if (!strcmp(match, "*"))
		return json_equal(a->params, b->params);
	snprintf(buf, sizeof(buf), "%s", match);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		json_t *x = json_object_get(a->params, tok), *y = json_object_get(b->params, tok);

		if ((x || y) && !json_equal(x, y))
			return false;
	}
	return true;
}

static double pixels(const struct point *p)
{
	return param_num(p, "width", 0) * param_num(p, "height", 0);
}

/* Lower is preferred: see struct ratio_def. */
static void pair_score(const struct point *n, const struct point *d, double s[5])
{
	double pn = pixels(n), pd = pixels(d);

	s[0] = pn > 0 && pd > 0 ? fabs(log(pn / pd)) : 0;
	s[1] = param_num(n, "namespaces", 0) + param_num(d, "namespaces", 0);
	s[2] = param_num(n, "mappers", 0) + param_num(d, "mappers", 0);
	s[3] = -pn;
	s[4] = -param_num(n, "chunk", 0);
}

static bool better_pair(const double a[5], const double b[5])
{
	for (int i = 0; i < 5; i++)
		if (fabs(a[i] - b[i]) > 1e-9)
			return a[i] < b[i];
	return false;
}

static int meets(const char *target, double v)
{
	double t;
	char op[3];

	if (!target || isnan(v) || sscanf(target, "%2s %lf", op, &t) != 2)
		return -1;
	if (!strcmp(op, ">="))
		return v >= t;
	if (!strcmp(op, "<="))
		return v <= t;
	return -1;
}

/*
 * Where the same ratio of another run should fall, 95 %: that run's error
 * adds to this one's (sqrt 2 of the bootstrap sd), and a bootstrap over g
 * rounds sees (g - 1) / g of their variance.  The CI is about this run's
 * median; this is what an A/A compares (results/bench/aa-paired/).
 */
static void rerun_interval(struct ratio *r)
{
	size_t g = r->num->ngroups >= STATS_MIN_GROUPS ? r->num->ngroups : 0;
	double half = 1.959964 * sqrt(2.0) * r->sd;

	if (isnan(r->sd))
		return;
	if (g)
		half *= sqrt((double)g / (double)(g - 1));
	r->rerun_lo = r->value - half;
	r->rerun_hi = r->value + half;
}

static void one_ratio(struct dataset *d, const struct ratio_def *def, const char *kernel)
{
	json_t *nf = json_loads(def->num_fixed, 0, NULL), *df = json_loads(def->den_fixed, 0, NULL);
	struct ratio *r = grow(&d->ratios, &d->nratios, sizeof(*r));
	double best[5], s[5];
	char seed[512];

	r->def = def;
	r->kernel = kernel;
	r->value = r->lo = r->hi = r->sd = r->rerun_lo = r->rerun_hi = NAN;
	r->meets = -1;
	for (size_t i = 0; i < d->npoints; i++) {
		const struct point *n = d->points[i];

		if (!selected(n, kernel, def->num_bench, def->num_var, nf))
			continue;
		if (!def->den_bench) {		/* paired: the point alone */
			pair_score(n, n, s);
			if (!r->num || better_pair(s, best)) {
				r->num = n;
				memcpy(best, s, sizeof(best));
			}
			continue;
		}
		for (size_t j = 0; j < d->npoints; j++) {
			const struct point *m = d->points[j];

			if (m == n || !selected(m, kernel, def->den_bench, def->den_var, df) ||
			    !matched(n, m, def->match))
				continue;
			pair_score(n, m, s);
			if (!r->num || better_pair(s, best)) {
				r->num = n;
				r->den = m;
				memcpy(best, s, sizeof(best));
			}
		}
	}
	json_decref(nf);
	json_decref(df);
	if (!r->num)
		return;
	r->value = r->den ? r->num->median / r->den->median : r->num->median;
	r->meets = meets(def->target, r->value);
	if (!r->num->n || (r->den && !r->den->n))
		return;
	snprintf(seed, sizeof(seed), "ratio %s %s", kernel, def->name);
	r->rerun_lo = r->rerun_hi = NAN;
	boot_change(NULL, &(struct boot_side){
			.num = { r->num->v, r->num->n, r->num->groups, r->num->ngroups },
			.den = r->den ? (struct sample_set){ r->den->v, r->den->n, r->den->groups,
							     r->den->ngroups } : (struct sample_set){ 0 } },
		    0.05, STATS_BOOT_REPS, seed, &r->lo, &r->hi, NULL, &r->sd);
	rerun_interval(r);
}

void ratios_compute(struct dataset *d)
{
	for (size_t k = 0; k < d->nruns; k++)
		for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
			one_ratio(d, &defs[i], d->runs[k].kernel);
}
