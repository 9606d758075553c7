// SPDX-License-Identifier: GPL-2.0
/* The operation catalog's /dev/devns, from an unprivileged container (ops_dev.h). */
#include <errno.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <devns.h>

#include "impl.h"
#include "ops_dev.h"

static int ctl_variants(int op, uint8_t out[OPS_NVARS])
{
	switch (op) {
	case OP_CTL_GET_STATE: return VARS(V_GOOD, PTRS);
	case OP_CTL_DESCRIBE: return VARS(V_GOOD, PTRS, V_NEG_PID, V_NO_PID, V_FLAGS);
	case OP_CTL_ACTIVATE:
		return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_PID0, V_NO_PID, V_FLAGS);
	case OP_CTL_VTTY_DEVICES: return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_FLAGS);
	case OP_CTL_VTTY_ATTACH:
		return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_FLAGS, V_BAD_VALUE);
	case OP_CTL_VFB_VIEW:
		return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_PID0, V_NO_PID, V_FLAGS);
	case OP_IOCTL: return VARS(V_UNKNOWN_CMD);
	case OP_READ: case OP_WRITE: return VARS(V_GOOD, V_NULL, V_HUGE_LEN);
	case OP_LSEEK: return VARS(V_GOOD, V_NEG_OFF, V_BAD_WHENCE);
	case OP_MMAP: case OP_POLL: case OP_OPEN: return VARS(V_GOOD);
	}
	return 0;
}

static void gen_ctl(struct ops_rng *r, struct ops_call *c)
{
	static const int32_t neg[] = { -1, -2, INT32_MIN };

	switch (c->op) {
	case OP_CTL_GET_STATE:
		if (!ops_want_struct_ptr(c))
			ops_want_ok(c, 0, 0);
		return;
	case OP_CTL_DESCRIBE:
		c->u[0] = (uint32_t)ops_below(r, 2);	/* pid 0 (self) or 1 (its init) */
		if (ops_want_struct_ptr(c))
			return;
		if (c->var == V_NEG_PID) {
			c->u[0] = (uint32_t)neg[ops_below(r, 3)];
			ops_want_err(c, EINVAL);
		} else if (c->var == V_FLAGS) {
			c->u[1] = (uint32_t)ops_between(r, 1, 0xffffffffu);
			ops_want_err(c, EINVAL);
		} else if (c->var == V_NO_PID) {
			c->u[0] = (uint32_t)ops_between(r, 0x400000, 0x7fffffff);	/* > PID_MAX_LIMIT */
			ops_want_err(c, ESRCH);
		} else {
			ops_want_ok(c, 0, 0);
		}
		return;
	default:	/* ACTIVATE, VTTY_DEVICES, VTTY_ATTACH, VFB_VIEW */
		/* the privilege check comes first: an unprivileged caller learns nothing */
		c->ptr = c->var == V_NULL || c->var == V_HOLE ? c->var : V_GOOD;
		c->u[0] = 1;
		if (c->var == V_NEG_PID)
			c->u[0] = (uint32_t)neg[ops_below(r, 3)];
		else if (c->var == V_PID0)
			c->u[0] = 0;
		else if (c->var == V_NO_PID)
			c->u[0] = (uint32_t)ops_between(r, 0x400000, 0x7fffffff);
		else if (c->var == V_FLAGS)
			c->u[1] = (uint32_t)ops_between(r, 1, 0xffffffffu);
		else if (c->var == V_BAD_VALUE)
			c->u[2] = (uint32_t)ops_between(r, 64, 0xffffffffu);	/* index */
		ops_want_err(c, EPERM);
	}
}

static void ctl_gen(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	switch (c->op) {
	case OP_READ: case OP_WRITE:
		if (!ops_gen_stream_rw(e, r, c, 4096))
			ops_want_err(c, EINVAL);	/* the VFS: no read or write operation */
		return;
	}
	if (!ops_gen_stream_common(r, c, true, 0))
		gen_ctl(r, c);
}

