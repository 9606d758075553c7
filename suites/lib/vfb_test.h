/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the vfb suite's programs include: devns_test.h, the framebuffer
 * helpers, and the macros for checks every vfb test repeats.
 */
#ifndef DEVNS_VFB_TEST_H
#define DEVNS_VFB_TEST_H

#include "devns_test.h"
#include "fb.h"

/*
 * A native driver's documented deviation from SPEC.md (fb_native_deviation):
 * report the test as an expected failure with the reason and run @statement
 * (usually "return").  Use only where the observed behaviour is exactly the
 * documented one; anything else must still fail.
 */
#define FB_KNOWN_DEVIATION(statement, name)					\
	do {									\
		const char *_why = fb_native_deviation(name);			\
		if (_why) {							\
			snprintf(_metadata->results->reason,			\
				 sizeof(_metadata->results->reason),		\
				 "%s: %s", (name), _why);			\
			TH_LOG("known deviation %s: %s", (name), _why);		\
			_metadata->exit_code = KSFT_XFAIL;			\
			statement;						\
		}								\
	} while (0)

/* Skip unless the implementation has a vfb. */
#define REQUIRE_VFB() REQUIRE_CAP(IMPL_CAP_VFB)

#endif /* DEVNS_VFB_TEST_H */
