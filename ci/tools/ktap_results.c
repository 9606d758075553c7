/* ktap_results.c - see ktap_results.h. */
#include "ktap_results.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct record {            /* a leaf result or a program-level problem */
	char *test;        /* NULL for a program-level problem */
	enum verdict v;
	char *reason;
};

struct program {
	char *section, *name;
	enum verdict status;
	double duration;
	size_t first, count; /* its records */
};

static struct results_options opt;
static unsigned long passed, failed, skipped;
static int incomplete;
static struct record *recs;
static size_t nrecs, cap_recs, program_start;
static struct program *progs;
static size_t nprogs, cap_progs;

static const char *const names[] = {
	[V_PASS] = "PASS", [V_FAIL] = "FAIL", [V_SKIP] = "SKIP",
	[V_XFAIL] = "XFAIL", [V_XPASS] = "XPASS", [V_CRASH] = "CRASH",
	[V_TIMEOUT] = "TIMEOUT", [V_TAINT] = "TAINT",
};

const char *verdict_name(enum verdict v)
{
	return names[v];
}

void results_init(const struct results_options *opts)
{
	opt = *opts;
}

static const char *dash(const char *s)
{
	return s && *s ? s : "-";
}

static void tsv_field(const char *s)
{
	for (s = dash(s); *s; s++)
		fputc(*s == '\t' ? ' ' : *s, opt.tsv);
}

static void tsv_row(const char *section, const char *program,
		    const char *test, enum verdict v, const char *reason)
{
	if (!opt.tsv)
		return;
	tsv_field(section);
	fputc('\t', opt.tsv);
	tsv_field(program);
	fputc('\t', opt.tsv);
	tsv_field(test);
	fprintf(opt.tsv, "\t%s\t", verdict_name(v));
	tsv_field(reason);
	fputc('\n', opt.tsv);
}

static void stream_line(const char *section, const char *program,
			const char *what, enum verdict v, const char *reason)
{
	if (opt.quiet && (v == V_PASS || v == V_XFAIL || v == V_SKIP))
		return;
	printf("%-5s ", verdict_name(v));
	if (section && *section)
		printf("[%s] ", section);
	printf("%s: %s", dash(program), what);
	if (reason && *reason)
		printf(" (%s)", reason);
	putchar('\n');
}

static void add_record(const char *test, enum verdict v, const char *reason)
{
	if (nrecs == cap_recs) {
		cap_recs = cap_recs ? 2 * cap_recs : 64;
		recs = xrealloc(recs, cap_recs * sizeof(*recs));
	}
	recs[nrecs].test = test ? xstrdup(test) : NULL;
	recs[nrecs].v = v;
	recs[nrecs].reason = xstrdup(reason ? reason : "");
	nrecs++;
}

void results_leaf(const char *section, const char *program, const char *test,
		  enum verdict v, const char *reason)
{
	if (v == V_PASS || v == V_XFAIL)
		passed++;
	else if (v == V_SKIP)
		skipped++;
	else
		failed++;
	stream_line(section, program, test, v, reason);
	tsv_row(section, program, test, v, reason);
	add_record(test, v, reason);
}

void results_problem(const char *section, const char *program, enum verdict v,
		     const char *reason, unsigned long failures)
{
	failed += failures;
	if (v == V_SKIP)
		skipped++;
	stream_line(section, program, reason, v, NULL);
	tsv_row(section, program, NULL, v, reason);
	add_record(NULL, v, reason);
}

void results_program(const char *section, const char *program,
		     enum verdict status, double duration)
{
	if (nprogs == cap_progs) {
		cap_progs = cap_progs ? 2 * cap_progs : 16;
		progs = xrealloc(progs, cap_progs * sizeof(*progs));
	}
	progs[nprogs] = (struct program){
		.section = xstrdup(section ? section : ""),
		.name = xstrdup(program ? program : ""),
		.status = status, .duration = duration,
		.first = program_start, .count = nrecs - program_start,
	};
	nprogs++;
	program_start = nrecs;
}

void results_mark_incomplete(void)
{
	incomplete = 1;
}

unsigned long results_passed(void) { return passed; }
unsigned long results_failed(void) { return failed; }
unsigned long results_skipped(void) { return skipped; }
int results_complete(void) { return !incomplete; }

void results_write_counts(FILE *f)
{
	fprintf(f, "passed %lu\nfailed %lu\nskipped %lu\n", passed, failed,
		skipped);
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_records(FILE *f, const struct program *p, int problems)
{
	int first = 1;

	for (size_t i = p->first; i < p->first + p->count; i++) {
		const struct record *r = &recs[i];

		if ((r->test == NULL) != problems)
			continue;
		fprintf(f, "%s\n        {", first ? "" : ",");
		first = 0;
		if (r->test) {
			fprintf(f, "\"name\": ");
			json_string(f, r->test);
			fprintf(f, ", ");
		}
		fprintf(f, "\"result\": \"%s\", \"reason\": ", verdict_name(r->v));
		json_string(f, r->reason);
		fputc('}', f);
	}
	fprintf(f, first ? "]" : "\n      ]");
}

void results_write_json(FILE *f)
{
	fprintf(f, "{\n  \"schema\": \"devns-ktap-report/1\",\n  \"kernel\": ");
	if (opt.kernel)
		json_string(f, opt.kernel);
	else
		fprintf(f, "null");
	fprintf(f, ",\n  \"complete\": %s,\n", incomplete ? "false" : "true");
	fprintf(f, "  \"totals\": {\"passed\": %lu, \"failed\": %lu, "
		"\"skipped\": %lu},\n  \"programs\": [", passed, failed,
		skipped);
	for (size_t i = 0; i < nprogs; i++) {
		const struct program *p = &progs[i];

		fprintf(f, "%s\n    {\"section\": ", i ? "," : "");
		json_string(f, p->section);
		fprintf(f, ", \"name\": ");
		json_string(f, p->name);
		fprintf(f, ", \"result\": \"%s\", \"duration_s\": ",
			verdict_name(p->status));
		if (p->duration >= 0)
			fprintf(f, "%.3f", p->duration);
		else
			fprintf(f, "null");
		fprintf(f, ",\n      \"tests\": [");
		json_records(f, p, 0);
		fprintf(f, ",\n      \"problems\": [");
		json_records(f, p, 1);
		fputc('}', f);
	}
	fprintf(f, "%s]\n}\n", nprogs ? "\n  " : "");
}
