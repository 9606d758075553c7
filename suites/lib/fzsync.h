/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzzy synchronisation of two racing parties (in the spirit of LTP's
 * tst_fzsync, written from scratch): two processes, possibly in different
 * PID namespaces, meet at a barrier in shared memory at the start of every
 * round; then one of them waits a random delay before doing its operation,
 * so that the two operations overlap at a different offset each round.  The
 * largest delay grows over the first half of the rounds, from 0 to
 * @max_delay_us.  Both parties derive the round's delay from the round
 * number, so they agree on it without talking.
 *
 * A round:
 *
 *	while (fzs_start(f, FZS_A)) {		while (fzs_start(f, FZS_B)) {
 *		operation A;				operation B;
 *		if (!fzs_end(f, FZS_A))			if (!fzs_end(f, FZS_B))
 *			break;					break;
 *	}					}
 *
 * Every wait is bounded: a party that does not arrive within the barrier
 * timeout (a deadlock in the kernel, a crashed party) stops both, and
 * fzs_timed_out() says so.  The loop ends after exactly @rounds rounds
 * (party A decides, party B follows): a fixed count, never a time budget,
 * so that what a test can claim does not depend on the machine's speed.
 * Nothing here calls the test harness.
 */
#ifndef DEVNS_FZSYNC_H
#define DEVNS_FZSYNC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum fzs_party {
	FZS_A = 0,
	FZS_B = 1,
};

struct fzs {
	/* Both parties: */
	_Atomic uint32_t arrived[2];	/* the round each party started */
	_Atomic uint32_t left[2];	/* the round each party ended */
	_Atomic uint32_t stop;		/* 1: finished normally, 2: a barrier timed out */
	/* Set by fzs_init(), read-only afterwards: */
	uint32_t rounds;
	int barrier_ms;			/* the longest wait at a barrier */
	uint32_t max_delay_us;
	uint32_t seed;
	/* Statistics, for the test's log: */
	_Atomic uint32_t done;		/* rounds both parties started */
	_Atomic uint32_t delayed[2];	/* rounds each party waited before its operation */
};

/*
 * Prepare @f, which must be in memory both parties share (ct_shared_map,
 * mapped before the parties are forked).  @barrier_ms is already scaled for
 * the emulator (deadline_ms): it only detects a party that stopped answering.
 */
void fzs_init(struct fzs *f, uint32_t rounds, int barrier_ms, uint32_t max_delay_us);
/*
 * Start the next round: wait for the other party, then wait this party's
 * share of the round's delay.  Returns false when the loop is over (rounds,
 * the other party stopped, or a timeout).
 */
bool fzs_start(struct fzs *f, enum fzs_party me);
/* End the round: wait until the other party's operation is done too. */
bool fzs_end(struct fzs *f, enum fzs_party me);
/* Make both parties leave their loops (e.g. a party's set-up failed). */
void fzs_abort(struct fzs *f);
/* The number of the current round (1 in the first), for choosing variants. */
uint32_t fzs_round(const struct fzs *f, enum fzs_party me);
/* Did a party give up waiting for the other? */
bool fzs_timed_out(const struct fzs *f);

#endif /* DEVNS_FZSYNC_H */
