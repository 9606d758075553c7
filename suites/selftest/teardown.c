// SPDX-License-Identifier: GPL-2.0
/*
 * Proof that FIXTURE_TEARDOWN runs after a failed ASSERT with the flags the
 * suites are built with (the 6.12 harness skips it at -O1 and above).  The
 * test fails on purpose; ci/selftest checks that the teardown left its mark
 * in $DEVNS_TEARDOWN_MARK.  Not part of any conformance suite.
 */
#include <stdio.h>
#include <stdlib.h>

#include "devns_test.h"

FIXTURE(mark) {
	int unused;
};

FIXTURE_SETUP(mark)
{
}

FIXTURE_TEARDOWN(mark)
{
	const char *path = getenv("DEVNS_TEARDOWN_MARK");
	FILE *f = path ? fopen(path, "ae") : NULL;

	if (f) {
		fputs("teardown ran\n", f);
		fclose(f);
	}
}

TEST_F(mark, failing_assert_still_tears_down)
{
	REQ("HARNESS");
	ASSERT_EQ(1, 2) TH_LOG("this failure is intended");
}

TEST_HARNESS_MAIN
