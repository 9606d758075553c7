/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The benchmarks' common part: clock, option parsing, points (one
 * benchmark x variant x parameters, with its samples), software counters
 * (perf_event_open: page faults, context switches; no PMU is needed) and
 * the raw output: one JSON object per line ("JSON lines"), merged by
 * bench-report on the host into bench.json (results/bench-schema.md).
 *
 * Raw records:
 *   {"type":"point","benchmark":B,"variant":V,"params":{...},"unit":U,
 *    "better":"lower"|"higher","samples":[...],
 *    "counters":{"ops":N,"page_faults":N,"context_switches":N}}
 *   {"type":"device","name":N,"path":P,"reached":true|false,"detail":D}
 * Points with the same benchmark, variant and params from several runs
 * (e.g. one per module load, interleaved by the guest driver) are one point.
 */
#ifndef DEVNS_BENCH_H
#define DEVNS_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bench_opts {
	unsigned int samples;	/* kept samples per point (default 10, --smoke 2) */
	unsigned int warmup;	/* discarded samples per point (default 2, --smoke 1) */
	bool smoke;		/* smallest sizes, fewest samples: does it still work? */
	const char *out;	/* raw output file (appended), NULL: stdout */
};

/*
 * A program's own long options (getopt_long's struct option, with .val
 * >= 256 and .flag NULL) and the function that takes them: it returns 0, or
 * -1 for a bad value (then bench_parse prints the usage and exits 2).
 */
struct option;
typedef int (*bench_opt_fn)(int val, const char *arg);

/*
 * Parse the common options (--samples N, --warmup N, --smoke, --out FILE,
 * --help) and the program's own (@extra, NULL-terminated, or NULL).  --help
 * prints @usage, then the common options, and exits 0.  Positional
 * arguments are not allowed (exit 2).
 */
void bench_parse(int argc, char **argv, struct bench_opts *o, const char *usage,
		 const struct option *extra, bench_opt_fn fn);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

enum bench_better { BENCH_LOWER = -1, BENCH_HIGHER = 1 };

struct bench_point;

/*
 * The point of @benchmark/@variant with parameters @params_fmt (printf
 * format of the *inside* of a JSON object, e.g. "\"width\":%u,\"height\":%u"),
 * created on first use.  Units: "us", "ns", "MB/s" (10^6 bytes/s), "ops/s".
 */
struct bench_point *bench_point(const char *benchmark, const char *variant,
				const char *unit, enum bench_better better,
				const char *params_fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* One sample; the first o->warmup calls per point are discarded. */
void bench_add(struct bench_point *p, double value);
/* One sample of a state rather than a timing (memory used): no warm-up. */
void bench_add_state(struct bench_point *p, double value);
/* Samples kept so far. */
size_t bench_count(const struct bench_point *p);
/* Median of the samples kept from index @from on (NAN if none). */
double bench_median_since(const struct bench_point *p, size_t from);

/*
 * Software counters around measured work, of this process and the children
 * it forks after bench_counters_start() (not system-wide: see bench.c).
 * bench_counters_stop() adds the deltas and @ops to @p.
 */
struct bench_counters {
	int fd[2];		/* [faults, switches], -1: not available */
	uint64_t start[2];
};
void bench_counters_start(struct bench_counters *c);
void bench_counters_stop(struct bench_counters *c, struct bench_point *p, uint64_t ops);

/* Record whether a device was reached (make test's smoke run checks these). */
void bench_device(const char *name, const char *path, bool reached,
		  const char *detail_fmt, ...) __attribute__((format(printf, 4, 5)));

/* Progress for the person watching: "# <program>: ..." on stderr. */
void bench_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write every point (and nothing else) to the output; 0 or 1 on a write error. */
int bench_finish(void);

/*
 * @len bytes of anonymous memory, faulted in, that copies to and from @peer
 * (NULL: anywhere) run at the same speed wherever mmap() put either: QEMU's
 * TCG finds guest pages in a direct-mapped TLB indexed by virtual page number
 * and resized between 64 entries and millions, so two buffers a multiple of
 * its size apart evict each other at every access and copy at 60 % of the
 * speed of two a few pages off.  Which way a run fell depended on the layout
 * of the moment: the two modes of every mmap + memcpy figure
 * (results/bench/experiments/tcg-tlb/).  The buffer starts 32 pages (mod 64)
 * from @peer, so no TLB of 64 entries or more, a power of two, sees any of
 * the four pages a large memcpy keeps in flight collide.  A real CPU's
 * set-associative TLB does not care either way.  NULL with errno on failure;
 * free with munmap(@len).
 */
void *bench_map_apart(const void *peer, size_t len);

/* Helpers for sweeps: the value of /sys/module/devns/parameters/@name or @def. */
const char *bench_module_param(const char *name, const char *def);

#endif /* DEVNS_BENCH_H */
