/* bench_json.c - writes RUN/bench.json, schema "devns-bench/1"
 * (results/bench-schema.md documents every field). */
#include "model.h"

#include <math.h>

#include "stats.h"

/* A number, or null for NaN/inf (JSON has neither). */
static json_t *num(double x)
{
	return isfinite(x) ? json_real(x) : json_null();
}

static json_t *pair(double lo, double hi)
{
	return json_pack("[oo]", num(lo), num(hi));
}

static json_t *per_op(const struct point *p, unsigned long long count)
{
	return p->counted && p->ops ? json_real((double)count / (double)p->ops) : json_null();
}

static json_t *result(const struct point *p)
{
	json_t *s = json_array(), *g = json_array();

	for (size_t i = 0; i < p->n; i++)
		json_array_append_new(s, json_real(p->v[i]));
	for (size_t i = 0; i < p->ngroups; i++)
		json_array_append_new(g, json_integer((json_int_t)p->groups[i]));
	return json_pack("{ss ss ss ss ss sO ss ss so so si so so so so so so so s{so so} s{sI so so}}",
		"key", p->key, "kernel", p->kernel, "implementation", p->impl,
		"benchmark", p->benchmark, "variant", p->variant, "parameters", p->params,
		"unit", p->unit, "better", p->better < 0 ? "lower" : "higher",
		"samples", s, "groups", g, "n", (int)p->n, "median", num(p->median), "mean", num(p->mean),
		"sd", num(p->sd), "p50", num(p->median), "p90", num(p->p90), "p99", num(p->p99),
		"ci95", pair(p->lo, p->hi), "per_op",
		"page_faults", per_op(p, p->faults), "context_switches", per_op(p, p->ctxsw),
		"counters", "ops", (json_int_t)p->ops,
		"page_faults", p->counted ? json_integer((json_int_t)p->faults) : json_null(),
		"context_switches", p->counted ? json_integer((json_int_t)p->ctxsw) : json_null());
}

static json_t *ratio(const struct ratio *r)
{
	const char *dir = r->def->better > 0 ? "higher" : r->def->better < 0 ? "lower" : "none";

	return json_pack("{ss ss ss so so so so so so so ss so ss}",
		"name", r->def->name, "kernel", r->kernel, "what", r->def->what,
		"numerator", r->num ? json_string(r->num->key) : json_null(),
		"denominator", r->den ? json_string(r->den->key) : json_null(),
		"ratio", num(r->value), "ci95", pair(r->lo, r->hi),
		"rerun95", pair(r->rerun_lo, r->rerun_hi),
		"sd", num(r->sd),
		"target", r->def->target ? json_string(r->def->target) : json_null(),
		"better", dir,
		"meets", r->meets < 0 ? json_null() : json_boolean(r->meets),
		"status", r->num ? "measured" : "not measured");
}

int bench_json_write(const struct dataset *d, const char *path)
{
	json_t *runs = json_array(), *res = json_array(), *fio = json_array();
	json_t *perf = json_array(), *dev = json_array(), *rat = json_array(), *doc;
	int rc;

	for (size_t i = 0; i < d->nruns; i++) {
		json_t *m = d->runs[i].meta, *o = json_deep_copy(m);

		json_object_set_new(o, "kernel", json_string(d->runs[i].kernel));
		json_object_set_new(o, "implementation", json_string(d->runs[i].impl));
		json_array_append_new(runs, o);
	}
	for (size_t i = 0; i < d->npoints; i++)
		json_array_append_new(res, result(d->points[i]));
	for (size_t i = 0; i < d->nfio; i++) {
		const struct fio_rec *f = &d->fio[i];

		json_array_append_new(fio, json_pack(
			"{ss ss ss ss ss so so so so so so so so}",
			"kernel", f->kernel, "device", f->device, "job", f->job, "file", f->file,
			"rw", f->rw, "size", num(f->size), "bw_mbs", num(f->bw_mbs),
			"iops", num(f->iops), "clat_mean_us", num(f->clat_mean_us),
			"clat_p99_us", num(f->clat_p99_us), "minf", num(f->minf),
			"majf", num(f->majf), "ctx", num(f->ctx)));
	}
	for (size_t i = 0; i < d->nperf; i++)
		json_array_append_new(perf, json_pack("{ss ss ss sO}", "kernel", d->perf[i].kernel,
			"program", d->perf[i].program, "label", d->perf[i].label,
			"events", d->perf[i].events));
	for (size_t i = 0; i < d->ndevices; i++)
		json_array_append_new(dev, json_pack("{ss ss ss sb ss}", "kernel", d->devices[i].kernel,
			"name", d->devices[i].name, "path", d->devices[i].path,
			"reached", d->devices[i].reached, "detail", d->devices[i].detail));
	for (size_t i = 0; i < d->nratios; i++)
		json_array_append_new(rat, ratio(&d->ratios[i]));
	doc = json_pack("{ss s{si sf ss} so so so so so so}", "schema", "devns-bench/1",
		"statistics", "bootstrap_resamples", STATS_BOOT_REPS, "ci_level", 0.95,
		"quantiles", "linear between closest ranks (type 7)",
		"runs", runs, "results", res, "fio", fio, "perf", perf, "devices", dev,
		"ratios", rat);
	if (!doc) {
		fprintf(stderr, "bench-report: cannot build the JSON document\n");
		return -1;
	}
	rc = json_dump_file(doc, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc)
		fprintf(stderr, "bench-report: cannot write %s\n", path);
	return rc;
}
