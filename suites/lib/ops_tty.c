// SPDX-License-Identifier: GPL-2.0
/*
 * The operation catalog's terminals (ops_dev.h): the container's own
 * terminal (O_NONBLOCK, unprivileged) and a host attach fd of one
 * (O_NONBLOCK, host root).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <linux/tty.h>

#include <devns.h>

#include "ops_dev.h"

static int tty_variants(int op, uint8_t out[OPS_NVARS])
{
	switch (op) {
	case OP_READ: case OP_WRITE: return VARS(BUFS);
	case OP_TTY_GET: return VARS(V_GOOD, V_NULL, V_HOLE);
	case OP_TTY_SET: return VARS(V_GOOD, V_NULL, V_HOLE, V_BAD_VALUE);
	case OP_IOCTL: return VARS(V_UNKNOWN_CMD, V_PRIVILEGED);
	case OP_PREAD: case OP_PWRITE: case OP_LSEEK: case OP_MMAP: case OP_POLL:
		return VARS(V_GOOD);
	case OP_OPEN: return VARS(V_OTHER_NS);
	}
	return 0;
}

static int host_variants(int op, uint8_t out[OPS_NVARS])
{
	switch (op) {
	case OP_READ: case OP_WRITE: return VARS(BUFS);
	case OP_HOST_INFO: case OP_HOST_SWINSZ: return VARS(V_GOOD, PTRS);
	case OP_HOST_GWINSZ: return VARS(V_GOOD, V_NULL, V_HOLE);
	case OP_IOCTL: return VARS(V_UNKNOWN_CMD);
	case OP_LSEEK: return VARS(V_GOOD, V_BAD_WHENCE);
	case OP_PREAD: case OP_PWRITE: case OP_MMAP: case OP_POLL: return VARS(V_GOOD);
	}
	return 0;
}

/* An open of another namespace's terminal needs one. */
static bool tty_has(const struct ops_env *e, int op, int var)
{
	if (op == OP_OPEN && var == V_OTHER_NS)
		return e->other_tty[0] != '\0';
	return true;
}

/* ---- generating ------------------------------------------------------------------ */

static const unsigned long tty_gets[] = {
	TCGETS, TIOCGWINSZ, FIONREAD, TIOCOUTQ, TIOCGETD, TIOCGEXCL,
	_IOC(_IOC_READ, 'T', 0x2a, 44) /* TCGETS2 */, TIOCGSOFTCAR,
};

/* Terminal requests for privileged callers or for the controlling terminal only. */
static void gen_tty_privileged(struct ops_rng *r, struct ops_call *c)
{
	static const unsigned long privileged[] = {
		TIOCSTI, TIOCCONS, TIOCVHANGUP, TIOCSCTTY, TIOCNOTTY, TIOCGPGRP, TIOCGSID, TIOCSPGRP,
	};

	c->ptr = V_GOOD;
	c->cmd = privileged[ops_below(r, 8)];
	if (c->cmd == TIOCSTI)
		ops_want_err(c, EIO);	/* dev.tty.legacy_tiocsti = 0 */
	if (c->cmd == TIOCNOTTY || c->cmd == TIOCGPGRP || c->cmd == TIOCGSID ||
	    c->cmd == TIOCSPGRP)
		ops_want_err(c, ENOTTY);	/* not its controlling terminal */
	else
		ops_want_err(c, EPERM);
}

static void gen_tty(struct ops_rng *r, struct ops_call *c)
{
	if (c->op == OP_TTY_GET) {
		c->cmd = tty_gets[ops_below(r, sizeof(tty_gets) / sizeof(tty_gets[0]))];
		c->ptr = c->var;
		if (c->var == V_GOOD)
			ops_want_ok(c, 0, 0);
		else
			ops_want_err(c, EFAULT);
		return;
	}
	c->u[0] = (uint32_t)ops_below(r, 5);	/* which request */
	c->u[1] = (uint32_t)ops_rand(r);	/* winsize */
	c->u[2] = (uint32_t)ops_rand(r);
	c->ptr = c->var == V_BAD_VALUE ? V_GOOD : c->var;
	if (c->var == V_NULL || c->var == V_HOLE) {
		c->u[0] = c->u[0] % 4;	/* a request with a pointer */
		ops_want_err(c, EFAULT);
	} else if (c->var == V_BAD_VALUE) {
		c->u[0] = 3 + c->u[0] % 2;	/* TIOCSETD or TCFLSH */
		/* no valid discipline number: that could load a module */
		c->arg = (unsigned long[]){ 64, 100, ULONG_MAX, 0x7fffffff }[ops_below(r, 4)];
		ops_want_err(c, EINVAL);
	} else {
		c->arg = ops_below(r, 3);	/* TCFLSH: TCIFLUSH .. TCIOFLUSH */
		ops_want_ok(c, 0, 0);
	}
}

