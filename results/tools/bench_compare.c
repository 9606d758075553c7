/* bench_compare.c - bench-compare: the regression gate between two
 * bench.json files (base and head), LKP-style table, Pinpoint-style verdicts. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

#define COMPARE_REPS 10000

static const char usage[] =
"usage: bench-compare BASE.json HEAD.json [--points] [--threshold PCT] [--alpha A]\n"
"\n"
"Compares two bench.json files (schema devns-bench/1), LKP-style:\n"
"  base ± sd%%   change%%   head ± sd%%   verdict   metric\n"
"Default: every headline ratio measured in both (ratios come from one boot, so\n"
"they compare across machines).  --points also compares every point (same\n"
"machine only: points are skipped when the runs' machines differ).\n"
"Change: head/base - 1 of the ratio (or of the point's median); its (1-alpha)\n"
"interval by bootstrap (%d resamples, fixed seed) of the samples behind both;\n"
"samples from 3 or more rounds (module loads; bench.json \"groups\") are\n"
"resampled by round, then within each, so the interval holds the spread\n"
"between loads.\n"
"Verdicts:\n"
"  DIFFERENT  p <= alpha and |change| >= threshold; ratios, and points with\n"
"             rounds: p = the bootstrap p-value of 'head / base = 1'; other\n"
"             points: p = min(Mann-Whitney U p, Kolmogorov-Smirnov p) of the\n"
"             two sample sets (as Pinpoint).  A ratio that differs is shown\n"
"             with how its numerator and denominator moved: a ratio can get\n"
"             'worse' because its denominator got better\n"
"  SAME       the (1-alpha) interval of the change lies within +-threshold\n"
"  UNKNOWN    neither: not enough samples to tell, measure more\n"
"A regression is DIFFERENT in the worse direction (the metric's 'better').\n"
"  --threshold PCT  smallest change that matters, percent (default 5)\n"
"  --alpha A        significance level (default 0.01)\n"
"Exit status: 0 no regression, 1 regression(s), 2 usage or input error.\n";

struct tally {
	unsigned same, diff, unknown, regress;
};

static double threshold = 5, alpha = 0.01;

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);
	json_t *s = json_object_get(j, "schema");

	if (!j)
		die("bench-compare", "%s: %s (line %d)", path, e.text, e.line);
	if (!json_is_string(s) || strcmp(json_string_value(s), "devns-bench/1"))
		die("bench-compare", "%s: not a devns-bench/1 document", path);
	return j;
}

static const char *sfield(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

static double nfield(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The results[] entry of kernel/key, or NULL. */
static json_t *result(json_t *doc, const char *kernel, const char *key)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(doc, "results"), i, r)
		if (!strcmp(sfield(r, "kernel"), kernel) && !strcmp(sfield(r, "key"), key))
			return r;
	return NULL;
}

/*
 * The samples of a result and their groups (a result of bench.json from
 * before groups has none: its samples are then taken as independent) into
 * @s, new arrays; false if it has no samples.
 */
static bool samples(json_t *r, struct sample_set *s)
{
	json_t *a = json_object_get(r, "samples"), *g = json_object_get(r, "groups"), *v;
	double *d;
	size_t i, *n;

	memset(s, 0, sizeof(*s));
	s->n = json_array_size(a);
	if (!s->n)
		return false;
	s->v = d = xmalloc(s->n * sizeof(*d));
	json_array_foreach(a, i, v)
		d[i] = json_number_value(v);
	s->ngroups = json_array_size(g);
	if (s->ngroups) {
		s->groups = n = xmalloc(s->ngroups * sizeof(*n));
		json_array_foreach(g, i, v)
			n[i] = (size_t)json_integer_value(v);
	}
	return true;
}

static void sample_set_free(struct sample_set *s)
{
	free((void *)s->v);
	free((void *)s->groups);
}

static const char *verdict(double delta, double lo, double hi, double p)
{
	double t = threshold / 100;

	if (p <= alpha && fabs(delta) >= t)
		return "DIFFERENT";
	if (isfinite(lo) && isfinite(hi) && lo - 1 > -t && hi - 1 < t)
		return "SAME";
	return "UNKNOWN";
}

