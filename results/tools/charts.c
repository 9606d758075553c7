/* charts.c - gnuplot charts of a run in RUN/charts/: for each chart a .dat
 * file per series (or one table), a .gp script and, when gnuplot is
 * installed, NAME.png (pngcairo) and NAME.svg.  A chart without data is
 * not made. */
#define _POSIX_C_SOURCE 200809L
#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static const char *const blit_devices[] = {
	"vfb-fg", "vfb-bg", "vfb-hostonly", "panel", "vfb.ko", "bochs-fbdev", "drm-dumb",
};

struct series {
	char title[160];
	const struct point *pts[64];
	double x[64];
	size_t n;
	bool limit;		/* drawn as a dashed reference line */
};

static char chart_dir[4096];

static double pixels(const struct point *p)
{
	return param_num(p, "width", 0) * param_num(p, "height", 0);
}

static double config(const struct point *p)
{
	return param_num(p, "namespaces", 0) * 1000 + param_num(p, "mappers", 0);
}

static FILE *open_in_charts(const char *name, const char *ext)
{
	char path[4400];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", chart_dir, name, ext);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "bench-report: cannot write %s\n", path);
	return f;
}

/* The terminal lines around the plot commands of a script. */
static void script_head(FILE *f, const char *name, const char *title, const char *xl,
			const char *yl)
{
	fprintf(f, "# %s.gp - written by bench-report; run: gnuplot %s.gp\n", name, name);
	fprintf(f, "set terminal pngcairo size 1000,600 noenhanced font ',10'\n");
	fprintf(f, "set output '%s.png'\nset title \"%s\"\n", name, title);
	fprintf(f, "set xlabel \"%s\"\nset ylabel \"%s\"\nset grid ytics\nset key outside right\n",
		xl, yl);
}

static void script_tail(FILE *f, const char *name)
{
	fprintf(f, "set terminal svg size 1000,600 noenhanced font 'sans,10'\n");
	fprintf(f, "set output '%s.svg'\nreplot\nunset output\n", name);
}

static void add_chart(struct dataset *d, const char *name, const char *title)
{
	struct chart *c = grow(&d->charts, &d->ncharts, sizeof(*c));

	c->name = xstrdup(name);
	c->title = xstrdup(title);
}

static void run_gnuplot(struct dataset *d, const char *name)
{
	char script[256];
	pid_t pid;
	int st;

	if (d->gnuplot_missing)
		return;
	snprintf(script, sizeof(script), "%s.gp", name);
	pid = fork();
	if (pid == 0) {
		if (chdir(chart_dir))
			_exit(126);
		execlp("gnuplot", "gnuplot", script, (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		fprintf(stderr, "bench-report: cannot run gnuplot\n");
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		d->gnuplot_missing = true;
		fprintf(stderr, "bench-report: gnuplot is not installed: charts as scripts only "
			"(apt-get install gnuplot-nox)\n");
	} else if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "bench-report: gnuplot failed on %s/%s\n", chart_dir, script);
	}
}

static int cmp_x(const void *a, const void *b, const double *x)
{
	return (x[*(const size_t *)a] > x[*(const size_t *)b]) -
	       (x[*(const size_t *)a] < x[*(const size_t *)b]);
}

/* Sorts a series by x (insertion sort: a few points). */
static void sort_series(struct series *s)
{
	for (size_t i = 1; i < s->n; i++)
		for (size_t j = i; j > 0; j--) {
			size_t a = j - 1, b = j;
			const struct point *tp;
			double tx;

			if (cmp_x(&a, &b, s->x) <= 0)
				break;
			tp = s->pts[a]; s->pts[a] = s->pts[b]; s->pts[b] = tp;
			tx = s->x[a]; s->x[a] = s->x[b]; s->x[b] = tx;
		}
}

/* Adds p at x to the series, or replaces the point at the same x if p has a
 * smaller configuration (fewest namespaces and mappers). */
static void series_put(struct series *s, double x, const struct point *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->x[i] == x) {
			if (config(p) < config(s->pts[i]))
				s->pts[i] = p;
			return;
		}
	if (s->n < sizeof(s->pts) / sizeof(s->pts[0])) {
		s->pts[s->n] = p;
		s->x[s->n++] = x;
	}
}

static struct series *series_get(struct series **all, size_t *n, const char *title, bool limit)
{
	struct series *s;

	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*all)[i].title, title))
			return &(*all)[i];
	s = grow(all, n, sizeof(**all));
	snprintf(s->title, sizeof(s->title), "%s", title);
	s->limit = limit;
	return s;
}

