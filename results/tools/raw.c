/* raw.c - reads a run folder's raw records (RUN/<kernel>/raw/meta.json,
 * samples.jsonl, the fio JSON files it names) and merges the points of
 * several program runs; see results/bench-schema.md for the formats. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stats.h"
#include "util.h"

void ds_problem(struct dataset *d, const char *where, const char *fmt, ...)
{
	va_list ap;

	d->problems++;
	fprintf(stderr, "bench-report: %s%s: ", d->strict ? "" : "warning: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *grow(void *arr_ptr, size_t *n, size_t size)
{
	void **arr = arr_ptr;
	char *e;

	*arr = xrealloc(*arr, (*n + 1) * size);
	e = (char *)*arr + *n * size;
	memset(e, 0, size);
	(*n)++;
	return e;
}

double param_num(const struct point *p, const char *name, double def)
{
	json_t *v = json_object_get(p->params, name);

	return json_is_number(v) ? json_number_value(v) : def;
}

const char *point_size(const struct point *p, char *buf, size_t len)
{
	double w = param_num(p, "width", -1), h = param_num(p, "height", -1);

	if (w >= 0 && h >= 0)
		snprintf(buf, len, "%.0fx%.0f", w, h);
	else
		snprintf(buf, len, "%s", p->params_text);
	return buf;
}

static const char *str_field(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static struct point *find_point(struct dataset *d, const char *kernel, const char *key)
{
	for (size_t i = 0; i < d->npoints; i++)
		if (!strcmp(d->points[i]->kernel, kernel) && !strcmp(d->points[i]->key, key))
			return d->points[i];
	return NULL;
}

static unsigned long long counter(json_t *c, const char *name)
{
	json_t *v = json_object_get(c, name);

	return json_is_number(v) && json_number_value(v) > 0 ?
	       (unsigned long long)json_number_value(v) : 0;
}

static void add_point(struct dataset *d, const struct run *r, json_t *o, const char *where)
{
	const char *bm = str_field(o, "benchmark"), *var = str_field(o, "variant");
	const char *unit = str_field(o, "unit"), *better = str_field(o, "better");
	json_t *params = json_object_get(o, "params"), *samples = json_object_get(o, "samples");
	json_t *c = json_object_get(o, "counters"), *s;
	struct point *p;
	char *ptext, *key;
	size_t i, len, kept;
	int dir;

	if (!bm || !var || !unit || !better || !json_is_object(params) || !json_is_array(samples)) {
		ds_problem(d, where, "point without benchmark, variant, params, unit, better or samples");
		return;
	}
	dir = !strcmp(better, "lower") ? -1 : !strcmp(better, "higher") ? 1 : 0;
	if (!dir) {
		ds_problem(d, where, "point %s/%s: better is '%s', not lower/higher", bm, var, better);
		return;
	}
	ptext = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	len = strlen(bm) + strlen(var) + strlen(ptext) + 2;
	key = xmalloc(len);
	snprintf(key, len, "%s/%s%s", bm, var, ptext);
	p = find_point(d, r->kernel, key);
	if (p) {
		free(key);
		free(ptext);
		if (strcmp(p->unit, unit) || p->better != dir)
			ds_problem(d, where, "%s: unit or direction differs from an earlier run", p->key);
	} else {
		p = xmalloc(sizeof(*p));
		memset(p, 0, sizeof(*p));
		p->kernel = r->kernel;
		p->impl = r->impl;
		p->benchmark = xstrdup(bm);
		p->variant = xstrdup(var);
		p->unit = xstrdup(unit);
		p->params = json_incref(params);
		p->params_text = ptext;
		p->key = key;
		p->better = dir;
		*(struct point **)grow(&d->points, &d->npoints, sizeof(p)) = p;
	}
	kept = p->n;
	json_array_foreach(samples, i, s) {
		if (!json_is_number(s) || !isfinite(json_number_value(s))) {
			ds_problem(d, where, "%s: sample %zu is not a number", p->key, i);
			continue;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 16;
			p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
		}
		p->v[p->n++] = json_number_value(s);
	}
	if (p->n > kept) {
		p->groups = xrealloc(p->groups, (p->ngroups + 1) * sizeof(*p->groups));
		p->groups[p->ngroups++] = p->n - kept;
	}
	if (json_is_object(c)) {
		p->ops += counter(c, "ops");
		if (json_object_get(c, "page_faults")) {
			p->counted = true;
			p->faults += counter(c, "page_faults");
			p->ctxsw += counter(c, "context_switches");
		}
	}
}

static void add_device(struct dataset *d, const struct run *r, json_t *o, const char *where)
{
	const char *name = str_field(o, "name"), *path = str_field(o, "path");
	const char *detail = str_field(o, "detail");
	json_t *reached = json_object_get(o, "reached");
	struct device *dev = NULL;

	if (!name || !json_is_boolean(reached)) {
		ds_problem(d, where, "device record without name or reached");
		return;
	}
	for (size_t i = 0; i < d->ndevices; i++)
		if (d->devices[i].kernel == r->kernel && !strcmp(d->devices[i].name, name))
			dev = &d->devices[i];
	if (dev && (dev->reached || !json_is_true(reached)))
		return;		/* the first success (or first failure) stays */
	if (!dev) {
		dev = grow(&d->devices, &d->ndevices, sizeof(*dev));
		dev->kernel = r->kernel;
		dev->name = xstrdup(name);
	} else {
		free(dev->path);
		free(dev->detail);
	}
	dev->path = xstrdup(path ? path : "");
	dev->detail = xstrdup(detail ? detail : "");
	dev->reached = json_is_true(reached);
}

