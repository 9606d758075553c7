// SPDX-License-Identifier: GPL-2.0
/*
 * What the devices of the operation catalog share: the file operations'
 * buffers and answers (read, write, lseek, mmap, an unknown ioctl, poll,
 * open) and the helpers that make a call.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include <linux/fb.h>

#include <devns.h>

#include "ops_dev.h"

/* ---- generating ------------------------------------------------------------------ */

static size_t rand_len(struct ops_rng *r, size_t max)
{
	uint64_t k = ops_below(r, 20);
	size_t hi = k < 14 ? 4096 : k < 19 ? 65536 : max;

	return (size_t)ops_between(r, 1, hi < max ? hi : max);
}

static const uint64_t huge_lens[] = { 1ull << 60, UINT64_MAX, (uint64_t)INT64_MAX + 1 };

/* Buffer arguments (ptr, len, mapped prefix u[7]) of read/write-like calls. */
void ops_gen_buffer(struct ops_env *e, struct ops_rng *r, struct ops_call *c, size_t max)
{
	c->ptr = V_GOOD;
	c->len = rand_len(r, max);
	switch (c->var) {
	case V_NULL: case V_HOLE:
		c->ptr = c->var;
		c->len = ops_between(r, 1, 4096);
		break;
	case V_STRADDLE:
		c->ptr = V_STRADDLE;
		c->len = ops_between(r, 2, 65536);
		c->u[7] = (uint32_t)ops_between(r, 1, c->len - 1);
		break;
	case V_HUGE_LEN:
		c->len = huge_lens[ops_below(r, 3)];
		break;
	case V_ZERO_LEN:
		c->len = 0;
		break;
	default:
		break;
	}
	(void)e;
}

/*
 * The result of moving @n bytes (0 when nothing is to move) through a
 * buffer of kind c->ptr: all of it, a short count or EFAULT.
 */
void ops_want_moved(struct ops_call *c, uint64_t n)
{
	if (!n) {
		ops_want_ok(c, 0, 0);
		return;
	}
	switch (c->ptr) {
	case V_NULL: case V_HOLE:
		ops_want_err(c, EFAULT);
		break;
	case V_STRADDLE:
		if (n <= c->u[7]) {
			ops_want_ok(c, (int64_t)n, (int64_t)n);
		} else {
			ops_want_ok(c, 1, c->u[7]);
			ops_want_err(c, EFAULT);
		}
		break;
	default:
		ops_want_ok(c, (int64_t)n, (int64_t)n);
	}
}

/*
 * read/write/pread/pwrite of a device without a file position: the buffer
 * (at most @max bytes), an offset and the bytes' seed.  True for pread and
 * pwrite, which the VFS refuses on a stream (ESPIPE): nothing else to expect.
 */
bool ops_gen_stream_rw(struct ops_env *e, struct ops_rng *r, struct ops_call *c, size_t max)
{
	ops_gen_buffer(e, r, c, max);
	c->off = (int64_t)ops_below(r, 4096);
	c->data = ops_rand(r);
	if (c->op != OP_PREAD && c->op != OP_PWRITE)
		return false;
	ops_want_err(c, ESPIPE);
	return true;
}

/* lseek of a device without a position: noop_llseek, or ESPIPE if not @seekable. */
static void gen_stream_lseek(struct ops_rng *r, struct ops_call *c, bool seekable)
{
	c->whence = (int)ops_below(r, 3);
	c->off = (int64_t)ops_rand(r);
	if (c->var == V_NEG_OFF)
		c->off = c->off < 0 ? c->off : -c->off - 1;
	if (!seekable) {
		ops_want_err(c, ESPIPE);
	} else if (c->var == V_BAD_WHENCE) {
		c->whence = (int)ops_between(r, 5, 1000);
		ops_want_err(c, EINVAL);
	} else {
		ops_want_ok(c, 0, 0);	/* noop_llseek: the position stays 0 */
	}
}


/* Every device's commands, for the other devices' unknown ones. */
const unsigned long ops_devns_cmds[7] = {
	DEVNS_IOC_ACTIVATE, DEVNS_IOC_GET_STATE, DEVNS_IOC_DESCRIBE,
	DEVNS_IOC_VTTY_DEVICES, DEVNS_IOC_VTTY_ATTACH, DEVNS_IOC_VFB_VIEW, DEVNS_VTTY_IOC_INFO,
};
const unsigned long ops_fb_cmds[8] = {
	FBIOGET_VSCREENINFO, FBIOPUT_VSCREENINFO, FBIOGET_FSCREENINFO, FBIOGETCMAP,
	FBIOPUTCMAP, FBIOPAN_DISPLAY, FBIOBLANK, FBIO_WAITFORVSYNC,
};
const unsigned long ops_tty_cmds[5] = { TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, FIONREAD };