/* One line of the table (and its interval); true if the verdict is DIFFERENT. */
static bool row(struct tally *t, double b, double bsd, double h, double hsd, double lo,
		double hi, double p, const char *better, const char *metric)
{
	double delta = h / b - 1;
	const char *v = verdict(delta, lo, hi, p);
	bool worse = (!strcmp(better, "higher") && delta < 0) ||
		     (!strcmp(better, "lower") && delta > 0);
	bool reg = !strcmp(v, "DIFFERENT") && worse;

	t->same += !strcmp(v, "SAME");
	t->diff += !strcmp(v, "DIFFERENT");
	t->unknown += !strcmp(v, "UNKNOWN");
	t->regress += reg;
	printf("%10.4g ± %3.0f%%  %+7.1f%%  %10.4g ± %3.0f%%  %-10s %-10s %s\n", b,
	       isfinite(bsd) ? 100 * bsd / fabs(b) : 0, 100 * delta, h,
	       isfinite(hsd) ? 100 * hsd / fabs(h) : 0, v, reg ? "REGRESSION" : "", metric);
	if (isfinite(lo))
		printf("%36s  change %+.1f%% .. %+.1f%% (%.0f%%), p %.3g\n", "",
		       100 * (lo - 1), 100 * (hi - 1), 100 * (1 - alpha), p);
	return !strcmp(v, "DIFFERENT");
}

static void compare_ratios(json_t *base, json_t *head, struct tally *t)
{
	json_t *hr, *br;
	size_t i, j;

	json_array_foreach(json_object_get(head, "ratios"), i, hr) {
		const char *k = sfield(hr, "kernel"), *name = sfield(hr, "name");
		json_t *found = NULL;
		char metric[256], seed[300];

		json_array_foreach(json_object_get(base, "ratios"), j, br)
			if (!strcmp(sfield(br, "kernel"), k) && !strcmp(sfield(br, "name"), name))
				found = br;
		snprintf(metric, sizeof(metric), "%s: %s", k, name);
		if (!found || !isfinite(nfield(found, "ratio")) || !isfinite(nfield(hr, "ratio"))) {
			if (isfinite(nfield(hr, "ratio")) || (found && isfinite(nfield(found, "ratio"))))
				printf("%-58s %s (measured in %s only)\n", "", metric,
				       isfinite(nfield(hr, "ratio")) ? "head" : "base");
			continue;
		}
		json_t *side[2] = { found, hr }, *docs[2] = { base, head };
		struct boot_side bs[2];
		double lo = NAN, hi = NAN, p = 1;
		bool all = true;

		for (int s = 0; s < 2; s++) {
			bool paired = json_is_null(json_object_get(side[s], "denominator"));

			all &= samples(result(docs[s], k, sfield(side[s], "numerator")), &bs[s].num);
			if (paired)	/* the numerator's samples are ratios */
				memset(&bs[s].den, 0, sizeof(bs[s].den));
			else
				all &= samples(result(docs[s], k, sfield(side[s], "denominator")),
					       &bs[s].den);
		}
		all &= !bs[0].den.n == !bs[1].den.n;
		if (all) {
			struct boot_side b = bs[0], h = bs[1];

			snprintf(seed, sizeof(seed), "compare %s", metric);
			boot_change(&b, &h, alpha, COMPARE_REPS, seed, &lo, &hi, &p, NULL);
		} else {
			/* no samples: only non-overlapping 95 % intervals count */
			json_t *bc = json_object_get(found, "ci95"), *hc = json_object_get(hr, "ci95");
			double blo = json_number_value(json_array_get(bc, 0));
			double bhi = json_number_value(json_array_get(bc, 1));
			double hlo = json_number_value(json_array_get(hc, 0));
			double hhi = json_number_value(json_array_get(hc, 1));

			p = hlo > bhi || hhi < blo ? alpha : 1;
		}
		if (row(t, nfield(found, "ratio"), nfield(found, "sd"), nfield(hr, "ratio"),
			nfield(hr, "sd"), lo, hi, p, sfield(hr, "better"), metric) && all &&
		    bs[1].den.n)
			printf("%36s  numerator %+.1f%%, denominator %+.1f%%\n", "",
			       100 * (median_of(bs[1].num.v, bs[1].num.n) /
				      median_of(bs[0].num.v, bs[0].num.n) - 1),
			       100 * (median_of(bs[1].den.v, bs[1].den.n) /
				      median_of(bs[0].den.v, bs[0].den.n) - 1));
		for (int s = 0; s < 2; s++) {
			sample_set_free(&bs[s].num);
			sample_set_free(&bs[s].den);
		}
	}
}