static void tty_gen(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	bool wr = c->op == OP_WRITE || c->op == OP_PWRITE;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		if (ops_gen_stream_rw(e, r, c, wr ? 16384 : 4096))
			return;
		if (c->var == V_HUGE_LEN) {
			ops_want_err(c, EFAULT);	/* access_ok() */
		} else if (c->var == V_ZERO_LEN) {
			ops_want_ok(c, 0, 0);
			if (!wr)
				ops_want_err(c, EAGAIN);
		} else if (wr) {
			ops_want_moved(c, c->len);	/* output never blocks: all of it */
		} else {
			ops_want_err(c, EAGAIN);	/* nobody types: nothing to read */
		}
		return;
	case OP_IOCTL:
		ops_gen_unknown_ioctl(r, c);
		if (c->var == V_PRIVILEGED)
			gen_tty_privileged(r, c);
		else
			ops_want_err(c, ENOTTY);
		return;
	}
	if (!ops_gen_stream_common(r, c, false, ENXIO))	/* another namespace's terminal */
		gen_tty(r, c);
}

static void gen_host(struct ops_rng *r, struct ops_call *c)
{
	c->u[0] = (uint32_t)ops_rand(r);	/* winsize */
	c->u[1] = (uint32_t)ops_rand(r);
	if (!ops_want_struct_ptr(c))
		ops_want_ok(c, 0, 0);
}

static void host_gen(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	bool wr = c->op == OP_WRITE || c->op == OP_PWRITE;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		if (ops_gen_stream_rw(e, r, c, 4096))
			return;
		if (c->var == V_HUGE_LEN) {
			ops_want_err(c, EFAULT);	/* access_ok() */
		} else if (c->var == V_ZERO_LEN) {
			ops_want_ok(c, 0, 0);
		} else if (c->ptr == V_GOOD || c->ptr == V_STRADDLE) {
			/* what is buffered, or what the line discipline takes, is not known here */
			ops_want_ok(c, 1, c->ptr == V_GOOD ? (int64_t)c->len : c->u[7]);
			if (c->ptr == V_STRADDLE)
				ops_want_err(c, EFAULT);
			ops_want_err(c, EAGAIN);
		} else {
			/* a write copies first; a read with nothing buffered copies nothing */
			ops_want_err(c, EFAULT);
			if (!wr)
				ops_want_err(c, EAGAIN);
		}
		return;
	}
	if (!ops_gen_stream_common(r, c, true, 0))
		gen_host(r, c);
}

/* ---- running ------------------------------------------------------------------- */

/* The terminal's own ioctls' argument: what the request points at. */
static void *tty_ioctl_arg(struct ops_env *e, const struct ops_call *c)
{
	static char ch = '#';
	static int ival;

	if (c->var != V_PRIVILEGED)
		return ops_arg_ptr(e, c->ptr, 64);
	if (c->cmd == TIOCSTI)
		return &ch;
	if (c->cmd == TIOCSPGRP || c->cmd == TIOCGPGRP || c->cmd == TIOCGSID)
		return &ival;
	return NULL;
}

static void run_tty(struct ops_env *e, struct ops_call *c, int fd)
{
	static const unsigned long sets[] = { TCSETS, TIOCSWINSZ, TIOCSSOFTCAR, TIOCSETD, TCFLSH };
	unsigned long cmd = sets[c->u[0] % 5];
	struct winsize ws = { .ws_row = (unsigned short)(c->u[1] % 1000),
			      .ws_col = (unsigned short)(c->u[2] % 1000) };
	int ival;
	void *p;

	if (c->op == OP_TTY_GET) {
		c->got = ops_res(ioctl(fd, c->cmd, ops_arg_ptr(e, c->ptr, 64)));
		return;
	}
	if (cmd == TCFLSH) {
		c->got = ops_res(ioctl(fd, TCFLSH, c->arg));
		return;
	}
	if (cmd == TCSETS) {
		/* the current settings, set again */
		if (ioctl(fd, TCGETS, e->buf + 2 * OPS_PAGE)) {
			ops_bad(c, "TCGETS: %s", strerror(errno));
			return;
		}
		p = c->ptr == V_GOOD ? e->buf + 2 * OPS_PAGE : ops_arg_ptr(e, c->ptr, 64);
	} else if (cmd == TIOCSWINSZ) {
		p = ops_place(e, c->ptr, &ws, sizeof(ws));
	} else {
		ival = cmd == TIOCSETD && c->var == V_BAD_VALUE ? (int)c->arg :
		       cmd == TIOCSSOFTCAR ? 1 : N_TTY;
		p = ops_place(e, c->ptr, &ival, sizeof(ival));
	}
	c->got = ops_res(ioctl(fd, cmd, p));
}

