// SPDX-License-Identifier: GPL-2.0
/* The benchmarks' common part: see bench.h. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

struct bench_point {
	char benchmark[64], variant[64], unit[16];
	char params[512];
	enum bench_better better;
	double *v;
	size_t n, cap;
	unsigned int seen;		/* samples offered, warm-up included */
	uint64_t ops, counters[2];
	bool counted;
	struct bench_point *next;
};

static struct bench_opts *opts;
static struct bench_point *points;

static const char *prog = "bench";

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static FILE *bench_out(void)
{
	static FILE *f;

	if (f)
		return f;
	f = opts && opts->out ? fopen(opts->out, "a") : stdout;
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, opts->out, strerror(errno));
		exit(2);
	}
	return f;
}

static unsigned int parse_uint(const char *s, const char *what, const char *usage)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v > 1000000) {
		fprintf(stderr, "%s: bad %s '%s'\n%s", prog, what, s, usage);
		exit(2);
	}
	return (unsigned int)v;
}

static const char common_usage[] =
	"Common options:\n"
	"  --samples N   kept samples per point (default 10; --smoke: 2)\n"
	"  --warmup N    samples discarded first per point (default 2; --smoke: 1)\n"
	"  --smoke       smallest sizes and fewest samples (make test)\n"
	"  --out FILE    append the raw JSON lines to FILE (default stdout)\n"
	"  -h, --help    this text\n";

void bench_parse(int argc, char **argv, struct bench_opts *o, const char *usage,
		 const struct option *extra, bench_opt_fn fn)
{
	static const struct option common[] = {
		{ "samples", required_argument, NULL, 's' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "smoke", no_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
	};
	struct option all[64];
	size_t n = 0, i;
	int c, samples = -1, warmup = -1;

	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		all[n++] = common[i];
	for (i = 0; extra && extra[i].name && n < 63; i++)
		all[n++] = extra[i];
	memset(&all[n], 0, sizeof(all[n]));
	memset(o, 0, sizeof(*o));
	opts = o;
	while ((c = getopt_long(argc, argv, "h", all, NULL)) != -1) {
		switch (c) {
		case 's': samples = (int)parse_uint(optarg, "--samples", usage); break;
		case 'w': warmup = (int)parse_uint(optarg, "--warmup", usage); break;
		case 'S': o->smoke = true; break;
		case 'o': o->out = optarg; break;
		case 'h': printf("%s\n%s", usage, common_usage); exit(0);
		default:
			if (c >= 256 && fn && fn(c, optarg) == 0)
				break;
			if (c >= 256)
				fprintf(stderr, "%s: bad value '%s'\n", prog, optarg ? optarg : "");
			fprintf(stderr, "%s\n%s", usage, common_usage);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n%s\n%s", prog, argv[optind],
			usage, common_usage);
		exit(2);
	}
	o->samples = samples >= 0 ? (unsigned int)samples : o->smoke ? 2 : 10;
	o->warmup = warmup >= 0 ? (unsigned int)warmup : o->smoke ? 1 : 2;
	if (!o->samples) {
		fprintf(stderr, "%s: --samples must be at least 1\n", prog);
		exit(2);
	}
}

struct bench_point *bench_point(const char *benchmark, const char *variant,
				const char *unit, enum bench_better better,
				const char *params_fmt, ...)
{
	struct bench_point *p;
	char params[512];
	va_list ap;

	va_start(ap, params_fmt);
	vsnprintf(params, sizeof(params), params_fmt, ap);
	va_end(ap);
	for (p = points; p; p = p->next)
		if (!strcmp(p->benchmark, benchmark) && !strcmp(p->variant, variant) &&
		    !strcmp(p->params, params))
			return p;
	p = calloc(1, sizeof(*p));
	if (!p) {
		perror("calloc");
		exit(2);
	}
	snprintf(p->benchmark, sizeof(p->benchmark), "%s", benchmark);
	snprintf(p->variant, sizeof(p->variant), "%s", variant);
	snprintf(p->unit, sizeof(p->unit), "%s", unit);
	snprintf(p->params, sizeof(p->params), "%s", params);
	p->better = better;
	/* append, so the output keeps the order of first use */
	if (!points) {
		points = p;
	} else {
		struct bench_point *q = points;

		while (q->next)
			q = q->next;
		q->next = p;
	}
	return p;
}

void bench_add(struct bench_point *p, double value)
{
	if (p->seen++ < (opts ? opts->warmup : 0))
		return;
	bench_add_state(p, value);
}

void bench_add_state(struct bench_point *p, double value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v) {
			perror("realloc");
			exit(2);
		}
	}
	p->v[p->n++] = value;
}

