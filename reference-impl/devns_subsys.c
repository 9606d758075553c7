// SPDX-License-Identifier: GPL-2.0
/*
 * Subsystem registry and the API subsystems use (see devns_subsys.h).
 */
#include <linux/err.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "devns_core.h"

static struct devns_subsys *devns_subsys_table[DEVNS_MAX_SUBSYS];

int devns_subsys_register(struct devns_subsys *ss)
{
	int i, free_slot = -1, ret = 0;

	mutex_lock(&devns_lock);
	for (i = 0; i < DEVNS_MAX_SUBSYS; i++) {
		if (!devns_subsys_table[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (!strcmp(devns_subsys_table[i]->name, ss->name)) {
			ret = -EBUSY;
		}
	}
	if (!ret && free_slot < 0)
		ret = -ENOSPC;
	if (!ret) {
		ss->slot = free_slot;
		devns_subsys_table[free_slot] = ss;
	}
	mutex_unlock(&devns_lock);
	return ret;
}

static void devns_subsys_destroy_locked(struct devns *d, int slot)
{
	struct devns_subsys *ss = devns_subsys_table[slot];
	void *state = d->states[slot];

	lockdep_assert_held(&devns_lock);
	if (!state)
		return;
	if (d->active && ss->deactivate)
		ss->deactivate(d, state);
	if (ss->destroy)
		ss->destroy(d, state);
	d->states[slot] = NULL;
	devns_g.nr_states--;
}

void devns_subsys_unregister(struct devns_subsys *ss)
{
	struct devns *d;

	mutex_lock(&devns_lock);
	list_for_each_entry(d, &devns_g.list, node)
		devns_subsys_destroy_locked(d, ss->slot);
	devns_subsys_table[ss->slot] = NULL;
	mutex_unlock(&devns_lock);
}

void *devns_subsys_state(struct devns *d, struct devns_subsys *ss)
{
	void *state;

	mutex_lock(&devns_lock);
	if (devns_subsys_table[ss->slot] != ss) {
		state = ERR_PTR(-ENOENT);
		goto out;
	}
	state = d->states[ss->slot];
	if (state)
		goto out;
	state = ss->create(d);
	if (!state)
		state = ERR_PTR(-ENOMEM);
	if (IS_ERR(state))
		goto out;
	d->states[ss->slot] = state;
	devns_g.nr_states++;
	if (d->active && ss->activate)
		ss->activate(d, state);
	if (d->dead && ss->dead)
		ss->dead(d, state);
out:
	mutex_unlock(&devns_lock);
	return state;
}

void devns_subsys_show_locked(struct seq_file *m, struct devns *d)
{
	int i;

	lockdep_assert_held(&devns_lock);

	for (i = 0; i < DEVNS_MAX_SUBSYS; i++)
		if (d->states[i] && devns_subsys_table[i]->show)
			devns_subsys_table[i]->show(m, d->states[i]);
}

void devns_subsys_switch_away_locked(struct devns *prev)
{
	struct devns_subsys *ss;
	int i;

	lockdep_assert_held(&devns_lock);

	for (i = 0; i < DEVNS_MAX_SUBSYS; i++) {
		ss = devns_subsys_table[i];
		if (prev->states[i] && !ss->switch_states && ss->deactivate)
			ss->deactivate(prev, prev->states[i]);
	}
}

void devns_subsys_switch_to_locked(struct devns *prev, struct devns *next)
{
	struct devns_subsys *ss;
	int i;

	lockdep_assert_held(&devns_lock);

	for (i = 0; i < DEVNS_MAX_SUBSYS; i++) {
		ss = devns_subsys_table[i];
		if (ss && ss->switch_states && (prev->states[i] || next->states[i]))
			ss->switch_states(prev->states[i], next->states[i]);
	}
	for (i = 0; i < DEVNS_MAX_SUBSYS; i++) {
		ss = devns_subsys_table[i];
		if (next->states[i] && !ss->switch_states && ss->activate)
			ss->activate(next, next->states[i]);
	}
}

void devns_subsys_dead_locked(struct devns *d)
{
	int i;

	lockdep_assert_held(&devns_lock);

	for (i = 0; i < DEVNS_MAX_SUBSYS; i++)
		if (d->states[i] && devns_subsys_table[i]->dead)
			devns_subsys_table[i]->dead(d, d->states[i]);
}

void devns_subsys_destroy_all_locked(struct devns *d)
{
	int i;

	lockdep_assert_held(&devns_lock);

	for (i = 0; i < DEVNS_MAX_SUBSYS; i++)
		devns_subsys_destroy_locked(d, i);
}

/* The tracked object of @ns (pinned by the caller) with a reference, if alive. */
static struct devns *devns_get_alive(struct pid_namespace *ns)
{
	struct devns *d;

	mutex_lock(&devns_lock);
	if (devns_ns_dead(ns)) {
		d = ERR_PTR(-ESRCH);
	} else {
		d = devns_get_or_create_locked(ns);
		if (!IS_ERR(d) && d->dead) {
			devns_put_locked(d);
			d = ERR_PTR(-ESRCH);
		}
	}
	mutex_unlock(&devns_lock);
	return d;
}

struct devns *devns_get_current(void)
{
	struct pid_namespace *ns;
	struct devns *d;

	rcu_read_lock();
	ns = devns_get_task_ns(current);
	rcu_read_unlock();
	d = devns_get_alive(ns);
	put_pid_ns(ns);
	return d;
}

struct devns *devns_get_pid(pid_t nr)
{
	struct pid_namespace *ns = devns_get_pid_ns_of(nr);
	struct devns *d;

	if (!ns)
		return ERR_PTR(-ESRCH);
	d = devns_get_alive(ns);
	put_pid_ns(ns);
	return d;
}

void devns_get(struct devns *d)
{
	kref_get(&d->refs);
}

void devns_put(struct devns *d)
{
	mutex_lock(&devns_lock);
	devns_put_locked(d);
	mutex_unlock(&devns_lock);
}

u64 devns_id(const struct devns *d)
{
	return d->id;
}

bool devns_is_active(const struct devns *d)
{
	return READ_ONCE(d->active);
}

void devns_assert_held(void)
{
	lockdep_assert_held(&devns_lock);
}
