// SPDX-License-Identifier: GPL-2.0
/*
 * devns virtual terminals (SPEC.md section 4).
 *
 * Every namespace the host asks about gets a terminal set: vtty_count
 * terminals, each one tty index of our driver ("vtty"), so no index is ever
 * shared by two namespaces at once.  A set owns a block of indexes
 * (block * vtty_count + n) from the moment it is created until it is freed.
 *
 * Container side: an ordinary tty with no peer.  Its write op copies into a
 * ring of vtty_buffer bytes that keeps the newest output and never refuses
 * anything, so output never blocks and never fails because of the host.
 * Its open op admits only processes of the set's namespace.
 *
 * Host side: an anonymous file per attach (at most one per terminal).
 * read() drains the ring; write() feeds the container's line discipline
 * directly and reports what it took (flow control, never silent loss);
 * TIOCSWINSZ resizes the container's tty.
 *
 * Lifetime: a set holds a reference for its namespace's subsystem state,
 * one per host file and one per installed tty (dropped in the cleanup op,
 * after the core removed the tty from the driver's table).  A host file
 * also holds a reference on the namespace itself (SPEC LIFE-1: the dev_ns
 * and its vfb state live as long as the host is attached).  When the
 * namespace dies, its terminals are hung up, their host files read what is
 * left then end of file, and the nodes go away; the set is freed with its
 * last reference, which returns the index block.
 *
 * Locking: devns_vtty_blocks_lock protects the block table; a terminal's
 * spinlock protects its ring, counters and flags; read_mutex and
 * write_mutex serialize host readers and writers.  The tty core calls our
 * ops under tty_mutex or the tty lock, so none of them takes the core
 * mutex.  Subsystem callbacks run under the core mutex and may hang up
 * ttys (core mutex, then tty locks).
 */
#include <linux/anon_inodes.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tty.h>
#include <linux/tty_driver.h>
#include <linux/tty_flip.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "uapi/devns.h"
#include "devns_compat.h"
#include "devns_subsys.h"
#include "devns_vtty.h"

static unsigned int vtty_count = 12;
module_param(vtty_count, uint, 0444);
MODULE_PARM_DESC(vtty_count, "terminals per namespace (1..64, default 12)");

static unsigned int vtty_buffer = 16384;
module_param(vtty_buffer, uint, 0444);
MODULE_PARM_DESC(vtty_buffer, "output bytes kept per terminal (256..4194304, default 16384)");

static unsigned int vtty_namespaces = 64;
module_param(vtty_namespaces, uint, 0444);
MODULE_PARM_DESC(vtty_namespaces, "namespaces with terminals at once (1..1024, default 64)");

struct devns_vtty_set;

struct devns_vtty {
	struct tty_port port;
	struct devns_vtty_set *set;
	unsigned int index;		/* in the set */
	spinlock_t lock;		/* all fields below up to the mutexes */
	u8 *ring;			/* vtty_buffer bytes */
	u64 written;			/* output bytes received */
	u64 head;			/* output bytes stored */
	u64 tail;			/* first stored byte not read yet */
	u64 dropped;
	bool attached;			/* a host file exists */
	bool open;			/* a container file has the tty open */
	bool input_blocked;		/* the line discipline refused input */
	unsigned int input_seq;		/* +1 whenever input may fit again */
	struct winsize winsize;
	wait_queue_head_t host_wait;	/* host readers, writers, pollers */
	struct mutex read_mutex;		/* one host reader at a time */
	struct mutex write_mutex;		/* one host writer at a time */
};

struct devns_vtty_set {
	struct kref refs;
	u64 id;				/* the namespace's id */
	struct devns *dns;		/* valid while a host file holds it */
	unsigned int block;
	bool dead;			/* the namespace is gone */
	bool registered;		/* nodes exist */
	struct devns_vtty *term;	/* vtty_count of them */
	struct work_struct hangup_work;	/* after death, outside devns_lock */
};

static struct tty_driver *devns_vtty_driver;
static struct workqueue_struct *devns_vtty_wq;
static DEFINE_SPINLOCK(devns_vtty_blocks_lock);
static struct devns_vtty_set **devns_vtty_blocks;
static atomic_t devns_vtty_nr_sets = ATOMIC_INIT(0);

static const struct tty_port_operations devns_vtty_port_ops;
static void devns_vtty_hangup_work(struct work_struct *work);

