// SPDX-License-Identifier: GPL-2.0
/*
 * The operation catalog's framebuffers (ops_dev.h): the vfb, from an
 * unprivileged container, and the panel (/dev/fbN) from host root, which
 * may not change what the panel shows.  One model each (struct
 * ops_fb_model); the vfb's also has its contents and mapping.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>
#include <linux/fb.h>

#include <devns.h>

#include "impl.h"
#include "ops_dev.h"

#define CMAP_LEN	256u
#define ARRAY_OFF	OPS_PAGE	/* cmap arrays in buf: red, green, blue, transp */
#define ARRAY_BYTES	(CMAP_LEN * 2)
#define CMAPS V_RANGE_OVER, V_RANGE_WRAP, V_ZERO_LEN, V_START_BIG, V_LEN_HUGE, \
	V_NULL_ARRAY, V_HOLE_ARRAY, V_HOLE_TRANSP

#define MODES V_BAD_BPP, V_BAD_MODE, V_VIRT_TOO_BIG, V_SIZE_WRAP32, V_SIZE_WRAP64, \
	V_BAD_OFFSETS, V_YWRAP

static int vfb_variants(int op, uint8_t out[OPS_NVARS])
{
	switch (op) {
	case OP_READ: case OP_WRITE: return VARS(BUFS);
	case OP_PREAD: case OP_PWRITE: return VARS(BUFS, OFFS);
	case OP_LSEEK:
		return VARS(V_GOOD, V_AT_END, V_NEG_OFF, V_PAST_END, V_OFF_OVERFLOW, V_BAD_WHENCE);
	case OP_MMAP:
		return VARS(V_GOOD, V_PRIVATE, V_PAST_END, V_AT_END, V_ZERO_LEN,
			    V_UNALIGNED, V_HUGE_LEN, V_OFF_OVERFLOW);
	case OP_FB_MAP_WRITE: case OP_FB_MAP_READ: return VARS(V_GOOD);
	case OP_FB_GET_VAR: case OP_FB_GET_FIX: return VARS(V_GOOD, PTRS);
	case OP_FB_PUT_VAR: return VARS(V_GOOD, V_TEST_ONLY, PTRS, MODES);
	case OP_FB_PAN: return VARS(V_GOOD, PTRS, V_BAD_OFFSETS, V_YWRAP);
	case OP_FB_GETCMAP: case OP_FB_PUTCMAP: return VARS(V_GOOD, PTRS, CMAPS);
	case OP_FB_BLANK: return VARS(V_GOOD, V_BAD_VALUE);
	case OP_FB_VSYNC: return VARS(V_GOOD, V_NULL, V_HOLE, V_BAD_VALUE);
	case OP_IOCTL: return VARS(V_UNKNOWN_CMD);
	case OP_POLL: return VARS(V_GOOD);
	case OP_OPEN: return VARS(V_GOOD, V_OTHER_NS);
	}
	return 0;
}

/* host root: nothing that would change what the panel shows */
static int panel_variants(int op, uint8_t out[OPS_NVARS])
{
	switch (op) {
	case OP_PREAD: return VARS(BUFS, OFFS);
	case OP_PWRITE:
		return VARS(V_NULL, V_HOLE, V_HUGE_LEN, V_ZERO_LEN, V_NEG_OFF, V_AT_END,
			    V_PAST_END, V_OFF_OVERFLOW);
	case OP_MMAP:
		return VARS(V_GOOD, V_PAST_END, V_AT_END, V_ZERO_LEN, V_UNALIGNED,
			    V_HUGE_LEN, V_OFF_OVERFLOW);
	case OP_FB_GET_VAR: case OP_FB_GET_FIX: return VARS(V_GOOD, PTRS);
	case OP_FB_PUT_VAR: return VARS(PTRS, MODES);
	case OP_FB_PAN: return VARS(PTRS, V_BAD_OFFSETS, V_YWRAP);
	case OP_FB_GETCMAP: return VARS(V_GOOD, PTRS, CMAPS);
	case OP_FB_PUTCMAP: return VARS(PTRS, CMAPS);
	case OP_FB_BLANK: return VARS(V_BAD_VALUE);
	case OP_FB_VSYNC: return VARS(V_GOOD, V_NULL, V_HOLE, V_BAD_VALUE);
	case OP_IOCTL: return VARS(V_UNKNOWN_CMD);
	case OP_POLL: return VARS(V_GOOD);
	}
	return 0;
}

/* The mapping calls need a kept mapping; an open of another's node, the panel's. */
static bool vfb_has(const struct ops_env *e, int op, int var)
{
	if (op == OP_FB_MAP_WRITE || op == OP_FB_MAP_READ)
		return e->map != NULL;
	if (op == OP_OPEN && var == V_OTHER_NS)
		return e->panel_path[0] != '\0';
	return true;
}

/* ---- generating ------------------------------------------------------------------ */