bool ops_cmd_in(unsigned long cmd, const unsigned long *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cmd == list[i])
			return true;
	return false;
}

/* A command of @a, or half the time one of @b (drawn in that order). */
unsigned long ops_cmd_either(struct ops_rng *r, const unsigned long *a, size_t na,
			     const unsigned long *b, size_t nb)
{
	unsigned long cmd = a[ops_below(r, na)];

	if (ops_below(r, 2))
		cmd = b[ops_below(r, nb)];
	return cmd;
}

/* An ioctl command @d does not have (and that the VFS does not serve itself). */
static unsigned long unknown_cmd(struct ops_rng *r, const struct ops_device *d)
{
	static const unsigned long odd[] = { 0, 0xffffffffu, 0x12345678u, 0xdeadbeefu };
	static const unsigned int types[] = { DEVNS_IOC_MAGIC, 0xe1, 0xab, 0x7a };
	unsigned long cmd;

	switch (ops_below(r, 4)) {
	case 0:
		cmd = odd[ops_below(r, 4)];
		break;
	case 1:
		cmd = d->foreign_cmd(r);
		break;
	case 2:
		cmd = ops_devns_cmds[ops_below(r, 7)];
		break;
	default:
		cmd = _IOC(ops_below(r, 4), types[ops_below(r, 4)], ops_between(r, 0x40, 0xff),
			   ops_below(r, 512));
	}
	/* never one of the device's own commands */
	return d->own_cmd(cmd) ? _IO(DEVNS_IOC_MAGIC, 0xff) : cmd;
}

/* V_UNKNOWN_CMD: the command and its pointer. */
void ops_gen_unknown_ioctl(struct ops_rng *r, struct ops_call *c)
{
	c->cmd = unknown_cmd(r, ops_device(c->dev));
	c->ptr = (int[]){ V_GOOD, V_NULL, V_HOLE }[ops_below(r, 3)];
}

/*
 * What every device answers alike: an unknown ioctl (ENOTTY), poll, and
 * open of its node (V_OTHER_NS: @other_err if not 0, or EACCES).  False for
 * the other operations.
 */
bool ops_gen_common(struct ops_rng *r, struct ops_call *c, int other_err)
{
	static const int opens[] = { O_RDONLY, O_WRONLY, O_RDWR };

	switch (c->op) {
	case OP_IOCTL:
		ops_gen_unknown_ioctl(r, c);
		ops_want_err(c, ENOTTY);
		return true;
	case OP_POLL:
		ops_want_ok(c, 0, 0xffff);
		return true;
	case OP_OPEN:
		c->arg = (unsigned long)opens[ops_below(r, 3)];
		if (c->var == V_GOOD) {
			ops_want_ok(c, 0, 0);
			return true;
		}
		if (other_err)
			ops_want_err(c, other_err);
		ops_want_err(c, EACCES);	/* ... or not even the node (the panel: root's) */
		return true;
	}
	return false;
}

/*
 * ops_gen_common() for a device without a file position (lseek: noop_llseek,
 * or ESPIPE if not @seekable) and without mmap (ENODEV).
 */
bool ops_gen_stream_common(struct ops_rng *r, struct ops_call *c, bool seekable, int other_err)
{
	switch (c->op) {
	case OP_LSEEK:
		gen_stream_lseek(r, c, seekable);
		return true;
	case OP_MMAP:
		c->len = ops_between(r, 1, 4) * OPS_PAGE;
		ops_want_err(c, ENODEV);	/* no mmap operation */
		return true;
	}
	return ops_gen_common(r, c, other_err);
}

/* Pointer variants of a struct argument: EFAULT unless good. */
bool ops_want_struct_ptr(struct ops_call *c)
{
	c->ptr = V_GOOD;
	if (c->var == V_NULL || c->var == V_HOLE || c->var == V_STRADDLE) {
		c->ptr = c->var;
		ops_want_err(c, EFAULT);
		return true;
	}
	return false;
}

/* ---- running ------------------------------------------------------------------- */

/* The pointer for an argument of @size bytes (the straddling one keeps half mapped). */
void *ops_arg_ptr(struct ops_env *e, int kind, size_t size)
{
	switch (kind) {
	case V_NULL: return NULL;
	case V_HOLE: return e->hole;
	case V_STRADDLE: return e->hole - (size > 1 ? size / 2 : 1);
	default: return e->buf;
	}
}

