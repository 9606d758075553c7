/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the lifetime suite (SPEC.md section 5): a container together
 * with the holders of its dev_ns (its live process, a vfb file opened in
 * it, a shared mapping of that file, a host attach fd on its terminal 0)
 * that a test lets go one at a time; the live-object counters and the
 * namespace list, read through the adapter's report(); and sampled picture
 * checks, cheap enough under TCG to repeat after every step.
 *
 * Nothing here calls the harness: functions return 0 (or a count) on
 * success and -errno on failure.  holders_fixture.h has the FIXTURE.
 */
#ifndef DEVNS_HOLDERS_H
#define DEVNS_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "impl.h"

enum hold_kind {
	HOLD_PROC,	/* the container's init (the namespace dies when it goes) */
	HOLD_FILE,	/* a /dev/vfb0 file opened in the container, held by the test */
	HOLD_MAP,	/* a MAP_SHARED mapping of that file (MADV_DONTFORK) */
	HOLD_ATTACH,	/* a host attach fd on terminal 0 (non-blocking) */
	HOLD_KINDS,
};

#define HOLD_BIT(k)	(1u << (k))
#define HOLD_ALL	(HOLD_BIT(HOLD_KINDS) - 1)

struct holders {
	struct ct ct;
	uint64_t id;		/* the dev_ns id (its PID namespace's inode) */
	unsigned int held;	/* HOLD_BIT()s not let go yet */
	int vfd;		/* HOLD_FILE, or -1 */
	void *map;		/* HOLD_MAP, or NULL */
	size_t smem;		/* length of the mapping (the vfb's smem_len) */
	int hfd;		/* HOLD_ATTACH, or -1 */
	struct impl_vtty_devs devs;	/* with HOLD_ATTACH: the namespace's terminals */
};

/* "process", "vfb file", "mapping", "host attach fd". */
const char *hold_name(enum hold_kind k);
/*
 * Start a container (CT_CLONE) and take the holders in @want (HOLD_BIT()s;
 * HOLD_PROC is implied, HOLD_MAP implies HOLD_FILE).  On failure nothing is
 * left held.  The mapping is not touched.
 */
int hold_start(struct holders *h, unsigned int want);
/*
 * Let @k go (no-op if not held): HOLD_PROC kills the namespace (ct_stop, so
 * it is reaped too), the others close or unmap.
 */
void hold_release(struct holders *h, enum hold_kind k);
void hold_release_all(struct holders *h);
/* hold_release_all() for a zeroed or released struct is a no-op; this makes one. */
void hold_init(struct holders *h);

/* ---- counters and the namespace list ------------------------------------ */

struct hold_counts {
	long containers, watchers, states, vttys;
};

int hold_counts_now(struct hold_counts *c);
bool hold_counts_equal(const struct hold_counts *a, const struct hold_counts *b);
/* "containers 1 watchers 1 states 3 vttys 2", for messages. */
const char *hold_counts_str(const struct hold_counts *c, char *buf, size_t len);
/*
 * The counters with no container object left, as a baseline: with
 * @host_states, first make the host's own vfb state and terminal set exist
 * (they live as long as the implementation).  Waits until no container
 * object and no watcher is left; -ETIMEDOUT after @timeout_ms.
 */
int hold_baseline(struct hold_counts *c, bool host_states, int timeout_ms);
/* Wait until the counters equal @want: 0, or -ETIMEDOUT (*@last has the last ones). */
int hold_wait_counts(const struct hold_counts *want, int timeout_ms, struct hold_counts *last);

/* Is dev_ns @id listed?  1 (and *@dead: marked dead, may be NULL), 0 if not, or -errno. */
int hold_listed(uint64_t id, bool *dead);
/* Wait until @id's being listed is @listed: 0, -ETIMEDOUT, or -errno. */
int hold_wait_listed(uint64_t id, bool listed, int timeout_ms);

/* ---- sampled pictures ----------------------------------------------------- */

/*
 * A picture is fb_pattern(@seed) over all @smem bytes; the checks look at
 * HOLD_SAMPLES pages spread over it (the first and the last included).
 * Each returns the offset of the first differing byte, or @smem if none.
 */
#define HOLD_SAMPLES 16
size_t hold_map_check(const void *map, size_t smem, uint32_t seed);
/* Through pread on @fd; -errno if a read failed. */
long hold_fd_check(int fd, size_t smem, uint32_t seed);
/* By a new process in @ct on its own vfb (opened there); -errno on failure. */
long hold_ct_check(struct ct *ct, size_t smem, uint32_t seed);

#endif /* DEVNS_HOLDERS_H */
