// SPDX-License-Identifier: GPL-2.0
/*
 * Damage tracking: which pages of a namespace's picture changed since a
 * host view last asked (SPEC.md section 3.3).
 *
 * Stores through a mapping are seen by their write fault.  The vfb's
 * mappings have a page_mkwrite handler, so the kernel maps pages read-only
 * and the first store to each takes a write fault that reports its page
 * (devns_damage_store()) before the PTE becomes writable.  Later stores to
 * that page are free until the page is zapped again, which a fetch does for
 * every page it hands over (the "re-arm"): the next store faults again.
 * write() reports its bytes after the copy, configuration changes and
 * switches report DEVNS_DAMAGE_FULL.
 *
 * Order of a fetch (the only safe one): take and clear the view's bits and
 * the pages to re-arm, zap those pages, return; the viewer reads the pixels
 * after that.  A store before the zap is seen by that read, a store after it
 * faults and is in the next fetch.  A write fault racing the zap finds its
 * PTE gone (the fault core rechecks it under the page table lock) and
 * faults again.
 *
 * Nothing is done while no view watches: no bits, no zaps (a view's attach
 * zaps every mapping once, so no PTE made writable before it stays
 * writable).  The only cost left is the write fault that makes each freshly
 * mapped page writable.
 *
 * Locking: dmg->lock (a spinlock, taken in write faults under the page lock)
 * protects the views' bits and flags, rearm and seq; zaps run outside it.
 */
#include <linux/bitmap.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uapi/devns.h"
#include "devns_damage.h"

int devns_damage_init(struct devns_damage *dmg, unsigned long npages)
{
	spin_lock_init(&dmg->lock);
	INIT_LIST_HEAD(&dmg->views);
	init_waitqueue_head(&dmg->wait);
	dmg->npages = npages;
	dmg->rearm = bitmap_zalloc(npages, GFP_KERNEL);
	return dmg->rearm ? 0 : -ENOMEM;
}

/* Every view was detached (each holds its namespace). */
void devns_damage_release(struct devns_damage *dmg)
{
	WARN_ON_ONCE(!list_empty(&dmg->views));
	bitmap_free(dmg->rearm);
}

/* Pages [@first, @first + @nr) and @flags changed: tell every view. */
static void devns_damage_mark(struct devns_damage *dmg, unsigned long first,
			      unsigned long nr, u32 flags, bool store)
{
	struct devns_damage_view *view;

	if (!READ_ONCE(dmg->nr_views))
		return;
	spin_lock(&dmg->lock);
	list_for_each_entry(view, &dmg->views, node) {
		bitmap_set(view->pending, first, nr);
		view->flags |= flags;
	}
	if (store)
		bitmap_set(dmg->rearm, first, nr);
	dmg->seq++;
	spin_unlock(&dmg->lock);
	wake_up_all(&dmg->wait);
}

/* A write fault on @page: it is about to become writable. */
void devns_damage_store(struct devns_damage *dmg, pgoff_t page)
{
	if (page < dmg->npages)
		devns_damage_mark(dmg, page, 1, 0, true);
}

/* write(): @len bytes at @pos were copied in (call after the copy). */
void devns_damage_bytes(struct devns_damage *dmg, loff_t pos, size_t len)
{
	unsigned long first = pos >> PAGE_SHIFT;

	if (!len)
		return;
	devns_damage_mark(dmg, first, ((pos + len - 1) >> PAGE_SHIFT) - first + 1, 0, false);
}

void devns_damage_flags(struct devns_damage *dmg, u32 flags)
{
	devns_damage_mark(dmg, 0, 0, flags, false);
}

bool devns_damage_dead(struct devns_damage *dmg)
{
	return READ_ONCE(dmg->dead);
}

void devns_damage_kill(struct devns_damage *dmg)
{
	WRITE_ONCE(dmg->dead, true);
	wake_up_all(&dmg->wait);
}

struct devns_damage_view *devns_damage_attach(struct devns_damage *dmg,
					      struct address_space *mapping)
{
	struct devns_damage_view *view = kzalloc(sizeof(*view), GFP_KERNEL);

