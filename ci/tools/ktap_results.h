/* ktap_results.h - what ktap-report does with each verdict: the streamed
 * human line, the pass/fail/skip counts, the TSV rows and the JSON document. */
#ifndef DEVNS_CI_KTAP_RESULTS_H
#define DEVNS_CI_KTAP_RESULTS_H

#include <stdio.h>

enum verdict {
	V_PASS, V_FAIL, V_SKIP, V_XFAIL, V_XPASS, V_CRASH, V_TIMEOUT, V_TAINT
};

const char *verdict_name(enum verdict v);

struct results_options {
	int quiet;          /* stream only verdicts that are not passes/skips */
	FILE *tsv;          /* NULL: no TSV */
	const char *kernel; /* label of the kernel, for the JSON document */
};

void results_init(const struct results_options *opts);
/* One leaf test result. XFAIL counts as passed, XPASS/FAIL/CRASH/TIMEOUT/
 * TAINT as failed, SKIP as skipped. */
void results_leaf(const char *section, const char *program, const char *test,
		  enum verdict v, const char *reason);
/* A program-level problem that adds `failures` failed tests. */
void results_problem(const char *section, const char *program, enum verdict v,
		     const char *reason, unsigned long failures);
/* End of a program: the leaves and problems reported since the previous
 * results_program() belong to it. duration < 0: unknown. */
void results_program(const char *section, const char *program,
		     enum verdict status, double duration);
/* Some document was cut short (no plan, missing results, no document). */
void results_mark_incomplete(void);

unsigned long results_passed(void);
unsigned long results_failed(void);
unsigned long results_skipped(void);
int results_complete(void);
void results_write_counts(FILE *f);
void results_write_json(FILE *f);

#endif
