/* ktap_tree.c - see ktap_tree.h. */
#define _POSIX_C_SOURCE 200809L
#include "ktap_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktap_line.h"
#include "ktap_results.h"
#include "util.h"

#define MAX_DEPTH 16
#define REASON_LEN 200

struct pending_leaf {
	char *test, *reason;
	enum verdict v;
};

struct doc {
	int has_plan;
	long plan, nresults;
	unsigned long failures;  /* failed tests inside, crashes included */
	char *name;              /* program or subtest name, NULL if unknown */
	char reason[REASON_LEN]; /* best diagnostic since the last result */
	int reason_is_location;  /* reason is a "file:line:" assertion line */
	struct pending_leaf *pend; /* leaves held until the program is named */
	size_t npend;
};

static struct tree_options opt;
static int prog_depth;           /* 0 in flat mode, 1 in runner mode */
static struct doc stack[MAX_DEPTH];
static int top = -1;             /* stack[i] is the open document at depth i */
static char *section;            /* label of the current top-level document */
static char *pending_section;
static char *pending_subtest[MAX_DEPTH];
static double pending_duration = -1;
static int saw_document;

void tree_init(const struct tree_options *opts)
{
	opt = *opts;
	prog_depth = opt.flat_program ? 0 : 1;
}

static void push(int depth)
{
	struct doc *d = &stack[depth];

	memset(d, 0, sizeof(*d));
	d->name = pending_subtest[depth];
	pending_subtest[depth] = NULL;
	top = depth;
	if (depth == 0) {
		free(section);
		section = pending_section ? pending_section :
			xstrdup(opt.label);
		pending_section = NULL;
		saw_document = 1;
	}
}

static void pop(void)
{
	struct doc *d = &stack[top];

	free(d->name);
	free(d->pend);
	top--;
}

static int is_failure(enum verdict v)
{
	return v != V_PASS && v != V_XFAIL && v != V_SKIP;
}

/* Name of leaf `desc` in the document at `depth`: the names of the nested
 * documents between the program and it, then desc, joined by '/'. */
static char *leaf_name(int depth, const char *desc, long number)
{
	size_t len = 32 + strlen(desc);
	char *s;

	for (int i = prog_depth + 1; i <= depth; i++)
		len += (stack[i].name ? strlen(stack[i].name) : 16) + 1;
	s = xmalloc(len);
	s[0] = '\0';
	for (int i = prog_depth + 1; i <= depth; i++) {
		if (stack[i].name)
			strcat(s, stack[i].name);
		else
			sprintf(s + strlen(s), "#%ld", stack[i - 1].nresults + 1);
		strcat(s, "/");
	}
	if (*desc)
		strcat(s, desc);
	else
		sprintf(s + strlen(s), "#%ld", number);
	return s;
}

static void emit_leaf(int depth, char *test, enum verdict v, const char *reason)
{
	struct doc *prog = &stack[prog_depth];

	if (is_failure(v))
		stack[depth].failures++;
	if (prog->name) {
		results_leaf(section, prog->name, test, v, reason);
		free(test);
		return;
	}
	prog->pend = xrealloc(prog->pend, (prog->npend + 1) * sizeof(*prog->pend));
	prog->pend[prog->npend++] = (struct pending_leaf){
		.test = test, .reason = xstrdup(reason), .v = v };
}

static void flush_pending(struct doc *prog, const char *name)
{
	for (size_t i = 0; i < prog->npend; i++) {
		struct pending_leaf *p = &prog->pend[i];

		results_leaf(section, name, p->test, p->v, p->reason);
		free(p->test);
		free(p->reason);
	}
	prog->npend = 0;
}

/* Problem text and number of failures if d is incomplete, else 0. */
static unsigned long check_complete(const struct doc *d, char *buf, size_t n)
{
	if (!d->has_plan) {
		snprintf(buf, n, "no plan");
		return 1;
	}
	if (d->nresults < d->plan) {
		snprintf(buf, n, "missing %ld of %ld results",
			 d->plan - d->nresults, d->plan);
		return (unsigned long)(d->plan - d->nresults);
	}
	if (d->nresults > d->plan) {
		snprintf(buf, n, "%ld results for plan 1..%ld", d->nresults,
			 d->plan);
		return 1;
	}
	return 0;
}

static enum verdict leaf_verdict(const struct ktap_line *l, const char **why)
{
	const char *rest;

	*why = l->directive;
	if ((rest = ktap_directive_is(l->directive, "SKIP"))) {
		*why = rest;
		return V_SKIP;
	}
	if ((rest = ktap_directive_is(l->directive, "XFAIL"))) {
		*why = rest;
		return V_XFAIL;
	}
	if ((rest = ktap_directive_is(l->directive, "XPASS"))) {
		*why = rest;
		return V_XPASS;
	}
	if (ktap_directive_is(l->directive, "TIMEOUT"))
		return V_TIMEOUT;
	if (ktap_directive_is(l->directive, "TODO"))
		return l->ok ? V_PASS : V_XFAIL;
	return l->ok ? V_PASS : V_FAIL;
}