static struct ops_fb_model *fbm(struct ops_env *e, int dev)
{
	return &e->fb[dev == OPS_PANEL];
}

/* read/write/pread/pwrite of the vfb or the panel at @pos. */
static void want_fb_rw(struct ops_env *e, struct ops_call *c, int64_t pos, bool wr)
{
	uint64_t smem = e->smem;
	uint64_t n;

	if (c->var == V_HUGE_LEN) {
		ops_want_err(c, EFAULT);		/* access_ok() */
		return;
	}
	if (pos < 0 || (uint64_t)pos > (uint64_t)INT64_MAX - c->len) {
		ops_want_err(c, EINVAL);		/* the VFS refuses the offset */
		return;
	}
	if (!wr) {
		n = (uint64_t)pos >= smem ? 0 : c->len < smem - (uint64_t)pos ? c->len : smem - (uint64_t)pos;
		ops_want_moved(c, n);
		return;
	}
	if (c->dev == OPS_PANEL && (uint64_t)pos > smem) {
		ops_want_err(c, EFBIG);		/* fb_sys_write: before the count */
		return;
	}
	if (!c->len) {
		ops_want_ok(c, 0, 0);
		return;
	}
	if ((uint64_t)pos > smem) {
		ops_want_err(c, EFBIG);
		return;
	}
	if ((uint64_t)pos == smem) {
		ops_want_err(c, ENOSPC);
		return;
	}
	n = c->len < smem - (uint64_t)pos ? c->len : smem - (uint64_t)pos;
	ops_want_moved(c, n);
}

static void gen_fb_offset(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	uint64_t smem = e->smem;

	switch (c->var) {
	case V_NEG_OFF:
		c->len = ops_between(r, 1, 4096);
		c->off = ops_below(r, 4) ? -(int64_t)ops_between(r, 1, 1ull << 40) : INT64_MIN;
		break;
	case V_AT_END:
		c->len = ops_between(r, 1, 4096);
		c->off = (int64_t)smem;
		break;
	case V_PAST_END:
		c->len = ops_between(r, 1, 4096);
		c->off = (int64_t)(smem + ops_between(r, 1, 1ull << 40));
		break;
	case V_CROSS_END:
		c->len = ops_between(r, 2, 65536);
		c->off = (int64_t)(smem - ops_between(r, 1, c->len - 1 < smem ? c->len - 1 : smem));
		break;
	case V_OFF_OVERFLOW:
		c->len = ops_between(r, 2, 4096);
		c->off = INT64_MAX - (int64_t)ops_below(r, c->len - 1);
		break;
	case V_ZERO_LEN:
		c->off = (int64_t)ops_below(r, smem + 8192);
		break;
	default:
		c->off = (int64_t)ops_below(r, smem - (c->len < smem ? c->len : smem) + 1);
	}
}

/*
 * lseek of the vfb: SEEK_SET, SEEK_CUR, SEEK_END with offsets inside and
 * out.  The arguments never depend on the position (only what is expected
 * does), so a sequence stays the same whatever short counts came before.
 */
static void gen_fb_lseek(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	int64_t smem = (int64_t)e->smem, pos = fbm(e, c->dev)->pos, to;
	static const int whences[] = { SEEK_DATA, SEEK_HOLE, 5, 1000, -1 };

	c->whence = (int)ops_below(r, 3);
	switch (c->var) {
	case V_GOOD:
		c->off = (int64_t)ops_below(r, (uint64_t)smem + 1);
		if (c->whence == SEEK_END)
			c->off -= smem;
		else if (c->whence == SEEK_CUR)
			c->off = (int64_t)ops_below(r, 8193) - 4096;
		break;
	case V_AT_END:
		c->whence = ops_below(r, 2) ? SEEK_SET : SEEK_END;
		c->off = c->whence == SEEK_SET ? smem : 0;
		break;
	case V_NEG_OFF:
		c->whence = ops_below(r, 2) ? SEEK_SET : SEEK_END;
		c->off = -(int64_t)ops_between(r, 1, 1ull << 40) - (c->whence == SEEK_END ? smem : 0);
		break;
	case V_PAST_END:
		c->whence = ops_below(r, 2) ? SEEK_SET : SEEK_END;
		c->off = (int64_t)ops_between(r, 1, 1ull << 40) + (c->whence == SEEK_SET ? smem : 0);
		break;
	case V_OFF_OVERFLOW:
		/* offset + the position (or smem_len) overflows, or is out of range */
		c->whence = ops_below(r, 2) ? SEEK_CUR : SEEK_END;
		c->off = ops_below(r, 2) ? INT64_MAX : INT64_MIN;
		ops_want_err(c, EINVAL);
		return;
	case V_BAD_WHENCE:
		c->whence = whences[ops_below(r, 5)];
		c->off = (int64_t)ops_below(r, (uint64_t)smem);
		ops_want_err(c, EINVAL);
		return;
	}
	to = c->whence == SEEK_SET ? c->off : c->whence == SEEK_END ? smem + c->off : pos + c->off;
	if (to < 0 || to > smem)
		ops_want_err(c, EINVAL);
	else
		ops_want_ok(c, to, to);
}

