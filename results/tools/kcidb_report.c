// SPDX-License-Identifier: GPL-2.0
/*
 * kcidb-report: conformance results (ci/check's results.tsv, one per
 * kernel) as one KCIDB JSON document (schema 5.3): a checkout (the
 * implementation tree), a build per kernel, a test per result, and a
 * summary test per program and per build.  See --help.
 */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char usage[] =
"usage: kcidb-report --origin ORIGIN --checkout ID [options] RESULTS.tsv...\n"
"\n"
"Writes on stdout a KCIDB document (version 5.3) of the conformance results\n"
"in RESULTS.tsv (ci/check writes one per kernel: KERNEL PROGRAM TEST RESULT\n"
"REASON, tab-separated):\n"
"  checkouts  one: ORIGIN:ID, the implementation tree (--commit, --describe,\n"
"             --tree, --url, --start)\n"
"  builds     one per kernel: ORIGIN:ID-KERNEL, config_name KERNEL, --arch,\n"
"             --compiler, status PASS (its results exist, so it was built)\n"
"  tests      one per result at devns.SUITE.PROGRAM.TEST (characters other\n"
"             than letters, digits, '_' and '-' in a level become '_'), one\n"
"             per program (devns.SUITE.PROGRAM) and one per build (devns), each\n"
"             with the worst status below it (FAIL, ERROR, MISS, PASS, DONE,\n"
"             SKIP, in that order)\n"
"Results: PASS, FAIL, SKIP as they are; XFAIL (a documented deviation) is\n"
"PASS, XPASS, TIMEOUT and TAINT are FAIL, CRASH is ERROR, each with\n"
"misc.result saying which; a reason other than \"-\" is the comment.\n"
"\n"
"Options:\n"
"  --origin ORIGIN    the submitter ([a-z0-9_]+)\n"
"  --checkout ID      this run's local id (unique per origin)\n"
"  --commit HASH      the tree's commit (40 hex digits)\n"
"  --describe NAME    git describe of it\n"
"  --tree NAME        tree name\n"
"  --url URL          its git repository (https:// or git://)\n"
"  --start TIME       when the run started (RFC 3339)\n"
"  --arch ARCH        architecture of the kernels (default x86_64)\n"
"  --compiler TEXT    compiler of the module (e.g. gcc --version's first line)\n"
"  --environment TEXT what ran the tests (e.g. \"QEMU 7.2 TCG 2 vCPU\")\n"
"  -h, --help         this text\n";

struct opts {
	const char *origin, *checkout, *commit, *describe, *tree, *url, *start;
	const char *arch, *compiler, *environment;
};

/* KCIDB's statuses, worst first: a summary takes the worst of its parts. */
static const char *const statuses[] = { "FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP" };

static int rank(const char *status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(status, statuses[i]))
			return (int)i;
	return (int)(sizeof(statuses) / sizeof(statuses[0]));
}

static const char *worse(const char *a, const char *b)
{
	return !a || rank(b) < rank(a) ? b : a;
}

/* Our result as a KCIDB status; *misc gets ours when it had to change. */
static const char *status_of(const char *result, const char **misc)
{
	static const struct { const char *ours, *kcidb; } map[] = {
		{ "PASS", "PASS" }, { "FAIL", "FAIL" }, { "SKIP", "SKIP" }, { "XFAIL", "PASS" },
		{ "XPASS", "FAIL" }, { "TIMEOUT", "FAIL" }, { "TAINT", "FAIL" }, { "CRASH", "ERROR" },
	};

	*misc = NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (!strcmp(result, map[i].ours)) {
			if (strcmp(result, map[i].kcidb))
				*misc = result;
			return map[i].kcidb;
		}
	}
	*misc = result;
	return "ERROR";		/* a result this tool does not know */
}

/* Append @s to the path @p as levels split at @sep, each made of [A-Za-z0-9_-]. */
static void path_append(char *p, size_t len, const char *s, char sep)
{
	size_t n = strlen(p);

	if (!strcmp(s, "-"))
		return;		/* the program itself */
	if (n && n + 1 < len)
		p[n++] = '.';
	for (; *s && n + 1 < len; s++) {
		if (*s == sep && n && p[n - 1] != '.')
			p[n++] = '.';
		else if (*s != sep)
			p[n++] = isalnum((unsigned char)*s) || *s == '_' || *s == '-' ? *s : '_';
	}
	p[n] = '\0';
}

static void set_str(json_t *o, const char *key, const char *value)
{
	if (value && *value)	/* KCIDB takes no null: an unknown field is left out */
		json_object_set_new(o, key, json_string(value));
}

static json_t *new_test(const struct opts *o, const char *build_id, const char *id,
			const char *path, const char *status)
{
	json_t *t = json_object();

	set_str(t, "build_id", build_id);
	set_str(t, "id", id);
	set_str(t, "origin", o->origin);
	set_str(t, "path", path);
	set_str(t, "status", status);
	if (o->environment) {
		json_t *env = json_object();

		set_str(env, "comment", o->environment);
		json_object_set_new(t, "environment", env);
	}
	return t;
}

