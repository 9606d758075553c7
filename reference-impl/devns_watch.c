// SPDX-License-Identifier: GPL-2.0
/*
 * Death watcher: notice that a tracked pid namespace died, with exported
 * symbols only.
 *
 * We pin the struct pid of the namespace's process 1 (its init's thread
 * group; looked up with find_pid_ns() rather than through ->child_reaper,
 * an unreferenced task pointer) and hang a custom entry on its wait_pidfd
 * queue.  The kernel wakes that queue when the init exits, after
 * zap_pid_ns_processes() cleared PIDNS_ADDING and reaped every other task
 * of the namespace.  The callback runs in atomic context, so it only
 * queues the work; the work re-checks the predicate (the queue is also
 * woken for other reasons) and handles the death under the core mutex.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "devns_core.h"

static struct workqueue_struct *devns_wq;

static void devns_watch_work(struct work_struct *work)
{
	struct devns *d = container_of(work, struct devns, death_work);

	mutex_lock(&devns_lock);
	if (d->armed && devns_ns_dead(d->ns))
		devns_died_locked(d);
	devns_put_locked(d);	/* the queued work's reference */
	mutex_unlock(&devns_lock);
}

static int devns_watch_wake(struct wait_queue_entry *wait, unsigned int mode,
			    int sync, void *key)
{
	struct devns *d = container_of(wait, struct devns, wait);

	/*
	 * Armed implies the alive reference is held, and disarming removes
	 * this entry under the queue lock we run under: d cannot go away
	 * here.  That lock also serialises the wake-ups, so nobody else can
	 * queue the work between the test and queue_work(), which succeeds.
	 * A work still pending will run after this wake-up and see what
	 * caused it: the queued work's reference is taken once.
	 */
	if (!work_pending(&d->death_work)) {
		kref_get(&d->refs);
		queue_work(devns_wq, &d->death_work);
	}
	return 0;
}

int devns_watch_arm_locked(struct devns *d)
{
	struct pid *reaper;

	lockdep_assert_held(&devns_lock);
	rcu_read_lock();
	reaper = get_pid(find_pid_ns(1, d->ns));
	rcu_read_unlock();
	if (!reaper)
		return -ESRCH;
	d->reaper = reaper;
	INIT_WORK(&d->death_work, devns_watch_work);
	init_waitqueue_func_entry(&d->wait, devns_watch_wake);
	add_wait_queue(&reaper->wait_pidfd, &d->wait);
	d->armed = true;
	devns_g.nr_watchers++;
	/*
	 * An init that exited before the entry was queued woke nobody, but
	 * it cleared PIDNS_ADDING before that wake-up, so we see it here.
	 */
	if (devns_ns_dead(d->ns)) {
		devns_watch_disarm_locked(d);
		return -ESRCH;
	}
	return 0;
}

void devns_watch_disarm_locked(struct devns *d)
{
	lockdep_assert_held(&devns_lock);
	if (!d->armed)
		return;
	remove_wait_queue(&d->reaper->wait_pidfd, &d->wait);
	put_pid(d->reaper);
	d->reaper = NULL;
	d->armed = false;
	devns_g.nr_watchers--;
}

int devns_watch_init(void)
{
	devns_wq = alloc_workqueue("devns", 0, 0);
	return devns_wq ? 0 : -ENOMEM;
}

/* Every watcher is disarmed: run what is still queued, then free. */
void devns_watch_exit(void)
{
	destroy_workqueue(devns_wq);
	devns_wq = NULL;
}
