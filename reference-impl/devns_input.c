// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual input: /dev/vinput0 speaks the evdev uAPI for the dev_ns of
 * whoever opened it (SPEC.md section 8).  Each namespace's input state
 * (its readers, the keys it holds down, its grab) is a devns subsystem
 * state; a file is bound to its opener's namespace for its whole life.
 *
 * Routing: an input handler with a filter (and nothing else: 6.12 refuses
 * a handler with more than one way to receive events) sees every event of
 * the host's keyboards and mice.  While the host is active it passes them
 * all on.  While another namespace is active it swallows them and hands
 * them to that namespace's readers (to nobody if the namespace never
 * opened its device).  A key's release and repeats go where its press
 * went: each connected device remembers, per key, the routing generation
 * at the press (0: the host's), and the generation changes at every switch
 * of a namespace with an input state.  So a key pressed in the host is
 * released in the host, and one pressed in a namespace that has since been
 * switched away never reaches anyone else as a lone release: its release
 * was given to that namespace at the switch, with every key it held.
 *
 * Nothing a container writes enters the input core: a write() fails, so
 * no host handler (the VT keyboard, sysrq) ever sees a container's event.
 * The host may inject events into any namespace (DEVNS_IOC_INPUT_INJECT).
 *
 * Locking: devns_input_route_lock (a spinlock; the filter runs with
 * interrupts off) protects the target and the generation and is held while
 * the filter delivers, so a state that stopped being the target never gets
 * another event from it; a state's lock protects its readers' queues, its
 * keys and its grab.  Order: devns_lock, the route lock, a state's lock.
 */
#include <linux/bitmap.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/input.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "uapi/devns.h"
#include "devns_core.h"
#include "devns_input.h"

#define DEVNS_INPUT_QUEUE	64	/* events per reader, a power of two */

enum devns_input_clock { DEVNS_CLK_REAL, DEVNS_CLK_MONO, DEVNS_CLK_BOOT, DEVNS_CLK_MAX };

struct devns_input_reader;

/* A namespace's input state. */
struct devns_input {
	struct devns *dns;
	spinlock_t lock;			/* the fields below but wait */
	struct list_head readers;
	struct devns_input_reader *grab;	/* EVIOCGRAB holder, or NULL */
	unsigned long key[BITS_TO_LONGS(KEY_CNT)];	/* keys down as it saw them */
	bool dead;
	wait_queue_head_t wait;
};

/* An open file: a queue of events, readable up to the last SYN_REPORT. */
struct devns_input_reader {
	struct devns_input *in;
	struct list_head node;
	unsigned int head, tail, packet;	/* free-running indexes into q */
	enum devns_input_clock clock;
	bool revoked;			/* EVIOCREVOKE: nothing more (state lock) */
	struct input_event q[DEVNS_INPUT_QUEUE];
};

/* A host keyboard or mouse we filter. */
struct devns_input_handle {
	struct input_handle handle;
	bool passed;			/* this frame passed an event to the host */
	bool routed;			/* this frame gave a namespace an event */
	u32 owner[KEY_CNT];		/* generation at each key's press; 0: the host */
};

static DEFINE_SPINLOCK(devns_input_route_lock);
static struct devns_input *devns_input_target;	/* the active namespace's, or NULL */
static u32 devns_input_gen = 1;			/* never 0 */

/* What the device reports it has: keys and buttons, a relative pointer. */
static DECLARE_BITMAP(devns_input_evbit, EV_CNT);
static DECLARE_BITMAP(devns_input_keybit, KEY_CNT);
static DECLARE_BITMAP(devns_input_relbit, REL_CNT);
static DECLARE_BITMAP(devns_input_none, KEY_CNT);	/* the largest of the others */

static struct devns_subsys devns_input_subsys;

/* Queue @ev for @r (state lock held); a full queue is dropped, as evdev does. */
static void devns_input_push(struct devns_input_reader *r, const struct input_event *ev)
{
	lockdep_assert_held(&r->in->lock);

	if (r->head - r->tail == DEVNS_INPUT_QUEUE) {
		struct input_event drop = *ev;

		/* all of it goes; the reader resyncs with EVIOCGKEY */
		drop.type = EV_SYN;
		drop.code = SYN_DROPPED;
		drop.value = 0;
		r->tail = r->head;
		r->q[r->head++ & (DEVNS_INPUT_QUEUE - 1)] = drop;
		r->packet = r->head;
	}
	r->q[r->head++ & (DEVNS_INPUT_QUEUE - 1)] = *ev;
	if (ev->type == EV_SYN && ev->code == SYN_REPORT)
		r->packet = r->head;
}

/* One event for @in's readers (its grabber only, if any). */
static void devns_input_deliver(struct devns_input *in, u16 type, u16 code, s32 value)
{
	struct input_event ev = { .type = type, .code = code, .value = value };
	struct devns_input_reader *r;
	ktime_t t[DEVNS_CLK_MAX];
	unsigned long flags;

	t[DEVNS_CLK_MONO] = ktime_get();
	t[DEVNS_CLK_REAL] = ktime_mono_to_real(t[DEVNS_CLK_MONO]);
	t[DEVNS_CLK_BOOT] = ktime_mono_to_any(t[DEVNS_CLK_MONO], TK_OFFS_BOOT);
	spin_lock_irqsave(&in->lock, flags);
	if (type == EV_KEY && value == 1)
		__set_bit(code, in->key);
	else if (type == EV_KEY && value == 0)
		__clear_bit(code, in->key);
	list_for_each_entry(r, &in->readers, node) {
		struct timespec64 ts = ktime_to_timespec64(t[r->clock]);

		if ((in->grab && in->grab != r) || r->revoked)
			continue;
		ev.input_event_sec = ts.tv_sec;
		ev.input_event_usec = ts.tv_nsec / NSEC_PER_USEC;
		devns_input_push(r, &ev);
	}
	spin_unlock_irqrestore(&in->lock, flags);
	if (type == EV_SYN)
		wake_up_interruptible(&in->wait);
}

/* @in lost the keyboard: every key it holds is released there. */
static void devns_input_release_keys(struct devns_input *in)
{
	DECLARE_BITMAP(held, KEY_CNT);
	unsigned long flags;
	unsigned int code;

	spin_lock_irqsave(&in->lock, flags);
	bitmap_copy(held, in->key, KEY_CNT);
	spin_unlock_irqrestore(&in->lock, flags);
	if (bitmap_empty(held, KEY_CNT))
		return;
	for_each_set_bit(code, held, KEY_CNT)
		devns_input_deliver(in, EV_KEY, code, 0);
	devns_input_deliver(in, EV_SYN, SYN_REPORT, 0);
}

/* Subsystem callbacks: the core mutex is held. */
static void devns_input_set_target(struct devns_input *in)
{
	unsigned long flags;

	spin_lock_irqsave(&devns_input_route_lock, flags);
	devns_input_target = in;
	devns_input_gen = devns_input_gen + 1 ?: 1;
	spin_unlock_irqrestore(&devns_input_route_lock, flags);
}

static void devns_input_activate(struct devns *dns, void *state)
{
	devns_assert_held();
	devns_input_set_target(state);
}

static void devns_input_deactivate(struct devns *dns, void *state)
{
	devns_assert_held();
	devns_input_set_target(NULL);
	devns_input_release_keys(state);
}

static void devns_input_dead(struct devns *dns, void *state)
{
	struct devns_input *in = state;

	devns_assert_held();
	WRITE_ONCE(in->dead, true);
	wake_up_interruptible_all(&in->wait);
}

static void *devns_input_create(struct devns *dns)
{
	struct devns_input *in = kzalloc(sizeof(*in), GFP_KERNEL);

	if (!in)
		return ERR_PTR(-ENOMEM);
	in->dns = dns;
	spin_lock_init(&in->lock);
	INIT_LIST_HEAD(&in->readers);
	init_waitqueue_head(&in->wait);
	return in;
}

/* Every file holds the namespace: no reader is left. */
static void devns_input_destroy(struct devns *dns, void *state)
{
	struct devns_input *in = state;

	WARN_ON_ONCE(!list_empty(&in->readers));
	kfree(in);
}

/* " vinput readers <n>" on the namespace's /proc/devns line. */
static void devns_input_show_state(struct seq_file *m, void *state)
{
	struct devns_input *in = state;
	struct devns_input_reader *r;
	unsigned int n = 0;

	spin_lock_irq(&in->lock);
	list_for_each_entry(r, &in->readers, node)
		n++;
	spin_unlock_irq(&in->lock);
	seq_printf(m, " vinput readers %u", n);
}

static struct devns_subsys devns_input_subsys = {
	.name = "input",
	.create = devns_input_create,
	.destroy = devns_input_destroy,
	.activate = devns_input_activate,
	.deactivate = devns_input_deactivate,
	.dead = devns_input_dead,
	.show = devns_input_show_state,
};

/*
 * The filter: interrupts are off and the device's event lock is held.
 * Returns true to keep the event from the host's own handlers.
 */
static bool devns_input_filter(struct input_handle *handle, unsigned int type,
			       unsigned int code, int value)
{
	struct devns_input_handle *h = container_of(handle, struct devns_input_handle, handle);
	bool host = devns_is_active(devns_g.host);
	struct devns_input *to = NULL;
	bool swallow;

	spin_lock(&devns_input_route_lock);
	if (type == EV_KEY && code < KEY_CNT && value != 1) {
		/* a release or a repeat goes where the press went */
		swallow = h->owner[code] != 0;
		if (swallow && h->owner[code] == devns_input_gen)
			to = devns_input_target;
	} else if (type == EV_SYN) {
		/* each side gets the end of a frame it got part of */
		swallow = !h->passed;
		if (h->routed)
			to = devns_input_target;
		h->passed = false;
		h->routed = false;
	} else {
		swallow = !host;
		if (swallow)
			to = devns_input_target;
		if (type == EV_KEY && code < KEY_CNT)
			h->owner[code] = host ? 0 : devns_input_gen;
	}
	if (to)
		devns_input_deliver(to, type, code, value);
	if (to && type != EV_SYN)
		h->routed = true;
	if (!swallow && type != EV_SYN)
		h->passed = true;
	spin_unlock(&devns_input_route_lock);
	return swallow;
}

/* Keyboards and mice: anything with keys or relative axes. */
static bool devns_input_match(struct input_handler *handler, struct input_dev *dev)
{
	return test_bit(EV_KEY, dev->evbit) || test_bit(EV_REL, dev->evbit);
}

static int devns_input_connect(struct input_handler *handler, struct input_dev *dev,
			       const struct input_device_id *id)
{
	struct devns_input_handle *h = kzalloc(sizeof(*h), GFP_KERNEL);
	int ret;

	if (!h)
		return -ENOMEM;
	h->handle.dev = dev;
	h->handle.handler = handler;
	h->handle.name = "devns-input";
	ret = input_register_handle(&h->handle);
	if (ret)
		goto err_free;
	ret = input_open_device(&h->handle);
	if (ret)
		goto err_unregister;
	return 0;

err_unregister:
	input_unregister_handle(&h->handle);
err_free:
	kfree(h);
	return ret;
}

static void devns_input_disconnect(struct input_handle *handle)
{
	input_close_device(handle);
	input_unregister_handle(handle);
	kfree(container_of(handle, struct devns_input_handle, handle));
}

static const struct input_device_id devns_input_ids[] = {
	{ .driver_info = 1 },	/* every device; devns_input_match() chooses */
	{ },
};

static struct input_handler devns_input_handler = {
	.filter = devns_input_filter,
	.match = devns_input_match,
	.connect = devns_input_connect,
	.disconnect = devns_input_disconnect,
	.name = "devns-input",
	.id_table = devns_input_ids,
};

/* The file's side: the evdev uAPI for the opener's namespace. */
static struct devns_input_reader *devns_input_reader(struct file *file)
{
	return file->private_data;
}

static int devns_input_open(struct inode *inode, struct file *file)
{
	struct devns *dns = devns_get_current();
	struct devns_input_reader *r;
	struct devns_input *in;

	if (IS_ERR(dns))
		return PTR_ERR(dns);
	in = devns_subsys_state(dns, &devns_input_subsys);
	if (IS_ERR(in)) {
		devns_put(dns);
		return PTR_ERR(in);
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		devns_put(dns);
		return -ENOMEM;
	}
	r->in = in;
	r->clock = DEVNS_CLK_REAL;
	spin_lock_irq(&in->lock);
	list_add_tail(&r->node, &in->readers);
	spin_unlock_irq(&in->lock);
	file->private_data = r;
	return stream_open(inode, file);
}

static int devns_input_release(struct inode *inode, struct file *file)
{
	struct devns_input_reader *r = devns_input_reader(file);
	struct devns_input *in = r->in;

	spin_lock_irq(&in->lock);
	list_del(&r->node);
	if (in->grab == r)
		in->grab = NULL;
	spin_unlock_irq(&in->lock);
	devns_put(in->dns);
	kfree(r);
	return 0;
}

/* Events ready for @r: up to the end of the last whole frame. */
static bool devns_input_ready(struct devns_input_reader *r)
{
	return READ_ONCE(r->packet) != READ_ONCE(r->tail);
}

static bool devns_input_gone(struct devns_input_reader *r)
{
	return READ_ONCE(r->in->dead) || READ_ONCE(r->revoked);
}

static ssize_t devns_input_read(struct file *file, char __user *buf, size_t count,
				loff_t *ppos)
{
	struct devns_input_reader *r = devns_input_reader(file);
	struct devns_input *in = r->in;
	struct input_event ev[8];
	size_t done = 0, n;
	int ret;

	if (count < sizeof(struct input_event))
		return -EINVAL;
	if (in_compat_syscall())
		return -EINVAL;		/* 64-bit struct input_event only */
	if (READ_ONCE(r->revoked))
		return -ENODEV;
	for (;;) {
		if (devns_input_gone(r) && !devns_input_ready(r))
			return -ENODEV;
		if (devns_input_ready(r))
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(in->wait,
					       devns_input_ready(r) || devns_input_gone(r));
		if (ret)
			return ret;
	}
	while (done + sizeof(ev[0]) <= count) {
		spin_lock_irq(&in->lock);
		for (n = 0; n < ARRAY_SIZE(ev) && r->tail != r->packet &&
		     done + (n + 1) * sizeof(ev[0]) <= count; n++)
			ev[n] = r->q[r->tail++ & (DEVNS_INPUT_QUEUE - 1)];
		spin_unlock_irq(&in->lock);
		if (!n)
			break;
		/* a failed copy loses these events, as evdev's does */
		if (copy_to_user(buf + done, ev, n * sizeof(ev[0])))
			return done ? done : -EFAULT;
		done += n * sizeof(ev[0]);
	}
	return done;
}

/* A namespace cannot inject: nothing it writes reaches any input handler. */
static ssize_t devns_input_write(struct file *file, const char __user *buf, size_t count,
				 loff_t *ppos)
{
	return -EPERM;
}

static __poll_t devns_input_poll(struct file *file, poll_table *wait)
{
	struct devns_input_reader *r = devns_input_reader(file);
	__poll_t mask = 0;

	poll_wait(file, &r->in->wait, wait);
	if (devns_input_ready(r))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (devns_input_gone(r))
		mask |= EPOLLHUP | EPOLLERR;
	return mask;
}

/* Copy up to @size bytes of a bitmap of @nbits bits: bytes copied or -EFAULT. */
static int devns_input_bits(void __user *p, unsigned int size, const unsigned long *bits,
			    unsigned int nbits)
{
	unsigned int len = min_t(unsigned int, size, BITS_TO_LONGS(nbits) * sizeof(long));

	return copy_to_user(p, bits, len) ? -EFAULT : len;
}

static int devns_input_name(void __user *p, unsigned int size)
{
	unsigned int len = min_t(unsigned int, size, sizeof(DEVNS_INPUT_DEVNAME));

	if (!len)
		return 0;
	if (copy_to_user(p, DEVNS_INPUT_DEVNAME, len - 1) ||
	    put_user('\0', (char __user *)p + len - 1))
		return -EFAULT;
	return len;
}

/* EVIOCGBIT(@type): what the device has of events of @type (0: the types). */
static int devns_input_get_bits(unsigned int type, void __user *p, unsigned int size)
{
	static const struct {
		unsigned int type;
		const unsigned long *bits;
		unsigned int nbits;
	} caps[] = {
		{ 0, devns_input_evbit, EV_CNT },
		{ EV_KEY, devns_input_keybit, KEY_CNT },
		{ EV_REL, devns_input_relbit, REL_CNT },
		{ EV_ABS, devns_input_none, ABS_CNT },
		{ EV_MSC, devns_input_none, MSC_CNT },
		{ EV_SW, devns_input_none, SW_CNT },
		{ EV_LED, devns_input_none, LED_CNT },
		{ EV_SND, devns_input_none, SND_CNT },
		{ EV_FF, devns_input_none, FF_CNT },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(caps); i++)
		if (caps[i].type == type)
			return devns_input_bits(p, size, caps[i].bits, caps[i].nbits);
	return -EINVAL;
}

static int devns_input_get_keys(struct devns_input *in, void __user *p, unsigned int size)
{
	DECLARE_BITMAP(keys, KEY_CNT);

	spin_lock_irq(&in->lock);
	bitmap_copy(keys, in->key, KEY_CNT);
	spin_unlock_irq(&in->lock);
	return devns_input_bits(p, size, keys, KEY_CNT);
}

/* EVIOCGRAB within the namespace: its other readers stop getting events. */
static int devns_input_grab(struct devns_input_reader *r, bool grab)
{
	struct devns_input *in = r->in;
	int ret = 0;

	spin_lock_irq(&in->lock);
	if (grab && in->grab)
		ret = -EBUSY;
	else if (!grab && in->grab != r)
		ret = -EINVAL;
	else
		in->grab = grab ? r : NULL;
	spin_unlock_irq(&in->lock);
	return ret;
}

static int devns_input_set_clock(struct devns_input_reader *r, int __user *p)
{
	int clk;

	if (get_user(clk, p))
		return -EFAULT;
	switch (clk) {
	case CLOCK_REALTIME:
		r->clock = DEVNS_CLK_REAL;
		return 0;
	case CLOCK_MONOTONIC:
		r->clock = DEVNS_CLK_MONO;
		return 0;
	case CLOCK_BOOTTIME:
		r->clock = DEVNS_CLK_BOOT;
		return 0;
	default:
		return -EINVAL;
	}
}

static const struct input_id devns_input_id = {
	.bustype = BUS_VIRTUAL,
	.vendor = 0x6465,	/* "de" */
	.product = 0x0001,
	.version = 0x0001,
};

/* The ioctls of a fixed size. */
static long devns_input_ioctl_fixed(struct devns_input_reader *r, unsigned int cmd,
				    void __user *p)
{
	switch (cmd) {
	case EVIOCGVERSION:
		return put_user(EV_VERSION, (int __user *)p);
	case EVIOCGID:
		return copy_to_user(p, &devns_input_id, sizeof(devns_input_id)) ? -EFAULT : 0;
	case EVIOCGRAB:
		return devns_input_grab(r, !!p);
	case EVIOCREVOKE:
		if (p)
			return -EINVAL;
		spin_lock_irq(&r->in->lock);
		WRITE_ONCE(r->revoked, true);
		if (r->in->grab == r)
			r->in->grab = NULL;
		spin_unlock_irq(&r->in->lock);
		wake_up_interruptible_all(&r->in->wait);
		return 0;
	case EVIOCSCLOCKID:
		return devns_input_set_clock(r, p);
	default:
		return -ENOIOCTLCMD;
	}
}

#define DEVNS_EVIOC_MASK_SIZE(nr)	((nr) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static long devns_input_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct devns_input_reader *r = devns_input_reader(file);
	unsigned int size = _IOC_SIZE(cmd);
	void __user *p = (void __user *)arg;
	long ret;

	if (devns_input_gone(r))
		return -ENODEV;
	ret = devns_input_ioctl_fixed(r, cmd, p);
	if (ret != -ENOIOCTLCMD)
		return ret;
	if (_IOC_TYPE(cmd) != 'E' || _IOC_DIR(cmd) != _IOC_READ)
		return -EINVAL;
	if ((_IOC_NR(cmd) & ~EV_MAX) == _IOC_NR(EVIOCGBIT(0, 0)))
		return devns_input_get_bits(_IOC_NR(cmd) & EV_MAX, p, size);
	switch (DEVNS_EVIOC_MASK_SIZE(cmd)) {
	case EVIOCGNAME(0):
		return devns_input_name(p, size);
	case EVIOCGPHYS(0):
	case EVIOCGUNIQ(0):
		return -ENOENT;
	case EVIOCGPROP(0):
		return devns_input_bits(p, size, devns_input_none, INPUT_PROP_CNT);
	case EVIOCGKEY(0):
		return devns_input_get_keys(r->in, p, size);
	case EVIOCGLED(0):
		return devns_input_bits(p, size, devns_input_none, LED_CNT);
	case EVIOCGSND(0):
		return devns_input_bits(p, size, devns_input_none, SND_CNT);
	case EVIOCGSW(0):
		return devns_input_bits(p, size, devns_input_none, SW_CNT);
	default:
		return -EINVAL;		/* EVIOCGABS too: it has no absolute axes */
	}
}