/* What both terminals do alike: printable bytes, no mapping.  False for the rest. */
static bool term_run(struct ops_env *e, struct ops_call *c, int fd)
{
	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		ops_run_rw(e, c, fd, true);
		return true;
	case OP_MMAP:
		ops_run_mmap_touch(c, fd);
		return true;
	}
	return false;
}

static void tty_run(struct ops_env *e, struct ops_call *c, int fd)
{
	if (term_run(e, c, fd))
		return;
	switch (c->op) {
	case OP_IOCTL:
		c->got = ops_res(ioctl(fd, c->cmd, tty_ioctl_arg(e, c)));
		return;
	case OP_OPEN:
		ops_run_open(c, e->other_tty);
		return;
	}
	if (!ops_run_common(e, c, fd)) {
		run_tty(e, c, fd);
		return;
	}
	if (c->op == OP_POLL && c->got >= 0 && !(c->got & POLLOUT))
		ops_bad(c, "poll revents %#llx without POLLOUT: output blocks", (long long)c->got);
}

static void run_host(struct ops_env *e, struct ops_call *c, int fd)
{
	struct devns_vtty_info info;
	struct winsize ws = { .ws_row = (unsigned short)(c->u[0] % 1000),
			      .ws_col = (unsigned short)(c->u[1] % 1000) };

	switch (c->op) {
	case OP_HOST_INFO:
		if (!ops_struct_ioctl(e, c, fd, DEVNS_VTTY_IOC_INFO, &info, sizeof(info)))
			return;
		if (info.id != e->host_id || info.index != e->host_index ||
		    info.buffered > info.buffer_size || info.dropped > info.written)
			ops_bad(c, "info id %llu index %u buffered %u of %u", (unsigned long long)info.id,
			    info.index, info.buffered, info.buffer_size);
		return;
	case OP_HOST_GWINSZ:
		c->got = ops_res(ioctl(fd, TIOCGWINSZ, ops_arg_ptr(e, c->ptr, sizeof(ws))));
		return;
	case OP_HOST_SWINSZ:
		c->got = ops_res(ioctl(fd, TIOCSWINSZ, ops_place(e, c->ptr, &ws, sizeof(ws))));
		return;
	}
}

static void host_run(struct ops_env *e, struct ops_call *c, int fd)
{
	if (!term_run(e, c, fd) && !ops_run_common(e, c, fd))
		run_host(e, c, fd);
}

/* V_UNKNOWN_CMD: fbdev commands (the attach fd also: a terminal's it has not) */
static unsigned long tty_foreign_cmd(struct ops_rng *r)
{
	return ops_fb_cmds[ops_below(r, 8)];
}

static bool tty_own_cmd(unsigned long cmd)
{
	return ops_cmd_in(cmd, ops_tty_cmds, 5);
}

static unsigned long host_foreign_cmd(struct ops_rng *r)
{
	return ops_cmd_either(r, ops_fb_cmds, 8, ops_tty_cmds, 5);
}

static bool host_own_cmd(unsigned long cmd)
{
	return cmd == DEVNS_VTTY_IOC_INFO || cmd == TIOCGWINSZ || cmd == TIOCSWINSZ;
}

const struct ops_device ops_tty_device = {
	.variants = tty_variants,
	.has = tty_has,
	.gen = tty_gen,
	.run = tty_run,
	.foreign_cmd = tty_foreign_cmd,
	.own_cmd = tty_own_cmd,
};

const struct ops_device ops_host_device = {
	.variants = host_variants,
	.gen = host_gen,
	.run = host_run,
	.foreign_cmd = host_foreign_cmd,
	.own_cmd = host_own_cmd,
};
