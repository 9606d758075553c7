// SPDX-License-Identifier: GPL-2.0
/*
 * compare-report: conformance results of several configurations side by
 * side (make compare).  Each configuration is a ci/check output folder
 * (<kernel>/results.tsv per kernel); the requirement map is ci/reqmap's
 * "program TAB test TAB REQ,REQ".  Writes the tests whose verdicts differ,
 * a roll-up per SPEC requirement (met, not met, skipped, not run) per
 * configuration, as markdown and JSON, and prints a summary.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PROG		"compare-report"
#define MAX_CONFIGS	16

static const char usage_text[] =
"usage: compare-report --map REQMAP.tsv [--md FILE] [--json FILE]\n"
"                      [--expectations DIR [--prefix P] [--label L]] NAME=DIR...\n"
"\n"
"Compares the conformance results of configurations: each NAME=DIR (DIR\n"
"without '=') is a configuration's ci/check output folder\n"
"(DIR/<kernel>/results.tsv: KERNEL PROGRAM TEST RESULT DETAIL); REQMAP.tsv\n"
"is ci/reqmap map's output (PROGRAM TEST REQ,REQ...).  Prints per\n"
"configuration its counts and requirements, then the tests whose verdicts\n"
"differ and the requirements whose state differs.  A requirement is \"not\n"
"met\" in a configuration if a test that claims it failed (FAIL, CRASH,\n"
"TIMEOUT, TAINT, XPASS) on any kernel, \"met\" if one passed (PASS, XFAIL)\n"
"and none failed, \"skipped\" if its tests only skipped, \"not run\" if none\n"
"ran.  --md and --json write the whole report.\n"
"--expectations DIR takes the configurations as repeated runs of one (make\n"
"soak) and writes, per kernel, DIR/P-KERNEL-fails.txt (tests that failed in\n"
"every run that ran them: PROGRAM:TEST,Fail|Crash|Timeout) and\n"
"DIR/P-KERNEL-flakes.txt (failed in some: \"# Failure rate: F/N\", \"# First\n"
"seen: KERNEL L\", then the regex ^PROGRAM:TEST$), drm-ci's formats; P\n"
"defaults to \"reference\" (the implementation), L to \"-\" (say, the commit).\n"
"Exit status: 0 the report was written, 2 bad usage or an input missing or bad.\n";

enum req_state { REQ_NOT_RUN, REQ_SKIPPED, REQ_MET, REQ_NOT_MET };
static const char *const state_name[] = { "not run", "skipped", "met", "not met" };

struct row {			/* one test on one kernel, its verdict per configuration */
	char *kernel, *program, *test;
	const char *verdict[MAX_CONFIGS];	/* NULL: not in that configuration */
};

struct claim {			/* one line of the requirement map */
	char *program, *test, *reqs;
};

struct req {
	char *id;
	enum req_state state[MAX_CONFIGS];
};

static struct {
	int nconf;
	const char *name[MAX_CONFIGS];
	struct row *rows;
	size_t nrows, caprows;
	struct claim *claims;
	size_t nclaims;
	struct req *reqs;
	size_t nreqs;
} cmp;

/* The verdict's class: 1 passed, -1 failed, 0 skipped. */
static int verdict_class(const char *v)
{
	if (!strcmp(v, "PASS") || !strcmp(v, "XFAIL"))
		return 1;
	if (!strcmp(v, "SKIP"))
		return 0;
	return -1;
}

static struct row *find_row(const char *kernel, const char *program, const char *test)
{
	for (size_t i = 0; i < cmp.nrows; i++) {
		struct row *r = &cmp.rows[i];

		if (!strcmp(r->kernel, kernel) && !strcmp(r->program, program) &&
		    !strcmp(r->test, test))
			return r;
	}
	if (cmp.nrows == cmp.caprows) {
		cmp.caprows = cmp.caprows ? 2 * cmp.caprows : 256;
		cmp.rows = xrealloc(cmp.rows, cmp.caprows * sizeof(*cmp.rows));
	}
	cmp.rows[cmp.nrows] = (struct row){ .kernel = xstrdup(kernel),
					    .program = xstrdup(program),
					    .test = xstrdup(test) };
	return &cmp.rows[cmp.nrows++];
}

