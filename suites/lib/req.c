// SPDX-License-Identifier: GPL-2.0
/* Requirement announcements (see REQ() in devns_test.h). */
#include <stdio.h>

void req_announce(const char *test, const char *const *ids);

void req_announce(const char *test, const char *const *ids)
{
	printf("# %s: REQ", test);
	for (; *ids; ids++)
		printf(" %s", *ids);
	printf("\n");
	fflush(stdout);
}
