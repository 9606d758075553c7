/* report.c - RUN/report.md (ratios, charts, per-benchmark tables, fio,
 * devices) and the fixed-width summary of the ratios on stdout. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *fmt_num(double x)
{
	static char slot[8][32];
	static int i;
	char *b = slot[i++ % 8];

	if (!isfinite(x))
		return "-";
	if (fabs(x) >= 1000 || x == floor(x))
		snprintf(b, 32, "%.0f", x);
	else
		snprintf(b, 32, "%.3g", x);
	return b;
}

static const char *meets_text(const struct ratio *r)
{
	if (!r->num)
		return "not measured";
	return r->meets < 0 ? "-" : r->meets ? "yes" : "NO";
}

static const char *ci_text(double lo, double hi, char *buf, size_t len)
{
	if (!isfinite(lo) || !isfinite(hi))
		return "-";
	snprintf(buf, len, "[%s, %s]", fmt_num(lo), fmt_num(hi));
	return buf;
}

void summary_print(const struct dataset *d, FILE *f)
{
	char ci[64];

	fprintf(f, "%-12s %-35s %8s %-18s %-7s %s\n", "kernel", "ratio", "value", "95% CI",
		"target", "meets");
	for (size_t i = 0; i < d->nratios; i++) {
		const struct ratio *r = &d->ratios[i];

		fprintf(f, "%-12s %-35s %8s %-18s %-7s %s\n", r->kernel, r->def->name,
			fmt_num(r->value), ci_text(r->lo, r->hi, ci, sizeof(ci)),
			r->def->target ? r->def->target : "-", meets_text(r));
	}
}

static void ratio_table(const struct dataset *d, FILE *f)
{
	char ci[64], rerun[64];

	fprintf(f, "| kernel | ratio | value | 95%% CI | a rerun, 95%% | target | meets | numerator / denominator |\n"
		"|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < d->nratios; i++) {
		const struct ratio *r = &d->ratios[i];

		fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | ", r->kernel, r->def->name,
			fmt_num(r->value), ci_text(r->lo, r->hi, ci, sizeof(ci)),
			ci_text(r->rerun_lo, r->rerun_hi, rerun, sizeof(rerun)),
			r->def->target ? r->def->target : "-", meets_text(r));
		if (r->num && r->den)
			fprintf(f, "`%s` / `%s` |\n", r->num->key, r->den->key);
		else if (r->num)
			fprintf(f, "`%s` (paired per sample) |\n", r->num->key);
		else
			fprintf(f, "%s |\n", r->def->what);
	}
}

static bool shown_before(const struct dataset *d, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(d->points[j]->benchmark, d->points[i]->benchmark))
			return true;
	return false;
}

static void point_tables(const struct dataset *d, FILE *f)
{
	char ci[64];

	for (size_t i = 0; i < d->npoints; i++) {
		const struct point *p = d->points[i];

		if (shown_before(d, i))
			continue;
		/* one table per benchmark, its points from every kernel */
		fprintf(f, "\n### %s (%s, %s is better)\n\n", p->benchmark, p->unit,
			p->better < 0 ? "lower" : "higher");
		fprintf(f, "| kernel | variant | parameters | median | p90 | p99 | 95%% CI | n "
			"| faults/op | ctxsw/op |\n|---|---|---|---|---|---|---|---|---|---|\n");
		for (size_t j = i; j < d->npoints; j++) {
			const struct point *q = d->points[j];
			bool c = q->counted && q->ops;

			if (strcmp(q->benchmark, p->benchmark))
				continue;
			fprintf(f, "| %s | %s | `%s` | %s | %s | %s | %s | %zu | %s | %s |\n",
				q->kernel, q->variant, q->params_text, fmt_num(q->median),
				fmt_num(q->p90), fmt_num(q->p99), ci_text(q->lo, q->hi, ci, sizeof(ci)),
				q->n, c ? fmt_num((double)q->faults / (double)q->ops) : "-",
				c ? fmt_num((double)q->ctxsw / (double)q->ops) : "-");
		}
	}
}