/* Split @line into @n tab-separated fields in place: 0, or -1 if fewer. */
static int split(char *line, char **field, int n)
{
	int k;

	for (k = 0; k < n && line; k++)
		field[k] = strsep(&line, "\t");
	return k == n ? 0 : -1;
}

static void read_results(int c, const char *file)
{
	char *line = NULL, *field[5];
	size_t cap = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		die(PROG, "%s: %m", file);
	while (read_line(f, &line, &cap) >= 0) {
		if (split(line, field, 5))
			die(PROG, "%s: not 5 tab-separated fields", file);
		find_row(field[0], field[1], field[2])->verdict[c] = xstrdup(field[3]);
	}
	free(line);
	fclose(f);
}

/* Every DIR/<kernel>/results.tsv of configuration @c; 1 if none. */
static int read_config(int c, const char *dir)
{
	struct dirent **ents;
	int n, found = 0;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		die(PROG, "%s: %m", dir);
	for (int i = 0; i < n; i++) {
		char path[4096];
		FILE *f;

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s/results.tsv", dir, ents[i]->d_name);
			f = fopen(path, "r");
			if (f) {
				fclose(f);
				read_results(c, path);
				found++;
			}
		}
		free(ents[i]);
	}
	free(ents);
	return found ? 0 : 1;
}

static void read_map(const char *file)
{
	char *line = NULL, *field[3];
	size_t cap = 0, capc = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		die(PROG, "%s: %m", file);
	while (read_line(f, &line, &cap) >= 0) {
		if (split(line, field, 3))
			die(PROG, "%s: not 3 tab-separated fields", file);
		if (cmp.nclaims == capc) {
			capc = capc ? 2 * capc : 256;
			cmp.claims = xrealloc(cmp.claims, capc * sizeof(*cmp.claims));
		}
		cmp.claims[cmp.nclaims++] = (struct claim){ xstrdup(field[0]), xstrdup(field[1]),
							    xstrdup(field[2]) };
	}
	free(line);
	fclose(f);
}

static struct req *find_req(const char *id)
{
	for (size_t i = 0; i < cmp.nreqs; i++)
		if (!strcmp(cmp.reqs[i].id, id))
			return &cmp.reqs[i];
	cmp.reqs = xrealloc(cmp.reqs, (cmp.nreqs + 1) * sizeof(*cmp.reqs));
	cmp.reqs[cmp.nreqs] = (struct req){ .id = xstrdup(id) };
	return &cmp.reqs[cmp.nreqs++];
}

/* A result's test "fixture.variant.test" is claimed by the map's "test". */
static bool claims(const struct claim *cl, const struct row *r)
{
	const char *dot = strrchr(r->test, '.');

	if (strcmp(cl->program, r->program))
		return false;
	/* the program's own line ("-", e.g. a crash) concerns all its tests */
	return !strcmp(r->test, "-") || !strcmp(cl->test, dot ? dot + 1 : r->test);
}

static void fold(struct req *q, int c, const char *verdict)
{
	enum req_state s = REQ_SKIPPED;
	int k = verdict_class(verdict);

	if (k > 0)
		s = REQ_MET;
	else if (k < 0)
		s = REQ_NOT_MET;
	if (s == REQ_NOT_MET || q->state[c] == REQ_NOT_MET)
		q->state[c] = REQ_NOT_MET;
	else if (s > q->state[c])
		q->state[c] = s;
}

