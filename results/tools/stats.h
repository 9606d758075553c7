/* stats.h - the statistics of the benchmark reports: order statistics,
 * bootstrap confidence intervals with a fixed-seed generator (a report is
 * reproducible: the same samples give the same intervals), and the two
 * rank tests of the regression gate (Mann-Whitney U, Kolmogorov-Smirnov). */
#ifndef DEVNS_STATS_H
#define DEVNS_STATS_H

#include <stdbool.h>
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
 * Samples of one point, and how many of them each run of its program gave
 * (a round: devns.ko loaded again), in order; @groups NULL or fewer than
 * STATS_MIN_GROUPS: the samples are taken as independent.
 */
struct sample_set {
	const double *v;
	size_t n;
	const size_t *groups;
	size_t ngroups;
};
#define STATS_MIN_GROUPS 3

/*
 * Bootstrap of the median of @v: @reps resamples (by groups, see boot_change); the
 * [lo, hi] percentile interval at level 1 - alpha in *lo, *hi.
 */
void boot_median_ci(const struct sample_set *v, double alpha, unsigned reps,
		    const char *seed, double *lo, double *hi);

/*
 * Bootstrap of a statistic: a side is the median of @num or, with a
 * denominator (den.n > 0), median(num) / median(den); the statistic is
 * head's value, or head / base with a base (how much a ratio or a median
 * moved between two runs).  A series with groups is resampled in two
 * stages, its groups with replacement and then the samples of each drawn
 * group, so that the interval includes the spread between module loads,
 * not only within one; a numerator and a denominator with as many groups
 * (the same rounds) draw the same groups.  Otherwise the samples are
 * resampled as independent.  Interval at level 1 - alpha in *lo, *hi; *p
 * (may be NULL) the two-sided bootstrap p-value of "the statistic is 1"
 * (2 x the smaller tail around 1, at least 1/reps); *sd (may be NULL) the
 * standard deviation of the resampled values.
 */
struct boot_side {
	struct sample_set num, den;
};
/* Whether @s is resampled by its groups (their sizes add up to its n). */
bool samples_grouped(const struct sample_set *s);
void boot_change(const struct boot_side *base, const struct boot_side *head,
		 double alpha, unsigned reps, const char *seed,
		 double *lo, double *hi, double *p, double *sd);

/* Two-sided p-values of the two-sample tests (1 when a side is empty). */
double mwu_p(const double *a, size_t na, const double *b, size_t nb);
double ks_p(const double *a, size_t na, const double *b, size_t nb);

#endif
