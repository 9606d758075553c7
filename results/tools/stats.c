/* stats.c - see stats.h. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void rng_seed(struct rng *r, const char *label)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a of the label */

	for (const unsigned char *p = (const unsigned char *)label; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	r->s = h ^ 0x6465766e73ULL;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

size_t rng_below(struct rng *r, size_t n)
{
	return (size_t)((rng_next(r) >> 11) * (1.0 / 9007199254740992.0) * (double)n);
}

int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double quantile_sorted(const double *v, size_t n, double q)
{
	double h, f;
	size_t i;

	if (!n)
		return NAN;
	h = q * (double)(n - 1);
	i = (size_t)h;
	if (i + 1 >= n)
		return v[n - 1];
	f = h - (double)i;
	return v[i] + f * (v[i + 1] - v[i]);
}

double median_of(const double *v, size_t n)
{
	double *s, m;

	if (!n)
		return NAN;
	s = xmalloc(n * sizeof(*s));
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = quantile_sorted(s, n, 0.5);
	free(s);
	return m;
}

double mean_of(const double *v, size_t n)
{
	double s = 0;

	if (!n)
		return NAN;
	for (size_t i = 0; i < n; i++)
		s += v[i];
	return s / (double)n;
}

double sd_of(const double *v, size_t n)
{
	double m = mean_of(v, n), s = 0;

	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return sqrt(s / (double)(n - 1));
}

bool samples_grouped(const struct sample_set *s)
{
	size_t sum = 0;

	if (!s->groups || s->ngroups < STATS_MIN_GROUPS)
		return false;
	for (size_t i = 0; i < s->ngroups; i++)
		sum += s->groups[i];
	return sum == s->n;
}

/* Room a resample of @s needs: a group may be drawn every time. */
static size_t resample_room(const struct sample_set *s)
{
	size_t most = 0;

	if (!samples_grouped(s))
		return s->n;
	for (size_t i = 0; i < s->ngroups; i++)
		most = s->groups[i] > most ? s->groups[i] : most;
	return most * s->ngroups;
}

static void draw_groups(struct rng *r, size_t ngroups, size_t *pick)
{
	for (size_t i = 0; i < ngroups; i++)
		pick[i] = rng_below(r, ngroups);
}

/*
 * The median of one resample of @s into @buf: grouped, the groups @pick
 * names (one per group of @s) and in each its samples with replacement;
 * otherwise its samples with replacement.
 */
static double resample_median(struct rng *r, const struct sample_set *s, const size_t *pick,
			      double *buf)
{
	size_t k = 0;

	if (!samples_grouped(s)) {
		for (k = 0; k < s->n; k++)
			buf[k] = s->v[rng_below(r, s->n)];
	} else {
		for (size_t i = 0; i < s->ngroups; i++) {
			size_t g = pick[i], off = 0;

			for (size_t j = 0; j < g; j++)
				off += s->groups[j];
			for (size_t j = 0; j < s->groups[g]; j++)
				buf[k++] = s->v[off + rng_below(r, s->groups[g])];
		}
	}
	qsort(buf, k, sizeof(*buf), cmp_double);
	return quantile_sorted(buf, k, 0.5);
}

/* Percentile interval of the sorted reps values in d. */
static void interval(double *d, unsigned reps, double alpha, double *lo, double *hi)
{
	qsort(d, reps, sizeof(*d), cmp_double);
	*lo = quantile_sorted(d, reps, alpha / 2);
	*hi = quantile_sorted(d, reps, 1 - alpha / 2);
}

void boot_median_ci(const struct sample_set *v, double alpha, unsigned reps,
		    const char *seed, double *lo, double *hi)
{
	struct boot_side s = { .num = *v };

	boot_change(NULL, &s, alpha, reps, seed, lo, hi, NULL, NULL);
}

/* One resampled value of a side: median(num) or median(num)/median(den). */
static double side_value(struct rng *r, const struct boot_side *s, size_t *pick, double *buf)
{
	bool paired = samples_grouped(&s->num) && samples_grouped(&s->den) &&
		      s->num.ngroups == s->den.ngroups;
	double v;

	if (samples_grouped(&s->num))
		draw_groups(r, s->num.ngroups, pick);
	v = resample_median(r, &s->num, pick, buf);
	if (!s->den.n)
		return v;
	if (samples_grouped(&s->den) && !paired)
		draw_groups(r, s->den.ngroups, pick);
	return v / resample_median(r, &s->den, pick, buf);
}

static bool side_empty(const struct boot_side *s)
{
	return !s->num.n || (s->den.v && !s->den.n);
}

static size_t side_room(const struct boot_side *s, size_t most)
{
	size_t n = resample_room(&s->num), d = resample_room(&s->den);

	n = n > d ? n : d;
	n = n > s->num.ngroups ? n : s->num.ngroups;
	n = n > s->den.ngroups ? n : s->den.ngroups;
	return n > most ? n : most;
}

void boot_change(const struct boot_side *base, const struct boot_side *head,
		 double alpha, unsigned reps, const char *seed,
		 double *lo, double *hi, double *p, double *sd)
{
	unsigned below = 0, above = 0;
	size_t most, *pick;
	double *d, *buf;
	struct rng r;

	if (side_empty(head) || (base && side_empty(base))) {
		*lo = *hi = NAN;
		if (p)
			*p = 1;
		if (sd)
			*sd = NAN;
		return;
	}
	most = side_room(head, 1);
	if (base)
		most = side_room(base, most);
	d = xmalloc(reps * sizeof(*d));
	buf = xmalloc(most * sizeof(*buf));
	pick = xmalloc(most * sizeof(*pick));
	rng_seed(&r, seed);
	for (unsigned i = 0; i < reps; i++) {
		d[i] = side_value(&r, head, pick, buf);
		if (base)
			d[i] /= side_value(&r, base, pick, buf);
		below += d[i] <= 1;
		above += d[i] >= 1;
	}
	if (p) {
		*p = 2.0 * (below < above ? below : above) / reps;
		*p = *p < 1.0 / reps ? 1.0 / reps : *p > 1 ? 1 : *p;
	}
	if (sd)
		*sd = sd_of(d, reps);
	interval(d, reps, alpha, lo, hi);
	free(pick);
	free(buf);
	free(d);
}

/* Exact null distribution of U (no ties): P(U <= u) and P(U >= u). */
static double mwu_exact(size_t m, size_t n, double u)
{
	size_t maxu = m * n, w = maxu + 1;
	double *prev = xmalloc((n + 1) * w * sizeof(double));
	double *cur = xmalloc((n + 1) * w * sizeof(double));
	double total = 0, le = 0, ge = 0, p;

	/* c(i, j, k): orderings of i a's and j b's with k pairs a > b. */
	for (size_t i = 0; i <= m; i++) {
		memset(cur, 0, (n + 1) * w * sizeof(double));
		for (size_t j = 0; j <= n; j++)
			for (size_t k = 0; k < w; k++) {
				double c;

				if (!i || !j) {
					cur[j * w + k] = k == 0;
					continue;
				}
				/* last element an a (above j b's) or a b */
				c = k >= j ? prev[j * w + k - j] : 0;
				cur[j * w + k] = c + cur[(j - 1) * w + k];
			}
		memcpy(prev, cur, (n + 1) * w * sizeof(double));
	}
	for (size_t k = 0; k < w; k++) {
		double c = prev[n * w + k];

		total += c;
		if ((double)k <= u + 1e-9)
			le += c;
		if ((double)k >= u - 1e-9)
			ge += c;
	}
	free(prev);
	free(cur);
	p = 2 * (le < ge ? le : ge) / total;
	return p > 1 ? 1 : p;
}

double mwu_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb, i, j;
	double *v, r1 = 0, ties = 0, u, mu, var, z;
	int *from;

	if (!na || !nb)
		return 1;
	v = xmalloc(n * sizeof(*v));
	from = xmalloc(n * sizeof(*from));
	memcpy(v, a, na * sizeof(*v));
	memcpy(v + na, b, nb * sizeof(*v));
	/* sort values with their side: simple insertion sort, n is small */
	for (i = 0; i < n; i++)
		from[i] = i < na;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j]; int f = from[j];

			v[j] = v[j - 1]; from[j] = from[j - 1];
			v[j - 1] = t; from[j - 1] = f;
		}
	for (i = 0; i < n; i = j) {
		double rank, t;
		size_t k;

		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		rank = (double)(i + j + 1) / 2;	/* mid-rank of ranks i+1..j */
		t = (double)(j - i);
		ties += t * t * t - t;
		for (k = i; k < j; k++)
			if (from[k])
				r1 += rank;
	}
	free(v);
	free(from);
	u = r1 - (double)na * (double)(na + 1) / 2;
	if (ties == 0 && na * nb <= 2500)
		return mwu_exact(na, nb, u);
	mu = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2));
}

