/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns core: one struct devns per tracked pid namespace, the active one,
 * the switch generation.  Everything here is protected by devns_lock
 * unless a comment says otherwise.
 *
 * References on a struct devns (kref "refs"):
 * - the alive reference, from creation until the namespace dies (the
 *   host's is never dropped);
 * - the active pointer (devns_g.active);
 * - one per queued death work;
 * - one per devns_get_current() / devns_get_or_create_locked() caller.
 * The last put removes the object from the list, destroys its subsystem
 * states and unpins the pid namespace.
 */
#ifndef DEVNS_CORE_H
#define DEVNS_CORE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "devns_subsys.h"

struct pid;
struct pid_namespace;
struct task_struct;
struct devns_ns_info;
struct devns_state;

struct devns {
	struct kref refs;
	struct list_head node;		/* in devns_g.list */
	struct pid_namespace *ns;	/* pinned: the identity */
	u64 id;				/* ns->ns.inum */
	unsigned int level;		/* ns->level */
	u64 activations;
	bool active;
	bool dead;
	/* death watcher (devns_watch.c) */
	bool armed;
	struct pid *reaper;		/* pid 1 of ns, pinned while armed */
	struct wait_queue_entry wait;	/* on reaper->wait_pidfd */
	struct work_struct death_work;
	void *states[DEVNS_MAX_SUBSYS];
};

struct devns_globals {
	struct list_head list;
	struct devns *host;
	struct devns *active;
	u64 generation;		/* also read locklessly by poll */
	unsigned int nr_ns;	/* objects in list, host included */
	unsigned int nr_watchers;
	unsigned int nr_states;
	wait_queue_head_t switch_wq;
};

extern struct mutex devns_lock;
extern struct devns_globals devns_g;

/* devns_core.c */
int devns_core_init(void);
void devns_core_exit(void);
struct pid_namespace *devns_get_task_ns(struct task_struct *task);
bool devns_ns_dead(struct pid_namespace *ns);
struct pid_namespace *devns_get_pid_ns_of(pid_t nr);
struct devns *devns_find_locked(struct pid_namespace *ns);
struct devns *devns_get_or_create_locked(struct pid_namespace *ns);
void devns_put_locked(struct devns *d);
void devns_switch_locked(struct devns *next);
void devns_died_locked(struct devns *d);
int devns_activate(pid_t nr);
int devns_describe(struct devns_ns_info *info);
void devns_get_state(struct devns_state *st);
u64 devns_generation(void);

/* devns_watch.c */
int devns_watch_init(void);
void devns_watch_exit(void);
int devns_watch_arm_locked(struct devns *d);
void devns_watch_disarm_locked(struct devns *d);

/* devns_subsys.c */
/* The states' parts of @d's /proc/devns line. */
void devns_subsys_show_locked(struct seq_file *m, struct devns *d);
/* A switch from @prev to @next: deactivate() of @prev's states ... */
void devns_subsys_switch_away_locked(struct devns *prev);
/* ... then switch_states() and activate() of @next's (devns_subsys.h). */
void devns_subsys_switch_to_locked(struct devns *prev, struct devns *next);
void devns_subsys_dead_locked(struct devns *d);
void devns_subsys_destroy_all_locked(struct devns *d);

/* devns_ctl.c, devns_proc.c */
int devns_ctl_init(void);
void devns_ctl_exit(void);
int devns_proc_init(void);
void devns_proc_exit(void);

#endif /* DEVNS_CORE_H */
