// SPDX-License-Identifier: GPL-2.0
/*
 * devns core: tracked namespaces, the active one, switches, and the
 * operations behind the control ioctls.
 */
#include <linux/err.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "uapi/devns.h"
#include "devns_core.h"

/* Protects devns_g, every struct devns and the subsystem table. */
DEFINE_MUTEX(devns_lock);
struct devns_globals devns_g;

/*
 * The pid namespace a task's dev_ns belongs to, pinned.  Called under
 * rcu_read_lock() with a task found by pid (its struct pid, which pins
 * its namespace, cannot be freed before the read side ends), or with
 * current.
 */
struct pid_namespace *devns_get_task_ns(struct task_struct *task)
{
	return get_pid_ns(task_active_pid_ns(task));
}

/*
 * A namespace is dead once no process can enter it any more: the kernel
 * clears PIDNS_ADDING when its init exits (or its first fork failed), and
 * never sets it again.
 */
bool devns_ns_dead(struct pid_namespace *ns)
{
	return !(READ_ONCE(ns->pid_allocated) & PIDNS_ADDING);
}

static bool devns_same_ns(const struct devns *d, const struct pid_namespace *ns)
{
	return d->ns == ns;
}

struct devns *devns_find_locked(struct pid_namespace *ns)
{
	struct devns *d;

	lockdep_assert_held(&devns_lock);
	list_for_each_entry(d, &devns_g.list, node)
		if (devns_same_ns(d, ns))
			return d;
	return NULL;
}

/* A new object holding its alive reference, listed. */
static struct devns *devns_alloc_locked(struct pid_namespace *ns)
{
	struct devns *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	kref_init(&d->refs);
	d->ns = get_pid_ns(ns);
	d->id = ns->ns.inum;
	d->level = ns->level;
	list_add_tail(&d->node, &devns_g.list);
	devns_g.nr_ns++;
	return d;
}

static void devns_free_locked(struct devns *d)
{
	list_del(&d->node);
	devns_g.nr_ns--;
	devns_subsys_destroy_all_locked(d);
	put_pid_ns(d->ns);
	kfree(d);
}

static void devns_release(struct kref *kref)
{
	devns_free_locked(container_of(kref, struct devns, refs));
}

void devns_put_locked(struct devns *d)
{
	lockdep_assert_held(&devns_lock);
	kref_put(&d->refs, devns_release);
}

/*
 * The tracked object of @ns with a new reference, created (and its death
 * watcher armed) if needed.  The caller must check ->dead: a namespace
 * that dies during creation is returned dead.
 */
struct devns *devns_get_or_create_locked(struct pid_namespace *ns)
{
	struct devns *d = devns_find_locked(ns);

	if (d) {
		kref_get(&d->refs);
		return d;
	}
	d = devns_alloc_locked(ns);
	if (!d)
		return ERR_PTR(-ENOMEM);
	kref_get(&d->refs);
	if (devns_watch_arm_locked(d))
		devns_died_locked(d);
	return d;
}