/* A line chart: x, median with CI whiskers (p90 as points), per series. */
static void line_chart(struct dataset *d, const char *name, const char *title, const char *xl,
		       const char *yl, bool logx, struct series *s, size_t ns)
{
	size_t drawn = 0;
	FILE *g;

	for (size_t i = 0; i < ns; i++)
		drawn += s[i].n > 0;
	if (!drawn)
		return;
	g = open_in_charts(name, ".gp");
	if (!g)
		return;
	script_head(g, name, title, xl, yl);
	if (logx)
		fprintf(g, "set logscale x\n");
	/* switch latencies span three decades (zero-copy us, copy at 4K tens of ms) */
	fprintf(g, "set logscale y\n");
	fprintf(g, "set offsets graph 0.05, graph 0.05, 0, 0\nplot");
	for (size_t i = 0, k = 0; i < ns; i++) {
		char dat[256];
		FILE *f;

		if (!s[i].n)
			continue;
		snprintf(dat, sizeof(dat), "%s-%zu", name, i);
		f = open_in_charts(dat, ".dat");
		if (!f)
			continue;
		sort_series(&s[i]);
		fprintf(f, "# %s\n# x median ci_lo ci_hi p90 params\n", s[i].title);
		for (size_t j = 0; j < s[i].n; j++)
			fprintf(f, "%.6g %.6g %.6g %.6g %.6g %s\n", s[i].x[j], s[i].pts[j]->median,
				s[i].pts[j]->lo, s[i].pts[j]->hi, s[i].pts[j]->p90,
				s[i].pts[j]->params_text);
		fclose(f);
		if (s[i].limit)
			fprintf(g, "%s '%s.dat' using 1:2 with linespoints dt 2 lw 2 title \"%s\"",
				k++ ? ", \\\n    " : " ", dat, s[i].title);
		else
			fprintf(g, "%s '%s.dat' using 1:2:3:4 with yerrorlines lc %zu title \"%s\", "
				"'' using 1:5 with points pt 2 lc %zu notitle",
				k++ ? ", \\\n    " : " ", dat, i + 1, s[i].title, i + 1);
	}
	fprintf(g, "\n");
	script_tail(g, name);
	fclose(g);
	add_chart(d, name, title);
	run_gnuplot(d, name);
}

static bool col_has(const struct point **cell, size_t nr, size_t nc, size_t c)
{
	for (size_t r = 0; r < nr; r++)
		if (cell[r * nc + c])
			return true;
	return false;
}

/* A clustered bar chart with CI whiskers: cell(row, col) or NULL (gap). */
static void bar_chart(struct dataset *d, const char *name, const char *title, const char *yl,
		      const char *const *rows, size_t nr, const char *const *cols, size_t nc,
		      const struct point **cell)
{
	size_t filled = 0;
	FILE *f, *g;

	for (size_t i = 0; i < nr * nc; i++)
		filled += cell[i] != NULL;
	if (!filled)
		return;
	f = open_in_charts(name, ".dat");
	g = f ? open_in_charts(name, ".gp") : NULL;
	if (!g) {
		if (f)
			fclose(f);
		return;
	}
	fprintf(f, "# row, then median ci_lo ci_hi per column (columns with data):");
	for (size_t c = 0; c < nc; c++)
		if (col_has(cell, nr, nc, c))
			fprintf(f, " %s", cols[c]);
	fprintf(f, "\n");
	for (size_t r = 0; r < nr; r++) {
		bool any = false;

		for (size_t c = 0; c < nc; c++)
			any = any || cell[r * nc + c];
		if (!any)
			continue;
		fprintf(f, "\"%s\"", rows[r]);
		for (size_t c = 0; c < nc; c++) {
			const struct point *p = cell[r * nc + c];

			if (!col_has(cell, nr, nc, c))
				continue;
			if (p)
				fprintf(f, " %.6g %.6g %.6g", p->median, p->lo, p->hi);
			else
				fprintf(f, " NaN NaN NaN");
		}
		fprintf(f, "\n");
	}
	fclose(f);
	script_head(g, name, title, "", yl);
	fprintf(g, "set style data histogram\nset style histogram errorbars gap 1 lw 1\n"
		"set style fill solid 0.6 border -1\nset yrange [0:*]\nset xtics rotate by -20\nplot");
	for (size_t c = 0, k = 0; c < nc; c++) {
		if (!col_has(cell, nr, nc, c))
			continue;
		fprintf(g, "%s '%s.dat' using %zu:%zu:%zu%s title \"%s\"", k ? ", \\\n    " : " ",
			name, 2 + 3 * k, 3 + 3 * k, 4 + 3 * k, k ? "" : ":xtic(1)", cols[c]);
		k++;
	}
	fprintf(g, "\n");
	script_tail(g, name);
	fclose(g);
	add_chart(d, name, title);
	run_gnuplot(d, name);
}