double ks_p(const double *a, size_t na, const double *b, size_t nb)
{
	double *x, *y, d = 0, ne, lambda, q = 0, sign = 1;
	size_t i = 0, j = 0;

	if (!na || !nb)
		return 1;
	x = xmalloc(na * sizeof(*x));
	y = xmalloc(nb * sizeof(*y));
	memcpy(x, a, na * sizeof(*x));
	memcpy(y, b, nb * sizeof(*y));
	qsort(x, na, sizeof(*x), cmp_double);
	qsort(y, nb, sizeof(*y), cmp_double);
	while (i < na && j < nb) {
		double t = x[i] < y[j] ? x[i] : y[j], diff;

		while (i < na && x[i] == t)
			i++;
		while (j < nb && y[j] == t)
			j++;
		diff = fabs((double)i / (double)na - (double)j / (double)nb);
		if (diff > d)
			d = diff;
	}
	free(x);
	free(y);
	/* asymptotic Kolmogorov distribution, Stephens' small-n correction */
	ne = (double)na * (double)nb / (double)(na + nb);
	lambda = (sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) * d;
	if (lambda < 0.2)
		return 1;
	for (int k = 1; k <= 100; k++) {
		double term = sign * 2 * exp(-2.0 * k * k * lambda * lambda);

		q += term;
		if (fabs(term) < 1e-12)
			break;
		sign = -sign;
	}
	return q < 0 ? 0 : q > 1 ? 1 : q;
}