static unsigned int devns_vtty_tty_index(const struct devns_vtty *t)
{
	return t->set->block * vtty_count + t->index;
}

static void devns_vtty_release(struct kref *kref)
{
	struct devns_vtty_set *set = container_of(kref, struct devns_vtty_set, refs);
	unsigned int n;

	for (n = 0; n < vtty_count; n++) {
		tty_port_destroy(&set->term[n].port);
		kvfree(set->term[n].ring);
	}
	spin_lock(&devns_vtty_blocks_lock);
	devns_vtty_blocks[set->block] = NULL;
	spin_unlock(&devns_vtty_blocks_lock);
	atomic_dec(&devns_vtty_nr_sets);
	kfree(set->term);
	kfree(set);
}

static void devns_vtty_put(struct devns_vtty_set *set)
{
	kref_put(&set->refs, devns_vtty_release);
}

/* ---- output ring ------------------------------------------------------ */

static u32 devns_vtty_pos(u64 seq)
{
	u32 rem;

	div_u64_rem(seq, vtty_buffer, &rem);
	return rem;
}

/* Copy @n bytes at ring position of @seq from @src (may wrap).  Lock held. */
static void devns_vtty_ring_store(struct devns_vtty *t, u64 seq, const u8 *src, size_t n)
{
	u32 pos = devns_vtty_pos(seq);
	size_t first = min_t(size_t, n, vtty_buffer - pos);

	memcpy(t->ring + pos, src, first);
	memcpy(t->ring, src + first, n - first);
}

static void devns_vtty_ring_load(struct devns_vtty *t, u64 seq, u8 *dst, size_t n)
{
	u32 pos = devns_vtty_pos(seq);
	size_t first = min_t(size_t, n, vtty_buffer - pos);

	memcpy(dst, t->ring + pos, first);
	memcpy(dst + first, t->ring, n - first);
}

/* Output from the container: keep the newest vtty_buffer bytes.  Lock held. */
static size_t devns_vtty_ring_put(struct devns_vtty *t, const u8 *buf, size_t n)
{
	u64 room;

	room = vtty_buffer - (t->head - t->tail);
	t->written += n;
	if (n > vtty_buffer) {
		/* only the last vtty_buffer bytes of this write can stay */
		t->head += n - vtty_buffer;
		buf += n - vtty_buffer;
		n = vtty_buffer;
	}
	devns_vtty_ring_store(t, t->head, buf, n);
	t->head += n;
	if (t->head - t->tail > vtty_buffer) {
		t->dropped += t->head - vtty_buffer - t->tail;
		t->tail = t->head - vtty_buffer;
	}
	return n;
}

/* ---- container side: tty operations ------------------------------------ */

static int devns_vtty_install(struct tty_driver *driver, struct tty_struct *tty)
{
	unsigned int block = tty->index / vtty_count;
	struct devns_vtty_set *set;
	struct devns_vtty *t;
	int ret;

	spin_lock(&devns_vtty_blocks_lock);
	set = devns_vtty_blocks[block];
	if (set && !READ_ONCE(set->dead))
		kref_get(&set->refs);
	else
		set = NULL;
	spin_unlock(&devns_vtty_blocks_lock);
	if (!set)
		return -ENXIO;
	t = &set->term[tty->index % vtty_count];
	ret = tty_port_install(&t->port, driver, tty);
	if (ret) {
		devns_vtty_put(set);
		return ret;
	}
	tty->driver_data = t;
	spin_lock_irq(&t->lock);
	tty->winsize = t->winsize;
	spin_unlock_irq(&t->lock);
	return 0;
}

/* Runs on every open, first or not: only the set's namespace may open. */
static int devns_vtty_open(struct tty_struct *tty, struct file *filp)
{
	struct devns_vtty *t = tty->driver_data;

	if (task_active_pid_ns(current)->ns.inum != t->set->id)
		return -ENXIO;
	tty_port_tty_set(&t->port, tty);
	/* pairs with devns_vtty_mark_dead(): it sees the tty or we see dead */
	smp_mb();
	if (READ_ONCE(t->set->dead))
		return -ENXIO;
	spin_lock_irq(&t->lock);
	t->open = true;
	t->input_blocked = false;
	t->input_seq++;
	spin_unlock_irq(&t->lock);
	wake_up_interruptible(&t->host_wait);
	return 0;
}

