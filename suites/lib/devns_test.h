/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every conformance test includes: the kselftest harness (extracted at
 * build time from Debian's linux-source-6.12 into build/kselftest/), the
 * implementation adapter, the container helpers, and the suite's macros.
 *
 * Test programs are built at -O0: the 6.12 harness keeps the forked child's
 * pid in a non-volatile local across setjmp/longjmp, and at -O1 and above a
 * failed ASSERT skips FIXTURE_TEARDOWN.  suites/selftest/teardown.c proves
 * teardown runs with the flags we use.
 */
#ifndef DEVNS_TEST_H
#define DEVNS_TEST_H

#include <errno.h>
#include <kselftest_harness.h>

#include "container.h"
#include "impl.h"

/*
 * REQ("DEVNS-3", ...): the SPEC.md requirements a test checks.  ci/reqmap
 * reads these statically to choose the tests that must catch each defect;
 * at run time they are printed as KTAP diagnostics.
 */
#define REQ(...) req_announce(_metadata->name, (const char *[]){ __VA_ARGS__, NULL })

/* Skip (with the reason) unless the implementation declares @cap. */
#define REQUIRE_CAP(cap)							\
	do {									\
		if (!impl_has(cap))						\
			SKIP(return, "implementation '%s' does not declare '%s'", \
			     impl()->name, impl_cap_name(cap));			\
	} while (0)

/* Start a container or fail the test. */
#define CT_START(ct, mode, parent)						\
	ASSERT_EQ(0, ct_start((ct), (mode), (parent)))

void req_announce(const char *test, const char *const *ids);

#endif /* DEVNS_TEST_H */
