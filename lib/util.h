/* util.h - small helpers of the host tools (ci/tools, results/tools): checked
 * allocation, fatal errors and reading one line of a stream with its newline
 * removed. */
#ifndef DEVNS_UTIL_H
#define DEVNS_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Prints "<prog>: <message>" to stderr and exits with status 2. */
void die(const char *prog, const char *fmt, ...);
/* Reads one line into *buf (grown as needed); strips "\n", "\r\n" and turns
 * NUL bytes into '?'. Returns the line length, or -1 at end of file. */
long read_line(FILE *f, char **buf, size_t *cap);
/* Parses a non-negative decimal integer that fills all of s. */
int parse_ulong(const char *s, unsigned long *out);

#endif