size_t bench_count(const struct bench_point *p)
{
	return p->n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median_since(const struct bench_point *p, size_t from)
{
	size_t n = from < p->n ? p->n - from : 0;
	double *v, m;

	if (!n)
		return NAN;
	v = malloc(n * sizeof(*v));
	if (!v) {
		perror("malloc");
		exit(2);
	}
	memcpy(v, p->v + from, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_double);
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return m;
}

static int perf_open(uint64_t config, int pid, int cpu)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = config;
	a.inherit = pid == 0;
	return (int)syscall(SYS_perf_event_open, &a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

static uint64_t counters_read(struct bench_counters *c, int k)
{
	uint64_t v = 0;

	if (c->fd[k] >= 0 && read(c->fd[k], &v, sizeof(v)) != sizeof(v))
		v = 0;
	return v;
}

static const uint64_t counter_cfg[2] = { PERF_COUNT_SW_PAGE_FAULTS,
					 PERF_COUNT_SW_CONTEXT_SWITCHES };

/*
 * The first and the last software event of a kind turn a static key on and
 * off: kernel text patching with IPIs to every CPU, ~100 ms under TCG, and
 * once a soft lockup in text_poke_bp_batch on 6.1.  One disabled task event
 * per kind, opened once and never closed, keeps the keys on.
 */
static void counters_pin(void)
{
	static bool pinned;
	struct perf_event_attr a;
	int k;

	if (pinned)
		return;
	pinned = true;
	for (k = 0; k < 2; k++) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.type = PERF_TYPE_SOFTWARE;
		a.config = counter_cfg[k];
		a.disabled = 1;
		if (syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC) < 0)
			bench_progress("perf_event_open: %s (counters may be slow)",
				       strerror(errno));
	}
}

void bench_counters_start(struct bench_counters *c)
{
	int k;

	counters_pin();
	/*
	 * This process (and the children it makes from now on) only: reading a
	 * system-wide counter of another CPU is an IPI, and one never answered
	 * under TCG on 6.1 (a soft lockup in perf_event_read).
	 */
	for (k = 0; k < 2; k++) {
		c->fd[k] = perf_open(counter_cfg[k], 0, -1);
		c->start[k] = counters_read(c, k);
	}
}

void bench_counters_stop(struct bench_counters *c, struct bench_point *p, uint64_t ops)
{
	int k;

	for (k = 0; k < 2; k++) {
		if (c->fd[k] < 0)
			continue;
		p->counters[k] += counters_read(c, k) - c->start[k];
		p->counted = true;
		close(c->fd[k]);
	}
	p->ops += ops;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void bench_device(const char *name, const char *path, bool reached,
		  const char *detail_fmt, ...)
{
	FILE *f = bench_out();
	char detail[256];
	va_list ap;

	va_start(ap, detail_fmt);
	vsnprintf(detail, sizeof(detail), detail_fmt, ap);
	va_end(ap);
	fputs("{\"type\":\"device\",\"program\":", f);
	json_string(f, prog);
	fputs(",\"name\":", f);
	json_string(f, name);
	fputs(",\"path\":", f);
	json_string(f, path ? path : "");
	fprintf(f, ",\"reached\":%s,\"detail\":", reached ? "true" : "false");
	json_string(f, detail);
	fputs("}\n", f);
	fflush(f);
	bench_progress("%s %s%s%s", name, reached ? "reached" : "NOT reached",
		       *detail ? ": " : "", detail);
}

void bench_progress(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# %s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bench_finish(void)
{
	FILE *f = bench_out();
	struct bench_point *p;
	size_t i;

	for (p = points; p; p = p->next) {
		if (!p->n)
			continue;
		fputs("{\"type\":\"point\",\"program\":", f);
		json_string(f, prog);
		fputs(",\"benchmark\":", f);
		json_string(f, p->benchmark);
		fputs(",\"variant\":", f);
		json_string(f, p->variant);
		fprintf(f, ",\"params\":{%s},\"unit\":", p->params);
		json_string(f, p->unit);
		fprintf(f, ",\"better\":\"%s\",\"samples\":[",
			p->better == BENCH_LOWER ? "lower" : "higher");
		for (i = 0; i < p->n; i++)
			fprintf(f, "%s%.6g", i ? "," : "", p->v[i]);
		fprintf(f, "],\"counters\":{\"ops\":%llu", (unsigned long long)p->ops);
		if (p->counted)
			fprintf(f, ",\"page_faults\":%llu,\"context_switches\":%llu",
				(unsigned long long)p->counters[0],
				(unsigned long long)p->counters[1]);
		fputs("}}\n", f);
	}
	if (fflush(f) || ferror(f)) {
		fprintf(stderr, "%s: writing the results failed\n", prog);
		return 1;
	}
	return 0;
}

const char *bench_module_param(const char *name, const char *def)
{
	static char val[8][128];
	static int slot;
	char path[256];
	FILE *f;
	char *v = val[slot++ % 8];

	snprintf(path, sizeof(path), "/sys/module/devns/parameters/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(v, 128, f)) {
		if (f)
			fclose(f);
		return def;
	}
	fclose(f);
	v[strcspn(v, "\n")] = '\0';
	return v;
}

#define APART_PAGE	4096ul
#define APART_PERIOD	64ul	/* TCG's smallest TLB, in pages */

void *bench_map_apart(const void *peer, size_t len)
{
	size_t pad = APART_PERIOD * APART_PAGE, k;
	uintptr_t want;
	char *m;

	len = (len + APART_PAGE - 1) & ~(APART_PAGE - 1);
	m = mmap(NULL, len + pad, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* the start of the window whose page number is 32 pages off @peer's, mod 64 */
	want = (uintptr_t)peer / APART_PAGE + APART_PERIOD / 2;
	k = (want - (uintptr_t)m / APART_PAGE) % APART_PERIOD;
	if (k)
		munmap(m, k * APART_PAGE);
	if (APART_PERIOD - k)
		munmap(m + (k + len / APART_PAGE) * APART_PAGE, (APART_PERIOD - k) * APART_PAGE);
	return m + k * APART_PAGE;
}