	if (!view)
		return ERR_PTR(-ENOMEM);
	view->pending = bitmap_zalloc(dmg->npages, GFP_KERNEL);
	if (!view->pending) {
		kfree(view);
		return ERR_PTR(-ENOMEM);
	}
	view->dmg = dmg;
	view->flags = DEVNS_DAMAGE_FULL;
	spin_lock(&dmg->lock);
	list_add(&view->node, &dmg->views);
	WRITE_ONCE(dmg->nr_views, dmg->nr_views + 1);
	spin_unlock(&dmg->lock);
	/* PTEs made writable while nobody watched: the next store faults */
	unmap_mapping_range(mapping, 0, 0, 0);
	return view;
}

void devns_damage_detach(struct devns_damage_view *view)
{
	struct devns_damage *dmg = view->dmg;

	spin_lock(&dmg->lock);
	list_del(&view->node);
	WRITE_ONCE(dmg->nr_views, dmg->nr_views - 1);
	spin_unlock(&dmg->lock);
	bitmap_free(view->pending);
	kfree(view);
}

/* Zap the PTEs of every page in @pages: the next store to one faults. */
static void devns_damage_rearm(struct devns_damage *dmg, struct address_space *mapping,
			       const unsigned long *pages)
{
	unsigned long start, end;

	for_each_set_bitrange(start, end, pages, dmg->npages)
		unmap_mapping_pages(mapping, start, end - start, false);
}

/* Give @bits and @flags back to @view (its fetch could not hand them over). */
static void devns_damage_restore(struct devns_damage_view *view,
				 const unsigned long *bits, u32 flags)
{
	struct devns_damage *dmg = view->dmg;

	spin_lock(&dmg->lock);
	bitmap_or(view->pending, view->pending, bits, dmg->npages);
	view->flags |= flags;
	spin_unlock(&dmg->lock);
}

long devns_damage_fetch(struct devns_damage_view *view, struct address_space *mapping,
			void __user *argp)
{
	struct devns_damage *dmg = view->dmg;
	unsigned long npages = dmg->npages;
	struct devns_vfb_damage req;
	unsigned long *bits, *zap;
	u64 *words = NULL;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved[0] || req.reserved[1])
		return -EINVAL;
	if (req.nbits < npages) {
		req.nbits = npages;
		return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : -ENOSPC;
	}
	bits = bitmap_alloc(npages, GFP_KERNEL);
	zap = bitmap_alloc(npages, GFP_KERNEL);
	words = kcalloc(BITS_TO_U64(npages), sizeof(u64), GFP_KERNEL);
	if (!bits || !zap || !words) {
		ret = -ENOMEM;
		goto out;
	}

	/* 1. take the bits and the pages to re-arm */
	spin_lock(&dmg->lock);
	bitmap_copy(bits, view->pending, npages);
	bitmap_zero(view->pending, npages);
	req.flags = view->flags;
	view->flags = 0;
	bitmap_copy(zap, dmg->rearm, npages);
	bitmap_zero(dmg->rearm, npages);
	req.seq = dmg->seq;
	spin_unlock(&dmg->lock);
	/* 2. re-arm them; 3. (the caller) read the pixels */
	devns_damage_rearm(dmg, mapping, zap);

	if (devns_damage_dead(dmg))
		req.flags |= DEVNS_DAMAGE_DEAD;
	req.nbits = npages;
	req.first = find_first_bit(bits, npages);
	req.last = req.first < npages ? find_last_bit(bits, npages) + 1 : 0;
	if (req.first >= npages)
		req.first = 0;
	bitmap_to_arr64(words, bits, npages);
	if (copy_to_user(u64_to_user_ptr(req.bitmap), words, BITS_TO_U64(npages) * sizeof(u64)) ||
	    copy_to_user(argp, &req, sizeof(req))) {
		devns_damage_restore(view, bits, req.flags & ~DEVNS_DAMAGE_DEAD);
		ret = -EFAULT;
	}
out:
	kfree(words);
	bitmap_free(zap);
	bitmap_free(bits);
	return ret;
}

__poll_t devns_damage_poll(struct devns_damage *dmg, struct devns_damage_view *view,
			   struct file *file, poll_table *wait)
{
	bool busy = false;

	poll_wait(file, &dmg->wait, wait);
	if (view) {
		spin_lock(&dmg->lock);
		busy = view->flags || !bitmap_empty(view->pending, dmg->npages);
		spin_unlock(&dmg->lock);
	}
	return busy ? EPOLLIN | EPOLLRDNORM : 0;
}
