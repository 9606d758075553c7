/* ktap_report.c - turn a (K)TAP stream from ci/guest/run-tests (console noise
 * allowed) into one verdict line per test, counts, TSV and JSON.
 * See usage() for the interface and the JSON schema. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap_results.h"
#include "ktap_tree.h"
#include "util.h"

#define PROG "ktap-report"

static void usage(FILE *out)
{
	fputs(
"usage: ktap-report [OPTIONS] [FILE]     (no FILE or '-': standard input)\n"
"\n"
"Reads KTAP (ktap.rst; 'TAP version 13' accepted) from ci/guest/run-tests:\n"
"top-level documents (each optionally preceded by '# devns-section: L') whose\n"
"results are test programs, each with the program's own output nested two\n"
"spaces deeper. Lines that are not KTAP (console noise) are ignored.\n"
"Streams one line per leaf test as its result arrives:\n"
"  PASS|FAIL|SKIP|XFAIL|XPASS|TIMEOUT  [L] program: test (reason)\n"
"and one line per program-level problem:\n"
"  CRASH [L] program: no plan | missing K of N results | no result line\n"
"  TIMEOUT [L] program: timed out after S   TAINT [L] program: taint gained W\n"
"  FAIL  [L] program: exit=RC  (program 'not ok' although every test passed)\n"
"Counting: PASS and XFAIL pass; FAIL, XPASS, TIMEOUT fail; SKIP is skipped;\n"
"each planned but missing result is one failure, a document without a plan is\n"
"one; a 'not ok' program (timeout, taint, exit code) whose tests all passed is\n"
"one failure. A stream that ends inside a document is a CRASH for the rest.\n"
"\n"
"Options:\n"
"  --label L       section label of documents without '# devns-section:'\n"
"  --flat NAME     the input is one program's own KTAP output (no runner\n"
"                  document); NAME is the program name\n"
"  --kernel K      kernel label written into the JSON document\n"
"  --tsv FILE      one row per result: section TAB program TAB test TAB\n"
"                  RESULT TAB reason ('-' for empty; program-level problems\n"
"                  have test '-')\n"
"  --counts FILE   lines 'passed N', 'failed N', 'skipped N'\n"
"  --json FILE     results document, schema \"devns-ktap-report/1\":\n"
"                  {schema, kernel (string|null), complete (bool),\n"
"                   totals {passed, failed, skipped},\n"
"                   programs [{section, name, result, duration_s (number|null),\n"
"                              tests [{name, result, reason}],\n"
"                              problems [{result, reason}]}]}\n"
"                  result: PASS FAIL SKIP XFAIL XPASS CRASH TIMEOUT TAINT\n"
"  --summary       end with the line 'N passed, N failed, N skipped'\n"
"  --quiet         stream only failures and crashes\n"
"  --help          this text\n"
"Exit: 0 if nothing failed and every document was complete, 1 otherwise,\n"
"2 on usage or I/O error.\n", out);
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		die(PROG, "cannot write %s: %m", path);
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (f && fclose(f))
		die(PROG, "error writing %s", path);
}

int main(int argc, char **argv)
{
	struct results_options ropt = { 0 };
	struct tree_options topt = { .label = "" };
	const char *tsv = NULL, *counts = NULL, *json = NULL, *input = NULL;
	int summary = 0;
	FILE *in = stdin, *f;
	char *line = NULL;
	size_t cap = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_arg = i + 1 < argc;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--summary")) {
			summary = 1;
		} else if (!strcmp(a, "--quiet")) {
			ropt.quiet = 1;
		} else if (!strcmp(a, "--label") && has_arg) {
			topt.label = argv[++i];
		} else if (!strcmp(a, "--flat") && has_arg) {
			topt.flat_program = argv[++i];
		} else if (!strcmp(a, "--kernel") && has_arg) {
			ropt.kernel = argv[++i];
		} else if (!strcmp(a, "--tsv") && has_arg) {
			tsv = argv[++i];
		} else if (!strcmp(a, "--counts") && has_arg) {
			counts = argv[++i];
		} else if (!strcmp(a, "--json") && has_arg) {
			json = argv[++i];
		} else if ((a[0] != '-' || !a[1]) && !input) {
			input = a;
		} else {
			fprintf(stderr, PROG ": bad argument '%s' (see --help)\n", a);
			return 2;
		}
	}
	if (input && strcmp(input, "-") && !(in = fopen(input, "r")))
		die(PROG, "cannot open %s: %m", input);
	if (tsv)
		ropt.tsv = open_out(tsv);
	results_init(&ropt);
	tree_init(&topt);
	while (read_line(in, &line, &cap) >= 0)
		tree_feed(line);
	if (ferror(in))
		die(PROG, "read error on %s", input ? input : "stdin");
	tree_finish();
	free(line);
	close_out(ropt.tsv, tsv);
	if (counts) {
		f = open_out(counts);
		results_write_counts(f);
		close_out(f, counts);
	}
	if (json) {
		f = open_out(json);
		results_write_json(f);
		close_out(f, json);
	}
	if (summary)
		printf("%lu passed, %lu failed, %lu skipped\n", results_passed(),
		       results_failed(), results_skipped());
	return results_failed() || !results_complete() ? 1 : 0;
}
