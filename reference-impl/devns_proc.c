// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/devns: introspection, for the host's root only (SPEC.md 2.1,
 * DEVNS-13, SEC-1): mode 0400 keeps other users out, and the open keeps out
 * every process outside the initial PID namespace, a container's root too.
 */
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "devns_core.h"
#include "devns_vfb.h"
#include "devns_vtty.h"

static int devns_proc_show(struct seq_file *m, void *v)
{
	struct devns *d;

	mutex_lock(&devns_lock);
	seq_printf(m, "active %llu\n", devns_g.active->id);
	seq_printf(m, "generation %llu\n", devns_g.generation);
	seq_printf(m, "count containers %u\n", devns_g.nr_ns - 1);
	seq_printf(m, "count watchers %u\n", devns_g.nr_watchers);
	seq_printf(m, "count states %u\n", devns_g.nr_states);
	list_for_each_entry(d, &devns_g.list, node) {
		seq_printf(m, "ns %llu level %u refs %u activations %llu",
			   d->id, d->level, kref_read(&d->refs),
			   d->activations);
		if (d == devns_g.host)
			seq_puts(m, " host");
		if (d->active)
			seq_puts(m, " active");
		if (d->dead)
			seq_puts(m, " dead");
		devns_subsys_show_locked(m, d);
		seq_putc(m, '\n');
	}
	devns_vfb_show(m);
	devns_vtty_show(m);
	mutex_unlock(&devns_lock);
	return 0;
}

static int devns_proc_open(struct inode *inode, struct file *file)
{
	if (task_active_pid_ns(current) != &init_pid_ns)
		return -EACCES;
	return single_open(file, devns_proc_show, NULL);
}

static const struct proc_ops devns_proc_ops = {
	.proc_open	= devns_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

static struct proc_dir_entry *devns_proc_entry;

int devns_proc_init(void)
{
	devns_proc_entry = proc_create("devns", 0400, NULL, &devns_proc_ops);
	return devns_proc_entry ? 0 : -ENOMEM;
}

void devns_proc_exit(void)
{
	proc_remove(devns_proc_entry);
}
