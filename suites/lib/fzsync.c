// SPDX-License-Identifier: GPL-2.0
/* Fuzzy synchronisation of two racing parties (see fzsync.h). */
#include <sched.h>
#include <string.h>
#include <time.h>

#include "container.h"
#include "fzsync.h"

/* Spin this many times at a barrier before yielding the CPU between checks. */
#define FZS_SPINS 2000

void fzs_init(struct fzs *f, uint32_t rounds, int barrier_ms, uint32_t max_delay_us)
{
	memset(f, 0, sizeof(*f));
	f->rounds = rounds;
	f->barrier_ms = barrier_ms;
	f->max_delay_us = max_delay_us;
	f->seed = (uint32_t)now_ms() ^ 0x5eed1234u;
}

static enum fzs_party other(enum fzs_party me)
{
	return me == FZS_A ? FZS_B : FZS_A;
}

/* Wait until *@p reaches @round; false if the loop stopped or the wait timed out. */
static bool wait_for(struct fzs *f, _Atomic uint32_t *p, uint32_t round)
{
	int64_t end = now_ms() + f->barrier_ms;
	uint32_t expected = 0;

	for (unsigned long spins = 0;; spins++) {
		if (atomic_load(p) >= round)
			return true;
		if (atomic_load(&f->stop))
			return false;
		if (spins > FZS_SPINS) {
			if (now_ms() > end) {
				atomic_compare_exchange_strong(&f->stop, &expected, 2);
				return false;
			}
			sched_yield();
		}
	}
}

/* A 64-bit mix of the seed and the round (splitmix64's finaliser). */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* The round's delay in microseconds: > 0 delays A, < 0 delays B. */
static int64_t delay_of(const struct fzs *f, uint32_t round)
{
	uint64_t half = f->rounds / 2 ? f->rounds / 2 : 1;
	uint64_t span = (uint64_t)f->max_delay_us * (round < half ? round : half) / half;

	if (!span)
		return 0;
	return (int64_t)(mix(((uint64_t)f->seed << 32) | round) % (2 * span + 1)) - (int64_t)span;
}

static void busy_wait_us(int64_t us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

bool fzs_start(struct fzs *f, enum fzs_party me)
{
	uint32_t round = atomic_load(&f->arrived[me]) + 1;
	uint32_t expected = 0;
	int64_t d;

	if (me == FZS_A && round > f->rounds) {
		atomic_compare_exchange_strong(&f->stop, &expected, 1);
		return false;
	}
	if (atomic_load(&f->stop))
		return false;
	atomic_store(&f->arrived[me], round);
	if (!wait_for(f, &f->arrived[other(me)], round))
		return false;
	if (me == FZS_A)
		atomic_fetch_add(&f->done, 1);
	d = delay_of(f, round);
	if ((me == FZS_A && d > 0) || (me == FZS_B && d < 0)) {
		atomic_fetch_add(&f->delayed[me], 1);
		busy_wait_us(d > 0 ? d : -d);
	}
	return true;
}

bool fzs_end(struct fzs *f, enum fzs_party me)
{
	uint32_t round = atomic_load(&f->arrived[me]);

	atomic_store(&f->left[me], round);
	return wait_for(f, &f->left[other(me)], round);
}

void fzs_abort(struct fzs *f)
{
	uint32_t expected = 0;

	atomic_compare_exchange_strong(&f->stop, &expected, 1);
}

uint32_t fzs_round(const struct fzs *f, enum fzs_party me)
{
	return atomic_load(&f->arrived[me]);
}

bool fzs_timed_out(const struct fzs *f)
{
	return atomic_load(&f->stop) == 2;
}
