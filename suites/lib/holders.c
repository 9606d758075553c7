// SPDX-License-Identifier: GPL-2.0
/* Helpers for the lifetime suite (see holders.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fb.h"
#include "holders.h"
#include "vfb_world.h"
#include "vtty.h"

const char *hold_name(enum hold_kind k)
{
	static const char *const names[] = {
		[HOLD_PROC] = "process", [HOLD_FILE] = "vfb file",
		[HOLD_MAP] = "mapping", [HOLD_ATTACH] = "host attach fd",
	};

	return k < HOLD_KINDS ? names[k] : "?";
}

void hold_init(struct holders *h)
{
	memset(h, 0, sizeof(*h));
	h->vfd = -1;
	h->hfd = -1;
}

static int take_file(struct holders *h, bool map)
{
	struct fb_info_pair info;
	int ret;

	h->vfd = vw_open_in(&h->ct);
	if (h->vfd < 0)
		return h->vfd;
	h->held |= HOLD_BIT(HOLD_FILE);
	/* Not vw_smem_len(): a host open would make the host's vfb state exist. */
	ret = fb_get(h->vfd, &info);
	if (ret)
		return ret;
	h->smem = info.fix.smem_len;
	if (!map)
		return 0;
	h->map = fb_map(h->vfd, h->smem);
	if (!h->map)
		return -errno;
	h->held |= HOLD_BIT(HOLD_MAP);
	/* A process the test forks must not become one more holder. */
	return madvise(h->map, h->smem, MADV_DONTFORK) ? -errno : 0;
}

