// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/devns: the control device (SPEC.md DEVNS-5..9, 11).
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "uapi/devns.h"
#include "devns_core.h"
#include "devns_input.h"
#include "devns_vfb.h"
#include "devns_vtty.h"

/* Per open file: the generation last acknowledged (open or GET_STATE). */
struct devns_file {
	u64 seen_generation;
};

/* Checked on the caller, whoever opened the file. */
static bool devns_ctl_privileged(void)
{
	return task_active_pid_ns(current) == &init_pid_ns &&
	       capable(CAP_SYS_ADMIN);
}

static long devns_ctl_activate(void __user *argp)
{
	struct devns_activate req;

	if (!devns_ctl_privileged())
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;
	if (req.pid <= 0)
		return -EINVAL;
	return devns_activate(req.pid);
}

static long devns_ctl_get_state(struct devns_file *f, void __user *argp)
{
	struct devns_state st;

	devns_get_state(&st);
	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	WRITE_ONCE(f->seen_generation, st.generation);
	return 0;
}

static long devns_ctl_describe(void __user *argp)
{
	struct devns_ns_info info;
	int ret;

	if (copy_from_user(&info, argp, sizeof(info)))
		return -EFAULT;
	if (info.flags)
		return -EINVAL;
	if (info.pid < 0)
		return -EINVAL;
	ret = devns_describe(&info);
	if (ret)
		return ret;
	if (copy_to_user(argp, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long devns_ctl_vtty_devices(void __user *argp)
{
	struct devns_vtty_devices req;
	int ret;

	if (!devns_ctl_privileged())
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = devns_vtty_get_devices(&req);
	if (ret)
		return ret;
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long devns_ctl_vtty_attach(void __user *argp)
{
	struct devns_vtty_attach req;

	if (!devns_ctl_privileged())
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	return devns_vtty_attach_fd(&req);
}

static long devns_ctl_vfb_view(void __user *argp)
{
	struct devns_vfb_view req;

	if (!devns_ctl_privileged())
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	return devns_vfb_view_fd(&req);
}

static long devns_ctl_input_inject(void __user *argp)
{
	struct devns_input_inject req;

	if (!devns_ctl_privileged())
		return -EPERM;
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	return devns_input_inject(&req);
}

static long devns_ctl_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case DEVNS_IOC_ACTIVATE:
		return devns_ctl_activate(argp);
	case DEVNS_IOC_GET_STATE:
		return devns_ctl_get_state(file->private_data, argp);
	case DEVNS_IOC_DESCRIBE:
		return devns_ctl_describe(argp);
	case DEVNS_IOC_VTTY_DEVICES:
		return devns_ctl_vtty_devices(argp);
	case DEVNS_IOC_VTTY_ATTACH:
		return devns_ctl_vtty_attach(argp);
	case DEVNS_IOC_VFB_VIEW:
		return devns_ctl_vfb_view(argp);
	case DEVNS_IOC_INPUT_INJECT:
		return devns_ctl_input_inject(argp);
	default:
		return -ENOTTY;
	}
}

static __poll_t devns_ctl_poll(struct file *file, poll_table *wait)
{
	struct devns_file *f = file->private_data;

	poll_wait(file, &devns_g.switch_wq, wait);
	if (devns_generation() != READ_ONCE(f->seen_generation))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static int devns_ctl_open(struct inode *inode, struct file *file)
{
	struct devns_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->seen_generation = devns_generation();
	file->private_data = f;
	return 0;
}

static int devns_ctl_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations devns_ctl_fops = {
	.owner = THIS_MODULE,
	.open = devns_ctl_open,
	.release = devns_ctl_release,
	.poll = devns_ctl_poll,
	.unlocked_ioctl = devns_ctl_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice devns_ctl_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DEVNS_CTL_NAME,
	.fops = &devns_ctl_fops,
	.mode = 0666,
};

int devns_ctl_init(void)
{
	return misc_register(&devns_ctl_dev);
}

void devns_ctl_exit(void)
{
	misc_deregister(&devns_ctl_dev);
}
