/* ktap_line.h - classify one line of a KTAP stream (Documentation/dev-tools/
 * ktap.rst): version line, plan, result, diagnostic, or anything else
 * (console noise, which KTAP allows and ignores). */
#ifndef DEVNS_CI_KTAP_LINE_H
#define DEVNS_CI_KTAP_LINE_H

enum ktap_kind { KTAP_OTHER, KTAP_VERSION, KTAP_PLAN, KTAP_RESULT, KTAP_DIAG };

struct ktap_line {
	enum ktap_kind kind;
	int depth;             /* leading spaces / 2 (nesting level) */
	long plan;             /* KTAP_PLAN: N of "1..N" */
	int ok;                /* KTAP_RESULT: 1 for "ok", 0 for "not ok" */
	long number;           /* KTAP_RESULT: test number */
	const char *desc;      /* KTAP_RESULT: description, "" if none */
	const char *directive; /* KTAP_RESULT: text after " # ", "" if none */
	const char *text;      /* KTAP_DIAG: text after "#" and one space */
};

/* Parses line (which it modifies) into *out; pointers point into line. */
void ktap_parse_line(char *line, struct ktap_line *out);
/* If directive starts with word (case-insensitive, then a space or end),
 * returns the rest after the spaces, else NULL. */
const char *ktap_directive_is(const char *directive, const char *word);

#endif