static void gen_fb_mmap(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	uint64_t pages = (e->smem + OPS_PAGE - 1) / OPS_PAGE, first = ops_below(r, pages);

	c->arg = MAP_SHARED;
	c->off = (int64_t)(first * OPS_PAGE);
	c->len = ops_between(r, 1, pages - first) * OPS_PAGE - ops_below(r, OPS_PAGE);
	switch (c->var) {
	case V_GOOD:
		c->u[0] = (uint32_t)ops_below(r, c->len - 8 + 1);	/* store 8 bytes there */
		c->u[1] = (uint32_t)ops_below(r, c->len - 64 + 1);	/* load 64 there */
		if (c->len < 64) {
			c->u[0] = 0;
			c->u[1] = 0;
		}
		c->data = ops_rand(r);
		ops_want_ok(c, 0, 0);
		return;
	case V_PRIVATE:
		c->arg = MAP_PRIVATE;
		break;
	case V_PAST_END:
		c->len = (pages - first + ops_between(r, 1, 64)) * OPS_PAGE;
		break;
	case V_AT_END:
		c->off = (int64_t)(pages * OPS_PAGE);
		c->len = ops_between(r, 1, 4) * OPS_PAGE;
		break;
	case V_ZERO_LEN:
		c->len = 0;
		break;
	case V_UNALIGNED:
		c->off += (int64_t)ops_between(r, 1, OPS_PAGE - 1);
		break;
	case V_HUGE_LEN:
		c->off = 0;
		c->len = ops_below(r, 2) ? UINT64_MAX : 1ull << 46;
		ops_want_err(c, ENOMEM);
		break;
	case V_OFF_OVERFLOW:
		c->off = (int64_t)((uint64_t)INT64_MAX & ~(OPS_PAGE - 1)) - (int64_t)(ops_below(r, 4) * OPS_PAGE);
		ops_want_err(c, EOVERFLOW);
		break;
	}
	ops_want_err(c, EINVAL);
}

/* A var the device accepts: a listed mode, virtual sizes that fit, offsets inside. */
static void good_var(struct ops_env *e, struct ops_rng *r, struct fb_var_screeninfo *v)
{
	const struct fb_mode_size *m = &e->modes[ops_below(r, (uint64_t)e->nmodes)];
	uint64_t words = e->smem / 4, xmax, ymax;

	v->xres = m->xres;
	v->yres = m->yres;
	v->bits_per_pixel = 32;
	v->vmode = FB_VMODE_NONINTERLACED;
	v->activate = ops_below(r, 4) ? FB_ACTIVATE_NOW : FB_ACTIVATE_NOW | FB_ACTIVATE_FORCE;
	xmax = words / m->yres;
	v->xres_virtual = ops_below(r, 2) ? m->xres : (uint32_t)ops_between(r, m->xres, xmax);
	ymax = words / v->xres_virtual;
	v->yres_virtual = ops_below(r, 2) ? m->yres : (uint32_t)ops_between(r, m->yres, ymax);
	if (!ops_below(r, 8))
		v->xres_virtual = 0;	/* "as large as the visible size" */
	if (!ops_below(r, 8))
		v->yres_virtual = 0;
	v->xoffset = (uint32_t)ops_below(r, (v->xres_virtual ? v->xres_virtual : v->xres) - v->xres + 1);
	v->yoffset = (uint32_t)ops_below(r, (v->yres_virtual ? v->yres_virtual : v->yres) - v->yres + 1);
}

static bool is_mode(const struct ops_env *e, uint32_t x, uint32_t y)
{
	for (int i = 0; i < e->nmodes; i++)
		if (e->modes[i].xres == x && e->modes[i].yres == y)
			return true;
	return false;
}

static unsigned int log2_up(uint32_t v)
{
	unsigned int n = 0;

	while (n < 32 && (1ull << n) < v)
		n++;
	return n;
}

/* FBIOPUT_VSCREENINFO: the var is built in u[] order by the runner from c->u and the model. */
static void gen_fb_put_var(struct ops_env *e, struct ops_rng *r, struct ops_call *c,
			   struct fb_var_screeninfo *v)
{
	static const uint32_t bpps[] = { 0, 1, 8, 16, 24, 31, 33, 64, 0xffffffffu };
	uint64_t words = e->smem / 4;
	uint32_t x, y;