static void run_ctl(struct ops_env *e, struct ops_call *c, int fd)
{
	struct devns_state st;
	struct devns_ns_info info = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_activate act = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_vtty_devices devs = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_vtty_attach att = { .pid = (int32_t)c->u[0], .flags = c->u[1],
					 .index = c->u[2] };
	struct devns_vfb_view view = { .pid = (int32_t)c->u[0], .flags = c->u[1] };

	switch (c->op) {
	case OP_CTL_GET_STATE:
		if (!ops_struct_ioctl(e, c, fd, DEVNS_IOC_GET_STATE, &st, sizeof(st)))
			return;
		if (st.self_id != e->self_id || st.nr_namespaces ||
		    (st.active_id && st.active_id != st.self_id) ||
		    !!st.self_active != (st.active_id == st.self_id) || st.generation < e->generation)
			ops_bad(c, "state self %llu active %llu (self_active %u) namespaces %u generation %llu",
			    (unsigned long long)st.self_id, (unsigned long long)st.active_id,
			    st.self_active, st.nr_namespaces, (unsigned long long)st.generation);
		c->u[6] = (uint32_t)st.generation;
		c->u[7] = (uint32_t)(st.generation >> 32);
		return;
	case OP_CTL_DESCRIBE:
		if (!ops_struct_ioctl(e, c, fd, DEVNS_IOC_DESCRIBE, &info, sizeof(info)))
			return;
		if (info.id != e->self_id || info.level != e->level || (info.state & DEVNS_NS_HOST))
			ops_bad(c, "described id %llu level %u state %#x, it is %llu level %u",
			    (unsigned long long)info.id, info.level, info.state,
			    (unsigned long long)e->self_id, e->level);
		return;
	case OP_CTL_ACTIVATE:
		c->got = ops_res(ioctl(fd, DEVNS_IOC_ACTIVATE, ops_place(e, c->ptr, &act, sizeof(act))));
		return;
	case OP_CTL_VTTY_DEVICES:
		c->got = ops_res(ioctl(fd, DEVNS_IOC_VTTY_DEVICES, ops_place(e, c->ptr, &devs, sizeof(devs))));
		return;
	case OP_CTL_VTTY_ATTACH:
		c->got = ops_res(ioctl(fd, DEVNS_IOC_VTTY_ATTACH, ops_place(e, c->ptr, &att, sizeof(att))));
		break;
	case OP_CTL_VFB_VIEW:
		c->got = ops_res(ioctl(fd, DEVNS_IOC_VFB_VIEW, ops_place(e, c->ptr, &view, sizeof(view))));
		break;
	default:
		return;
	}
	/* a new fd (a bug: the set expects EPERM) is closed, not leaked */
	if (c->got >= 0) {
		close((int)c->got);
		c->got = 0;
	}
}

static void ctl_run(struct ops_env *e, struct ops_call *c, int fd)
{
	switch (c->op) {
	case OP_READ: case OP_WRITE:
		ops_run_rw(e, c, fd, false);
		return;
	case OP_MMAP:
		ops_run_mmap_touch(c, fd);
		return;
	case OP_OPEN:
		ops_run_open(c, impl()->device("ctl"));
		return;
	}
	if (!ops_run_common(e, c, fd))
		run_ctl(e, c, fd);
}

/* The generation GET_STATE returned: the next one must not be lower. */
static void ctl_apply(struct ops_env *e, const struct ops_call *c)
{
	if (c->op == OP_CTL_GET_STATE)
		e->generation = c->u[6] | (uint64_t)c->u[7] << 32;
}

static unsigned long ctl_foreign_cmd(struct ops_rng *r)
{
	return ops_cmd_either(r, ops_tty_cmds, 5, ops_fb_cmds, 8);
}

/* DEVNS_VTTY_IOC_INFO (the last) is the attach fd's, not the control device's */
static bool ctl_own_cmd(unsigned long cmd)
{
	return ops_cmd_in(cmd, ops_devns_cmds, 6);
}

const struct ops_device ops_ctl_device = {
	.variants = ctl_variants,
	.gen = ctl_gen,
	.run = ctl_run,
	.apply = ctl_apply,
	.foreign_cmd = ctl_foreign_cmd,
	.own_cmd = ctl_own_cmd,
};
