/* ktap_line.c - see ktap_line.h. */
#include "ktap_line.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int parse_version(const char *p)
{
	if (!strncmp(p, "KTAP version ", 13))
		p += 13;
	else if (!strncmp(p, "TAP version ", 12))
		p += 12;
	else
		return 0;
	return isdigit((unsigned char)*p);
}

static int parse_plan(const char *p, long *plan)
{
	char *end;

	if (strncmp(p, "1..", 3) || !isdigit((unsigned char)p[3]))
		return 0;
	*plan = strtol(p + 3, &end, 10);
	return *end == '\0' || *end == ' ';
}

static int parse_result(char *p, struct ktap_line *out)
{
	char *end, *hash;

	if (!strncmp(p, "ok ", 3)) {
		out->ok = 1;
		p += 3;
	} else if (!strncmp(p, "not ok ", 7)) {
		out->ok = 0;
		p += 7;
	} else {
		return 0;
	}
	if (!isdigit((unsigned char)*p))
		return 0;
	out->number = strtol(p, &end, 10);
	if (*end != '\0' && *end != ' ')
		return 0;
	p = end;
	while (*p == ' ')
		p++;
	if (!strncmp(p, "- ", 2))
		p += 2;
	out->directive = "";
	hash = *p == '#' ? p : strstr(p, " #");
	if (hash) {
		char *dir = hash + 1 + (*hash == ' ');

		while (*dir == ' ')
			dir++;
		out->directive = dir;
		*hash = '\0';
	}
	for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
		end[-1] = '\0';
	out->desc = p;
	return 1;
}

void ktap_parse_line(char *line, struct ktap_line *out)
{
	size_t spaces = strspn(line, " ");
	char *p = line + spaces;

	memset(out, 0, sizeof(*out));
	out->kind = KTAP_OTHER;
	out->depth = (int)(spaces / 2);
	if (spaces % 2)
		return;
	if (parse_version(p))
		out->kind = KTAP_VERSION;
	else if (parse_plan(p, &out->plan))
		out->kind = KTAP_PLAN;
	else if (parse_result(p, out))
		out->kind = KTAP_RESULT;
	else if (*p == '#') {
		out->kind = KTAP_DIAG;
		p++;
		if (*p == ' ')
			p++;
		out->text = p;
	}
}

const char *ktap_directive_is(const char *directive, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(directive, word, n) ||
	    (directive[n] != '\0' && directive[n] != ' '))
		return NULL;
	directive += n;
	while (*directive == ' ')
		directive++;
	return directive;
}