	good_var(e, r, v);
	switch (c->var) {
	case V_TEST_ONLY:
		v->activate = FB_ACTIVATE_TEST;
		break;
	case V_BAD_BPP:
		v->bits_per_pixel = bpps[ops_below(r, 9)];
		break;
	case V_BAD_MODE:
		switch (ops_below(r, 6)) {
		case 0: x = 0; y = 0; break;
		case 1: x = v->xres + 1; y = v->yres; break;
		case 2: x = v->xres; y = v->yres - 1; break;
		case 3: x = 0xffffffffu; y = 0xffffffffu; break;
		case 4: x = 8193; y = 8193; break;
		default: x = v->xres * 2; y = v->yres * 2; break;
		}
		if (is_mode(e, x, y)) {
			x = 0;
			y = 0;
		}
		v->xres = x;
		v->yres = y;
		v->xres_virtual = v->yres_virtual = v->xoffset = v->yoffset = 0;
		break;
	case V_VIRT_TOO_BIG:
		v->xoffset = v->yoffset = 0;
		v->xres_virtual = v->xres;
		v->yres_virtual = (uint32_t)(words / v->xres + ops_between(r, 1, 1000));
		break;
	case V_SIZE_WRAP32: {
		/*
		 * xv = 2^a, yv = j * 2^(30 - a) + w: xv * 4 * yv is j * 2^32 +
		 * w * 2^(a + 2), which a 32-bit product sees as w * 2^(a + 2)
		 * <= smem_len.
		 */
		unsigned int a = log2_up(v->xres) > 11 ? log2_up(v->xres) : 11;
		uint64_t step, j;

		if (a > 28)
			a = 28;
		step = 1ull << (30 - a);
		j = (v->yres + step - 1) / step;
		j = ops_between(r, j ? j : 1, (j ? j : 1) + 2);
		v->xoffset = v->yoffset = 0;
		v->xres_virtual = 1u << a;
		v->yres_virtual = (uint32_t)(j * step + ops_below(r, (e->smem >> (a + 2)) + 1));
		break;
	}
	case V_SIZE_WRAP64:
		/* 2^31 * 4 * 2^31 = 2^64: a 64-bit product sees 0 */
		v->xoffset = v->yoffset = 0;
		v->xres_virtual = 1u << 31;
		v->yres_virtual = 1u << 31;
		break;
	case V_BAD_OFFSETS:
		v->xres_virtual = v->xres_virtual ? v->xres_virtual : v->xres;
		v->yres_virtual = v->yres_virtual ? v->yres_virtual : v->yres;
		if (ops_below(r, 2))
			v->xoffset = ops_below(r, 2) ? 0xffffffffu :
				     v->xres_virtual - v->xres + (uint32_t)ops_between(r, 1, 4096);
		else
			v->yoffset = ops_below(r, 2) ? 0xffffffffu :
				     v->yres_virtual - v->yres + (uint32_t)ops_between(r, 1, 4096);
		break;
	case V_YWRAP:
		v->vmode |= FB_VMODE_YWRAP;
		break;
	}
}

/* Fields of a var in u[]: xres, yres, xres_virtual, yres_virtual, xoffset, yoffset, bpp, vmode. */
static void var_to_u(const struct fb_var_screeninfo *v, struct ops_call *c)
{
	c->u[0] = v->xres;
	c->u[1] = v->yres;
	c->u[2] = v->xres_virtual;
	c->u[3] = v->yres_virtual;
	c->u[4] = v->xoffset;
	c->u[5] = v->yoffset;
	c->u[6] = v->bits_per_pixel;
	c->u[7] = v->vmode;
	c->arg = v->activate;
}

static void u_to_var(const struct ops_call *c, struct fb_var_screeninfo *v)
{
	v->xres = c->u[0];
	v->yres = c->u[1];
	v->xres_virtual = c->u[2];
	v->yres_virtual = c->u[3];
	v->xoffset = c->u[4];
	v->yoffset = c->u[5];
	v->bits_per_pixel = c->u[6];
	v->vmode = c->u[7];
	v->activate = (uint32_t)c->arg;
}

