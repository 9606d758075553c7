// SPDX-License-Identifier: GPL-2.0
/* Cross-process flags in shared memory (see sync.h). */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "sync.h"

static long futex(volatile uint32_t *p, int op, uint32_t val, const struct timespec *ts)
{
	return syscall(SYS_futex, p, op, val, ts, NULL, 0);
}

void flag_post(volatile uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
	futex(p, FUTEX_WAKE, INT_MAX, NULL);
}

int flag_wait(volatile uint32_t *p, uint32_t v, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };

	for (;;) {
		uint32_t cur = __atomic_load_n(p, __ATOMIC_SEQ_CST);

		if (cur >= v)
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		futex(p, FUTEX_WAIT, cur, &ts);
	}
}