/* The number at a dotted path (the last part may contain dots: "99.000000"). */
static double num_at(json_t *o, const char *path)
{
	if (json_is_number(json_object_get(o, path)))
		return json_number_value(json_object_get(o, path));
	char buf[128], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	return json_is_number(o) ? json_number_value(o) : NAN;
}

/* fio's JSON output, possibly after warning lines: parse from the first '{'. */
static json_t *load_fio(const char *path, char *err, size_t len)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, *start;
	size_t n = 0, cap = 0, got;
	json_error_t je;
	json_t *j;

	if (!f) {
		snprintf(err, len, "cannot open it");
		return NULL;
	}
	do {
		cap += 65536;
		text = xrealloc(text, cap + 1);
		got = fread(text + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	text[n] = '\0';
	start = strchr(text, '{');
	j = start ? json_loads(start, JSON_DISABLE_EOF_CHECK, &je) : NULL;
	if (!j)
		snprintf(err, len, "not fio JSON (%s)", start ? je.text : "no '{'");
	free(text);
	return j;
}

static void add_fio(struct dataset *d, const struct run *r, const char *rawdir, json_t *o,
		    const char *where)
{
	static const char *const dirs[] = { "read", "write" };
	const char *dev = str_field(o, "device"), *job = str_field(o, "job");
	const char *file = str_field(o, "file");
	json_t *doc, *jobs, *jb;
	char path[4096], err[300];
	size_t i;

	if (!dev || !job || !file) {
		ds_problem(d, where, "fio record without device, job or file");
		return;
	}
	if (snprintf(path, sizeof(path), "%s/%s", rawdir, file) >= (int)sizeof(path)) {
		ds_problem(d, where, "path too long");
		return;
	}
	doc = load_fio(path, err, sizeof(err));
	if (!doc) {
		ds_problem(d, where, "%s: %s", file, err);
		return;
	}
	jobs = json_object_get(doc, "jobs");
	if (!json_is_array(jobs) || !json_array_size(jobs))
		ds_problem(d, where, "%s: no jobs[]", path);
	json_array_foreach(jobs, i, jb) {
		for (size_t k = 0; k < 2; k++) {
			json_t *side = json_object_get(jb, dirs[k]);
			struct fio_rec *f;

			if (!(num_at(side, "io_bytes") > 0))
				continue;
			f = grow(&d->fio, &d->nfio, sizeof(*f));
			f->kernel = r->kernel;
			f->device = xstrdup(dev);
			f->job = xstrdup(job);
			f->file = xstrdup(file);
			f->rw = xstrdup(dirs[k]);
			f->size = num_at(o, "size");
			f->bw_mbs = num_at(side, "bw_bytes") / 1e6;
			f->iops = num_at(side, "iops");
			f->clat_mean_us = num_at(side, "clat_ns.mean") / 1e3;
			f->clat_p99_us = num_at(json_object_get(json_object_get(side, "clat_ns"),
								"percentile"), "99.000000") / 1e3;
			f->minf = num_at(jb, "minf");
			f->majf = num_at(jb, "majf");
			f->ctx = num_at(jb, "ctx");
		}
	}
	json_decref(doc);
}

static void add_perf(struct dataset *d, const struct run *r, json_t *o, const char *where)
{
	const char *prog = str_field(o, "program"), *label = str_field(o, "label");
	json_t *ev = json_object_get(o, "events");
	struct perf_rec *p;

	if (!prog || !json_is_object(ev)) {
		ds_problem(d, where, "perf record without program or events");
		return;
	}
	p = grow(&d->perf, &d->nperf, sizeof(*p));
	p->kernel = r->kernel;
	p->program = xstrdup(prog);
	p->label = xstrdup(label ? label : "");
	p->events = json_incref(ev);
}

static void load_samples(struct dataset *d, const struct run *r, const char *rawdir)
{
	char path[4096], where[4200], *line = NULL;
	size_t cap = 0;
	long len, lineno = 0;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/samples.jsonl", rawdir) >= (int)sizeof(path))
		path[0] = '\0';
	f = fopen(path, "r");
	if (!f) {
		ds_problem(d, path, "missing");
		return;
	}
	while ((len = read_line(f, &line, &cap)) >= 0) {
		json_error_t je;
		const char *type;
		json_t *o;

		lineno++;
		snprintf(where, sizeof(where), "%s:%ld", path, lineno);
		if (!len || line[strspn(line, " \t")] == '\0')
			continue;
		o = json_loads(line, 0, &je);
		if (!json_is_object(o)) {
			ds_problem(d, where, "not a JSON object: %s", o ? "other JSON value" : je.text);
			json_decref(o);
			continue;
		}
		type = str_field(o, "type");
		if (!type)
			ds_problem(d, where, "no \"type\"");
		else if (!strcmp(type, "point"))
			add_point(d, r, o, where);
		else if (!strcmp(type, "device"))
			add_device(d, r, o, where);
		else if (!strcmp(type, "fio"))
			add_fio(d, r, rawdir, o, where);
		else if (!strcmp(type, "perf"))
			add_perf(d, r, o, where);
		else
			ds_problem(d, where, "unknown record type '%s'", type);
		json_decref(o);
	}
	free(line);
	fclose(f);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t raw_load(struct dataset *d)
{
	char **names = NULL, path[4096];
	size_t nnames = 0;
	struct dirent *e;
	struct stat st;
	DIR *dir = opendir(d->dir);

	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/raw", d->dir, e->d_name);
		if (stat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		*(char **)grow(&names, &nnames, sizeof(char *)) = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(names, nnames, sizeof(*names), cmp_name);
	for (size_t i = 0; i < nnames; i++) {
		struct run *r = grow(&d->runs, &d->nruns, sizeof(*r));
		json_error_t je;
		const char *k, *impl;

		snprintf(path, sizeof(path), "%s/%s/raw/meta.json", d->dir, names[i]);
		r->meta = json_load_file(path, 0, &je);
		if (!json_is_object(r->meta)) {
			ds_problem(d, path, "missing or not a JSON object (%s)", je.text);
			json_decref(r->meta);
			r->meta = json_object();
		}
		k = str_field(r->meta, "kernel");
		impl = str_field(r->meta, "implementation");
		if (!k || !impl || !str_field(r->meta, "release"))
			ds_problem(d, path, "kernel, release or implementation missing");
		r->kernel = xstrdup(k ? k : names[i]);
		r->impl = xstrdup(impl ? impl : "unknown");
		snprintf(path, sizeof(path), "%s/%s/raw", d->dir, names[i]);
		load_samples(d, r, path);
		free(names[i]);
	}
	free(names);
	return d->nruns;
}

void points_summarize(struct dataset *d)
{
	for (size_t i = 0; i < d->npoints; i++) {
		struct point *p = d->points[i];
		double *s = xmalloc((p->n ? p->n : 1) * sizeof(*s));
		char seed[4400];

		if (!p->n)
			ds_problem(d, p->kernel, "%s: no samples", p->key);
		memcpy(s, p->v, p->n * sizeof(*s));
		qsort(s, p->n, sizeof(*s), cmp_double);
		p->median = quantile_sorted(s, p->n, 0.5);
		p->p90 = quantile_sorted(s, p->n, 0.9);
		p->p99 = quantile_sorted(s, p->n, 0.99);
		p->mean = mean_of(s, p->n);
		p->sd = sd_of(s, p->n);
		snprintf(seed, sizeof(seed), "%s %s", p->kernel, p->key);
		boot_median_ci(&(struct sample_set){ p->v, p->n, p->groups, p->ngroups }, 0.05,
			       STATS_BOOT_REPS, seed, &p->lo, &p->hi);
		free(s);
	}
}