/* Also called after a failed open; only the last close matters. */
static void devns_vtty_close(struct tty_struct *tty, struct file *filp)
{
	struct devns_vtty *t = tty->driver_data;

	if (tty->count > 1)
		return;
	tty_port_tty_set(&t->port, NULL);
	spin_lock_irq(&t->lock);
	t->open = false;
	t->input_seq++;
	spin_unlock_irq(&t->lock);
	wake_up_interruptible(&t->host_wait);
}

static void devns_vtty_cleanup(struct tty_struct *tty)
{
	struct devns_vtty *t = tty->driver_data;

	devns_vtty_put(t->set);
}

static DEVNS_TTY_WRITE_RET devns_vtty_write(struct tty_struct *tty, const u8 *buf,
					    DEVNS_TTY_WRITE_COUNT count)
{
	struct devns_vtty *t = tty->driver_data;
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&t->lock, flags);
	n = devns_vtty_ring_put(t, buf, count);
	spin_unlock_irqrestore(&t->lock, flags);
	wake_up_interruptible_poll(&t->host_wait, EPOLLIN | EPOLLRDNORM);
	return count;
}

static unsigned int devns_vtty_write_room(struct tty_struct *tty)
{
	/* never full: a full buffer drops its oldest bytes (SPEC VTTY-3) */
	return vtty_buffer;
}

/* The line discipline has room again: host writers may go on. */
static void devns_vtty_unthrottle(struct tty_struct *tty)
{
	struct devns_vtty *t = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&t->lock, flags);
	t->input_blocked = false;
	t->input_seq++;
	spin_unlock_irqrestore(&t->lock, flags);
	wake_up_interruptible_poll(&t->host_wait, EPOLLOUT | EPOLLWRNORM);
}

/* A hangup flushed the line discipline: input fits again. */
static void devns_vtty_hangup(struct tty_struct *tty)
{
	devns_vtty_unthrottle(tty);
}

/* The container's own TIOCSWINSZ: remember it for the host. */
static int devns_vtty_resize(struct tty_struct *tty, struct winsize *ws)
{
	struct devns_vtty *t = tty->driver_data;

	spin_lock_irq(&t->lock);
	t->winsize = *ws;
	spin_unlock_irq(&t->lock);
	return tty_do_resize(tty, ws);
}

/* No hardware to program: every setting, speeds included, stays as set. */
static void devns_vtty_set_termios(struct tty_struct *tty, const struct ktermios *old)
{
}

static const struct tty_operations devns_vtty_ops = {
	.install = devns_vtty_install,
	.open = devns_vtty_open,
	.close = devns_vtty_close,
	.cleanup = devns_vtty_cleanup,
	.write = devns_vtty_write,
	.write_room = devns_vtty_write_room,
	.unthrottle = devns_vtty_unthrottle,
	.hangup = devns_vtty_hangup,
	.resize = devns_vtty_resize,
	.set_termios = devns_vtty_set_termios,
};

/* ---- host side ---------------------------------------------------------- */

static bool devns_vtty_dead(const struct devns_vtty *t)
{
	return READ_ONCE(t->set->dead);
}

static bool devns_vtty_readable(struct devns_vtty *t)
{
	bool ret;

	spin_lock_irq(&t->lock);
	ret = t->head != t->tail || devns_vtty_dead(t);
	spin_unlock_irq(&t->lock);
	return ret;
}