static void roll_up(void)
{
	for (size_t i = 0; i < cmp.nclaims; i++) {
		char *ids = xstrdup(cmp.claims[i].reqs), *s = ids, *id;

		while ((id = strsep(&s, ",")))
			if (*id)
				find_req(id);
		free(ids);
	}
	for (size_t i = 0; i < cmp.nrows; i++) {
		const struct row *r = &cmp.rows[i];

		for (size_t j = 0; j < cmp.nclaims; j++) {
			char *ids, *s, *id;

			if (!claims(&cmp.claims[j], r))
				continue;
			ids = xstrdup(cmp.claims[j].reqs);
			s = ids;
			while ((id = strsep(&s, ",")))
				for (int c = 0; c < cmp.nconf && *id; c++)
					if (r->verdict[c])
						fold(find_req(id), c, r->verdict[c]);
			free(ids);
		}
	}
}

static bool row_differs(const struct row *r)
{
	for (int c = 1; c < cmp.nconf; c++) {
		const char *a = r->verdict[0] ? r->verdict[0] : "-";
		const char *b = r->verdict[c] ? r->verdict[c] : "-";

		if (strcmp(a, b))
			return true;
	}
	return false;
}

static bool req_differs(const struct req *q)
{
	for (int c = 1; c < cmp.nconf; c++)
		if (q->state[c] != q->state[0])
			return true;
	return false;
}

struct counts {
	long passed, failed, skipped;
	long req[4];
};

static struct counts count(int c)
{
	struct counts n = { 0 };

	for (size_t i = 0; i < cmp.nrows; i++) {
		const char *v = cmp.rows[i].verdict[c];
		int k;

		if (!v)
			continue;
		k = verdict_class(v);
		if (k > 0)
			n.passed++;
		else if (k < 0)
			n.failed++;
		else
			n.skipped++;
	}
	for (size_t i = 0; i < cmp.nreqs; i++)
		n.req[cmp.reqs[i].state[c]]++;
	return n;
}

static int cmp_req(const void *a, const void *b)
{
	const struct req *x = a, *y = b;
	size_t lx = strcspn(x->id, "-"), ly = strcspn(y->id, "-");
	int d = strncmp(x->id, y->id, lx < ly ? lx : ly);

	if (d || lx != ly)
		return d ? d : (int)lx - (int)ly;
	return atoi(x->id + lx + 1) - atoi(y->id + ly + 1);
}

/* The report as markdown on @f (@all: every requirement, else only those that differ). */
static void write_md(FILE *f, bool all)
{
	size_t ndiff = 0;

	fprintf(f, "| configuration | passed | failed | skipped | requirements met | not met | skipped | not run |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int c = 0; c < cmp.nconf; c++) {
		struct counts n = count(c);

		fprintf(f, "| %s | %ld | %ld | %ld | %ld | %ld | %ld | %ld |\n", cmp.name[c],
			n.passed, n.failed, n.skipped, n.req[REQ_MET], n.req[REQ_NOT_MET],
			n.req[REQ_SKIPPED], n.req[REQ_NOT_RUN]);
	}
	for (size_t i = 0; i < cmp.nrows; i++)
		ndiff += row_differs(&cmp.rows[i]);
	fprintf(f, "\nTests whose verdicts differ: %zu\n", ndiff);
	if (ndiff) {
		fprintf(f, "\n| kernel | program | test |");
		for (int c = 0; c < cmp.nconf; c++)
			fprintf(f, " %s |", cmp.name[c]);
		fprintf(f, "\n|---|---|---|");
		for (int c = 0; c < cmp.nconf; c++)
			fprintf(f, "---|");
		fputc('\n', f);
		for (size_t i = 0; i < cmp.nrows; i++) {
			const struct row *r = &cmp.rows[i];

			if (!row_differs(r))
				continue;
			fprintf(f, "| %s | %s | %s |", r->kernel, r->program, r->test);
			for (int c = 0; c < cmp.nconf; c++)
				fprintf(f, " %s |", r->verdict[c] ? r->verdict[c] : "-");
			fputc('\n', f);
		}
	}
	fprintf(f, "\n%s:\n\n| requirement |", all ? "Requirements (* where they differ)"
					      : "Requirements whose state differs");
	for (int c = 0; c < cmp.nconf; c++)
		fprintf(f, " %s |", cmp.name[c]);
	fprintf(f, "\n|---|");
	for (int c = 0; c < cmp.nconf; c++)
		fprintf(f, "---|");
	fputc('\n', f);
	for (size_t i = 0; i < cmp.nreqs; i++) {
		const struct req *q = &cmp.reqs[i];
		bool d = req_differs(q);

		if (!all && !d)
			continue;
		fprintf(f, "| %s%s |", q->id, all && d ? " *" : "");
		for (int c = 0; c < cmp.nconf; c++)
			fprintf(f, " %s |", state_name[q->state[c]]);
		fputc('\n', f);
	}
}