static const char *program_name(void)
{
	return top >= prog_depth && stack[prog_depth].name ?
		stack[prog_depth].name : NULL;
}

/* Closes the nested document at depth top (> prog_depth), either through
 * the result line of its parent test (l) or because the stream moved on. */
static void close_nested(const struct ktap_line *l)
{
	struct doc *d = &stack[top];
	char what[REASON_LEN + 64], sub[REASON_LEN];
	unsigned long n;
	int depth = top;

	snprintf(sub, sizeof(sub), "%s", d->name ? d->name :
		 (l && *l->desc ? l->desc : "subtest"));
	n = check_complete(d, what, sizeof(what));
	if (n) {
		char msg[sizeof(what) + sizeof(sub) + 4];

		snprintf(msg, sizeof(msg), "%s: %s", sub, what);
		results_problem(section, program_name(), V_CRASH, msg, n);
		results_mark_incomplete();
		d->failures += n;
	}
	if (!l && !d->failures) {
		snprintf(what, sizeof(what), "%s: no result line", sub);
		results_problem(section, program_name(), V_CRASH, what, 1);
		results_mark_incomplete();
		d->failures++;
	}
	stack[depth - 1].failures += d->failures;
	if (l && !l->ok && !d->failures &&
	    !ktap_directive_is(l->directive, "SKIP")) {
		pop();
		emit_leaf(top, leaf_name(top, l->desc, l->number), V_FAIL,
			  l->directive);
		return;
	}
	pop();
}

static enum verdict worse(enum verdict a, enum verdict b)
{
	static const int rank[] = {
		[V_PASS] = 0, [V_SKIP] = 1, [V_XFAIL] = 0, [V_FAIL] = 2,
		[V_XPASS] = 2, [V_CRASH] = 3, [V_TIMEOUT] = 4, [V_TAINT] = 5,
	};
	return rank[b] > rank[a] ? b : a;
}

/* Ends the current program: through its result line l in the runner
 * document, at the normal end of a flat document (l NULL, normal_end), or
 * because the stream was cut (l NULL). */
static void close_program(const struct ktap_line *l, int normal_end)
{
	int have_doc = top >= prog_depth;
	struct doc *d = have_doc ? &stack[prog_depth] : NULL;
	char what[REASON_LEN + 64], fallback[32];
	const char *name, *rest;
	unsigned long fails, n;
	enum verdict status = V_PASS;
	int skip = l && ktap_directive_is(l->directive, "SKIP");

	while (top > prog_depth)
		close_nested(NULL);
	snprintf(fallback, sizeof(fallback), "#%ld",
		 prog_depth ? stack[0].nresults + 1 : 1);
	name = l && *l->desc ? l->desc : (d && d->name ? d->name :
		(opt.flat_program ? opt.flat_program : fallback));
	if (d) {
		flush_pending(d, name);
		fails = d->failures;
		if (fails)
			status = V_FAIL;
		n = check_complete(d, what, sizeof(what));
	} else {
		fails = 0;
		n = skip ? 0 : 1;
		snprintf(what, sizeof(what), "no plan (no KTAP output)");
	}
	if (n) {
		results_problem(section, name, V_CRASH, what, n);
		results_mark_incomplete();
		fails += n;
		status = worse(status, V_CRASH);
	}
	if (!l && !normal_end) {
		if (!fails) {
			results_problem(section, name, V_CRASH,
					"no result line (stream cut)", 1);
			fails++;
		}
		results_mark_incomplete();
		status = worse(status, V_CRASH);
	}
	if (l && skip && !d) {
		results_problem(section, name, V_SKIP,
				*(rest = ktap_directive_is(l->directive, "SKIP")) ?
				rest : "skipped", 0);
		status = V_SKIP;
	}
	if (l && (rest = ktap_directive_is(l->directive, "TIMEOUT"))) {
		snprintf(what, sizeof(what), "timed out%s%.*s", *rest ? " after " : "",
			 (int)strcspn(rest, ";,"), rest);
		results_problem(section, name, V_TIMEOUT, what, !fails);
		fails += !fails;
		status = worse(status, V_TIMEOUT);
	}
	if (l && (rest = strstr(l->directive, "taint gained"))) {
		results_problem(section, name, V_TAINT, rest, !fails);
		fails += !fails;
		status = worse(status, V_TAINT);
	}
	if (l && !l->ok && !skip && !fails) {
		results_problem(section, name, V_FAIL,
				*l->directive ? l->directive : "not ok", 1);
		status = V_FAIL;
	}
	results_program(section, name, status, pending_duration);
	pending_duration = -1;
	if (d)
		pop();
}

