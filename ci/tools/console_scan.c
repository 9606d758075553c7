/* console_scan.c - scan a kernel console log for badness (oops, WARN, BUG,
 * panic, lockdep, RCU stall, hung task, ...) or decode a taint value.
 * See usage() for the interface. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_classes.h"
#include "taint.h"
#include "util.h"

#define PROG "console-scan"
#define MAX_PRINTED_PER_CLASS 20
/* A "Call Trace:" within this many lines of a reported hit belongs to that
 * report; within this many lines of a benign dump header it is benign. */
#define TRACE_CONTEXT_LINES 200
#define MAX_CLASSES 32

static void usage(FILE *out)
{
	fprintf(out,
"usage: console-scan [--quiet] FILE      scan a kernel console log ('-' = stdin)\n"
"       console-scan --taint N           decode a taint mask (/proc/sys/kernel/tainted)\n"
"\n"
"Scan mode prints one line per badness line found:\n"
"  console-scan: <class>: <line number>: [<program>] <console line>\n"
"where <program> is the test program named by the latest kmsg marker\n"
"'devns-suite: running <program>' (omitted outside running/finished markers),\n"
"then a summary 'console-scan: FILE: N problem line(s) (class N, ...)'.\n"
"At most %d lines per class are printed; all are counted.\n"
"Classes: panic kasan kfence kcsan kmsan ubsan soft-lockup hard-lockup lockup\n"
"  lockdep rcu-stall hung-task gpf oops bug warning fault refcount\n"
"  call-trace (a 'Call Trace:' that belongs to no reported splat and to no\n"
"  sysrq/workqueue dump) and reboot (a second 'Linux version' banner).\n"
"Not badness: CPU-mitigation notices ('RETBleed: WARNING: ...': WARNING:\n"
"  and BUG: count only at the start of a message), ODEBUG/debug-kernel/\n"
"  console notices (they match no class; a WARN raised by debugobjects is\n"
"  reported by its WARNING: line), Call Traces after 'sysrq: ', 'Showing busy\n"
"  workqueues', 'Showing all locks held'.\n"
"  --quiet   print nothing, only set the exit status\n"
"Exit: 0 clean, 1 badness found, 2 usage or I/O error.\n"
"\n"
"Taint mode prints 'taint N: LETTERS' and one line per set bit, letters as in\n"
"Linux 6.12 kernel/panic.c (P F S R M B U D A W C I O E L K X T N, bit 0..18).\n"
"Exit: 1 if W (warning, bit 9) or D (oops, bit 7) is set, else 0; 2 on error.\n",
		MAX_PRINTED_PER_CLASS);
}

static int decode_taint(const char *arg)
{
	unsigned long mask;
	char letters[65];

	if (parse_ulong(arg, &mask))
		die(PROG, "--taint: '%s' is not a non-negative integer", arg);
	printf("taint %lu: %s\n", mask, mask ? taint_letters(mask, letters) :
	       "(not tainted)");
	for (unsigned bit = 0; bit < 8 * sizeof(mask); bit++)
		if (mask & (1UL << bit))
			printf("  bit %2u %c  %s\n", bit, taint_letter(bit),
			       taint_meaning(bit));
	return taint_is_bad(mask);
}

struct class_count {
	const char *name;
	unsigned long n;
};

static struct class_count counts[MAX_CLASSES];
static unsigned nclasses;

static unsigned long count_hit(const char *class)
{
	unsigned i;

	for (i = 0; i < nclasses; i++)
		if (!strcmp(counts[i].name, class))
			break;
	if (i == nclasses) {
		if (nclasses == MAX_CLASSES)
			i = MAX_CLASSES - 1;
		else
			counts[nclasses++].name = class;
	}
	return ++counts[i].n;
}

static int scan(const char *path, int quiet)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *program = NULL;
	size_t cap = 0;
	unsigned long lineno = 0, hits = 0, last_hit = 0, last_dump = 0;
	int banners = 0;

	if (!f)
		die(PROG, "cannot open %s: %m", path);
	while (read_line(f, &line, &cap) >= 0) {
		const char *msg = console_message(line), *mark, *class;

		lineno++;
		mark = console_suite_marker(msg);
		if (mark || console_is_end_marker(msg)) {
			free(program);
			program = mark ? xstrdup(mark) : NULL;
			continue;
		}
		class = console_classify(msg);
		if (!class && console_is_benign_dump(msg))
			last_dump = lineno;
		if (!class && console_is_call_trace(msg) &&
		    !(last_hit && lineno - last_hit <= TRACE_CONTEXT_LINES) &&
		    !(last_dump && lineno - last_dump <= TRACE_CONTEXT_LINES))
			class = "call-trace";
		if (!class && console_is_boot_banner(msg) && ++banners > 1)
			class = "reboot";
		if (!class)
			continue;
		hits++;
		last_hit = lineno;
		if (count_hit(class) <= MAX_PRINTED_PER_CLASS && !quiet) {
			printf("console-scan: %s: %lu: ", class, lineno);
			if (program)
				printf("[%s] ", program);
			printf("%s\n", line);
		}
	}
	if (ferror(f))
		die(PROG, "read error on %s", path);
	if (f != stdin)
		fclose(f);
	free(line);
	free(program);
	if (!quiet && hits) {
		printf("console-scan: %s: %lu problem line(s) (", path, hits);
		for (unsigned i = 0; i < nclasses; i++)
			printf("%s%s %lu", i ? ", " : "", counts[i].name,
			       counts[i].n);
		printf(")\n");
	}
	return hits ? 1 : 0;
}

int main(int argc, char **argv)
{
	int quiet = 0;
	int i = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--taint"))
		return decode_taint(argv[2]);
	if (i < argc && !strcmp(argv[i], "--quiet")) {
		quiet = 1;
		i++;
	}
	if (i != argc - 1 || (argv[i][0] == '-' && argv[i][1])) {
		usage(stderr);
		return 2;
	}
	return scan(argv[i], quiet);
}