static void switch_charts(struct dataset *d)
{
	struct series *s = NULL, *byns = NULL, *bymap = NULL;
	size_t ns = 0, nns = 0, nmap = 0;
	char t[160];

	for (size_t i = 0; i < d->npoints; i++) {
		const struct point *p = d->points[i];
		char size[64];

		if (!p->n)
			continue;
		if (!strcmp(p->benchmark, "switch_latency")) {
			snprintf(t, sizeof(t), "%s %s", p->kernel, p->variant);
			series_put(series_get(&s, &ns, t, false), pixels(p), p);
			snprintf(t, sizeof(t), "%s %s %s mappers=%.0f", p->kernel, p->variant,
				 point_size(p, size, sizeof(size)), param_num(p, "mappers", 0));
			series_put(series_get(&byns, &nns, t, false),
				   param_num(p, "namespaces", 0), p);
			snprintf(t, sizeof(t), "%s %s %s namespaces=%.0f", p->kernel, p->variant,
				 point_size(p, size, sizeof(size)), param_num(p, "namespaces", 0));
			series_put(series_get(&bymap, &nmap, t, false),
				   param_num(p, "mappers", 0), p);
		} else if (!strcmp(p->benchmark, "switch_limit")) {
			snprintf(t, sizeof(t), "%s limit: %s", p->kernel, p->variant);
			series_put(series_get(&s, &ns, t, true), pixels(p), p);
		} else if (!strcmp(p->benchmark, "native_switch")) {
			/* the peers a user would pick instead: DRM master, VT_PROCESS */
			snprintf(t, sizeof(t), "%s native: %s", p->kernel, p->variant);
			series_put(series_get(&s, &ns, t, false), pixels(p), p);
		}
	}
	line_chart(d, "switch-latency", "Switch latency vs display size (median, 95% CI; x: p90)",
		   "display size (pixels, 32 bpp)", "us", true, s, ns);
	/* a sweep needs two values or more */
	for (size_t i = 0; i < nns; i++)
		if (byns[i].n < 2)
			byns[i].n = 0;
	for (size_t i = 0; i < nmap; i++)
		if (bymap[i].n < 2)
			bymap[i].n = 0;
	line_chart(d, "switch-namespaces", "Switch latency vs number of namespaces",
		   "namespaces", "us", false, byns, nns);
	line_chart(d, "switch-mappers", "Switch latency vs processes with live mappings",
		   "processes mapping the framebuffer", "us", false, bymap, nmap);
	free(s);
	free(byns);
	free(bymap);
}

/* Unique strings, in first-seen order. */
static size_t uniq_add(const char **v, size_t n, size_t max, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return n;
	if (n < max)
		v[n++] = s;
	return n;
}

static void blit_charts(struct dataset *d)
{
	const char *combos[32], *kernels[16], *rows[32];
	char combo_buf[32][96];
	size_t ncombo = 0, nk = 0, nr = 0;

	for (size_t i = 0; i < d->nruns; i++)
		nk = uniq_add(kernels, nk, 16, d->runs[i].kernel);
	for (size_t i = 0; i < sizeof(blit_devices) / sizeof(blit_devices[0]); i++)
		rows[nr++] = blit_devices[i];
	for (size_t i = 0; i < d->npoints; i++) {
		const struct point *p = d->points[i];
		json_t *m = json_object_get(p->params, "method"), *r = json_object_get(p->params, "region");
		char c[96];
		size_t j;

		if (strcmp(p->benchmark, "blit") || !json_is_string(m) || !json_is_string(r))
			continue;
		nr = uniq_add(rows, nr, 32, p->variant);
		snprintf(c, sizeof(c), "%s-%s", json_string_value(m), json_string_value(r));
		for (j = 0; j < ncombo && strcmp(combos[j], c); j++)
			;
		if (j == ncombo && ncombo < 32) {
			snprintf(combo_buf[ncombo], sizeof(combo_buf[0]), "%s", c);
			combos[ncombo] = combo_buf[ncombo];
			ncombo++;
		}
	}
	for (size_t c = 0; c < ncombo; c++) {
		const struct point **cell = calloc(nr * nk, sizeof(*cell));
		char name[128], title[200];

		for (size_t i = 0; i < d->npoints; i++) {
			const struct point *p = d->points[i];
			json_t *m = json_object_get(p->params, "method");
			json_t *r = json_object_get(p->params, "region");
			char pc[96];

			if (strcmp(p->benchmark, "blit") || !p->n || !json_is_string(m) ||
			    !json_is_string(r))
				continue;
			snprintf(pc, sizeof(pc), "%s-%s", json_string_value(m), json_string_value(r));
			if (strcmp(pc, combos[c]))
				continue;
			for (size_t row = 0; row < nr; row++)
				for (size_t k = 0; k < nk; k++) {
					const struct point **q = &cell[row * nk + k];

					if (!strcmp(rows[row], p->variant) && !strcmp(kernels[k], p->kernel) &&
					    (!*q || pixels(p) > pixels(*q)))
						*q = p;
				}
		}
		snprintf(name, sizeof(name), "blit-%s", combos[c]);
		snprintf(title, sizeof(title), "Blit throughput, %s (median, 95%% CI; largest size per device)",
			 combos[c]);
		bar_chart(d, name, title, "MB/s", rows, nr, kernels, nk, cell);
		free(cell);
	}
}