static void close_top_level(void)
{
	char what[REASON_LEN];
	unsigned long n;

	if (top < 0)
		return;
	if (opt.flat_program) {
		close_program(NULL, 1);
		return;
	}
	if (top > 0) {
		close_program(NULL, 0);
		stack[0].nresults++;
	}
	n = check_complete(&stack[0], what, sizeof(what));
	if (n) {
		results_problem(section, "-", V_CRASH, what, n);
		results_mark_incomplete();
	}
	pop();
}

/* "file.c:123:" at the start of a harness assertion diagnostic. */
static int is_location(const char *s)
{
	const char *colon = strchr(s, ':');

	if (!colon || colon == s || strchr(s, ' ') < colon)
		return 0;
	colon++;
	if (*colon < '0' || *colon > '9')
		return 0;
	colon += strspn(colon, "0123456789");
	return *colon == ':';
}

static void on_diag(const struct ktap_line *l)
{
	const char *t = l->text;
	struct doc *d;

	if (l->depth == 0 && !strncmp(t, "devns-section:", 14)) {
		close_top_level();
		t += 14 + strspn(t + 14, " ");
		free(pending_section);
		pending_section = xstrdup(t);
		return;
	}
	if (l->depth == 0 && !strncmp(t, "devns-time:", 11)) {
		pending_duration = strtod(t + 11, NULL);
		return;
	}
	if (!strncmp(t, "Subtest:", 8) && l->depth < MAX_DEPTH) {
		t += 8 + strspn(t + 8, " ");
		if (top == l->depth && !stack[top].name &&
		    !stack[top].nresults) {
			stack[top].name = xstrdup(t);
		} else {
			free(pending_subtest[l->depth]);
			pending_subtest[l->depth] = xstrdup(t);
		}
		return;
	}
	if (top != l->depth || l->depth < prog_depth)
		return;
	d = &stack[top];
	if (is_location(t) && !d->reason_is_location) {
		snprintf(d->reason, sizeof(d->reason), "%s", t);
		d->reason_is_location = 1;
	} else if (!d->reason_is_location && strstr(t, ": Test ")) {
		snprintf(d->reason, sizeof(d->reason), "%s", t);
	}
}

static void on_result(const struct ktap_line *l)
{
	int depth = l->depth;
	const char *why;
	enum verdict v;

	if (depth < prog_depth) {             /* a program's result line */
		if (top < 0)
			return;
		close_program(l, 0);
		stack[0].nresults++;
		return;
	}
	if (top == depth - 1 && depth > 0)     /* no version line: lenient */
		push(depth);
	if (top < depth)
		return;                        /* noise */
	while (top > depth + 1)
		close_nested(NULL);
	if (top == depth + 1) {
		close_nested(l);
	} else {
		v = leaf_verdict(l, &why);
		if (v == V_FAIL && !*why)
			why = stack[depth].reason;
		emit_leaf(depth, leaf_name(depth, l->desc, l->number), v, why);
	}
	stack[depth].nresults++;
	stack[depth].reason[0] = '\0';
	stack[depth].reason_is_location = 0;
}

static void on_version(int depth)
{
	if (depth == 0) {
		close_top_level();
		push(0);
		return;
	}
	if (top < depth - 1)
		return;                        /* noise */
	while (top >= depth) {                 /* previous one never closed */
		if (top == prog_depth)
			close_program(NULL, 0);
		else
			close_nested(NULL);
	}
	push(depth);
}

static void on_plan(const struct ktap_line *l)
{
	if (top == l->depth - 1 || (top < 0 && l->depth == 0))
		push(l->depth);                /* no version line: lenient */
	if (top != l->depth || stack[top].has_plan || stack[top].nresults)
		return;
	stack[top].has_plan = 1;
	stack[top].plan = l->plan;
}

void tree_feed(char *line)
{
	struct ktap_line l;

	ktap_parse_line(line, &l);
	if (l.depth >= MAX_DEPTH - 1)
		return;
	switch (l.kind) {
	case KTAP_VERSION:
		on_version(l.depth);
		break;
	case KTAP_PLAN:
		on_plan(&l);
		break;
	case KTAP_RESULT:
		on_result(&l);
		break;
	case KTAP_DIAG:
		on_diag(&l);
		break;
	case KTAP_OTHER:
		break;
	}
}

void tree_finish(void)
{
	close_top_level();
	if (!saw_document) {
		results_problem(opt.label, "-", V_CRASH,
				"no KTAP document in the stream", 1);
		results_mark_incomplete();
	}
}