static int take_attach(struct holders *h)
{
	int ret = vtty_devices(h->ct.pid, &h->devs);

	if (ret)
		return ret;
	h->hfd = vtty_attach(h->ct.pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
	if (h->hfd < 0)
		return h->hfd;
	h->held |= HOLD_BIT(HOLD_ATTACH);
	return 0;
}

int hold_start(struct holders *h, unsigned int want)
{
	int ret;

	hold_init(h);
	ret = ct_start(&h->ct, CT_CLONE, NULL);
	if (ret)
		return ret;
	h->held = HOLD_BIT(HOLD_PROC);
	h->id = pidns_id(h->ct.pid);
	if (!h->id)
		ret = -ESRCH;
	if (!ret && (want & (HOLD_BIT(HOLD_FILE) | HOLD_BIT(HOLD_MAP))))
		ret = take_file(h, want & HOLD_BIT(HOLD_MAP));
	if (!ret && (want & HOLD_BIT(HOLD_ATTACH)))
		ret = take_attach(h);
	if (ret)
		hold_release_all(h);
	return ret;
}

void hold_release(struct holders *h, enum hold_kind k)
{
	if (!(h->held & HOLD_BIT(k)))
		return;
	h->held &= ~HOLD_BIT(k);
	switch (k) {
	case HOLD_PROC:
		ct_stop(&h->ct);
		break;
	case HOLD_FILE:
		close(h->vfd);
		h->vfd = -1;
		break;
	case HOLD_MAP:
		munmap(h->map, h->smem);
		h->map = NULL;
		break;
	case HOLD_ATTACH:
		close(h->hfd);
		h->hfd = -1;
		break;
	case HOLD_KINDS:
		break;
	}
}

void hold_release_all(struct holders *h)
{
	for (int k = 0; k < HOLD_KINDS; k++)
		hold_release(h, (enum hold_kind)k);
}

/* ---- counters and the namespace list ------------------------------------ */

static int report(struct impl_report *r)
{
	return impl()->report ? impl()->report(r) : -EOPNOTSUPP;
}

/*
 * Call @check every 2 ms until it returns 1 (done): 0; its -errno; or
 * -ETIMEDOUT after @timeout_ms.
 */
int hold_counts_now(struct hold_counts *c)
{
	struct impl_report r;
	int ret = report(&r);

	if (ret)
		return ret;
	c->containers = r.containers;
	c->watchers = r.watchers;
	c->states = r.states;
	c->vttys = r.vttys;
	return 0;
}

bool hold_counts_equal(const struct hold_counts *a, const struct hold_counts *b)
{
	return a->containers == b->containers && a->watchers == b->watchers &&
	       a->states == b->states && a->vttys == b->vttys;
}

const char *hold_counts_str(const struct hold_counts *c, char *buf, size_t len)
{
	snprintf(buf, len, "containers %ld watchers %ld states %ld vttys %ld",
		 c->containers, c->watchers, c->states, c->vttys);
	return buf;
}

static int no_containers(void *arg)
{
	struct hold_counts *c = arg;
	int ret = hold_counts_now(c);

	return ret ? ret : !c->containers && !c->watchers;
}

int hold_baseline(struct hold_counts *c, bool host_states, int timeout_ms)
{
	int ret;

	if (host_states) {
		struct impl_vtty_devs d;
		int fd = fb_open(FB_VFB);

		if (fd < 0)
			return fd;
		close(fd);
		if (impl_has(IMPL_CAP_VTTY)) {
			ret = vtty_devices(0, &d);
			if (ret)
				return ret;
		}
	}
	return poll_until(no_containers, c, timeout_ms);
}

struct counts_wait {
	const struct hold_counts *want;
	struct hold_counts *last;
};

static int counts_reached(void *arg)
{
	struct counts_wait *w = arg;
	int ret = hold_counts_now(w->last);

	return ret ? ret : hold_counts_equal(w->want, w->last);
}

int hold_wait_counts(const struct hold_counts *want, int timeout_ms, struct hold_counts *last)
{
	struct counts_wait w = { .want = want, .last = last };

	return poll_until(counts_reached, &w, timeout_ms);
}

int hold_listed(uint64_t id, bool *dead)
{
	struct impl_report r;
	int ret = report(&r);

	if (ret)
		return ret;
	for (int i = 0; i < r.nr_listed; i++) {
		if (r.ns[i].id == id) {
			if (dead)
				*dead = r.ns[i].dead;
			return 1;
		}
	}
	return 0;
}

struct listed_wait {
	uint64_t id;
	bool listed;
};

static int listing_is(void *arg)
{
	struct listed_wait *w = arg;
	int ret = hold_listed(w->id, NULL);

	return ret < 0 ? ret : (ret == 1) == w->listed;
}

int hold_wait_listed(uint64_t id, bool listed, int timeout_ms)
{
	struct listed_wait w = { .id = id, .listed = listed };

	return poll_until(listing_is, &w, timeout_ms);
}

/* ---- sampled pictures ----------------------------------------------------- */

#define HOLD_PAGE 4096

/* Offset of sample @i of a picture of @smem bytes (page-aligned). */
static size_t sample_off(size_t smem, int i)
{
	size_t pages = smem / HOLD_PAGE;

	if (i == HOLD_SAMPLES - 1)
		return (pages - 1) * HOLD_PAGE;
	return pages * (size_t)i / HOLD_SAMPLES * HOLD_PAGE;
}

size_t hold_map_check(const void *map, size_t smem, uint32_t seed)
{
	const uint8_t *p = map;

	for (int i = 0; i < HOLD_SAMPLES; i++) {
		size_t off = sample_off(smem, i);
		size_t at = fb_pattern_find(p + off, HOLD_PAGE, off, seed);

		if (at < HOLD_PAGE)
			return off + at;
	}
	return smem;
}

long hold_fd_check(int fd, size_t smem, uint32_t seed)
{
	uint8_t page[HOLD_PAGE];

	for (int i = 0; i < HOLD_SAMPLES; i++) {
		size_t off = sample_off(smem, i), at;
		int ret = fb_pread_all(fd, page, HOLD_PAGE, (off_t)off);

		if (ret)
			return ret;
		at = fb_pattern_find(page, HOLD_PAGE, off, seed);
		if (at < HOLD_PAGE)
			return (long)(off + at);
	}
	return (long)smem;
}

long hold_ct_check(struct ct *ct, size_t smem, uint32_t seed)
{
	int fd = vw_open_in(ct);
	long where;

	if (fd < 0)
		return fd;
	where = hold_fd_check(fd, smem, seed);
	close(fd);
	return where;
}