void devns_switch_locked(struct devns *next)
{
	struct devns *prev = devns_g.active;

	lockdep_assert_held(&devns_lock);
	WRITE_ONCE(prev->active, false);
	devns_subsys_switch_away_locked(prev);
	WRITE_ONCE(next->active, true);
	devns_subsys_switch_to_locked(prev, next);
	kref_get(&next->refs);
	devns_g.active = next;
	devns_put_locked(prev);
	next->activations++;
	WRITE_ONCE(devns_g.generation, devns_g.generation + 1);
	wake_up_interruptible_poll(&devns_g.switch_wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * @d's namespace died: stop watching, fall back to the host if @d was
 * active, drop the alive reference (@d may be freed on return unless the
 * caller holds one).
 */
void devns_died_locked(struct devns *d)
{
	lockdep_assert_held(&devns_lock);
	if (d->dead)
		return;
	devns_watch_disarm_locked(d);
	d->dead = true;
	devns_subsys_dead_locked(d);
	if (d == devns_g.active)
		devns_switch_locked(devns_g.host);
	devns_put_locked(d);
}

/* The namespace of the process @nr in the caller's pid namespace, pinned. */
struct pid_namespace *devns_get_pid_ns_of(pid_t nr)
{
	struct pid_namespace *ns = NULL;
	struct task_struct *task;

	rcu_read_lock();
	task = nr ? pid_task(find_vpid(nr), PIDTYPE_PID) : current;
	if (task)
		ns = devns_get_task_ns(task);
	rcu_read_unlock();
	return ns;
}

int devns_activate(pid_t nr)
{
	struct pid_namespace *ns = devns_get_pid_ns_of(nr);
	struct devns *d;
	int ret = 0;

	if (!ns)
		return -ESRCH;
	mutex_lock(&devns_lock);
	if (devns_ns_dead(ns)) {
		ret = -ESRCH;
		goto out;
	}
	d = devns_get_or_create_locked(ns);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		goto out;
	}
	if (d->dead)
		ret = -ESRCH;
	else if (d != devns_g.active)
		devns_switch_locked(d);
	devns_put_locked(d);
out:
	mutex_unlock(&devns_lock);
	put_pid_ns(ns);
	return ret;
}

int devns_describe(struct devns_ns_info *info)
{
	struct pid_namespace *ns = devns_get_pid_ns_of(info->pid);
	struct devns *d;

	if (!ns)
		return -ESRCH;
	mutex_lock(&devns_lock);
	d = devns_find_locked(ns);
	info->id = d ? d->id : ns->ns.inum;
	info->level = d ? d->level : ns->level;
	info->state = 0;
	if (d && d->active)
		info->state |= DEVNS_NS_ACTIVE;
	if (d && d == devns_g.host)
		info->state |= DEVNS_NS_HOST;
	info->activations = d ? d->activations : 0;
	mutex_unlock(&devns_lock);
	put_pid_ns(ns);
	return 0;
}

void devns_get_state(struct devns_state *st)
{
	struct pid_namespace *ns = devns_get_pid_ns_of(0);
	bool full_view = task_active_pid_ns(current) == &init_pid_ns;
	struct devns *self;

	memset(st, 0, sizeof(*st));
	mutex_lock(&devns_lock);
	self = devns_find_locked(ns);
	st->generation = devns_g.generation;
	st->self_id = self ? self->id : ns->ns.inum;
	st->self_active = self && self->active;
	if (full_view) {
		st->active_id = devns_g.active->id;
		st->nr_namespaces = devns_g.nr_ns;
	} else if (st->self_active) {
		st->active_id = st->self_id;
	}
	mutex_unlock(&devns_lock);
	put_pid_ns(ns);
}

/* Lockless: for poll(). */
u64 devns_generation(void)
{
	return READ_ONCE(devns_g.generation);
}

int devns_core_init(void)
{
	struct devns *host;
	int ret;

	INIT_LIST_HEAD(&devns_g.list);
	init_waitqueue_head(&devns_g.switch_wq);
	devns_g.generation = 0;
	ret = devns_watch_init();
	if (ret)
		return ret;
	mutex_lock(&devns_lock);
	host = devns_alloc_locked(&init_pid_ns);
	if (host) {
		host->active = true;
		kref_get(&host->refs);
		devns_g.host = host;
		devns_g.active = host;
	}
	mutex_unlock(&devns_lock);
	if (!host) {
		devns_watch_exit();
		return -ENOMEM;
	}
	return 0;
}

/* No file is open any more: disarm, let queued death works finish, free. */
void devns_core_exit(void)
{
	struct devns *d, *tmp;

	mutex_lock(&devns_lock);
	list_for_each_entry(d, &devns_g.list, node)
		devns_watch_disarm_locked(d);
	mutex_unlock(&devns_lock);
	devns_watch_exit();
	mutex_lock(&devns_lock);
	list_for_each_entry_safe(d, tmp, &devns_g.list, node)
		devns_free_locked(d);
	devns_g.host = NULL;
	devns_g.active = NULL;
	mutex_unlock(&devns_lock);
}
