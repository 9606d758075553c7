/* bench_report.c - bench-report: a benchmark run folder's raw records ->
 * bench.json, charts, report.md and a summary table of the ratios. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util.h"

static const char usage[] =
"usage: bench-report RUN [--smoke-check --expect-devices \"vfb,panel,...\"] [--no-charts]\n"
"\n"
"Reads RUN/<kernel>/raw/ (meta.json, samples.jsonl and the fio JSON files it\n"
"names), merges the points of every program run, and writes:\n"
"  RUN/bench.json   schema devns-bench/1 (results/bench-schema.md): runs, results\n"
"                   (samples, median, p50/p90/p99, bootstrap 95%% CI, counters per op),\n"
"                   fio, perf, devices and the headline ratios\n"
"  RUN/charts/      gnuplot scripts, .dat files, PNG and SVG (if gnuplot is installed)\n"
"  RUN/report.md    the ratio table, the charts, per-benchmark tables, fio, devices\n"
"and prints the ratio table (fixed width) and the report's path.\n"
"\n"
"  --smoke-check          validate instead of judging: every raw line parses and has\n"
"                         its fields, every point has samples, fio files parse and\n"
"                         every --expect-devices device was reached on every kernel;\n"
"                         one message per problem, exit 1 if any\n"
"  --expect-devices LIST  comma-separated device names for --smoke-check\n"
"  --no-charts            do not write or render charts\n"
"Exit status: 0 done, 1 smoke-check problems, 2 usage or unreadable run folder.\n";

static void check_devices(struct dataset *d, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;

	for (size_t k = 0; k < d->nruns; k++) {
		char *names = xstrdup(copy);

		for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
			const struct device *dev = NULL;

			for (size_t i = 0; i < d->ndevices; i++)
				if (!strcmp(d->devices[i].kernel, d->runs[k].kernel) &&
				    !strcmp(d->devices[i].name, n))
					dev = &d->devices[i];
			if (!dev)
				ds_problem(d, d->runs[k].kernel, "device %s: no device record", n);
			else if (!dev->reached)
				ds_problem(d, d->runs[k].kernel, "device %s not reached (%s: %s)", n,
					   dev->path, dev->detail);
		}
		free(names);
	}
	free(copy);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "smoke-check", no_argument, NULL, 's' },
		{ "expect-devices", required_argument, NULL, 'e' },
		{ "no-charts", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dataset d = { 0 };
	const char *expect = NULL;
	bool charts = true;
	char path[4200], *dir;
	size_t reached = 0;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': d.strict = true; break;
		case 'e': expect = optarg; break;
		case 'n': charts = false; break;
		case 'h': printf(usage); return 0;
		default: fprintf(stderr, usage); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, usage);
		return 2;
	}
	dir = xstrdup(argv[optind]);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	d.dir = dir;
	if (!raw_load(&d))
		die("bench-report", "%s: no <kernel>/raw/ folder in it", dir);
	points_summarize(&d);
	if (d.strict && expect)
		check_devices(&d, expect);
	ratios_compute(&d);
	snprintf(path, sizeof(path), "%s/bench.json", dir);
	if (bench_json_write(&d, path))
		rc = 2;
	if (charts) {
		fprintf(stderr, "bench-report: charts in %s/charts/\n", dir);
		charts_write(&d, true);
	}
	snprintf(path, sizeof(path), "%s/report.md", dir);
	if (report_write(&d, path))
		rc = 2;
	summary_print(&d, stdout);
	printf("report: %s\n", path);
	for (size_t i = 0; i < d.ndevices; i++)
		reached += d.devices[i].reached;
	if (d.strict) {
		if (d.problems)
			printf("smoke-check: %u problem(s) (listed on stderr)\n", d.problems);
		else
			printf("smoke-check: ok: %zu kernel(s), %zu points, %zu of %zu device records reached\n",
			       d.nruns, d.npoints, reached, d.ndevices);
		if (d.problems && !rc)
			rc = 1;
	}
	return rc;
}