static void gen_cmap(struct ops_rng *r, struct ops_call *c)
{
	bool panel = c->dev == OPS_PANEL, put = c->op == OP_FB_PUTCMAP;
	uint32_t start = (uint32_t)ops_below(r, CMAP_LEN);
	uint32_t len = (uint32_t)ops_between(r, 1, CMAP_LEN - start), k;

	c->u[2] = ops_below(r, 2);	/* transp given */
	c->u[3] = 0;			/* which array is bad (NULL_ARRAY, HOLE_ARRAY) */
	c->data = ops_rand(r);
	switch (c->var) {
	case V_GOOD:
		ops_want_ok(c, 0, 0);
		break;
	case V_NULL: case V_HOLE: case V_STRADDLE:
		ops_want_err(c, EFAULT);
		break;
	case V_RANGE_OVER:
		start = (uint32_t)ops_between(r, 1, CMAP_LEN - 1);
		len = (uint32_t)ops_between(r, CMAP_LEN + 1 - start, CMAP_LEN);
		/* the panel's fbdev core clips the range to the 256 entries */
		if (panel)
			ops_want_ok(c, 0, 0);
		else
			ops_want_err(c, EINVAL);
		break;
	case V_RANGE_WRAP:
		k = (uint32_t)ops_between(r, 1, CMAP_LEN);
		start = 0u - k;
		len = k + (uint32_t)ops_below(r, CMAP_LEN + 1);
		ops_want_err(c, EINVAL);
		break;
	case V_ZERO_LEN:
		len = 0;
		ops_want_err(c, EINVAL);
		break;
	case V_START_BIG:
		start = (uint32_t)ops_between(r, CMAP_LEN, 0x7fffffffu);
		/* fb_set_cmap() stops at the first entry the driver refuses, and returns 0 */
		if (panel && put)
			ops_want_ok(c, 0, 0);
		else
			ops_want_err(c, EINVAL);
		break;
	case V_LEN_HUGE:
		if (panel) {
			/* fb_set_user_cmap(): len * 2 overflows an int: E2BIG; GET clips */
			len = (uint32_t)ops_between(r, 1u << 30, 0xffffffffu);
			if (put)
				ops_want_err(c, E2BIG);
			else
				ops_want_ok(c, 0, 0);
		} else {
			len = (uint32_t)ops_between(r, CMAP_LEN + 1, 0xffffffffu);
			ops_want_err(c, EINVAL);
		}
		break;
	case V_NULL_ARRAY: case V_HOLE_ARRAY:
		c->u[3] = (uint32_t)ops_below(r, 3);
		ops_want_err(c, EFAULT);
		break;
	case V_HOLE_TRANSP:
		c->u[2] = 1;
		ops_want_err(c, EFAULT);
		break;
	}
	c->u[0] = start;
	c->u[1] = len;
}

/* FBIOPUT_VSCREENINFO and FBIOPAN_DISPLAY: a var from the model with fields changed. */
static void gen_fb_var(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	struct ops_fb_model *m = fbm(e, c->dev);
	struct fb_var_screeninfo v = m->var;
	uint32_t xroom = m->var.xres_virtual - m->var.xres;
	uint32_t yroom = m->var.yres_virtual - m->var.yres;

	if (c->op == OP_FB_PUT_VAR) {
		gen_fb_put_var(e, r, c, &v);
	} else {
		v.xoffset = (uint32_t)ops_below(r, xroom + 1);
		v.yoffset = (uint32_t)ops_below(r, yroom + 1);
		if (c->var == V_BAD_OFFSETS) {
			if (ops_below(r, 2))
				v.xoffset = ops_below(r, 2) ? 0xffffffffu :
					    xroom + (uint32_t)ops_between(r, 1, 4096);
			else
				v.yoffset = ops_below(r, 2) ? 0xffffffffu :
					    yroom + (uint32_t)ops_between(r, 1, 4096);
		} else if (c->var == V_YWRAP) {
			v.vmode |= FB_VMODE_YWRAP;
			if (c->dev == OPS_PANEL)
				v.yoffset = 0;	/* else the core's ywrapstep check answers */
		}
	}
	var_to_u(&v, c);
	if (ops_want_struct_ptr(c))
		return;
	if (c->var == V_GOOD || c->var == V_TEST_ONLY)
		ops_want_ok(c, 0, 0);
	else
		ops_want_err(c, EINVAL);
}

static void gen_fb(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	bool panel = c->dev == OPS_PANEL;

	switch (c->op) {
	case OP_FB_MAP_WRITE: case OP_FB_MAP_READ:
		c->len = ops_between(r, 1, e->map_len < 4096 ? e->map_len : 4096);
		c->off = (int64_t)ops_below(r, e->map_len - c->len + 1);
		c->data = ops_rand(r);
		ops_want_ok(c, 0, 0);
		return;
	case OP_FB_GET_VAR: case OP_FB_GET_FIX:
		if (!ops_want_struct_ptr(c))
			ops_want_ok(c, 0, 0);
		return;
	case OP_FB_PUT_VAR: case OP_FB_PAN:
		gen_fb_var(e, r, c);
		return;
	case OP_FB_GETCMAP: case OP_FB_PUTCMAP:
		if (c->var == V_NULL || c->var == V_HOLE || c->var == V_STRADDLE)
			c->ptr = c->var;
		gen_cmap(r, c);
		return;
	case OP_FB_BLANK:
		c->arg = ops_below(r, 5);
		if (c->var == V_GOOD) {
			ops_want_ok(c, 0, 0);
			return;
		}
		c->arg = (unsigned long[]){ 5, 6, 100, INT_MAX, ULONG_MAX,
					    0x100000000ul }[ops_below(r, 6)];
		ops_want_err(c, EINVAL);
		/* Linux 6.1's fbdev core clamps the level to an int in 0..4 */
		if (panel && ops_release_is("6.1."))
			ops_want_ok(c, 0, 0);
		return;
	case OP_FB_VSYNC:
		c->ptr = c->var == V_NULL || c->var == V_HOLE ? c->var : V_GOOD;
		c->u[0] = c->var == V_BAD_VALUE ?
			  (uint32_t[]){ 1, 2, 0x80000000u, 0xffffffffu }[ops_below(r, 4)] : 0;
		if (panel)
			ops_want_err(c, ENOTTY);	/* the panel has no vsync */
		else if (c->var == V_NULL || c->var == V_HOLE)
			ops_want_err(c, EFAULT);
		else if (c->var == V_BAD_VALUE)
			ops_want_err(c, EINVAL);
		else
			ops_want_ok(c, 0, 0);
		return;
	}
}