/* The machine of a kernel's run, as canonical JSON (NULL if absent). */
static char *machine(json_t *doc, const char *kernel)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(doc, "runs"), i, r)
		if (!strcmp(sfield(r, "kernel"), kernel) && json_object_get(r, "machine"))
			return json_dumps(json_object_get(r, "machine"), JSON_COMPACT | JSON_SORT_KEYS);
	return NULL;
}

static void compare_points(json_t *base, json_t *head, struct tally *t)
{
	json_t *hr;
	size_t i;

	json_array_foreach(json_object_get(head, "results"), i, hr) {
		const char *k = sfield(hr, "kernel"), *key = sfield(hr, "key");
		json_t *br = result(base, k, key);
		char *mb = machine(base, k), *mh = machine(head, k), metric[600];
		struct boot_side b = { 0 }, h = { 0 };
		double lo, hi, p;

		if (!br || !mb || !mh || strcmp(mb, mh)) {
			if (br)
				fprintf(stderr, "bench-compare: %s: %s: machines differ, point skipped\n",
					k, key);
			free(mb);
			free(mh);
			continue;
		}
		free(mb);
		free(mh);
		bool both = samples(br, &b.num);

		both &= samples(hr, &h.num);	/* both filled, both freed below */
		if (both) {
			snprintf(metric, sizeof(metric), "compare %s %s", k, key);
			boot_change(&b, &h, alpha, COMPARE_REPS, metric, &lo, &hi, &p, NULL);
			/*
			 * Samples of several module loads: the loads are the units,
			 * the bootstrap's p stands; else the rank tests on samples.
			 */
			if (!samples_grouped(&b.num) || !samples_grouped(&h.num)) {
				double pm = mwu_p(b.num.v, b.num.n, h.num.v, h.num.n);
				double pk = ks_p(b.num.v, b.num.n, h.num.v, h.num.n);

				p = pm < pk ? pm : pk;
			}
			snprintf(metric, sizeof(metric), "%s: %s [%s]", k, key, sfield(hr, "unit"));
			row(t, nfield(br, "median"), nfield(br, "sd"), nfield(hr, "median"),
			    nfield(hr, "sd"), lo, hi, p, sfield(hr, "better"), metric);
		}
		sample_set_free(&b.num);
		sample_set_free(&h.num);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "points", no_argument, NULL, 'p' },
		{ "threshold", required_argument, NULL, 't' },
		{ "alpha", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tally t = { 0 };
	bool points = false;
	json_t *base, *head;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': points = true; break;
		case 't':
			threshold = strtod(optarg, &end);
			if (*end || !(threshold >= 0))
				die("bench-compare", "bad --threshold '%s'", optarg);
			break;
		case 'a':
			alpha = strtod(optarg, &end);
			if (*end || !(alpha > 0 && alpha < 1))
				die("bench-compare", "bad --alpha '%s'", optarg);
			break;
		case 'h': printf(usage, COMPARE_REPS); return 0;
		default: fprintf(stderr, usage, COMPARE_REPS); return 2;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, usage, COMPARE_REPS);
		return 2;
	}
	base = load(argv[optind]);
	head = load(argv[optind + 1]);
	printf("# base: %s\n# head: %s\n# threshold %.3g%%, alpha %.3g\n", argv[optind],
	       argv[optind + 1], threshold, alpha);
	printf("%10s   %4s  %8s  %10s   %4s  %-10s %-10s %s\n", "base", "sd", "change", "head",
	       "sd", "verdict", "", "metric");
	compare_ratios(base, head, &t);
	if (points)
		compare_points(base, head, &t);
	printf("%u compared: %u SAME, %u DIFFERENT, %u UNKNOWN; %u regression(s)\n",
	       t.same + t.diff + t.unknown, t.same, t.diff, t.unknown, t.regress);
	json_decref(base);
	json_decref(head);
	return t.regress ? 1 : 0;
}
