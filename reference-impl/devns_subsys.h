/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns subsystems: the one internal interface through which per-namespace
 * device virtualizations (compiled into this module) attach to the core.
 *
 * A subsystem registers a struct devns_subsys.  For every device namespace
 * in which it is used, it owns one opaque state, created on first use by
 * devns_subsys_state() and destroyed when the namespace object is freed
 * (after the namespace died and the last devns_put()) or when the subsystem
 * unregisters.
 *
 * Rules for the callbacks:
 * - All of them run with the core mutex held: they must not call any
 *   devns_* function except devns_id() and devns_is_active().
 * - create() may sleep; it returns the state or an ERR_PTR().
 * - A state is told about its namespace's foreground status:
 *   activate() runs right after create() if the namespace is active, and
 *   on every switch to it; deactivate() runs on every switch away from it
 *   and before destroy() if it is still active.  On a switch every
 *   deactivate() of the old namespace runs before any activate() of the
 *   new one.  Callbacks left NULL are skipped.
 * - switch_states(), if set, takes a switch in one call instead of
 *   deactivate() and activate(): from the old namespace's state to the new
 *   one's, either NULL when that namespace has none (never both), after
 *   the other subsystems' deactivate() and before their activate().  A
 *   subsystem that needs to know what comes next (the vfb: no blanking of a
 *   panel that the next state overwrites at once) sets it.
 * - dead() runs once when the namespace dies (its init exited), before the
 *   last references go, or right after create() if it is already dead: the
 *   state must stop serving new work and tell its users (hangups, EOF).
 * - show() appends " <name> <what>" about the state to its namespace's line
 *   of /proc/devns.
 *
 * Binding at open(): devns_get_current() returns the caller's namespace
 * with a reference (ERR_PTR(-ESRCH) when it is dead, -ENOMEM); store it in
 * the file and devns_put() it at release().  Never look at current in
 * release() to find the namespace.
 */
#ifndef DEVNS_SUBSYS_H
#define DEVNS_SUBSYS_H

#include <linux/types.h>

#define DEVNS_MAX_SUBSYS	4

struct devns;
struct seq_file;

struct devns_subsys {
	const char *name;
	void *(*create)(struct devns *dns);
	void (*destroy)(struct devns *dns, void *state);
	void (*activate)(struct devns *dns, void *state);
	void (*deactivate)(struct devns *dns, void *state);
	void (*switch_states)(void *from, void *to);
	void (*dead)(struct devns *dns, void *state);
	void (*show)(struct seq_file *m, void *state);
	/* private to the core */
	int slot;
};

int devns_subsys_register(struct devns_subsys *ss);
void devns_subsys_unregister(struct devns_subsys *ss);
void *devns_subsys_state(struct devns *dns, struct devns_subsys *ss);

struct devns *devns_get_current(void);
/*
 * The namespace of process @nr as the caller sees it (0: the caller's own),
 * with a reference, or ERR_PTR(-ESRCH) if there is no such process or its
 * namespace is dead.
 */
struct devns *devns_get_pid(pid_t nr);
/* Another reference for a holder that already has one (e.g. a mapping copied by fork). */
void devns_get(struct devns *dns);
void devns_put(struct devns *dns);
u64 devns_id(const struct devns *dns);
bool devns_is_active(const struct devns *dns);
/* Lockdep: the core mutex is held (a callback's context). */
void devns_assert_held(void);

#endif /* DEVNS_SUBSYS_H */