static void charts_section(const struct dataset *d, FILE *f)
{
	char png[4400];

	fprintf(f, "\n## Charts\n\n");
	if (!d->ncharts) {
		fprintf(f, "No charts (no data for them, or --no-charts).\n");
		return;
	}
	if (d->gnuplot_missing)
		fprintf(f, "gnuplot was not found: only the scripts and data are in `charts/` "
			"(install gnuplot-nox, then `cd charts && gnuplot NAME.gp`).\n\n");
	for (size_t i = 0; i < d->ncharts; i++) {
		snprintf(png, sizeof(png), "%s/charts/%s.png", d->dir, d->charts[i].name);
		if (!d->gnuplot_missing && access(png, R_OK) == 0)
			fprintf(f, "![%s](charts/%s.png)\n\n[SVG](charts/%s.svg), "
				"[data and script](charts/%s.gp)\n\n",
				d->charts[i].title, d->charts[i].name, d->charts[i].name,
				d->charts[i].name);
		else
			fprintf(f, "- %s: `charts/%s.gp` (not rendered)\n", d->charts[i].title,
				d->charts[i].name);
	}
}

static const char *or_dash(json_t *s)
{
	return json_is_string(s) ? json_string_value(s) : "-";
}

int report_write(const struct dataset *d, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "bench-report: cannot write %s\n", path);
		return -1;
	}
	fprintf(f, "# devns-suite benchmarks: %s\n\n## Machine and kernels\n\n", d->dir);
	fprintf(f, "| kernel | release | implementation | date | machine |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < d->nruns; i++) {
		json_t *m = d->runs[i].meta, *mach = json_object_get(m, "machine");
		char *mt = mach ? json_dumps(mach, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

		fprintf(f, "| %s | %s | %s | %s | `%s` |\n", d->runs[i].kernel,
			or_dash(json_object_get(m, "release")), d->runs[i].impl,
			or_dash(json_object_get(m, "date")), mt ? mt : "-");
		free(mt);
	}
	fprintf(f, "\nAbsolute times under QEMU/TCG depend on the host; the ratios (both "
		"points from the same boot) are the headline figures. Medians of all samples "
		"(warm-up discarded by the programs); 95%% CI: percentile bootstrap, %d "
		"resamples, fixed seed, of this run's value; a rerun, 95%%: where the same "
		"ratio of another run should fall (this run's error and that one's).\n\n"
		"## Ratios\n\n", 2000);
	ratio_table(d, f);
	charts_section(d, f);
	fprintf(f, "\n## Results\n");
	point_tables(d, f);
	if (d->nfio) {
		fprintf(f, "\n## fio\n\n| kernel | device | job | rw | size | MB/s | IOPS | clat mean us "
			"| clat p99 us | minf | majf | ctx |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < d->nfio; i++) {
			const struct fio_rec *r = &d->fio[i];

			fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				r->kernel, r->device, r->job, r->rw, fmt_num(r->size),
				fmt_num(r->bw_mbs), fmt_num(r->iops), fmt_num(r->clat_mean_us),
				fmt_num(r->clat_p99_us), fmt_num(r->minf), fmt_num(r->majf),
				fmt_num(r->ctx));
		}
	}
	if (d->nperf) {
		fprintf(f, "\n## perf stat\n\n| kernel | program | label | events |\n|---|---|---|---|\n");
		for (size_t i = 0; i < d->nperf; i++) {
			char *ev = json_dumps(d->perf[i].events, JSON_COMPACT | JSON_PRESERVE_ORDER);

			fprintf(f, "| %s | %s | %s | `%s` |\n", d->perf[i].kernel,
				d->perf[i].program, d->perf[i].label, ev);
			free(ev);
		}
	}
	fprintf(f, "\n## Devices\n\n| kernel | device | reached | path | detail |\n|---|---|---|---|---|\n");
	for (size_t i = 0; i < d->ndevices; i++)
		fprintf(f, "| %s | %s | %s | %s | %s |\n", d->devices[i].kernel, d->devices[i].name,
			d->devices[i].reached ? "yes" : "**no**", d->devices[i].path,
			d->devices[i].detail);
	fprintf(f, "\n## How to reproduce\n\n`make bench KERNELS=\"");
	for (size_t i = 0; i < d->nruns; i++)
		fprintf(f, "%s%s", i ? " " : "", d->runs[i].kernel);
	fprintf(f, "\"` (or `ci/bench --kernels ...`), then `build/bin/bench-report RUN`; compare "
		"two runs with `make bench-compare BASE=a/bench.json HEAD=b/bench.json` "
		"(results/baselines/README.md).\n");
	if (fclose(f)) {
		fprintf(stderr, "bench-report: cannot write %s\n", path);
		return -1;
	}
	return 0;
}