static void fb_gen(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	bool positional = c->op == OP_PREAD || c->op == OP_PWRITE;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		ops_gen_buffer(e, r, c, e->smem);
		if (positional)
			gen_fb_offset(e, r, c);
		else
			c->off = (int64_t)ops_below(r, 4096);
		c->data = ops_rand(r);
		want_fb_rw(e, c, positional ? c->off : fbm(e, c->dev)->pos,
			   c->op == OP_WRITE || c->op == OP_PWRITE);
		return;
	case OP_LSEEK:
		gen_fb_lseek(e, r, c);
		return;
	case OP_MMAP:
		gen_fb_mmap(e, r, c);
		return;
	}
	if (!ops_gen_common(r, c, 0))
		gen_fb(e, r, c);
}

/* ---- running ------------------------------------------------------------------- */

/* Bytes read at @pos must be the model's. */
static void check_read(struct ops_env *e, struct ops_call *c, const uint8_t *got, int64_t pos)
{
	if (c->dev != OPS_VFB || !e->shadow || c->got <= 0 || c->ptr != V_GOOD)
		return;
	if (memcmp(got, e->shadow + pos, (size_t)c->got)) {
		size_t i = 0;

		while (got[i] == e->shadow[pos + (int64_t)i])
			i++;
		ops_bad(c, "read byte %lld: %#x, wrote %#x", (long long)(pos + (int64_t)i), got[i],
		    e->shadow[pos + (int64_t)i]);
	}
}

static void check_var(struct ops_env *e, struct ops_call *c, const struct fb_var_screeninfo *v)
{
	const struct fb_var_screeninfo *m = &fbm(e, c->dev)->var;

	if (v->bits_per_pixel != 32)
		ops_bad(c, "bits_per_pixel %u", v->bits_per_pixel);
	if (c->dev != OPS_VFB)
		return;
	if (v->xres != m->xres || v->yres != m->yres || v->xres_virtual != m->xres_virtual ||
	    v->yres_virtual != m->yres_virtual || v->xoffset != m->xoffset ||
	    v->yoffset != m->yoffset)
		ops_bad(c, "var %ux%u virtual %ux%u offset %u,%u; stored %ux%u virtual %ux%u offset %u,%u",
		    v->xres, v->yres, v->xres_virtual, v->yres_virtual, v->xoffset, v->yoffset,
		    m->xres, m->yres, m->xres_virtual, m->yres_virtual, m->xoffset, m->yoffset);
}

/* The cmap arrays of a call, in buf. */
static uint16_t *cmap_array(struct ops_env *e, int i)
{
	return (uint16_t *)(e->buf + ARRAY_OFF + (size_t)i * ARRAY_BYTES);
}

static uint16_t cmap_value(uint64_t data, int chan, uint32_t i)
{
	uint64_t z = data + (uint64_t)chan * 0x10001u + i * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ull;
	return (uint16_t)(z >> 40);
}

static void run_cmap(struct ops_env *e, struct ops_call *c, int fd)
{
	bool put = c->op == OP_FB_PUTCMAP;
	struct fb_cmap uc = { .start = c->u[0], .len = c->u[1] };
	uint16_t *a[4];
	uint32_t n = c->u[1] < CMAP_LEN ? c->u[1] : CMAP_LEN;
	void *p;

	for (int i = 0; i < 4; i++) {
		a[i] = cmap_array(e, i);
		for (uint32_t k = 0; k < CMAP_LEN; k++)
			a[i][k] = put ? cmap_value(c->data, i, k) : 0x5a5a;
	}
	uc.red = a[0];
	uc.green = a[1];
	uc.blue = a[2];
	uc.transp = c->u[2] ? a[3] : NULL;
	if (c->var == V_NULL_ARRAY || c->var == V_HOLE_ARRAY) {
		uint16_t *badp = c->var == V_NULL_ARRAY ? NULL : (uint16_t *)e->hole;

		if (c->u[3] == 0)
			uc.red = badp;
		else if (c->u[3] == 1)
			uc.green = badp;
		else
			uc.blue = badp;
	} else if (c->var == V_HOLE_TRANSP) {
		uc.transp = (uint16_t *)e->hole;
	}
	p = ops_place(e, c->ptr, &uc, sizeof(uc));
	c->got = ops_res(ioctl(fd, put ? FBIOPUTCMAP : FBIOGETCMAP, p));
	if (put || c->got || c->dev != OPS_VFB || c->var != V_GOOD)
		return;
	for (int i = 0; i < 4; i++) {
		if (i == 3 && !c->u[2])
			break;
		for (uint32_t k = 0; k < n; k++) {
			uint32_t idx = c->u[0] + k;

			if ((e->fb[0].known[idx] & (1u << i)) && a[i][k] != e->fb[0].cmap[i][idx])
				ops_bad(c, "cmap[%d][%u] %#x, stored %#x", i, idx, a[i][k],
				    e->fb[0].cmap[i][idx]);
		}
	}
}

