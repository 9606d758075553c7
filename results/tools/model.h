/* model.h - a run folder in memory: the runs (one per kernel), the merged
 * points, devices, fio and perf records, the headline ratios and the charts
 * made from them.  raw.c fills it, ratios.c adds the ratios, charts.c,
 * report.c and bench_json.c write it out. */
#ifndef DEVNS_BENCH_MODEL_H
#define DEVNS_BENCH_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct run {
	char *kernel;		/* meta.json "kernel", else the folder name */
	char *impl;		/* meta.json "implementation" */
	json_t *meta;		/* meta.json as read (an empty object if absent) */
};

/* One benchmark x variant x parameters of one kernel, samples of every run merged. */
struct point {
	const char *kernel, *impl;
	char *benchmark, *variant, *unit;
	char *params_text;	/* canonical JSON of params (sorted keys) */
	char *key;		/* "benchmark/variant{params}": what compare matches */
	json_t *params;
	int better;		/* -1 lower is better, +1 higher */
	double *v;
	size_t n, cap;
	size_t *groups, ngroups;	/* samples of each raw record (a round), in order */
	unsigned long long ops, faults, ctxsw;
	bool counted;		/* some run had counters */
	/* filled by points_summarize() */
	double median, mean, sd, p90, p99, lo, hi;
};

struct device {
	const char *kernel;
	char *name, *path, *detail;
	bool reached;		/* by any program */
};

struct fio_rec {
	const char *kernel;
	char *device, *job, *file, *rw;	/* rw: "read" or "write" */
	double size, bw_mbs, iops, clat_mean_us, clat_p99_us, minf, majf, ctx;
};

struct perf_rec {
	const char *kernel;
	char *program, *label;
	json_t *events;
};

struct ratio {
	const struct ratio_def *def;
	const char *kernel;
	const struct point *num, *den;	/* NULL: not measured */
	double value, lo, hi, sd;
	double rerun_lo, rerun_hi;	/* where another run's value should fall (95 %) */
	int meets;			/* 1, 0, -1: null (no target or not measured) */
};

struct chart {
	char *name;			/* file stem in RUN/charts/ */
	char *title;
};

struct dataset {
	const char *dir;		/* the run folder */
	bool strict;			/* --smoke-check: problems are errors */
	unsigned problems;
	struct run *runs; size_t nruns;
	struct point **points; size_t npoints;
	struct device *devices; size_t ndevices;
	struct fio_rec *fio; size_t nfio;
	struct perf_rec *perf; size_t nperf;
	struct ratio *ratios; size_t nratios;
	struct chart *charts; size_t ncharts;
	bool gnuplot_missing;
};

/* raw.c */
void ds_problem(struct dataset *d, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reads every RUN/<kernel>/raw/; returns the number of kernels found. */
size_t raw_load(struct dataset *d);
/* Median, mean, percentiles and the bootstrap CI of every point. */
void points_summarize(struct dataset *d);
/* Grows *arr of *n elements of @size by one, zeroed; returns the new one. */
void *grow(void *arr_ptr, size_t *n, size_t size);
/* A numeric parameter of a point, or @def. */
double param_num(const struct point *p, const char *name, double def);
/* "WxH" if the point has width and height, else its params text. */
const char *point_size(const struct point *p, char *buf, size_t len);

/* ratios.c */
struct ratio_def {
	const char *name;
	const char *target;		/* e.g. ">= 0.97", NULL: informative */
	int better;			/* direction of the ratio, 0: none (baseline vs baseline) */
	const char *what;		/* one line for the report */
	/* numerator and denominator: benchmark, variant, parameters they must
	 * have (JSON object text); @match: parameters that must be equal in both
	 * ("a,b", "*": all, "": none).  Among several pairs: the closest display
	 * sizes, then the fewest namespaces and mappers, then the largest size
	 * and chunk.  No denominator (NULL): the numerator's samples are ratios
	 * the program paired itself; the ratio is their median. */
	const char *num_bench, *num_var, *num_fixed;
	const char *den_bench, *den_var, *den_fixed;
	const char *match;
};
void ratios_compute(struct dataset *d);

/* charts.c: writes RUN/charts/ (gnuplot scripts, .dat, PNG + SVG) */
void charts_write(struct dataset *d, bool run_gnuplot);

/* report.c */
int report_write(const struct dataset *d, const char *path);
void summary_print(const struct dataset *d, FILE *f);
/* A number with 3 significant digits (or "-" for NaN), in a static slot. */
const char *fmt_num(double x);

/* bench_json.c */
int bench_json_write(const struct dataset *d, const char *path);

#endif