static const struct file_operations devns_input_fops = {
	.owner = THIS_MODULE,
	.open = devns_input_open,
	.release = devns_input_release,
	.read = devns_input_read,
	.write = devns_input_write,
	.poll = devns_input_poll,
	.unlocked_ioctl = devns_input_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice devns_input_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DEVNS_INPUT_NAME,
	.fops = &devns_input_fops,
	.mode = 0666,
};

/* A checked event of an injection request. */
static bool devns_input_valid(const struct devns_input_event *ev)
{
	switch (ev->type) {
	case EV_KEY:
		return ev->code && ev->code < KEY_CNT && ev->value >= 0 && ev->value <= 2;
	case EV_REL:
		return ev->code < REL_CNT && test_bit(ev->code, devns_input_relbit);
	case EV_SYN:
		return ev->code == SYN_REPORT && !ev->value;
	default:
		return false;
	}
}

int devns_input_inject(const struct devns_input_inject *req)
{
	struct devns_input_event *ev;
	struct devns_input *in;
	struct devns *dns;
	unsigned int i;
	int ret = 0;

	if (!req->count || req->count > DEVNS_INPUT_MAX_INJECT || req->pid < 0)
		return -EINVAL;
	ev = memdup_user(u64_to_user_ptr(req->events), req->count * sizeof(*ev));
	if (IS_ERR(ev))
		return PTR_ERR(ev);
	for (i = 0; i < req->count && !ret; i++)
		if (!devns_input_valid(&ev[i]))
			ret = -EINVAL;
	if (ret)
		goto out;
	dns = devns_get_pid(req->pid);
	if (IS_ERR(dns)) {
		ret = PTR_ERR(dns);
		goto out;
	}
	in = devns_subsys_state(dns, &devns_input_subsys);
	if (IS_ERR(in))
		ret = PTR_ERR(in);
	else
		for (i = 0; i < req->count; i++)
			devns_input_deliver(in, ev[i].type, ev[i].code, ev[i].value);
	devns_put(dns);
out:
	kfree(ev);
	return ret;
}

int devns_input_init(void)
{
	int ret;

	__set_bit(EV_SYN, devns_input_evbit);
	__set_bit(EV_KEY, devns_input_evbit);
	__set_bit(EV_REL, devns_input_evbit);
	bitmap_fill(devns_input_keybit, KEY_CNT);
	__clear_bit(KEY_RESERVED, devns_input_keybit);
	__set_bit(REL_X, devns_input_relbit);
	__set_bit(REL_Y, devns_input_relbit);
	__set_bit(REL_HWHEEL, devns_input_relbit);
	__set_bit(REL_WHEEL, devns_input_relbit);
	ret = devns_subsys_register(&devns_input_subsys);
	if (ret)
		return ret;
	ret = misc_register(&devns_input_misc);
	if (ret)
		goto err_subsys;
	ret = input_register_handler(&devns_input_handler);
	if (ret)
		goto err_misc;
	return 0;

err_misc:
	misc_deregister(&devns_input_misc);
err_subsys:
	devns_subsys_unregister(&devns_input_subsys);
	return ret;
}

void devns_input_exit(void)
{
	input_unregister_handler(&devns_input_handler);
	misc_deregister(&devns_input_misc);
	devns_subsys_unregister(&devns_input_subsys);
}
