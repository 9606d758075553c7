// SPDX-License-Identifier: GPL-2.0
/*
 * LIFE-1: a container's dev_ns has four holders (holders.h): its live
 * process, a vfb file, a shared mapping of that file and a host attach fd.
 * For each of the 24 orders in which they can go, after every step: the
 * dev_ns is still listed while any of them is left; the picture is intact
 * through each holder that can still show it (the mapping, the file, a new
 * process in the container while it lives); the host fd still reads the
 * container's terminal output, one token per step.  After the last step
 * the dev_ns is no longer listed and every live-object counter is back to
 * its value before the container existed.  The first order that goes wrong
 * stops the loop (a use-after-free in one order would poison the next).
 */
#include <stdio.h>

#include "fb.h"
#include "holders_fixture.h"
#include "vtty.h"

#define ORDERS 24

/* The next permutation of @p in lexicographic order; false after the last. */
static bool next_order(int p[HOLD_KINDS])
{
	int i = HOLD_KINDS - 2, j = HOLD_KINDS - 1, t;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return false;
	while (p[j] <= p[i])
		j--;
	t = p[i];
	p[i] = p[j];
	p[j] = t;
	for (i++, j = HOLD_KINDS - 1; i < j; i++, j--) {
		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return true;
}

static const char *order_str(const int order[HOLD_KINDS], char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s, %s, %s", hold_name(order[0]), hold_name(order[1]),
		 hold_name(order[2]), hold_name(order[3]));
	return buf;
}

/* The terminal output token of step @step of order @n. */
static const char *token(int n, int step, char *buf, size_t len)
{
	snprintf(buf, len, "order%d-step%d;", n, step);
	return buf;
}

/* One order, in its own container.  On the first thing wrong: false, and @why says what. */
struct order_run {
	int n;				/* 1..24 */
	const int *order;
	const struct hold_counts *base;
	int step;			/* holders let go when it went wrong */
	char why[400];
};

#define WHY(run, ...) (snprintf((run)->why, sizeof((run)->why), __VA_ARGS__), false)

/* Everything the remaining holders must still show, after @step steps (0: before any). */
static bool check_held(struct order_run *run, struct holders *h, int step)
{
	uint32_t seed = 0x11f30000u + (uint32_t)run->n;
	char tok[32], seen[128];
	bool dead = false;
	long where;
	int ret;

	ret = hold_listed(h->id, &dead);
	if (ret != 1)
		return WHY(run, "the dev_ns is not listed (%d) while held", ret);
	if (h->held & HOLD_BIT(HOLD_MAP)) {
		where = (long)hold_map_check(h->map, h->smem, seed);
		if (where != (long)h->smem)
			return WHY(run, "the mapping differs from the picture at byte %ld", where);
	}
	if (h->held & HOLD_BIT(HOLD_FILE)) {
		where = hold_fd_check(h->vfd, h->smem, seed);
		if (where != (long)h->smem)
			return WHY(run, "the vfb file %s %ld", where < 0 ? "fails to read:" :
				   "differs from the picture at byte", where < 0 ? -where : where);
	}
	if (h->held & HOLD_BIT(HOLD_PROC)) {
		where = hold_ct_check(&h->ct, h->smem, seed);
		if (where != (long)h->smem)
			return WHY(run, "a new vfb file of the container %s %ld",
				   where < 0 ? "fails:" : "differs from the picture at byte",
				   where < 0 ? -where : where);
	}
	if (h->held & HOLD_BIT(HOLD_ATTACH)) {
		token(run->n, step, tok, sizeof(tok));
		ret = vtty_expect(h->hfd, tok, LT_SOON, seen, sizeof(seen));
		if (ret)
			return WHY(run, "the host fd did not read '%s' (%s); it read '%s'", tok,
				   strerror(-ret), seen);
	}
	return true;
}

static bool run_order(struct order_run *run, struct holders *h)
{
	uint32_t seed = 0x11f30000u + (uint32_t)run->n;
	char text[128], node[32], last[160];
	struct hold_counts now;
	struct vt_write w;
	int ret;

	/* The picture, drawn through the mapping; the output, one token per check. */
	fb_pattern(h->map, h->smem, 0, seed);
	text[0] = '\0';
	for (int step = 0; step < HOLD_KINDS; step++)
		token(run->n, step, text + strlen(text), sizeof(text) - strlen(text));
	w = vt_write_text(vtty_node(&h->devs, 0, node, sizeof(node)), text);
	ret = vt_ct_write(&h->ct, &w, LT_SOON);
	if (ret || w.step)
		return WHY(run, "the container's write to %s failed: %s (%s)", node,
			   strerror(ret ? -ret : w.err), vt_write_step_name(w.step));

	for (int step = 0; step < HOLD_KINDS; step++) {
		run->step = step;
		if (step > 0)
			hold_release(h, run->order[step - 1]);
		if (!check_held(run, h, step))
			return false;
	}
	run->step = HOLD_KINDS;
	hold_release(h, run->order[HOLD_KINDS - 1]);
	ret = hold_wait_listed(h->id, false, LT_SETTLE);
	if (ret)
		return WHY(run, "the dev_ns is still listed (%s)", strerror(-ret));
	ret = hold_wait_counts(run->base, LT_SETTLE, &now);
	if (ret) {
		char want[160];

		return WHY(run, "counters %s, before the container %s",
			   hold_counts_str(&now, last, sizeof(last)),
			   hold_counts_str(run->base, want, sizeof(want)));
	}
	return true;
}

TEST_F_TIMEOUT(lt, every_release_order_of_process_file_mapping_attach, deadline_s(25))
{
	int order[HOLD_KINDS] = { HOLD_PROC, HOLD_FILE, HOLD_MAP, HOLD_ATTACH };
	struct hold_counts base;
	struct order_run run;
	int passed = 0;
	char names[128];

	REQ("LIFE-1");
	REQUIRE_CAP(IMPL_CAP_VFB | IMPL_CAP_VTTY | IMPL_CAP_COUNTERS);
	LT_BASELINE(&base, true);
	for (int n = 1; n <= ORDERS; n++) {
		struct holders *h;
		int ret;

		memset(&run, 0, sizeof(run));
		run.n = n;
		run.order = order;
		run.base = &base;
		self->nh = 0;		/* the last order let go of everything */
		LT_HOLD(&h, HOLD_ALL);
		order_str(order, names, sizeof(names));
		if (!run_order(&run, h)) {
			hold_release_all(h);
			EXPECT_EQ(ORDERS, passed)
				TH_LOG("order %d (%s): %s %s: %s", n, names,
				       run.step ? "after letting go of the" : "before",
				       run.step ? hold_name(order[run.step - 1]) : "the first step",
				       run.why);
			return;
		}
		printf("# order %2d ok: %s\n", n, names);
		fflush(stdout);
		passed++;
		ret = next_order(order);
		ASSERT_EQ(n < ORDERS, ret);
	}
	EXPECT_EQ(ORDERS, passed);
}

TEST_HARNESS_MAIN
