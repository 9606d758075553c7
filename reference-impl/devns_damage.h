/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Damage tracking (devns_damage.c): which pages of one namespace's picture
 * changed, for the host's damage views (SPEC.md section 3.3).
 */
#ifndef DEVNS_DAMAGE_H
#define DEVNS_DAMAGE_H

#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct address_space;
struct file;

/* One picture's tracker, part of its vfb state. */
struct devns_damage {
	spinlock_t lock;		/* the fields below but wait */
	struct list_head views;		/* struct devns_damage_view */
	unsigned int nr_views;		/* read without the lock: anyone watching? */
	unsigned long *rearm;		/* pages made writable since their last zap */
	unsigned long npages;
	u64 seq;
	bool dead;
	wait_queue_head_t wait;		/* views: damage, death */
};

/* One damage view's pending damage. */
struct devns_damage_view {
	struct devns_damage *dmg;
	struct list_head node;
	unsigned long *pending;		/* pages written since its last fetch */
	u32 flags;			/* DEVNS_DAMAGE_* since its last fetch */
};

int devns_damage_init(struct devns_damage *dmg, unsigned long npages);
void devns_damage_release(struct devns_damage *dmg);

/* What changed: a store through a mapping (its write fault), bytes, everything. */
void devns_damage_store(struct devns_damage *dmg, pgoff_t page);
void devns_damage_bytes(struct devns_damage *dmg, loff_t pos, size_t len);
void devns_damage_flags(struct devns_damage *dmg, u32 flags);
/* The namespace died: views report DEVNS_DAMAGE_DEAD and hang up. */
void devns_damage_kill(struct devns_damage *dmg);
bool devns_damage_dead(struct devns_damage *dmg);

/*
 * A view of @dmg's picture, whose mappings are in @mapping: starts tracking
 * (its first fetch is DEVNS_DAMAGE_FULL).
 */
struct devns_damage_view *devns_damage_attach(struct devns_damage *dmg,
					      struct address_space *mapping);
void devns_damage_detach(struct devns_damage_view *view);
/* DEVNS_VFB_IOC_DAMAGE. */
long devns_damage_fetch(struct devns_damage_view *view, struct address_space *mapping,
			void __user *argp);
/* EPOLLIN while @view has damage to fetch (@view may be NULL: none). */
__poll_t devns_damage_poll(struct devns_damage *dmg, struct devns_damage_view *view,
			   struct file *file, poll_table *wait);

#endif /* DEVNS_DAMAGE_H */