static void write_json(const char *file)
{
	json_t *doc = json_object(), *confs = json_array(), *diffs = json_array();
	json_t *reqs = json_object();

	for (int c = 0; c < cmp.nconf; c++) {
		struct counts n = count(c);

		json_array_append_new(confs, json_pack("{s:s,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I}}",
			"name", cmp.name[c], "passed", (json_int_t)n.passed,
			"failed", (json_int_t)n.failed, "skipped", (json_int_t)n.skipped,
			"requirements", "met", (json_int_t)n.req[REQ_MET],
			"not_met", (json_int_t)n.req[REQ_NOT_MET],
			"skipped", (json_int_t)n.req[REQ_SKIPPED],
			"not_run", (json_int_t)n.req[REQ_NOT_RUN]));
	}
	for (size_t i = 0; i < cmp.nrows; i++) {
		const struct row *r = &cmp.rows[i];
		json_t *v;

		if (!row_differs(r))
			continue;
		v = json_object();
		for (int c = 0; c < cmp.nconf; c++)
			json_object_set_new(v, cmp.name[c], r->verdict[c] ?
					    json_string(r->verdict[c]) : json_null());
		json_array_append_new(diffs, json_pack("{s:s,s:s,s:s,s:o}", "kernel", r->kernel,
						       "program", r->program, "test", r->test,
						       "verdicts", v));
	}
	for (size_t i = 0; i < cmp.nreqs; i++) {
		json_t *s = json_object();

		for (int c = 0; c < cmp.nconf; c++)
			json_object_set_new(s, cmp.name[c],
					    json_string(state_name[cmp.reqs[i].state[c]]));
		json_object_set_new(reqs, cmp.reqs[i].id, s);
	}
	json_object_set_new(doc, "configurations", confs);
	json_object_set_new(doc, "differences", diffs);
	json_object_set_new(doc, "requirements", reqs);
	if (json_dump_file(doc, file, JSON_INDENT(1) | JSON_PRESERVE_ORDER))
		die(PROG, "%s: cannot write", file);
	json_decref(doc);
}

/* drm-ci's status of a failed verdict. */
static const char *drm_status(const char *v)
{
	if (!strcmp(v, "CRASH"))
		return "Crash";
	if (!strcmp(v, "TIMEOUT"))
		return "Timeout";
	return "Fail";
}