static void variant_chart(struct dataset *d, const char *name, const char *title, const char *unit,
		      const char *const *benches, const char *const *vars, size_t nv)
{
	const char *rows[32], *cols[48];
	char colbuf[48][96];
	size_t nr = 0, nc = 0;
	const struct point **cell;

	for (size_t i = 0; i < d->npoints; i++)
		for (size_t v = 0; v < nv; v++)
			if (!strcmp(d->points[i]->benchmark, benches[v]) &&
			    !strcmp(d->points[i]->variant, vars[v]))
				nr = uniq_add(rows, nr, 32, d->points[i]->params_text);
	for (size_t k = 0; k < d->nruns && nc + nv <= 48; k++)
		for (size_t v = 0; v < nv; v++, nc++) {
			snprintf(colbuf[nc], sizeof(colbuf[0]), "%s %s", d->runs[k].kernel, vars[v]);
			cols[nc] = colbuf[nc];
		}
	cell = calloc(nr * nc + 1, sizeof(*cell));
	for (size_t i = 0; i < d->npoints; i++) {
		const struct point *p = d->points[i];

		for (size_t r = 0; r < nr; r++)
			for (size_t c = 0; c < nc; c++)
				if (!strcmp(rows[r], p->params_text) && p->n &&
				    !strcmp(d->runs[c / nv].kernel, p->kernel) &&
				    !strcmp(benches[c % nv], p->benchmark) &&
				    !strcmp(vars[c % nv], p->variant))
					cell[r * nc + c] = p;
	}
	bar_chart(d, name, title, unit, rows, nr, cols, nc, cell);
	free(cell);
}

void charts_write(struct dataset *d, bool run)
{
	static const char *const tb[] = { "tty_throughput", "tty_throughput", "tty_nohost" };
	static const char *const tv[] = { "vtty", "pty", "vtty-nohost" };
	static const char *const rb[] = { "tty_roundtrip", "tty_roundtrip" };
	static const char *const rv[] = { "vtty", "pty" };
	static const char *const db[] = { "damage_latency", "damage_latency" };
	static const char *const dv[] = { "vfb-fg", "vfb-bg" };
	static const char *const fb[] = { "damage_fetch" };
	static const char *const fv[] = { "vfb-bg" };
	static const char *const ib[] = { "input_latency", "input_latency" };
	static const char *const iv[] = { "native-evdev", "vinput" };
	static const char *const vb[] = { "vnc_updates", "vnc_updates" };
	static const char *const vv[] = { "rect64", "full" };

	snprintf(chart_dir, sizeof(chart_dir), "%s/charts", d->dir);
	if (mkdir(chart_dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "bench-report: cannot create %s\n", chart_dir);
		return;
	}
	d->gnuplot_missing = !run;
	switch_charts(d);
	blit_charts(d);
	variant_chart(d, "tty-throughput", "Terminal throughput: vtty vs pty (median, 95% CI)", "MB/s",
		  tb, tv, 3);
	variant_chart(d, "tty-roundtrip", "Terminal round trip: vtty vs pty (median, 95% CI)", "us",
		  rb, rv, 2);
	variant_chart(d, "damage-latency",
		      "Damage latency, a store at 60 Hz to a host viewer that saw it (median, 95% CI)",
		      "us", db, dv, 2);
	variant_chart(d, "damage-fetch", "One damage fetch after stores into N pages (median, 95% CI)",
		      "us", fb, fv, 1);
	variant_chart(d, "input-latency",
		      "A uinput event at 1 kHz to a reader: native evdev vs a container's vinput (median, 95% CI)",
		      "us", ib, iv, 2);
	variant_chart(d, "vnc-updates",
		      "devnsctl vnc to a local client, a container drawing at 60 Hz (median, 95% CI)",
		      "updates/s", vb, vv, 2);
}
