// SPDX-License-Identifier: GPL-2.0
/*
 * tlb-alias: is memcpy() between two buffers slower when they are a multiple
 * of a large power of two pages apart?  Under QEMU's TCG it is: guest pages
 * are looked up in a direct-mapped software TLB indexed by virtual page
 * number, so a source and a destination that share an index evict each other
 * at every access.  This probe copies one frame between buffers placed at
 * chosen page distances (the same distances plus 32 pages, as
 * bench_map_apart() places them) and prints the median throughput of each.
 * It is the experiment behind bench_map_apart() (results/bench/experiments/
 * tcg-tlb/); on real hardware both columns match.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define PAGE		4096ul

static const char usage[] =
	"Usage: tlb-alias [--frame BYTES] [--samples N] [--rounds N]\n"
	"Copies a frame (default 3 MiB, 1024x768x4) 4 times per sample between two\n"
	"buffers of one mapping, at page distances that are multiples of 256 to 8192\n"
	"pages and at the same distances + 32 pages, interleaved; prints the median\n"
	"MB/s of each distance per round.  Run it in a TCG guest:\n"
	"  ci/vm --no-module -- build/bench/probe/tlb-alias\n";

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !v) {
		fprintf(stderr, "tlb-alias: %s wants a positive number, got '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const long dist[] = { 768, 1024, 1536, 2048, 4096, 8192, -768, -2048 };
	enum { NR = sizeof(dist) / sizeof(dist[0]) };
	unsigned long frame = 3ul << 20, samples = 9, rounds = 2, r, s, k, off;
	size_t span;
	double *v;
	char *m;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (i + 1 < argc && !strcmp(argv[i], "--frame")) {
			frame = number(argv[++i], "--frame");
		} else if (i + 1 < argc && !strcmp(argv[i], "--samples")) {
			samples = number(argv[++i], "--samples");
		} else if (i + 1 < argc && !strcmp(argv[i], "--rounds")) {
			rounds = number(argv[++i], "--rounds");
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	frame = (frame + PAGE - 1) & ~(PAGE - 1);
	/* the source in the middle, destinations up to 8192 + 32 pages either side */
	span = 2 * (8192 + 64) * PAGE + 2 * frame;
	m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		 -1, 0);
	v = calloc(samples, sizeof(*v));
	if (m == MAP_FAILED || !v) {
		perror("tlb-alias");
		return 1;
	}
	printf("%-10s %14s %22s %8s\n", "distance", "MB/s at d", "MB/s at d + 32 pages", "ratio");
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 2 * NR; k++) {
			long d = dist[k / 2] + (k % 2 ? 32 : 0);
			char *src = m + (8192 + 64) * PAGE, *dst = src + d * (long)PAGE;
			static double med[2];

			for (s = 0; s < samples; s++) {
				uint64_t t0 = bench_now_ns();

				for (off = 0; off < 4; off++)
					memcpy(dst, src, frame);
				v[s] = 4.0 * (double)frame * 1e3 / (double)(bench_now_ns() - t0);
			}
			qsort(v, samples, sizeof(*v), cmp_double);
			med[k % 2] = v[samples / 2];
			if (k % 2)
				printf("%-10ld %14.0f %22.0f %8.2f\n", dist[k / 2], med[0], med[1],
				       med[0] / med[1]);
		}
	}
	return 0;
}