/* The vfb's mapping shows what was written; a good one is kept (OPS_ENV_KEEP_MAP). */
static void vfb_run_mmap(struct ops_env *e, struct ops_call *c, int fd)
{
	uint8_t *m = mmap(NULL, c->len, PROT_READ | PROT_WRITE, c->arg ? (int)c->arg : MAP_SHARED,
			  fd, (off_t)c->off);
	uint8_t store[8];

	if (m == MAP_FAILED) {
		c->got = -errno;
		return;
	}
	c->got = 0;
	if (e->shadow && memcmp(m + c->u[1], e->shadow + c->off + c->u[1],
				c->len < 64 ? c->len : 64))
		ops_bad(c, "a mapping at %#llx does not show what was written",
		    (unsigned long long)(c->off + c->u[1]));
	ops_fill_bytes(store, sizeof(store), c->data);
	memcpy(m + c->u[0], store, c->len < 8 ? c->len : 8);
	if ((e->flags & OPS_ENV_KEEP_MAP) && !c->bad[0]) {
		if (e->map)
			munmap(e->map, e->map_len);
		e->map = m;
		e->map_len = c->len;
		e->map_off = (size_t)c->off;
	} else {
		munmap(m, c->len);
	}
}

static void run_fb(struct ops_env *e, struct ops_call *c, int fd)
{
	struct ops_fb_model *m = fbm(e, c->dev);
	struct fb_var_screeninfo v = m->var;
	struct fb_fix_screeninfo fix;
	uint32_t crtc = c->u[0];

	switch (c->op) {
	case OP_FB_MAP_WRITE:
		ops_fill_bytes(e->map + c->off, c->len, c->data);
		c->got = 0;
		return;
	case OP_FB_MAP_READ:
		c->got = 0;
		if (e->shadow && memcmp(e->map + c->off, e->shadow + e->map_off + c->off, c->len))
			ops_bad(c, "the mapping at %#llx does not show what was written",
			    (unsigned long long)(e->map_off + (size_t)c->off));
		return;
	case OP_FB_GET_VAR:
		if (ops_struct_ioctl(e, c, fd, FBIOGET_VSCREENINFO, &v, sizeof(v)))
			check_var(e, c, &v);
		return;
	case OP_FB_PUT_VAR: case OP_FB_PAN:
		u_to_var(c, &v);
		if (ops_struct_ioctl(e, c, fd, c->op == OP_FB_PAN ? FBIOPAN_DISPLAY : FBIOPUT_VSCREENINFO,
				 &v, sizeof(v)) && c->op == OP_FB_PUT_VAR) {
			if (v.xres_virtual != (c->u[2] > c->u[0] ? c->u[2] : c->u[0]) ||
			    v.yres_virtual != (c->u[3] > c->u[1] ? c->u[3] : c->u[1]))
				ops_bad(c, "copied back virtual %ux%u", v.xres_virtual, v.yres_virtual);
		}
		return;
	case OP_FB_GET_FIX:
		if (!ops_struct_ioctl(e, c, fd, FBIOGET_FSCREENINFO, &fix, sizeof(fix)))
			return;
		if (fix.smem_len != e->smem || fix.smem_start ||
		    strcmp(fix.id, c->dev == OPS_VFB ? DEVNS_VFB_ID : DEVNS_PANEL_ID) ||
		    (c->dev == OPS_VFB && fix.line_length != m->var.xres_virtual * 4))
			ops_bad(c, "fix id '%.16s' smem_len %u smem_start %#lx line_length %u", fix.id,
			    fix.smem_len, fix.smem_start, fix.line_length);
		return;
	case OP_FB_GETCMAP: case OP_FB_PUTCMAP:
		run_cmap(e, c, fd);
		return;
	case OP_FB_BLANK:
		c->got = ops_res(ioctl(fd, FBIOBLANK, c->arg));
		return;
	case OP_FB_VSYNC:
		c->got = ops_res(ioctl(fd, FBIO_WAITFORVSYNC, ops_place(e, c->ptr, &crtc, sizeof(crtc))));
		return;
	}
}