/* @s on @f with the regex metacharacters escaped. */
static void put_regex(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (strchr(".[]()*+?{}|^$\\", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* Whether configuration @c ran program @program on @kernel (any of its results). */
static bool program_ran(const char *kernel, const char *program, int c)
{
	for (size_t i = 0; i < cmp.nrows; i++)
		if (cmp.rows[i].verdict[c] && !strcmp(cmp.rows[i].kernel, kernel) &&
		    !strcmp(cmp.rows[i].program, program))
			return true;
	return false;
}

/*
 * The configurations as repeated runs of one (make soak): per kernel,
 * DIR/<prefix>-<kernel>-fails.txt (tests failed in every run that ran
 * them: "program:test,Status") and -flakes.txt (failed in some: a regex
 * line after "# Failure rate: F/N" and "# First seen: <kernel> <label>"),
 * drm-ci's format and update-xfails.py's rule.  Prints one line per file.
 */
static void write_expectations(const char *dir, const char *prefix, const char *label)
{
	for (size_t i = 0; i < cmp.nrows; i++) {
		const char *kernel = cmp.rows[i].kernel;
		char fails[4096], flakes[4096];
		long nfail = 0, nflake = 0;
		FILE *ff, *fl;
		bool first = true;

		for (size_t j = 0; j < i && first; j++)
			first = strcmp(cmp.rows[j].kernel, kernel) != 0;
		if (!first)
			continue;	/* this kernel's files are written */
		snprintf(fails, sizeof(fails), "%s/%s-%s-fails.txt", dir, prefix, kernel);
		snprintf(flakes, sizeof(flakes), "%s/%s-%s-flakes.txt", dir, prefix, kernel);
		ff = fopen(fails, "w");
		fl = fopen(flakes, "w");
		if (!ff || !fl)
			die(PROG, "%s: %m", ff ? flakes : fails);
		for (size_t j = i; j < cmp.nrows; j++) {
			const struct row *r = &cmp.rows[j];
			const char *worst = NULL;
			int ran = 0, failed = 0;

			if (strcmp(r->kernel, kernel))
				continue;
			for (int c = 0; c < cmp.nconf; c++) {
				/* a program's own line (a crash) exists only in the runs it crashed */
				if (!strcmp(r->test, "-") ? program_ran(kernel, r->program, c) : !!r->verdict[c])
					ran++;
				if (r->verdict[c] && verdict_class(r->verdict[c]) < 0) {
					failed++;
					worst = r->verdict[c];
				}
			}
			if (!failed)
				continue;
			if (failed == ran) {
				fprintf(ff, "%s:%s,%s\n", r->program, r->test, drm_status(worst));
				nfail++;
			} else {
				fprintf(fl, "# Failure rate: %d/%d\n# First seen: %s %s\n^",
					failed, ran, kernel, label);
				put_regex(fl, r->program);
				fputc(':', fl);
				put_regex(fl, r->test);
				fputs("$\n", fl);
				nflake++;
			}
		}
		if (fclose(ff) | fclose(fl))
			die(PROG, "%s: %m", fails);
		printf("%s: %ld failing in every run\n%s: %ld flaky\n", fails, nfail, flakes, nflake);
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "md", required_argument, NULL, 'd' },
		{ "json", required_argument, NULL, 'j' },
		{ "expectations", required_argument, NULL, 'e' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "label", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *map = NULL, *md = NULL, *json = NULL, *expect = NULL;
	const char *prefix = "reference", *label = "-";
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			map = optarg;
			break;
		case 'd':
			md = optarg;
			break;
		case 'j':
			json = optarg;
			break;
		case 'e':
			expect = optarg;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 'l':
			label = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (!map || optind >= argc || argc - optind > MAX_CONFIGS) {
		fprintf(stderr, "%s: want --map and 1 to %d NAME=DIR\n%s", PROG, MAX_CONFIGS,
			usage_text);
		return 2;
	}
	for (; optind < argc; optind++) {
		char *eq = strrchr(argv[optind], '=');	/* a name may hold '=', a folder not */

		if (!eq || eq == argv[optind] || !eq[1]) {
			fprintf(stderr, "%s: '%s' is not NAME=DIR\n", PROG, argv[optind]);
			return 2;
		}
		*eq = '\0';
		cmp.name[cmp.nconf] = argv[optind];
		if (read_config(cmp.nconf, eq + 1))
			die(PROG, "%s: no <kernel>/results.tsv in %s", argv[optind], eq + 1);
		cmp.nconf++;
	}
	read_map(map);
	roll_up();
	qsort(cmp.reqs, cmp.nreqs, sizeof(*cmp.reqs), cmp_req);
	write_md(stdout, false);
	if (md) {
		FILE *f = fopen(md, "w");

		if (!f)
			die(PROG, "%s: %m", md);
		fprintf(f, "# Conformance compared\n\n");
		write_md(f, true);
		if (fclose(f))
			die(PROG, "%s: %m", md);
	}
	if (json)
		write_json(json);
	if (expect)
		write_expectations(expect, prefix, label);
	return 0;
}