static ssize_t devns_vtty_host_read(struct file *file, char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	struct devns_vtty *t = file->private_data;
	size_t done = 0, n;
	u8 *bounce;
	u64 start;
	int ret = 0;

	if (!len)
		return 0;
	bounce = kmalloc(min_t(size_t, len, PAGE_SIZE), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	if (mutex_lock_interruptible(&t->read_mutex)) {
		kfree(bounce);
		return -ERESTARTSYS;
	}
	while (done < len) {
		spin_lock_irq(&t->lock);
		start = t->tail;
		n = min_t(u64, t->head - start, min_t(size_t, len - done, PAGE_SIZE));
		devns_vtty_ring_load(t, start, bounce, n);
		spin_unlock_irq(&t->lock);
		if (n) {
			if (copy_to_user(ubuf + done, bounce, n)) {
				ret = -EFAULT;
				break;
			}
			spin_lock_irq(&t->lock);
			if (t->tail < start + n)
				t->tail = start + n;
			spin_unlock_irq(&t->lock);
			done += n;
			continue;
		}
		if (done || devns_vtty_dead(t))
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (wait_event_interruptible(t->host_wait, devns_vtty_readable(t))) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	mutex_unlock(&t->read_mutex);
	kfree(bounce);
	return done ? done : ret;
}

/*
 * Feed input to the container's line discipline.  Returns the bytes it
 * took (0 when it is full; then input_blocked is set unless an unthrottle
 * came meanwhile), or -EPIPE when no container file has the tty open.
 */
static ssize_t devns_vtty_feed(struct devns_vtty *t, const u8 *buf, size_t n)
{
	struct tty_struct *tty = tty_port_tty_get(&t->port);
	struct tty_ldisc *ld;
	unsigned int seq;
	size_t took = 0;

	if (!tty)
		return -EPIPE;
	ld = tty_ldisc_ref(tty);
	if (ld) {
		spin_lock_irq(&t->lock);
		seq = t->input_seq;
		spin_unlock_irq(&t->lock);
		tty_buffer_lock_exclusive(&t->port);
		took = tty_ldisc_receive_buf(ld, buf, NULL, n);
		tty_buffer_unlock_exclusive(&t->port);
		tty_ldisc_deref(ld);
	} else {
		/* hung up: no line discipline until the next open */
		spin_lock_irq(&t->lock);
		seq = t->input_seq;
		spin_unlock_irq(&t->lock);
	}
	if (took < n) {
		spin_lock_irq(&t->lock);
		if (t->input_seq == seq)
			t->input_blocked = true;
		spin_unlock_irq(&t->lock);
	}
	tty_kref_put(tty);
	return took;
}

/* What a blocked host writer waits for (@done: it already wrote some). */
static bool devns_vtty_writable(struct devns_vtty *t, bool done)
{
	bool ret;

	spin_lock_irq(&t->lock);
	ret = (t->open && !t->input_blocked) || READ_ONCE(t->set->dead) || (done && !t->open);
	spin_unlock_irq(&t->lock);
	return ret;
}

static ssize_t devns_vtty_host_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	struct devns_vtty *t = file->private_data;
	size_t done = 0, chunk;
	ssize_t ret = 0, n;
	long w;
	u8 *kbuf;

	if (!len)
		return 0;
	kbuf = kmalloc(min_t(size_t, len, PAGE_SIZE), GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	if (mutex_lock_interruptible(&t->write_mutex)) {
		kfree(kbuf);
		return -ERESTARTSYS;
	}
	while (done < len) {
		if (devns_vtty_dead(t)) {
			ret = -EIO;
			break;
		}
		chunk = min_t(size_t, len - done, PAGE_SIZE);
		if (copy_from_user(kbuf, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		n = devns_vtty_feed(t, kbuf, chunk);
		if (n > 0) {
			done += n;
			if (n == chunk)
				continue;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		if (done && !READ_ONCE(t->open))
			break;
		/* the timeout only guards against a missed unthrottle */
		w = wait_event_interruptible_timeout(t->host_wait,
						     devns_vtty_writable(t, done), HZ / 2);
		if (w < 0) {
			ret = -ERESTARTSYS;
			break;
		}
	}
	mutex_unlock(&t->write_mutex);
	kfree(kbuf);
	return done ? done : ret;
}

static __poll_t devns_vtty_host_poll(struct file *file, poll_table *wait)
{
	struct devns_vtty *t = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &t->host_wait, wait);
	spin_lock_irq(&t->lock);
	if (t->head != t->tail)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (devns_vtty_dead(t))
		mask |= EPOLLHUP;
	else if (t->open && !t->input_blocked)
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_irq(&t->lock);
	return mask;
}

static long devns_vtty_set_winsize(struct devns_vtty *t, const void __user *argp)
{
	struct tty_struct *tty;
	struct winsize ws;

	if (copy_from_user(&ws, argp, sizeof(ws)))
		return -EFAULT;
	if (devns_vtty_dead(t))
		return -EIO;
	spin_lock_irq(&t->lock);
	t->winsize = ws;
	spin_unlock_irq(&t->lock);
	tty = tty_port_tty_get(&t->port);
	if (tty) {
		tty_do_resize(tty, &ws);
		tty_kref_put(tty);
	}
	return 0;
}

static long devns_vtty_get_info(struct devns_vtty *t, void __user *argp)
{
	struct devns_vtty_info info = {
		.id = t->set->id,
		.buffer_size = vtty_buffer,
		.index = t->index,
	};

	spin_lock_irq(&t->lock);
	info.written = t->written;
	info.dropped = t->dropped;
	info.buffered = t->head - t->tail;
	if (t->open)
		info.state |= DEVNS_VTTY_OPEN;
	if (READ_ONCE(t->set->dead))
		info.state |= DEVNS_VTTY_DEAD;
	spin_unlock_irq(&t->lock);
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static long devns_vtty_host_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct devns_vtty *t = file->private_data;
	void __user *argp = (void __user *)arg;
	struct winsize ws;

	switch (cmd) {
	case TIOCSWINSZ:
		return devns_vtty_set_winsize(t, argp);
	case TIOCGWINSZ:
		spin_lock_irq(&t->lock);
		ws = t->winsize;
		spin_unlock_irq(&t->lock);
		return copy_to_user(argp, &ws, sizeof(ws)) ? -EFAULT : 0;
	case DEVNS_VTTY_IOC_INFO:
		return devns_vtty_get_info(t, argp);
	default:
		return -ENOTTY;
	}
}

static int devns_vtty_host_release(struct inode *inode, struct file *file)
{
	struct devns_vtty *t = file->private_data;
	struct devns *dns = t->set->dns;

	spin_lock_irq(&t->lock);
	t->attached = false;
	spin_unlock_irq(&t->lock);
	devns_vtty_put(t->set);
	/* last: the namespace, and the set with it, may be freed here */
	devns_put(dns);
	return 0;
}

static const struct file_operations devns_vtty_host_fops = {
	.owner = THIS_MODULE,
	.read = devns_vtty_host_read,
	.write = devns_vtty_host_write,
	.poll = devns_vtty_host_poll,
	.unlocked_ioctl = devns_vtty_host_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.release = devns_vtty_host_release,
	.llseek = noop_llseek,
};

/* ---- per-namespace sets --------------------------------------------------- */

static void devns_vtty_unregister(struct devns_vtty_set *set)
{
	unsigned int n;

	for (n = 0; n < vtty_count; n++)
		tty_port_unregister_device(&set->term[n].port, devns_vtty_driver,
					   devns_vtty_tty_index(&set->term[n]));
	set->registered = false;
}

static int devns_vtty_register(struct devns_vtty_set *set)
{
	struct device *dev;
	unsigned int n;

	for (n = 0; n < vtty_count; n++) {
		dev = tty_port_register_device(&set->term[n].port, devns_vtty_driver,
					       devns_vtty_tty_index(&set->term[n]), NULL);
		if (IS_ERR(dev)) {
			while (n--)
				tty_port_unregister_device(&set->term[n].port,
							   devns_vtty_driver,
							   devns_vtty_tty_index(&set->term[n]));
			return PTR_ERR(dev);
		}
	}
	set->registered = true;
	return 0;
}

static int devns_vtty_take_block(struct devns_vtty_set *set)
{
	unsigned int b;
	int ret = -ENOSPC;

	spin_lock(&devns_vtty_blocks_lock);
	for (b = 0; b < vtty_namespaces; b++) {
		if (!devns_vtty_blocks[b]) {
			devns_vtty_blocks[b] = set;
			set->block = b;
			ret = 0;
			break;
		}
	}
	spin_unlock(&devns_vtty_blocks_lock);
	return ret;
}

static void *devns_vtty_create(struct devns *dns)
{
	struct devns_vtty_set *set;
	struct devns_vtty *t;
	unsigned int n;
	int ret = -ENOMEM;

	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->term = kcalloc(vtty_count, sizeof(*set->term), GFP_KERNEL);
	if (!set->term) {
		kfree(set);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&set->refs);
	INIT_WORK(&set->hangup_work, devns_vtty_hangup_work);
	set->id = devns_id(dns);
	set->dns = dns;
	for (n = 0; n < vtty_count; n++) {
		t = &set->term[n];
		tty_port_init(&t->port);
		t->port.ops = &devns_vtty_port_ops;
		t->set = set;
		t->index = n;
		spin_lock_init(&t->lock);
		init_waitqueue_head(&t->host_wait);
		mutex_init(&t->read_mutex);
		mutex_init(&t->write_mutex);
		t->ring = kvmalloc(vtty_buffer, GFP_KERNEL);
		if (!t->ring)
			goto err_free;
	}
	ret = devns_vtty_take_block(set);
	if (ret)
		goto err_free;
	atomic_inc(&devns_vtty_nr_sets);
	ret = devns_vtty_register(set);
	if (ret) {
		devns_vtty_put(set);
		return ERR_PTR(ret);
	}
	return set;

err_free:
	for (n = 0; n < vtty_count; n++) {
		tty_port_destroy(&set->term[n].port);
		kvfree(set->term[n].ring);
	}
	kfree(set->term);
	kfree(set);
	return ERR_PTR(ret);
}

/* Hang up the container side and remove the nodes. */
static void devns_vtty_hangup_all(struct devns_vtty_set *set)
{
	unsigned int n;

	for (n = 0; n < vtty_count; n++)
		tty_port_tty_vhangup(&set->term[n].port);
	if (set->registered)
		devns_vtty_unregister(set);
}

/* Mark the set dead (reads end, writes fail) and wake the host side. */
static bool devns_vtty_mark_dead(struct devns_vtty_set *set)
{
	unsigned int n;

	if (READ_ONCE(set->dead))
		return false;
	WRITE_ONCE(set->dead, true);
	/* pairs with devns_vtty_open() */
	smp_mb();
	for (n = 0; n < vtty_count; n++)
		wake_up_interruptible_all(&set->term[n].host_wait);
	return true;
}

static void devns_vtty_hangup_work(struct work_struct *work)
{
	struct devns_vtty_set *set = container_of(work, struct devns_vtty_set, hangup_work);

	devns_vtty_hangup_all(set);
	devns_vtty_put(set);
}

/*
 * The namespace died.  The hangup runs from a work item:
 * it takes the tty locks, under which a tty write faults (mmap_lock), and
 * the last unmap of a vfb mapping takes devns_lock under mmap_lock.
 */
static void devns_vtty_dead_cb(struct devns *dns, void *state)
{
	struct devns_vtty_set *set = state;

	devns_assert_held();
	if (!devns_vtty_mark_dead(set))
		return;
	kref_get(&set->refs);
	queue_work(devns_vtty_wq, &set->hangup_work);
}

/* The last reference to a namespace that never died: only at module unload. */
static void devns_vtty_destroy(struct devns *dns, void *state)
{
	devns_assert_held();
	if (devns_vtty_mark_dead(state))
		devns_vtty_hangup_all(state);
	devns_vtty_put(state);
}

/* " vtty <terminals> open <n>" on the namespace's /proc/devns line. */
static void devns_vtty_show_state(struct seq_file *m, void *state)
{
	struct devns_vtty_set *set = state;
	unsigned int i, open = 0;

	devns_assert_held();
	for (i = 0; i < vtty_count; i++) {
		spin_lock_irq(&set->term[i].lock);
		open += set->term[i].open;
		spin_unlock_irq(&set->term[i].lock);
	}
	seq_printf(m, " vtty %u open %u", vtty_count, open);
}

static struct devns_subsys devns_vtty_subsys = {
	.name = "vtty",
	.create = devns_vtty_create,
	.destroy = devns_vtty_destroy,
	.dead = devns_vtty_dead_cb,
	.show = devns_vtty_show_state,
};

/*
 * The set of @pid's namespace, created if needed, with a reference.  With
 * @dnsp, the caller also keeps the namespace reference (*@dnsp) on success.
 */
static struct devns_vtty_set *devns_vtty_get_set(pid_t pid, struct devns **dnsp)
{
	struct devns_vtty_set *set;
	struct devns *dns;

	dns = devns_get_pid(pid);
	if (IS_ERR(dns))
		return ERR_CAST(dns);
	set = devns_subsys_state(dns, &devns_vtty_subsys);
	/* the state lives as long as dns: take our reference first */
	if (!IS_ERR(set))
		kref_get(&set->refs);
	if (!IS_ERR(set) && dnsp)
		*dnsp = dns;
	else
		devns_put(dns);
	return set;
}

int devns_vtty_get_devices(struct devns_vtty_devices *req)
{
	struct devns_vtty_set *set;

	if (req->flags || req->pid < 0)
		return -EINVAL;
	set = devns_vtty_get_set(req->pid, NULL);
	if (IS_ERR(set))
		return PTR_ERR(set);
	req->major = devns_vtty_driver->major;
	req->first_index = set->block * vtty_count;
	req->first_minor = devns_vtty_driver->minor_start + req->first_index;
	req->count = vtty_count;
	req->buffer_size = vtty_buffer;
	req->reserved = 0;
	devns_vtty_put(set);
	return 0;
}

int devns_vtty_attach_fd(const struct devns_vtty_attach *req)
{
	unsigned int index = req->index, fflags = O_RDWR;
	struct devns_vtty_set *set;
	struct devns_vtty *t;
	struct devns *dns;
	int ret = 0;

	if (req->flags & ~(DEVNS_VTTY_NONBLOCK | DEVNS_VTTY_CLOEXEC) ||
	    req->reserved || req->pid < 0 || index >= vtty_count)
		return -EINVAL;
	set = devns_vtty_get_set(req->pid, &dns);
	if (IS_ERR(set))
		return PTR_ERR(set);
	t = &set->term[index];
	spin_lock_irq(&t->lock);
	if (READ_ONCE(set->dead))
		ret = -ESRCH;
	else if (t->attached)
		ret = -EBUSY;
	else
		t->attached = true;
	spin_unlock_irq(&t->lock);
	if (ret)
		goto err_put;
	if (req->flags & DEVNS_VTTY_NONBLOCK)
		fflags |= O_NONBLOCK;
	if (req->flags & DEVNS_VTTY_CLOEXEC)
		fflags |= O_CLOEXEC;
	/* the file keeps our references to the set and the namespace */
	ret = anon_inode_getfd("[devns-vtty]", &devns_vtty_host_fops, t, fflags);
	if (ret >= 0)
		return ret;
	spin_lock_irq(&t->lock);
	t->attached = false;
	spin_unlock_irq(&t->lock);
err_put:
	devns_vtty_put(set);
	devns_put(dns);
	return ret;
}

void devns_vtty_show(struct seq_file *m)
{
	seq_printf(m, "count vtty %d\n", atomic_read(&devns_vtty_nr_sets));
}

/* ---- module ----------------------------------------------------------------- */

int devns_vtty_init(void)
{
	struct tty_driver *drv;
	int ret;

	if (!vtty_count || vtty_count > 64) {
		pr_err("devns: bad vtty_count %u (1..64)\n", vtty_count);
		return -EINVAL;
	}
	if (vtty_buffer < 256 || vtty_buffer > (4U << 20)) {
		pr_err("devns: bad vtty_buffer %u (256..%u)\n", vtty_buffer, 4U << 20);
		return -EINVAL;
	}
	if (!vtty_namespaces || vtty_namespaces > 1024) {
		pr_err("devns: bad vtty_namespaces %u (1..1024)\n", vtty_namespaces);
		return -EINVAL;
	}
	devns_vtty_blocks = kcalloc(vtty_namespaces, sizeof(*devns_vtty_blocks), GFP_KERNEL);
	if (!devns_vtty_blocks)
		return -ENOMEM;
	devns_vtty_wq = alloc_workqueue("devns_vtty", 0, 0);
	if (!devns_vtty_wq) {
		ret = -ENOMEM;
		goto err_blocks;
	}
	drv = tty_alloc_driver(vtty_count * vtty_namespaces,
			       TTY_DRIVER_REAL_RAW | TTY_DRIVER_RESET_TERMIOS |
			       TTY_DRIVER_DYNAMIC_DEV);
	if (IS_ERR(drv)) {
		ret = PTR_ERR(drv);
		goto err_wq;
	}
	drv->driver_name = "devns_vtty";
	drv->name = DEVNS_VTTY_DRIVER;
	drv->major = 0;
	drv->minor_start = 0;
	drv->type = TTY_DRIVER_TYPE_CONSOLE;
	drv->init_termios = tty_std_termios;
	tty_set_operations(drv, &devns_vtty_ops);
	ret = tty_register_driver(drv);
	if (ret)
		goto err_driver;
	devns_vtty_driver = drv;
	ret = devns_subsys_register(&devns_vtty_subsys);
	if (ret)
		goto err_register;
	return 0;

err_register:
	tty_unregister_driver(drv);
err_driver:
	tty_driver_kref_put(drv);
err_wq:
	destroy_workqueue(devns_vtty_wq);
err_blocks:
	kfree(devns_vtty_blocks);
	return ret;
}

void devns_vtty_exit(void)
{
	devns_subsys_unregister(&devns_vtty_subsys);
	/* pending hangups, before their nodes' driver goes */
	destroy_workqueue(devns_vtty_wq);
	tty_unregister_driver(devns_vtty_driver);
	tty_driver_kref_put(devns_vtty_driver);
	kfree(devns_vtty_blocks);
}