/* The builds and tests of one results file; the build's id is ORIGIN:CHECKOUT-KERNEL. */
static void add_results(const struct opts *o, const char *file, json_t *builds, json_t *tests)
{
	char *line = NULL, build_id[256] = "", id[320], path[512], prog[256] = "";
	const char *build_status = NULL, *prog_status = NULL;
	size_t cap = 0;
	long n = 0;
	FILE *f = fopen(file, "r");

	if (!f)
		die("kcidb-report", "%s: %m", file);
	while (read_line(f, &line, &cap) >= 0) {
		char *field[5], *s = line;
		const char *status, *misc;
		json_t *t;
		int k;

		for (k = 0; k < 5 && s; k++)
			field[k] = strsep(&s, "\t");
		if (k < 5)
			die("kcidb-report", "%s: not 5 tab-separated fields: %s", file, line);
		if (!build_id[0]) {
			json_t *b = json_object();

			snprintf(build_id, sizeof(build_id), "%s:%s-%s", o->origin, o->checkout,
				 field[0]);
			json_object_set_new(b, "checkout_id", json_sprintf("%s:%s", o->origin,
									    o->checkout));
			set_str(b, "id", build_id);
			set_str(b, "origin", o->origin);
			set_str(b, "architecture", o->arch);
			set_str(b, "compiler", o->compiler);
			set_str(b, "config_name", field[0]);
			set_str(b, "status", "PASS");
			json_array_append_new(builds, b);
		}
		if (strcmp(prog, field[1])) {
			if (prog[0]) {
				snprintf(id, sizeof(id), "%s-p%ld", build_id, n);
				path[0] = '\0';
				path_append(path, sizeof(path), "devns", 0);
				path_append(path, sizeof(path), prog, '/');
				json_array_append_new(tests, new_test(o, build_id, id, path, prog_status));
			}
			snprintf(prog, sizeof(prog), "%s", field[1]);
			prog_status = NULL;
		}
		status = status_of(field[3], &misc);
		snprintf(id, sizeof(id), "%s-%ld", build_id, ++n);
		path[0] = '\0';
		path_append(path, sizeof(path), "devns", 0);
		path_append(path, sizeof(path), field[1], '/');
		path_append(path, sizeof(path), field[2], '.');
		t = new_test(o, build_id, id, path, status);
		if (strcmp(field[4], "-"))
			set_str(t, "comment", field[4]);
		if (misc)
			json_object_set_new(t, "misc", json_pack("{s:s}", "result", misc));
		json_array_append_new(tests, t);
		prog_status = worse(prog_status, status);
		build_status = worse(build_status, status);
	}
	free(line);
	fclose(f);
	if (!build_id[0])
		die("kcidb-report", "%s: no results", file);
	snprintf(id, sizeof(id), "%s-p%ld", build_id, n);
	path[0] = '\0';
	path_append(path, sizeof(path), "devns", 0);
	path_append(path, sizeof(path), prog, '/');
	json_array_append_new(tests, new_test(o, build_id, id, path, prog_status));
	snprintf(id, sizeof(id), "%s-all", build_id);
	json_array_append_new(tests, new_test(o, build_id, id, "devns", build_status));
}

static bool valid_origin(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "origin", required_argument, NULL, 'o' },
		{ "checkout", required_argument, NULL, 'c' },
		{ "commit", required_argument, NULL, 'H' },
		{ "describe", required_argument, NULL, 'd' },
		{ "tree", required_argument, NULL, 't' },
		{ "url", required_argument, NULL, 'u' },
		{ "start", required_argument, NULL, 's' },
		{ "arch", required_argument, NULL, 'a' },
		{ "compiler", required_argument, NULL, 'C' },
		{ "environment", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .arch = "x86_64" };
	json_t *doc, *checkout, *builds, *tests;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o.origin = optarg; break;
		case 'c': o.checkout = optarg; break;
		case 'H': o.commit = optarg; break;
		case 'd': o.describe = optarg; break;
		case 't': o.tree = optarg; break;
		case 'u': o.url = optarg; break;
		case 's': o.start = optarg; break;
		case 'a': o.arch = optarg; break;
		case 'C': o.compiler = optarg; break;
		case 'e': o.environment = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!valid_origin(o.origin) || !o.checkout || !*o.checkout || optind == argc) {
		fprintf(stderr, "kcidb-report: needs --origin [a-z0-9_]+, --checkout ID and results files\n");
		fputs(usage, stderr);
		return 2;
	}
	if (o.commit && (strlen(o.commit) != 40 || strspn(o.commit, "0123456789abcdef") != 40))
		die("kcidb-report", "--commit: not 40 hex digits: %s", o.commit);
	if (o.url && strncmp(o.url, "https://", 8) && strncmp(o.url, "git://", 6))
		o.url = NULL;	/* a local path means nothing to a dashboard */

	checkout = json_object();
	json_object_set_new(checkout, "id", json_sprintf("%s:%s", o.origin, o.checkout));
	set_str(checkout, "origin", o.origin);
	set_str(checkout, "tree_name", o.tree);
	set_str(checkout, "git_repository_url", o.url);
	set_str(checkout, "git_commit_hash", o.commit);
	set_str(checkout, "git_commit_name", o.describe);
	set_str(checkout, "start_time", o.start);
	json_object_set_new(checkout, "valid", json_true());
	builds = json_array();
	tests = json_array();
	for (; optind < argc; optind++)
		add_results(&o, argv[optind], builds, tests);
	doc = json_pack("{s:{s:i,s:i},s:[o],s:o,s:o}", "version", "major", 5, "minor", 3,
			"checkouts", checkout, "builds", builds, "tests", tests);
	if (!doc || json_dumpf(doc, stdout, JSON_INDENT(1)) || putchar('\n') == EOF || fflush(stdout))
		die("kcidb-report", "writing the document failed");
	json_decref(doc);
	return 0;
}
