/* stats.h - the statistics of the benchmark reports: order statistics,
 * bootstrap confidence intervals with a fixed-seed generator (a report is
 * reproducible: the same samples give the same intervals), and the two
 * rank tests of the regression gate (Mann-Whitney U, Kolmogorov-Smirnov). */
#ifndef DEVNS_STATS_H
#define DEVNS_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Resamples of every bootstrap in bench.json (bench-schema.md). */
#define STATS_BOOT_REPS 2000

/* splitmix64; the seed of a statistic is a hash of what it is about. */
struct rng {
	uint64_t s;
};
void rng_seed(struct rng *r, const char *label);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n). */
size_t rng_below(struct rng *r, size_t n);

int cmp_double(const void *a, const void *b);
/* Quantile q in [0,1] of sorted v[n] (linear between closest ranks, the
 * "type 7" definition; NaN for n == 0). */
double quantile_sorted(const double *v, size_t n, double q);
/* The median of v[n] (v is not changed). */
double median_of(const double *v, size_t n);
double mean_of(const double *v, size_t n);
/* Sample standard deviation (n - 1); 0 for n < 2. */
double sd_of(const double *v, size_t n);

/*
 * Bootstrap of the median of v[n]: @reps resamples with replacement; the
 * [lo, hi] percentile interval at level 1 - alpha in *lo, *hi.
 */
void boot_median_ci(const double *v, size_t n, double alpha, unsigned reps,
		    const char *seed, double *lo, double *hi);

/*
 * Bootstrap of a statistic of independent resamples: a side is the median
 * of @num or, with @den, median(num) / median(den); the statistic is
 * head's value, or head / base with a base (how much a ratio or a median
 * moved between two runs).  Interval at level 1 - alpha in *lo, *hi; *p
 * (may be NULL) the two-sided bootstrap p-value of "the statistic is 1"
 * (2 x the smaller tail around 1, at least 1/reps); *sd (may be NULL) the
 * standard deviation of the resampled values.
 */
struct boot_side {
	const double *num, *den;	/* den may be NULL */
	size_t nnum, nden;
};
void boot_change(const struct boot_side *base, const struct boot_side *head,
		 double alpha, unsigned reps, const char *seed,
		 double *lo, double *hi, double *p, double *sd);

/* Two-sided p-values of the two-sample tests (1 when a side is empty). */
double mwu_p(const double *a, size_t na, const double *b, size_t nb);
double ks_p(const double *a, size_t na, const double *b, size_t nb);

#endif
