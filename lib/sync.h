/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-process flags in shared memory (e.g. ct_shared()): one process
 * posts a value, others wait for it.  flag_post() stores and wakes;
 * flag_wait() returns 0 once *@p >= @v (re-checking at least every 10 ms,
 * so a store without a wake is seen too), -ETIMEDOUT after @timeout_ms.
 */
#ifndef DEVNS_SYNC_H
#define DEVNS_SYNC_H

#include <stdint.h>

void flag_post(volatile uint32_t *p, uint32_t v);
int flag_wait(volatile uint32_t *p, uint32_t v, int timeout_ms);

#endif /* DEVNS_SYNC_H */