static void fb_run(struct ops_env *e, struct ops_call *c, int fd)
{
	int64_t pos = c->op == OP_PREAD || c->op == OP_PWRITE ? c->off : fbm(e, c->dev)->pos;
	uint8_t *p;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		p = ops_run_rw(e, c, fd, false);
		if (c->op == OP_READ || c->op == OP_PREAD)
			check_read(e, c, p, pos);
		return;
	case OP_MMAP:
		if (c->dev == OPS_VFB)
			vfb_run_mmap(e, c, fd);
		else
			ops_run_mmap_touch(c, fd);
		return;
	case OP_OPEN:
		ops_run_open(c, c->var == V_OTHER_NS ? e->panel_path : impl()->device("vfb"));
		return;
	}
	if (!ops_run_common(e, c, fd)) {
		run_fb(e, c, fd);
		return;
	}
	if (c->op == OP_POLL && c->dev == OPS_VFB && c->got != (POLLIN | POLLOUT))
		ops_bad(c, "poll revents %#llx, not POLLIN | POLLOUT", (long long)c->got);
}

/* ---- the model ------------------------------------------------------------------ */

/*
 * The vfb's model: the position, the contents (OPS_ENV_SHADOW), the kept
 * mapping, the var and the cmap entries this caller stored.
 */
static void vfb_apply(struct ops_env *e, const struct ops_call *c)
{
	struct ops_fb_model *m = &e->fb[0];
	uint8_t store[8];
	int64_t pos;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PWRITE:
		pos = c->op == OP_PWRITE ? c->off : m->pos;
		if (c->op != OP_READ && e->shadow && c->got > 0) {
			/* got bytes of the buffer, from its start */
			uint8_t *tmp = malloc((size_t)c->got);

			if (tmp) {
				ops_fill_bytes(tmp, (size_t)c->got, c->data);
				memcpy(e->shadow + pos, tmp, (size_t)c->got);
				free(tmp);
			}
		}
		if (c->op != OP_PWRITE)
			m->pos += c->got;
		break;
	case OP_LSEEK:
		m->pos = c->got;
		break;
	case OP_MMAP:
		if ((e->flags & OPS_ENV_DRY) && (e->flags & OPS_ENV_KEEP_MAP) && c->var == V_GOOD) {
			e->map = e->buf;	/* stands for the mapping: never used */
			e->map_len = c->len;
			e->map_off = (size_t)c->off;
		}
		if (e->shadow && c->var == V_GOOD) {
			ops_fill_bytes(store, sizeof(store), c->data);
			memcpy(e->shadow + c->off + c->u[0], store, c->len < 8 ? c->len : 8);
		}
		break;
	case OP_FB_MAP_WRITE:
		if (e->shadow)
			ops_fill_bytes(e->shadow + e->map_off + c->off, c->len, c->data);
		break;
	case OP_FB_PUT_VAR:
		if (c->var == V_GOOD) {
			u_to_var(c, &m->var);
			if (m->var.xres_virtual < m->var.xres)
				m->var.xres_virtual = m->var.xres;
			if (m->var.yres_virtual < m->var.yres)
				m->var.yres_virtual = m->var.yres;
		}
		break;
	case OP_FB_PAN:
		m->var.xoffset = c->u[4];
		m->var.yoffset = c->u[5];
		break;
	case OP_FB_PUTCMAP:
		if (c->var != V_GOOD)
			break;
		for (uint32_t k = 0; k < c->u[1]; k++) {
			uint32_t idx = c->u[0] + k;

			for (int i = 0; i < (c->u[2] ? 4 : 3); i++) {
				m->cmap[i][idx] = cmap_value(c->data, i, k);
				m->known[idx] |= (uint8_t)(1u << i);
			}
		}
		break;
	}
}

/* V_UNKNOWN_CMD: fbdev commands the vfb does not have; the panel: a terminal's. */
static unsigned long vfb_foreign_cmd(struct ops_rng *r)
{
	static const unsigned long fb_other[] = {
		FBIO_CURSOR, FBIOGET_CON2FBMAP, FBIOPUT_CON2FBMAP, FBIOGET_VBLANK, FBIO_ALLOC,
		FBIO_FREE, FBIOGET_GLYPH, FBIOGET_HWCINFO, FBIOPUT_MODEINFO, FBIOGET_DISPINFO,
		FBIOGET_VSCREENINFO | _IOC(_IOC_READ, 0, 0, 4),
	};

	return fb_other[ops_below(r, sizeof(fb_other) / sizeof(fb_other[0]))];
}

static unsigned long panel_foreign_cmd(struct ops_rng *r)
{
	return ops_tty_cmds[ops_below(r, 5)];
}

static bool fb_own_cmd(unsigned long cmd)
{
	return ops_cmd_in(cmd, ops_fb_cmds, 8);
}

const struct ops_device ops_vfb_device = {
	.variants = vfb_variants,
	.has = vfb_has,
	.gen = fb_gen,
	.run = fb_run,
	.apply = vfb_apply,
	.foreign_cmd = vfb_foreign_cmd,
	.own_cmd = fb_own_cmd,
};

const struct ops_device ops_panel_device = {
	.variants = panel_variants,
	.gen = fb_gen,
	.run = fb_run,
	.foreign_cmd = panel_foreign_cmd,
	.own_cmd = fb_own_cmd,
};