/* Put @size bytes of @obj where the call's pointer goes (what is mapped of it). */
void *ops_place(struct ops_env *e, int kind, const void *obj, size_t size)
{
	uint8_t *p = ops_arg_ptr(e, kind, size);

	if (kind == V_GOOD)
		memcpy(p, obj, size);
	else if (kind == V_STRADDLE)
		memcpy(p, obj, (size_t)(e->hole - p));
	return p;
}

/* The buffer of a read/write: the straddling one has u[7] bytes mapped. */
static uint8_t *buf_ptr(struct ops_env *e, const struct ops_call *c)
{
	switch (c->ptr) {
	case V_NULL: return NULL;
	case V_HOLE: return e->hole;
	case V_STRADDLE: return e->hole - c->u[7];
	default: return e->buf;
	}
}

int64_t ops_res(long r)
{
	return r < 0 ? -errno : r;
}

void ops_bad(struct ops_call *c, const char *fmt, ...)
{
	va_list ap;

	if (c->bad[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->bad, sizeof(c->bad), fmt, ap);
	va_end(ap);
}

/*
 * An ioctl whose argument is the struct @obj of @size bytes, at the call's
 * pointer; true if it worked, and then @obj has what the device wrote back.
 */
bool ops_struct_ioctl(struct ops_env *e, struct ops_call *c, int fd, unsigned long cmd,
		      void *obj, size_t size)
{
	void *p = ops_place(e, c->ptr, obj, size);

	c->got = ops_res(ioctl(fd, cmd, p));
	if (c->got)
		return false;
	memcpy(obj, p, size);
	return true;
}

/*
 * read/write/pread/pwrite with the call's buffer, whose bytes are
 * @printable ones (nothing for a line discipline to act on: ^C, ^S ...)
 * or any.  Returns the buffer.
 */
uint8_t *ops_run_rw(struct ops_env *e, struct ops_call *c, int fd, bool printable)
{
	bool wr = c->op == OP_WRITE || c->op == OP_PWRITE;
	bool positional = c->op == OP_PREAD || c->op == OP_PWRITE;
	uint8_t *p = buf_ptr(e, c);
	size_t fill = c->ptr == V_GOOD ? c->len : c->ptr == V_STRADDLE ? c->u[7] : 0;

	if (fill > e->buf_len)
		fill = 0;	/* a huge length: only the first bytes could ever be read */

	if (wr && fill && printable) {
		for (size_t i = 0; i < fill; i++)
			p[i] = (uint8_t)('a' + (c->data + i) % 26);
	} else if (wr && fill) {
		ops_fill_bytes(p, fill, c->data);
	}
	if (wr)
		c->got = ops_res(positional ? pwrite(fd, p, c->len, c->off) : write(fd, p, c->len));
	else
		c->got = ops_res(positional ? pread(fd, p, c->len, c->off) : read(fd, p, c->len));
	return p;
}

/* mmap of a device with nothing to check in the mapping: its last byte is read. */
void ops_run_mmap_touch(struct ops_call *c, int fd)
{
	uint8_t *m = mmap(NULL, c->len, PROT_READ, c->arg ? (int)c->arg : MAP_SHARED, fd,
			  (off_t)c->off);
	volatile uint8_t b;

	if (m == MAP_FAILED) {
		c->got = -errno;
		return;
	}
	c->got = 0;
	b = m[c->len - 1];
	(void)b;
	munmap(m, c->len);
}

/* open() of @path (NULL: the device has no node), closed again. */
void ops_run_open(struct ops_call *c, const char *path)
{
	int fd = path ? open(path, (int)c->arg | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) : -1;

	c->got = fd < 0 ? (path ? -errno : -ENODEV) : 0;
	if (fd >= 0)
		close(fd);
}

/* lseek, an unknown ioctl and poll (its revents): false for the other operations. */
bool ops_run_common(struct ops_env *e, struct ops_call *c, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

	switch (c->op) {
	case OP_LSEEK:
		c->got = ops_res((long)lseek(fd, (off_t)c->off, c->whence));
		return true;
	case OP_IOCTL:
		c->got = ops_res(ioctl(fd, c->cmd, ops_arg_ptr(e, c->ptr, 64)));
		return true;
	case OP_POLL:
		c->got = ops_res(poll(&pfd, 1, 0));
		if (c->got > 0)
			c->got = pfd.revents;
		return true;
	}
	return false;
}
