// SPDX-License-Identifier: GPL-2.0
/* The operation catalog of the security suites (see ops.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>
#include <linux/tty.h>

#include <devns.h>

#include "impl.h"
#include "ops.h"

#define PAGE		4096ul
#define CMAP_LEN	256u
#define ARRAY_OFF	PAGE		/* cmap arrays in buf: red, green, blue, transp */
#define ARRAY_BYTES	(CMAP_LEN * 2)

/* ---- PRNG ----------------------------------------------------------------- */

uint64_t ops_rand(struct ops_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void ops_rng_init(struct ops_rng *r, uint64_t seed, uint64_t stream)
{
	r->s = seed ^ (stream * 0xd1b54a32d192ed03ull);
	ops_rand(r);
}

uint64_t ops_below(struct ops_rng *r, uint64_t n)
{
	return n ? ops_rand(r) % n : 0;
}

/* lo .. hi inclusive */
static uint64_t between(struct ops_rng *r, uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + ops_below(r, hi - lo + 1);
}

/* Deterministic bytes of stream @seed. */
static void fill_bytes(uint8_t *p, size_t n, uint64_t seed)
{
	struct ops_rng r;
	uint64_t w = 0;
	size_t i;

	ops_rng_init(&r, seed, 0x5eed);
	for (i = 0; i < n; i++) {
		if (!(i & 7))
			w = ops_rand(&r);
		p[i] = (uint8_t)(w >> ((i & 7) * 8));
	}
}

/* ---- names ------------------------------------------------------------------- */

static const char *const dev_names[OPS_NDEV] = { "devns", "vfb", "tty", "panel", "host-fd" };

static const char *const var_names[OPS_NVARS] = {
	[V_GOOD] = "good", [V_NULL] = "null", [V_HOLE] = "unmapped",
	[V_STRADDLE] = "straddling", [V_HUGE_LEN] = "huge-length",
	[V_ZERO_LEN] = "zero-length", [V_NEG_OFF] = "negative-offset",
	[V_AT_END] = "at-end", [V_PAST_END] = "past-end", [V_CROSS_END] = "crossing-end",
	[V_OFF_OVERFLOW] = "offset-overflow", [V_BAD_WHENCE] = "bad-whence",
	[V_PRIVATE] = "private", [V_UNALIGNED] = "unaligned", [V_BAD_VALUE] = "bad-value",
	[V_UNKNOWN_CMD] = "unknown-command", [V_BAD_BPP] = "bad-bpp", [V_BAD_MODE] = "bad-mode",
	[V_VIRT_TOO_BIG] = "virtual-too-big", [V_SIZE_WRAP32] = "size-wraps-32",
	[V_SIZE_WRAP64] = "size-wraps-64", [V_BAD_OFFSETS] = "bad-offsets", [V_YWRAP] = "ywrap",
	[V_TEST_ONLY] = "test-only", [V_RANGE_OVER] = "range-over", [V_RANGE_WRAP] = "range-wraps",
	[V_START_BIG] = "start-too-big", [V_LEN_HUGE] = "len-too-big",
	[V_NULL_ARRAY] = "null-array", [V_HOLE_ARRAY] = "unmapped-array",
	[V_HOLE_TRANSP] = "unmapped-transp", [V_NEG_PID] = "negative-pid", [V_PID0] = "pid-0",
	[V_NO_PID] = "missing-pid", [V_FLAGS] = "bad-flags", [V_OTHER_NS] = "not-its-own",
	[V_PRIVILEGED] = "privileged-request",
};

static const char *const op_names[OPS_NOPS] = {
	[OP_READ] = "read", [OP_WRITE] = "write", [OP_PREAD] = "pread", [OP_PWRITE] = "pwrite",
	[OP_LSEEK] = "lseek", [OP_MMAP] = "mmap", [OP_IOCTL] = "ioctl", [OP_POLL] = "poll",
	[OP_OPEN] = "open",
	[OP_CTL_GET_STATE] = "DEVNS_IOC_GET_STATE", [OP_CTL_DESCRIBE] = "DEVNS_IOC_DESCRIBE",
	[OP_CTL_ACTIVATE] = "DEVNS_IOC_ACTIVATE", [OP_CTL_VTTY_DEVICES] = "DEVNS_IOC_VTTY_DEVICES",
	[OP_CTL_VTTY_ATTACH] = "DEVNS_IOC_VTTY_ATTACH",
	[OP_FB_MAP_WRITE] = "store-through-mapping", [OP_FB_MAP_READ] = "load-through-mapping",
	[OP_FB_GET_VAR] = "FBIOGET_VSCREENINFO", [OP_FB_PUT_VAR] = "FBIOPUT_VSCREENINFO",
	[OP_FB_GET_FIX] = "FBIOGET_FSCREENINFO", [OP_FB_PAN] = "FBIOPAN_DISPLAY",
	[OP_FB_GETCMAP] = "FBIOGETCMAP", [OP_FB_PUTCMAP] = "FBIOPUTCMAP", [OP_FB_BLANK] = "FBIOBLANK",
	[OP_FB_VSYNC] = "FBIO_WAITFORVSYNC",
	[OP_TTY_GET] = "get-ioctl", [OP_TTY_SET] = "set-ioctl",
	[OP_HOST_INFO] = "DEVNS_VTTY_IOC_INFO", [OP_HOST_GWINSZ] = "TIOCGWINSZ",
	[OP_HOST_SWINSZ] = "TIOCSWINSZ",
};

const char *ops_dev_name(int dev)
{
	return dev >= 0 && dev < OPS_NDEV ? dev_names[dev] : "?";
}

const char *ops_var_name(int var)
{
	return var >= 0 && var < OPS_NVARS ? var_names[var] : "?";
}

const char *ops_op_name(int op)
{
	return op >= 0 && op < OPS_NOPS ? op_names[op] : "?";
}

/* ---- which device has which operation with which variants ------------------ */

/* Copy a variant list (ending with OPS_NVARS) to @out: its length. */
static int copy_vars(uint8_t *out, const uint8_t *v)
{
	int n = 0;

	while (v[n] != OPS_NVARS) {
		out[n] = v[n];
		n++;
	}
	return n;
}

#define VARS(...) copy_vars(out, (const uint8_t[]){ __VA_ARGS__, OPS_NVARS })

/* The pointer variants of a struct argument. */
#define PTRS V_NULL, V_HOLE, V_STRADDLE
/* Buffer variants of read and write. */
#define BUFS V_GOOD, V_NULL, V_HOLE, V_STRADDLE, V_HUGE_LEN, V_ZERO_LEN
/* Offset variants of pread and pwrite. */
#define OFFS V_NEG_OFF, V_AT_END, V_PAST_END, V_CROSS_END, V_OFF_OVERFLOW
#define CMAPS V_RANGE_OVER, V_RANGE_WRAP, V_ZERO_LEN, V_START_BIG, V_LEN_HUGE, \
	V_NULL_ARRAY, V_HOLE_ARRAY, V_HOLE_TRANSP
#define MODES V_BAD_BPP, V_BAD_MODE, V_VIRT_TOO_BIG, V_SIZE_WRAP32, V_SIZE_WRAP64, \
	V_BAD_OFFSETS, V_YWRAP

/* The variants of @op on @dev, into @out: how many (0: @dev has no @op). */
static int variants(int dev, int op, uint8_t out[OPS_NVARS])
{
	switch (dev) {
	case OPS_CTL:
		switch (op) {
		case OP_CTL_GET_STATE: return VARS(V_GOOD, PTRS);
		case OP_CTL_DESCRIBE: return VARS(V_GOOD, PTRS, V_NEG_PID, V_NO_PID, V_FLAGS);
		case OP_CTL_ACTIVATE:
			return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_PID0, V_NO_PID, V_FLAGS);
		case OP_CTL_VTTY_DEVICES: return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_FLAGS);
		case OP_CTL_VTTY_ATTACH:
			return VARS(V_GOOD, V_NULL, V_HOLE, V_NEG_PID, V_FLAGS, V_BAD_VALUE);
		case OP_IOCTL: return VARS(V_UNKNOWN_CMD);
		case OP_READ: case OP_WRITE: return VARS(V_GOOD, V_NULL, V_HUGE_LEN);
		case OP_LSEEK: return VARS(V_GOOD, V_NEG_OFF, V_BAD_WHENCE);
		case OP_MMAP: case OP_POLL: case OP_OPEN: return VARS(V_GOOD);
		}
		return 0;
	case OPS_VFB:
		switch (op) {
		case OP_READ: case OP_WRITE: return VARS(BUFS);
		case OP_PREAD: case OP_PWRITE: return VARS(BUFS, OFFS);
		case OP_LSEEK:
			return VARS(V_GOOD, V_AT_END, V_NEG_OFF, V_PAST_END, V_OFF_OVERFLOW,
				    V_BAD_WHENCE);
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
	case OPS_PANEL:
		/* host root: nothing that would change what the panel shows */
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
	case OPS_TTY:
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
	case OPS_HOST:
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
	return 0;
}

static bool listed(int dev, int op, int var)
{
	uint8_t v[OPS_NVARS];
	int n = variants(dev, op, v);

	for (int i = 0; i < n; i++)
		if (v[i] == var)
			return true;
	return false;
}

bool ops_has(const struct ops_env *e, int dev, int op, int var)
{
	if (dev < 0 || dev >= OPS_NDEV || e->fd[dev] < 0 || !listed(dev, op, var))
		return false;
	if (op == OP_FB_MAP_WRITE || op == OP_FB_MAP_READ)
		return e->map != NULL;
	if (op == OP_OPEN && var == V_OTHER_NS)
		return (dev == OPS_TTY ? e->other_tty : e->panel_path)[0] != '\0';
	return true;
}

/* ---- expectations ----------------------------------------------------------- */

static void want_none(struct ops_call *c)
{
	memset(&c->want, 0, sizeof(c->want));
	c->want.lo = 1;
	c->want.hi = 0;
}

static void want_ok(struct ops_call *c, int64_t lo, int64_t hi)
{
	c->want.lo = lo;
	c->want.hi = hi;
}

static void want_err(struct ops_call *c, int err)
{
	for (int i = 0; i < OPS_MAX_ERR; i++) {
		if (c->want.err[i] == err)
			return;
		if (!c->want.err[i]) {
			c->want.err[i] = err;
			return;
		}
	}
}

bool ops_check(const struct ops_call *c)
{
	if (c->bad[0])
		return false;
	if (c->got >= 0)
		return c->want.lo <= c->got && c->got <= c->want.hi;
	for (int i = 0; i < OPS_MAX_ERR && c->want.err[i]; i++)
		if (-c->got == c->want.err[i])
			return true;
	return false;
}

int64_t ops_nominal(const struct ops_call *c)
{
	if (c->want.lo <= c->want.hi)
		return c->want.lo;
	return -c->want.err[0];
}

static const char *errname(int e)
{
	static const struct { int e; const char *n; } names[] = {
		{ EPERM, "EPERM" }, { ESRCH, "ESRCH" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
		{ E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
		{ ESPIPE, "ESPIPE" }, { EOVERFLOW, "EOVERFLOW" }, { EPIPE, "EPIPE" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return NULL;
}

const char *ops_result_str(int64_t got, char *buf, size_t len)
{
	const char *n = got < 0 ? errname((int)-got) : NULL;

	if (got >= 0)
		snprintf(buf, len, "%lld", (long long)got);
	else if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "errno %lld", (long long)-got);
	return buf;
}

const char *ops_expect_str(const struct ops_expect *w, char *buf, size_t len)
{
	size_t n = 0;
	char e[32];

	buf[0] = '\0';
	if (w->lo == w->hi)
		n += snprintf(buf + n, len - n, "%lld", (long long)w->lo);
	else if (w->lo < w->hi)
		n += snprintf(buf + n, len - n, "%lld..%lld", (long long)w->lo, (long long)w->hi);
	for (int i = 0; i < OPS_MAX_ERR && w->err[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", n ? (i ? ", " : " or ") : "",
			      ops_result_str(-w->err[i], e, sizeof(e)));
	return buf;
}

uint64_t ops_hash_desc(uint64_t h, const struct ops_call *c)
{
	if (!h)
		h = 0xcbf29ce484222325ull;
	for (const char *p = c->desc; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return (h ^ '\n') * 0x100000001b3ull;
}

/* Some native fbdev answers of the panel differ by kernel release. */
static bool release_is(const char *prefix)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, prefix, strlen(prefix));
}

/* ---- environment --------------------------------------------------------------- */

int ops_env_init(struct ops_env *e, size_t smem, const struct fb_mode_size *modes,
		 int nmodes, unsigned int flags)
{
	size_t len = ((smem + PAGE - 1) & ~(PAGE - 1)) + 16 * PAGE;
	uint8_t *m;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < OPS_NDEV; i++)
		e->fd[i] = -1;
	if (nmodes < 1 || nmodes > 8 || !smem)
		return -EINVAL;
	m = mmap(NULL, len + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	if (mprotect(m + len, PAGE, PROT_NONE)) {
		munmap(m, len + PAGE);
		return -errno;
	}
	e->buf = m;
	e->buf_len = len;
	e->hole = m + len;
	e->smem = smem;
	memcpy(e->modes, modes, sizeof(*modes) * (size_t)nmodes);
	e->nmodes = nmodes;
	e->flags = flags;
	e->level = 1;
	if (flags & OPS_ENV_SHADOW) {
		e->shadow = calloc(1, smem);
		if (!e->shadow) {
			ops_env_free(e);
			return -ENOMEM;
		}
	}
	return 0;
}

void ops_env_free(struct ops_env *e)
{
	if (e->map && !(e->flags & OPS_ENV_DRY))
		munmap(e->map, e->map_len);
	if (e->buf)
		munmap(e->buf, e->buf_len + PAGE);
	free(e->shadow);
	e->map = e->buf = e->shadow = NULL;
}

int ops_env_sync(struct ops_env *e)
{
	for (int k = 0; k < 2; k++) {
		int fd = e->fd[k ? OPS_PANEL : OPS_VFB];
		struct ops_fb_model *m = &e->fb[k];

		if (fd < 0)
			continue;
		memset(m, 0, sizeof(*m));
		if (ioctl(fd, FBIOGET_VSCREENINFO, &m->var))
			return -errno;
		if (k == 0 && lseek(fd, 0, SEEK_SET))
			return -errno;
		if (k == 0 && e->shadow) {
			int ret = fb_pread_all(fd, e->shadow, e->smem, 0);

			if (ret)
				return ret;
		}
	}
	return 0;
}

/* ---- argument generators ------------------------------------------------------ */

static struct ops_fb_model *fbm(struct ops_env *e, int dev)
{
	return &e->fb[dev == OPS_PANEL];
}

static size_t rand_len(struct ops_rng *r, size_t max)
{
	uint64_t k = ops_below(r, 20);
	size_t hi = k < 14 ? 4096 : k < 19 ? 65536 : max;

	return (size_t)between(r, 1, hi < max ? hi : max);
}

static const uint64_t huge_lens[] = { 1ull << 60, UINT64_MAX, (uint64_t)INT64_MAX + 1 };

/* Buffer arguments (ptr, len, mapped prefix u[7]) of read/write-like calls. */
static void gen_buffer(struct ops_env *e, struct ops_rng *r, struct ops_call *c, size_t max)
{
	c->ptr = V_GOOD;
	c->len = rand_len(r, max);
	switch (c->var) {
	case V_NULL: case V_HOLE:
		c->ptr = c->var;
		c->len = between(r, 1, 4096);
		break;
	case V_STRADDLE:
		c->ptr = V_STRADDLE;
		c->len = between(r, 2, 65536);
		c->u[7] = (uint32_t)between(r, 1, c->len - 1);
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
static void want_moved(struct ops_call *c, uint64_t n)
{
	if (!n) {
		want_ok(c, 0, 0);
		return;
	}
	switch (c->ptr) {
	case V_NULL: case V_HOLE:
		want_err(c, EFAULT);
		break;
	case V_STRADDLE:
		if (n <= c->u[7]) {
			want_ok(c, (int64_t)n, (int64_t)n);
		} else {
			want_ok(c, 1, c->u[7]);
			want_err(c, EFAULT);
		}
		break;
	default:
		want_ok(c, (int64_t)n, (int64_t)n);
	}
}

/* read/write/pread/pwrite of the vfb or the panel at @pos. */
static void want_fb_rw(struct ops_env *e, struct ops_call *c, int64_t pos, bool wr)
{
	uint64_t smem = e->smem;
	uint64_t n;

	if (c->var == V_HUGE_LEN) {
		want_err(c, EFAULT);		/* access_ok() */
		return;
	}
	if (pos < 0 || (uint64_t)pos > (uint64_t)INT64_MAX - c->len) {
		want_err(c, EINVAL);		/* the VFS refuses the offset */
		return;
	}
	if (!wr) {
		n = (uint64_t)pos >= smem ? 0 : c->len < smem - (uint64_t)pos ? c->len : smem - (uint64_t)pos;
		want_moved(c, n);
		return;
	}
	if (c->dev == OPS_PANEL && (uint64_t)pos > smem) {
		want_err(c, EFBIG);		/* fb_sys_write: before the count */
		return;
	}
	if (!c->len) {
		want_ok(c, 0, 0);
		return;
	}
	if ((uint64_t)pos > smem) {
		want_err(c, EFBIG);
		return;
	}
	if ((uint64_t)pos == smem) {
		want_err(c, ENOSPC);
		return;
	}
	n = c->len < smem - (uint64_t)pos ? c->len : smem - (uint64_t)pos;
	want_moved(c, n);
}

static void gen_fb_offset(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	uint64_t smem = e->smem;

	switch (c->var) {
	case V_NEG_OFF:
		c->len = between(r, 1, 4096);
		c->off = ops_below(r, 4) ? -(int64_t)between(r, 1, 1ull << 40) : INT64_MIN;
		break;
	case V_AT_END:
		c->len = between(r, 1, 4096);
		c->off = (int64_t)smem;
		break;
	case V_PAST_END:
		c->len = between(r, 1, 4096);
		c->off = (int64_t)(smem + between(r, 1, 1ull << 40));
		break;
	case V_CROSS_END:
		c->len = between(r, 2, 65536);
		c->off = (int64_t)(smem - between(r, 1, c->len - 1 < smem ? c->len - 1 : smem));
		break;
	case V_OFF_OVERFLOW:
		c->len = between(r, 2, 4096);
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
		c->off = -(int64_t)between(r, 1, 1ull << 40) - (c->whence == SEEK_END ? smem : 0);
		break;
	case V_PAST_END:
		c->whence = ops_below(r, 2) ? SEEK_SET : SEEK_END;
		c->off = (int64_t)between(r, 1, 1ull << 40) + (c->whence == SEEK_SET ? smem : 0);
		break;
	case V_OFF_OVERFLOW:
		/* offset + the position (or smem_len) overflows, or is out of range */
		c->whence = ops_below(r, 2) ? SEEK_CUR : SEEK_END;
		c->off = ops_below(r, 2) ? INT64_MAX : INT64_MIN;
		want_err(c, EINVAL);
		return;
	case V_BAD_WHENCE:
		c->whence = whences[ops_below(r, 5)];
		c->off = (int64_t)ops_below(r, (uint64_t)smem);
		want_err(c, EINVAL);
		return;
	}
	to = c->whence == SEEK_SET ? c->off : c->whence == SEEK_END ? smem + c->off : pos + c->off;
	if (to < 0 || to > smem)
		want_err(c, EINVAL);
	else
		want_ok(c, to, to);
}

static void gen_fb_mmap(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	uint64_t pages = (e->smem + PAGE - 1) / PAGE, first = ops_below(r, pages);

	c->arg = MAP_SHARED;
	c->off = (int64_t)(first * PAGE);
	c->len = between(r, 1, pages - first) * PAGE - ops_below(r, PAGE);
	switch (c->var) {
	case V_GOOD:
		c->u[0] = (uint32_t)ops_below(r, c->len - 8 + 1);	/* store 8 bytes there */
		c->u[1] = (uint32_t)ops_below(r, c->len - 64 + 1);	/* load 64 there */
		if (c->len < 64) {
			c->u[0] = 0;
			c->u[1] = 0;
		}
		c->data = ops_rand(r);
		want_ok(c, 0, 0);
		return;
	case V_PRIVATE:
		c->arg = MAP_PRIVATE;
		break;
	case V_PAST_END:
		c->len = (pages - first + between(r, 1, 64)) * PAGE;
		break;
	case V_AT_END:
		c->off = (int64_t)(pages * PAGE);
		c->len = between(r, 1, 4) * PAGE;
		break;
	case V_ZERO_LEN:
		c->len = 0;
		break;
	case V_UNALIGNED:
		c->off += (int64_t)between(r, 1, PAGE - 1);
		break;
	case V_HUGE_LEN:
		c->off = 0;
		c->len = ops_below(r, 2) ? UINT64_MAX : 1ull << 46;
		want_err(c, ENOMEM);
		break;
	case V_OFF_OVERFLOW:
		c->off = (int64_t)((uint64_t)INT64_MAX & ~(PAGE - 1)) - (int64_t)(ops_below(r, 4) * PAGE);
		want_err(c, EOVERFLOW);
		break;
	}
	want_err(c, EINVAL);
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
	v->xres_virtual = ops_below(r, 2) ? m->xres : (uint32_t)between(r, m->xres, xmax);
	ymax = words / v->xres_virtual;
	v->yres_virtual = ops_below(r, 2) ? m->yres : (uint32_t)between(r, m->yres, ymax);
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
		v->yres_virtual = (uint32_t)(words / v->xres + between(r, 1, 1000));
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
		j = between(r, j ? j : 1, (j ? j : 1) + 2);
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
				     v->xres_virtual - v->xres + (uint32_t)between(r, 1, 4096);
		else
			v->yoffset = ops_below(r, 2) ? 0xffffffffu :
				     v->yres_virtual - v->yres + (uint32_t)between(r, 1, 4096);
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
	uint32_t len = (uint32_t)between(r, 1, CMAP_LEN - start), k;

	c->u[2] = ops_below(r, 2);	/* transp given */
	c->u[3] = 0;			/* which array is bad (NULL_ARRAY, HOLE_ARRAY) */
	c->data = ops_rand(r);
	switch (c->var) {
	case V_GOOD:
		want_ok(c, 0, 0);
		break;
	case V_NULL: case V_HOLE: case V_STRADDLE:
		want_err(c, EFAULT);
		break;
	case V_RANGE_OVER:
		start = (uint32_t)between(r, 1, CMAP_LEN - 1);
		len = (uint32_t)between(r, CMAP_LEN + 1 - start, CMAP_LEN);
		/* the panel's fbdev core clips the range to the 256 entries */
		if (panel)
			want_ok(c, 0, 0);
		else
			want_err(c, EINVAL);
		break;
	case V_RANGE_WRAP:
		k = (uint32_t)between(r, 1, CMAP_LEN);
		start = 0u - k;
		len = k + (uint32_t)ops_below(r, CMAP_LEN + 1);
		want_err(c, EINVAL);
		break;
	case V_ZERO_LEN:
		len = 0;
		want_err(c, EINVAL);
		break;
	case V_START_BIG:
		start = (uint32_t)between(r, CMAP_LEN, 0x7fffffffu);
		/* fb_set_cmap() stops at the first entry the driver refuses, and returns 0 */
		if (panel && put)
			want_ok(c, 0, 0);
		else
			want_err(c, EINVAL);
		break;
	case V_LEN_HUGE:
		if (panel) {
			/* fb_set_user_cmap(): len * 2 overflows an int: E2BIG; GET clips */
			len = (uint32_t)between(r, 1u << 30, 0xffffffffu);
			if (put)
				want_err(c, E2BIG);
			else
				want_ok(c, 0, 0);
		} else {
			len = (uint32_t)between(r, CMAP_LEN + 1, 0xffffffffu);
			want_err(c, EINVAL);
		}
		break;
	case V_NULL_ARRAY: case V_HOLE_ARRAY:
		c->u[3] = (uint32_t)ops_below(r, 3);
		want_err(c, EFAULT);
		break;
	case V_HOLE_TRANSP:
		c->u[2] = 1;
		want_err(c, EFAULT);
		break;
	}
	c->u[0] = start;
	c->u[1] = len;
}

/* An ioctl command @dev does not have (and that the VFS does not serve itself). */
static unsigned long unknown_cmd(struct ops_rng *r, int dev)
{
	static const unsigned long odd[] = { 0, 0xffffffffu, 0x12345678u, 0xdeadbeefu };
	static const unsigned long fb_other[] = {
		FBIO_CURSOR, FBIOGET_CON2FBMAP, FBIOPUT_CON2FBMAP, FBIOGET_VBLANK, FBIO_ALLOC,
		FBIO_FREE, FBIOGET_GLYPH, FBIOGET_HWCINFO, FBIOPUT_MODEINFO, FBIOGET_DISPINFO,
		FBIOGET_VSCREENINFO | _IOC(_IOC_READ, 0, 0, 4),
	};
	static const unsigned long devns_cmds[] = {
		DEVNS_IOC_ACTIVATE, DEVNS_IOC_GET_STATE, DEVNS_IOC_DESCRIBE,
		DEVNS_IOC_VTTY_DEVICES, DEVNS_IOC_VTTY_ATTACH, DEVNS_VTTY_IOC_INFO,
	};
	static const unsigned long fb_cmds[] = {
		FBIOGET_VSCREENINFO, FBIOPUT_VSCREENINFO, FBIOGET_FSCREENINFO, FBIOGETCMAP,
		FBIOPUTCMAP, FBIOPAN_DISPLAY, FBIOBLANK, FBIO_WAITFORVSYNC,
	};
	static const unsigned long tty_cmds[] = { TCGETS, TCSETS, TIOCGWINSZ, TIOCSWINSZ, FIONREAD };
	static const unsigned int types[] = { DEVNS_IOC_MAGIC, 0xe1, 0xab, 0x7a };
	unsigned long cmd;

	switch (ops_below(r, 4)) {
	case 0:
		cmd = odd[ops_below(r, 4)];
		break;
	case 1:
		if (dev == OPS_VFB) {
			cmd = fb_other[ops_below(r, sizeof(fb_other) / sizeof(fb_other[0]))];
		} else if (dev == OPS_CTL || dev == OPS_PANEL) {
			cmd = tty_cmds[ops_below(r, 5)];
			if (dev == OPS_CTL && ops_below(r, 2))
				cmd = fb_cmds[ops_below(r, 8)];
		} else {
			cmd = fb_cmds[ops_below(r, 8)];
			if (dev == OPS_HOST && ops_below(r, 2))
				cmd = tty_cmds[ops_below(r, 5)];
		}
		break;
	case 2:
		cmd = devns_cmds[ops_below(r, 6)];
		break;
	default:
		cmd = _IOC(ops_below(r, 4), types[ops_below(r, 4)], between(r, 0x40, 0xff),
			   ops_below(r, 512));
	}
	/* never one of the device's own commands */
	for (size_t i = 0; i < 8; i++) {
		bool own = (dev == OPS_CTL && i < 5 && cmd == devns_cmds[i]) ||
			   ((dev == OPS_VFB || dev == OPS_PANEL) && cmd == fb_cmds[i]) ||
			   (dev == OPS_TTY && i < 5 && cmd == tty_cmds[i]) ||
			   (dev == OPS_HOST && (cmd == DEVNS_VTTY_IOC_INFO || cmd == TIOCGWINSZ ||
						cmd == TIOCSWINSZ));

		if (own)
			cmd = _IO(DEVNS_IOC_MAGIC, 0xff);
	}
	return cmd;
}

/* Pointer variants of a struct argument: EFAULT unless good. */
static bool want_struct_ptr(struct ops_call *c)
{
	c->ptr = V_GOOD;
	if (c->var == V_NULL || c->var == V_HOLE || c->var == V_STRADDLE) {
		c->ptr = c->var;
		want_err(c, EFAULT);
		return true;
	}
	return false;
}

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
		want_err(c, EIO);	/* dev.tty.legacy_tiocsti = 0 */
	if (c->cmd == TIOCNOTTY || c->cmd == TIOCGPGRP || c->cmd == TIOCGSID ||
	    c->cmd == TIOCSPGRP)
		want_err(c, ENOTTY);	/* not its controlling terminal */
	else
		want_err(c, EPERM);
}

/* The file operations every device has, each with the device's own answers. */
static void gen_file_op(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	static const int opens[] = { O_RDONLY, O_WRONLY, O_RDWR };
	bool fb = c->dev == OPS_VFB || c->dev == OPS_PANEL;
	bool wr = c->op == OP_WRITE || c->op == OP_PWRITE;

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		gen_buffer(e, r, c, fb ? e->smem : c->dev == OPS_TTY && wr ? 16384 : 4096);
		if (fb && (c->op == OP_PREAD || c->op == OP_PWRITE))
			gen_fb_offset(e, r, c);
		else
			c->off = (int64_t)ops_below(r, 4096);
		c->data = ops_rand(r);
		if (fb) {
			want_fb_rw(e, c, c->op == OP_PREAD || c->op == OP_PWRITE ? c->off :
				   fbm(e, c->dev)->pos, wr);
		} else if (c->op == OP_PREAD || c->op == OP_PWRITE) {
			want_err(c, ESPIPE);	/* a stream */
		} else if (c->dev == OPS_CTL) {
			want_err(c, EINVAL);	/* the VFS: no read or write operation */
		} else if (c->var == V_HUGE_LEN) {
			want_err(c, EFAULT);	/* access_ok() */
		} else if (c->var == V_ZERO_LEN) {
			want_ok(c, 0, 0);
			if (c->dev == OPS_TTY && !wr)
				want_err(c, EAGAIN);
		} else if (c->dev == OPS_TTY) {
			if (wr)
				want_moved(c, c->len);	/* output never blocks: all of it */
			else
				want_err(c, EAGAIN);	/* nobody types: nothing to read */
		} else if (c->ptr == V_GOOD || c->ptr == V_STRADDLE) {
			/* what is buffered, or what the line discipline takes, is not known here */
			want_ok(c, 1, c->ptr == V_GOOD ? (int64_t)c->len : c->u[7]);
			if (c->ptr == V_STRADDLE)
				want_err(c, EFAULT);
			want_err(c, EAGAIN);
		} else {
			/* a write copies first; a read with nothing buffered copies nothing */
			want_err(c, EFAULT);
			if (!wr)
				want_err(c, EAGAIN);
		}
		return;
	case OP_LSEEK:
		if (fb) {
			gen_fb_lseek(e, r, c);
			return;
		}
		c->whence = (int)ops_below(r, 3);
		c->off = (int64_t)ops_rand(r);
		if (c->var == V_NEG_OFF)
			c->off = c->off < 0 ? c->off : -c->off - 1;
		if (c->dev == OPS_TTY) {
			want_err(c, ESPIPE);
		} else if (c->var == V_BAD_WHENCE) {
			c->whence = (int)between(r, 5, 1000);
			want_err(c, EINVAL);
		} else {
			want_ok(c, 0, 0);	/* noop_llseek: the position stays 0 */
		}
		return;
	case OP_MMAP:
		if (fb) {
			gen_fb_mmap(e, r, c);
		} else {
			c->len = between(r, 1, 4) * PAGE;
			want_err(c, ENODEV);	/* no mmap operation */
		}
		return;
	case OP_IOCTL:
		c->cmd = unknown_cmd(r, c->dev);
		c->ptr = (int[]){ V_GOOD, V_NULL, V_HOLE }[ops_below(r, 3)];
		if (c->var == V_PRIVILEGED)
			gen_tty_privileged(r, c);
		else
			want_err(c, ENOTTY);
		return;
	case OP_POLL:
		want_ok(c, 0, 0xffff);
		return;
	case OP_OPEN:
		c->arg = (unsigned long)opens[ops_below(r, 3)];
		if (c->var == V_GOOD) {
			want_ok(c, 0, 0);
			return;
		}
		if (c->dev == OPS_TTY)
			want_err(c, ENXIO);	/* another namespace's terminal ... */
		want_err(c, EACCES);		/* ... or not even the node (the panel: root's) */
		return;
	}
}

static void gen_ctl(struct ops_rng *r, struct ops_call *c)
{
	static const int32_t neg[] = { -1, -2, INT32_MIN };

	switch (c->op) {
	case OP_CTL_GET_STATE:
		if (!want_struct_ptr(c))
			want_ok(c, 0, 0);
		return;
	case OP_CTL_DESCRIBE:
		c->u[0] = (uint32_t)ops_below(r, 2);	/* pid 0 (self) or 1 (its init) */
		if (want_struct_ptr(c))
			return;
		if (c->var == V_NEG_PID) {
			c->u[0] = (uint32_t)neg[ops_below(r, 3)];
			want_err(c, EINVAL);
		} else if (c->var == V_FLAGS) {
			c->u[1] = (uint32_t)between(r, 1, 0xffffffffu);
			want_err(c, EINVAL);
		} else if (c->var == V_NO_PID) {
			c->u[0] = (uint32_t)between(r, 0x400000, 0x7fffffff);	/* > PID_MAX_LIMIT */
			want_err(c, ESRCH);
		} else {
			want_ok(c, 0, 0);
		}
		return;
	default:	/* ACTIVATE, VTTY_DEVICES, VTTY_ATTACH */
		/* the privilege check comes first: an unprivileged caller learns nothing */
		c->ptr = c->var == V_NULL || c->var == V_HOLE ? c->var : V_GOOD;
		c->u[0] = 1;
		if (c->var == V_NEG_PID)
			c->u[0] = (uint32_t)neg[ops_below(r, 3)];
		else if (c->var == V_PID0)
			c->u[0] = 0;
		else if (c->var == V_NO_PID)
			c->u[0] = (uint32_t)between(r, 0x400000, 0x7fffffff);
		else if (c->var == V_FLAGS)
			c->u[1] = (uint32_t)between(r, 1, 0xffffffffu);
		else if (c->var == V_BAD_VALUE)
			c->u[2] = (uint32_t)between(r, 64, 0xffffffffu);	/* index */
		want_err(c, EPERM);
	}
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
					    xroom + (uint32_t)between(r, 1, 4096);
			else
				v.yoffset = ops_below(r, 2) ? 0xffffffffu :
					    yroom + (uint32_t)between(r, 1, 4096);
		} else if (c->var == V_YWRAP) {
			v.vmode |= FB_VMODE_YWRAP;
			if (c->dev == OPS_PANEL)
				v.yoffset = 0;	/* else the core's ywrapstep check answers */
		}
	}
	var_to_u(&v, c);
	if (want_struct_ptr(c))
		return;
	if (c->var == V_GOOD || c->var == V_TEST_ONLY)
		want_ok(c, 0, 0);
	else
		want_err(c, EINVAL);
}

static void gen_fb(struct ops_env *e, struct ops_rng *r, struct ops_call *c)
{
	bool panel = c->dev == OPS_PANEL;

	switch (c->op) {
	case OP_FB_MAP_WRITE: case OP_FB_MAP_READ:
		c->len = between(r, 1, e->map_len < 4096 ? e->map_len : 4096);
		c->off = (int64_t)ops_below(r, e->map_len - c->len + 1);
		c->data = ops_rand(r);
		want_ok(c, 0, 0);
		return;
	case OP_FB_GET_VAR: case OP_FB_GET_FIX:
		if (!want_struct_ptr(c))
			want_ok(c, 0, 0);
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
			want_ok(c, 0, 0);
			return;
		}
		c->arg = (unsigned long[]){ 5, 6, 100, INT_MAX, ULONG_MAX,
					    0x100000000ul }[ops_below(r, 6)];
		want_err(c, EINVAL);
		/* Linux 6.1's fbdev core clamps the level to an int in 0..4 */
		if (panel && release_is("6.1."))
			want_ok(c, 0, 0);
		return;
	case OP_FB_VSYNC:
		c->ptr = c->var == V_NULL || c->var == V_HOLE ? c->var : V_GOOD;
		c->u[0] = c->var == V_BAD_VALUE ?
			  (uint32_t[]){ 1, 2, 0x80000000u, 0xffffffffu }[ops_below(r, 4)] : 0;
		if (panel)
			want_err(c, ENOTTY);	/* the panel has no vsync */
		else if (c->var == V_NULL || c->var == V_HOLE)
			want_err(c, EFAULT);
		else if (c->var == V_BAD_VALUE)
			want_err(c, EINVAL);
		else
			want_ok(c, 0, 0);
		return;
	}
}

static void gen_tty(struct ops_rng *r, struct ops_call *c)
{
	if (c->op == OP_TTY_GET) {
		c->cmd = tty_gets[ops_below(r, sizeof(tty_gets) / sizeof(tty_gets[0]))];
		c->ptr = c->var;
		if (c->var == V_GOOD)
			want_ok(c, 0, 0);
		else
			want_err(c, EFAULT);
		return;
	}
	c->u[0] = (uint32_t)ops_below(r, 5);	/* which request */
	c->u[1] = (uint32_t)ops_rand(r);	/* winsize */
	c->u[2] = (uint32_t)ops_rand(r);
	c->ptr = c->var == V_BAD_VALUE ? V_GOOD : c->var;
	if (c->var == V_NULL || c->var == V_HOLE) {
		c->u[0] = c->u[0] % 4;	/* a request with a pointer */
		want_err(c, EFAULT);
	} else if (c->var == V_BAD_VALUE) {
		c->u[0] = 3 + c->u[0] % 2;	/* TIOCSETD or TCFLSH */
		/* no valid discipline number: that could load a module */
		c->arg = (unsigned long[]){ 64, 100, ULONG_MAX, 0x7fffffff }[ops_below(r, 4)];
		want_err(c, EINVAL);
	} else {
		c->arg = ops_below(r, 3);	/* TCFLSH: TCIFLUSH .. TCIOFLUSH */
		want_ok(c, 0, 0);
	}
}

static void gen_host(struct ops_rng *r, struct ops_call *c)
{
	c->u[0] = (uint32_t)ops_rand(r);	/* winsize */
	c->u[1] = (uint32_t)ops_rand(r);
	if (!want_struct_ptr(c))
		want_ok(c, 0, 0);
}

static void describe(const struct ops_env *e, struct ops_call *c)
{
	int n = snprintf(c->desc, sizeof(c->desc), "%s %s %s", ops_dev_name(c->dev),
			 ops_op_name(c->op), ops_var_name(c->var));
	size_t left = n < (int)sizeof(c->desc) ? sizeof(c->desc) - (size_t)n : 0;
	char *p = c->desc + (sizeof(c->desc) - left);

	(void)e;
	if (!left)
		return;
	switch (c->op) {
	case OP_READ: case OP_WRITE:
		snprintf(p, left, " len=%llu", (unsigned long long)c->len);
		break;
	case OP_PREAD: case OP_PWRITE: case OP_FB_MAP_WRITE: case OP_FB_MAP_READ:
		snprintf(p, left, " len=%llu off=%lld", (unsigned long long)c->len,
			 (long long)c->off);
		break;
	case OP_LSEEK:
		snprintf(p, left, " off=%lld whence=%d", (long long)c->off, c->whence);
		break;
	case OP_MMAP:
		snprintf(p, left, " len=%#llx off=%#llx %s", (unsigned long long)c->len,
			 (unsigned long long)c->off, c->arg == MAP_PRIVATE ? "private" : "shared");
		break;
	case OP_FB_PUT_VAR: case OP_FB_PAN:
		snprintf(p, left, " %ux%u virtual %ux%u offset %u,%u bpp %u vmode %#x activate %#lx",
			 c->u[0], c->u[1], c->u[2], c->u[3], c->u[4], c->u[5], c->u[6], c->u[7],
			 c->arg);
		break;
	case OP_FB_GETCMAP: case OP_FB_PUTCMAP:
		snprintf(p, left, " start=%u len=%u transp=%s", c->u[0], c->u[1],
			 c->u[2] ? "yes" : "null");
		break;
	case OP_FB_BLANK: case OP_OPEN:
		snprintf(p, left, " arg=%#lx", c->arg);
		break;
	case OP_FB_VSYNC:
		snprintf(p, left, " crtc=%u", c->u[0]);
		break;
	case OP_CTL_DESCRIBE: case OP_CTL_ACTIVATE: case OP_CTL_VTTY_DEVICES:
	case OP_CTL_VTTY_ATTACH:
		snprintf(p, left, " pid=%d flags=%#x index=%u", (int32_t)c->u[0], c->u[1], c->u[2]);
		break;
	case OP_IOCTL: case OP_TTY_GET:
		snprintf(p, left, " cmd=%#lx", c->cmd);
		break;
	case OP_TTY_SET:
		snprintf(p, left, " request=%u arg=%#lx", c->u[0], c->arg);
		break;
	}
}

bool ops_gen(struct ops_env *e, struct ops_rng *r, int dev, int op, int var, struct ops_call *c)
{
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	c->op = op;
	c->var = var;
	want_none(c);
	if (!ops_has(e, dev, op, var))
		return false;
	c->ptr = V_GOOD;
	if (op <= OP_OPEN)
		gen_file_op(e, r, c);
	else if (dev == OPS_CTL)
		gen_ctl(r, c);
	else if (dev == OPS_VFB || dev == OPS_PANEL)
		gen_fb(e, r, c);
	else if (dev == OPS_TTY)
		gen_tty(r, c);
	else
		gen_host(r, c);
	describe(e, c);
	return true;
}

void ops_pick(struct ops_env *e, struct ops_rng *r, int dev, struct ops_call *c)
{
	int ops[OPS_NOPS], nops = 0, good = (int)ops_below(r, 2), pairs = 0, k;

	/* half the time a good call of any operation, else any hostile pair */
	for (int op = 0; op < OPS_NOPS; op++) {
		if (good && ops_has(e, dev, op, V_GOOD))
			ops[nops++] = op;
		for (int v = 1; !good && v < OPS_NVARS; v++)
			pairs += ops_has(e, dev, op, v);
	}
	if (good && nops) {
		ops_gen(e, r, dev, ops[ops_below(r, (uint64_t)nops)], V_GOOD, c);
		return;
	}
	k = (int)ops_below(r, (uint64_t)pairs);
	for (int op = 0; op < OPS_NOPS; op++) {
		for (int v = 1; v < OPS_NVARS; v++) {
			if (ops_has(e, dev, op, v) && k-- == 0) {
				ops_gen(e, r, dev, op, v, c);
				return;
			}
		}
	}
	/* no hostile pair at all: some good call */
	for (int op = 0; op < OPS_NOPS; op++)
		if (ops_has(e, dev, op, V_GOOD))
			ops[nops++] = op;
	ops_gen(e, r, dev, ops[ops_below(r, (uint64_t)nops)], V_GOOD, c);
}

/* ---- running --------------------------------------------------------------------- */

/* The pointer for an argument of @size bytes (the straddling one keeps half mapped). */
static void *arg_ptr(struct ops_env *e, int kind, size_t size)
{
	switch (kind) {
	case V_NULL: return NULL;
	case V_HOLE: return e->hole;
	case V_STRADDLE: return e->hole - (size > 1 ? size / 2 : 1);
	default: return e->buf;
	}
}

/* Put @size bytes of @obj where the call's pointer goes (what is mapped of it). */
static void *place(struct ops_env *e, int kind, const void *obj, size_t size)
{
	uint8_t *p = arg_ptr(e, kind, size);

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

static int64_t res(long r)
{
	return r < 0 ? -errno : r;
}

static void bad(struct ops_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct ops_call *c, const char *fmt, ...)
{
	va_list ap;

	if (c->bad[0])
		return;
	va_start(ap, fmt);
	vsnprintf(c->bad, sizeof(c->bad), fmt, ap);
	va_end(ap);
}

/* Bytes read at @pos must be the model's. */
static void check_read(struct ops_env *e, struct ops_call *c, const uint8_t *got, int64_t pos)
{
	if (c->dev != OPS_VFB || !e->shadow || c->got <= 0 || c->ptr != V_GOOD)
		return;
	if (memcmp(got, e->shadow + pos, (size_t)c->got)) {
		size_t i = 0;

		while (got[i] == e->shadow[pos + (int64_t)i])
			i++;
		bad(c, "read byte %lld: %#x, wrote %#x", (long long)(pos + (int64_t)i), got[i],
		    e->shadow[pos + (int64_t)i]);
	}
}

static void run_rw(struct ops_env *e, struct ops_call *c, int fd, bool wr, bool positional)
{
	uint8_t *p = buf_ptr(e, c);
	int64_t pos = positional ? c->off : fbm(e, c->dev)->pos;
	size_t fill = c->ptr == V_GOOD ? c->len : c->ptr == V_STRADDLE ? c->u[7] : 0;

	if (fill > e->buf_len)
		fill = 0;	/* a huge length: only the first bytes could ever be read */

	if (wr && fill && (c->dev == OPS_TTY || c->dev == OPS_HOST)) {
		/* printable: nothing for a line discipline to act on (^C, ^S ...) */
		for (size_t i = 0; i < fill; i++)
			p[i] = (uint8_t)('a' + (c->data + i) % 26);
	} else if (wr && fill) {
		fill_bytes(p, fill, c->data);
	}
	if (wr)
		c->got = res(positional ? pwrite(fd, p, c->len, c->off) : write(fd, p, c->len));
	else
		c->got = res(positional ? pread(fd, p, c->len, c->off) : read(fd, p, c->len));
	if (!wr)
		check_read(e, c, p, pos);
}

static void check_var(struct ops_env *e, struct ops_call *c, const struct fb_var_screeninfo *v)
{
	const struct fb_var_screeninfo *m = &fbm(e, c->dev)->var;

	if (v->bits_per_pixel != 32)
		bad(c, "bits_per_pixel %u", v->bits_per_pixel);
	if (c->dev != OPS_VFB)
		return;
	if (v->xres != m->xres || v->yres != m->yres || v->xres_virtual != m->xres_virtual ||
	    v->yres_virtual != m->yres_virtual || v->xoffset != m->xoffset ||
	    v->yoffset != m->yoffset)
		bad(c, "var %ux%u virtual %ux%u offset %u,%u; stored %ux%u virtual %ux%u offset %u,%u",
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
	p = place(e, c->ptr, &uc, sizeof(uc));
	c->got = res(ioctl(fd, put ? FBIOPUTCMAP : FBIOGETCMAP, p));
	if (put || c->got || c->dev != OPS_VFB || c->var != V_GOOD)
		return;
	for (int i = 0; i < 4; i++) {
		if (i == 3 && !c->u[2])
			break;
		for (uint32_t k = 0; k < n; k++) {
			uint32_t idx = c->u[0] + k;

			if ((e->fb[0].known[idx] & (1u << i)) && a[i][k] != e->fb[0].cmap[i][idx])
				bad(c, "cmap[%d][%u] %#x, stored %#x", i, idx, a[i][k],
				    e->fb[0].cmap[i][idx]);
		}
	}
}

static void run_mmap(struct ops_env *e, struct ops_call *c, int fd)
{
	int prot = c->dev == OPS_VFB ? PROT_READ | PROT_WRITE : PROT_READ;
	uint8_t *m = mmap(NULL, c->len, prot, c->arg ? (int)c->arg : MAP_SHARED, fd,
			  (off_t)c->off);
	uint8_t store[8];

	if (m == MAP_FAILED) {
		c->got = -errno;
		return;
	}
	c->got = 0;
	if (c->dev != OPS_VFB) {
		volatile uint8_t b = m[c->len - 1];

		(void)b;
		munmap(m, c->len);
		return;
	}
	if (e->shadow && memcmp(m + c->u[1], e->shadow + c->off + c->u[1],
				c->len < 64 ? c->len : 64))
		bad(c, "a mapping at %#llx does not show what was written",
		    (unsigned long long)(c->off + c->u[1]));
	fill_bytes(store, sizeof(store), c->data);
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

/*
 * An ioctl whose argument is the struct @obj of @size bytes, at the call's
 * pointer; true if it worked, and then @obj has what the device wrote back.
 */
static bool struct_ioctl(struct ops_env *e, struct ops_call *c, int fd, unsigned long cmd,
			 void *obj, size_t size)
{
	void *p = place(e, c->ptr, obj, size);

	c->got = res(ioctl(fd, cmd, p));
	if (c->got)
		return false;
	memcpy(obj, p, size);
	return true;
}

/* open() of the device's own node (or of one that is not its own), closed again. */
static void run_open(struct ops_env *e, struct ops_call *c)
{
	const char *path = c->dev == OPS_TTY ? e->other_tty :
			   c->var == V_OTHER_NS ? e->panel_path :
			   impl()->device(c->dev == OPS_CTL ? "ctl" : "vfb");
	int fd = path ? open(path, (int)c->arg | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) : -1;

	c->got = fd < 0 ? (path ? -errno : -ENODEV) : 0;
	if (fd >= 0)
		close(fd);
}

/* The terminal's own ioctls' argument: what the request points at. */
static void *tty_ioctl_arg(struct ops_env *e, const struct ops_call *c)
{
	static char ch = '#';
	static int ival;

	if (c->var != V_PRIVILEGED)
		return arg_ptr(e, c->ptr, 64);
	if (c->cmd == TIOCSTI)
		return &ch;
	if (c->cmd == TIOCSPGRP || c->cmd == TIOCGPGRP || c->cmd == TIOCGSID)
		return &ival;
	return NULL;
}

static void run_file_op(struct ops_env *e, struct ops_call *c, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLOUT };

	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PREAD: case OP_PWRITE:
		run_rw(e, c, fd, c->op == OP_WRITE || c->op == OP_PWRITE,
		       c->op == OP_PREAD || c->op == OP_PWRITE);
		return;
	case OP_LSEEK:
		c->got = res((long)lseek(fd, (off_t)c->off, c->whence));
		return;
	case OP_MMAP:
		run_mmap(e, c, fd);
		return;
	case OP_IOCTL:
		c->got = res(ioctl(fd, c->cmd, c->dev == OPS_TTY ? tty_ioctl_arg(e, c) :
					       arg_ptr(e, c->ptr, 64)));
		return;
	case OP_POLL:
		c->got = res(poll(&pfd, 1, 0));
		if (c->got > 0)
			c->got = pfd.revents;
		if (c->dev == OPS_VFB && c->got != (POLLIN | POLLOUT))
			bad(c, "poll revents %#llx, not POLLIN | POLLOUT", (long long)c->got);
		if (c->dev == OPS_TTY && c->got >= 0 && !(c->got & POLLOUT))
			bad(c, "poll revents %#llx without POLLOUT: output blocks", (long long)c->got);
		return;
	case OP_OPEN:
		run_open(e, c);
		return;
	}
}

static void run_ctl(struct ops_env *e, struct ops_call *c, int fd)
{
	struct devns_state st;
	struct devns_ns_info info = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_activate act = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_vtty_devices devs = { .pid = (int32_t)c->u[0], .flags = c->u[1] };
	struct devns_vtty_attach att = { .pid = (int32_t)c->u[0], .flags = c->u[1],
					 .index = c->u[2] };

	switch (c->op) {
	case OP_CTL_GET_STATE:
		if (!struct_ioctl(e, c, fd, DEVNS_IOC_GET_STATE, &st, sizeof(st)))
			return;
		if (st.self_id != e->self_id || st.nr_namespaces ||
		    (st.active_id && st.active_id != st.self_id) ||
		    !!st.self_active != (st.active_id == st.self_id) || st.generation < e->generation)
			bad(c, "state self %llu active %llu (self_active %u) namespaces %u generation %llu",
			    (unsigned long long)st.self_id, (unsigned long long)st.active_id,
			    st.self_active, st.nr_namespaces, (unsigned long long)st.generation);
		c->u[6] = (uint32_t)st.generation;
		c->u[7] = (uint32_t)(st.generation >> 32);
		return;
	case OP_CTL_DESCRIBE:
		if (!struct_ioctl(e, c, fd, DEVNS_IOC_DESCRIBE, &info, sizeof(info)))
			return;
		if (info.id != e->self_id || info.level != e->level || (info.state & DEVNS_NS_HOST))
			bad(c, "described id %llu level %u state %#x, it is %llu level %u",
			    (unsigned long long)info.id, info.level, info.state,
			    (unsigned long long)e->self_id, e->level);
		return;
	case OP_CTL_ACTIVATE:
		c->got = res(ioctl(fd, DEVNS_IOC_ACTIVATE, place(e, c->ptr, &act, sizeof(act))));
		return;
	case OP_CTL_VTTY_DEVICES:
		c->got = res(ioctl(fd, DEVNS_IOC_VTTY_DEVICES, place(e, c->ptr, &devs, sizeof(devs))));
		return;
	case OP_CTL_VTTY_ATTACH:
		c->got = res(ioctl(fd, DEVNS_IOC_VTTY_ATTACH, place(e, c->ptr, &att, sizeof(att))));
		if (c->got >= 0) {
			close((int)c->got);
			c->got = 0;
		}
		return;
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
		fill_bytes(e->map + c->off, c->len, c->data);
		c->got = 0;
		return;
	case OP_FB_MAP_READ:
		c->got = 0;
		if (e->shadow && memcmp(e->map + c->off, e->shadow + e->map_off + c->off, c->len))
			bad(c, "the mapping at %#llx does not show what was written",
			    (unsigned long long)(e->map_off + (size_t)c->off));
		return;
	case OP_FB_GET_VAR:
		if (struct_ioctl(e, c, fd, FBIOGET_VSCREENINFO, &v, sizeof(v)))
			check_var(e, c, &v);
		return;
	case OP_FB_PUT_VAR: case OP_FB_PAN:
		u_to_var(c, &v);
		if (struct_ioctl(e, c, fd, c->op == OP_FB_PAN ? FBIOPAN_DISPLAY : FBIOPUT_VSCREENINFO,
				 &v, sizeof(v)) && c->op == OP_FB_PUT_VAR) {
			if (v.xres_virtual != (c->u[2] > c->u[0] ? c->u[2] : c->u[0]) ||
			    v.yres_virtual != (c->u[3] > c->u[1] ? c->u[3] : c->u[1]))
				bad(c, "copied back virtual %ux%u", v.xres_virtual, v.yres_virtual);
		}
		return;
	case OP_FB_GET_FIX:
		if (!struct_ioctl(e, c, fd, FBIOGET_FSCREENINFO, &fix, sizeof(fix)))
			return;
		if (fix.smem_len != e->smem || fix.smem_start ||
		    strcmp(fix.id, c->dev == OPS_VFB ? DEVNS_VFB_ID : DEVNS_PANEL_ID) ||
		    (c->dev == OPS_VFB && fix.line_length != m->var.xres_virtual * 4))
			bad(c, "fix id '%.16s' smem_len %u smem_start %#lx line_length %u", fix.id,
			    fix.smem_len, fix.smem_start, fix.line_length);
		return;
	case OP_FB_GETCMAP: case OP_FB_PUTCMAP:
		run_cmap(e, c, fd);
		return;
	case OP_FB_BLANK:
		c->got = res(ioctl(fd, FBIOBLANK, c->arg));
		return;
	case OP_FB_VSYNC:
		c->got = res(ioctl(fd, FBIO_WAITFORVSYNC, place(e, c->ptr, &crtc, sizeof(crtc))));
		return;
	}
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
		c->got = res(ioctl(fd, c->cmd, arg_ptr(e, c->ptr, 64)));
		return;
	}
	if (cmd == TCFLSH) {
		c->got = res(ioctl(fd, TCFLSH, c->arg));
		return;
	}
	if (cmd == TCSETS) {
		/* the current settings, set again */
		if (ioctl(fd, TCGETS, e->buf + 2 * PAGE)) {
			bad(c, "TCGETS: %s", strerror(errno));
			return;
		}
		p = c->ptr == V_GOOD ? e->buf + 2 * PAGE : arg_ptr(e, c->ptr, 64);
	} else if (cmd == TIOCSWINSZ) {
		p = place(e, c->ptr, &ws, sizeof(ws));
	} else {
		ival = cmd == TIOCSETD && c->var == V_BAD_VALUE ? (int)c->arg :
		       cmd == TIOCSSOFTCAR ? 1 : N_TTY;
		p = place(e, c->ptr, &ival, sizeof(ival));
	}
	c->got = res(ioctl(fd, cmd, p));
}

static void run_host(struct ops_env *e, struct ops_call *c, int fd)
{
	struct devns_vtty_info info;
	struct winsize ws = { .ws_row = (unsigned short)(c->u[0] % 1000),
			      .ws_col = (unsigned short)(c->u[1] % 1000) };

	switch (c->op) {
	case OP_HOST_INFO:
		if (!struct_ioctl(e, c, fd, DEVNS_VTTY_IOC_INFO, &info, sizeof(info)))
			return;
		if (info.id != e->host_id || info.index != e->host_index ||
		    info.buffered > info.buffer_size || info.dropped > info.written)
			bad(c, "info id %llu index %u buffered %u of %u", (unsigned long long)info.id,
			    info.index, info.buffered, info.buffer_size);
		return;
	case OP_HOST_GWINSZ:
		c->got = res(ioctl(fd, TIOCGWINSZ, arg_ptr(e, c->ptr, sizeof(ws))));
		return;
	case OP_HOST_SWINSZ:
		c->got = res(ioctl(fd, TIOCSWINSZ, place(e, c->ptr, &ws, sizeof(ws))));
		return;
	}
}

void ops_run(struct ops_env *e, struct ops_call *c)
{
	int fd = e->fd[c->dev];

	c->bad[0] = '\0';
	c->got = -EBADF;
	if (c->op <= OP_OPEN)
		run_file_op(e, c, fd);
	else if (c->dev == OPS_CTL)
		run_ctl(e, c, fd);
	else if (c->dev == OPS_VFB || c->dev == OPS_PANEL)
		run_fb(e, c, fd);
	else if (c->dev == OPS_TTY)
		run_tty(e, c, fd);
	else
		run_host(e, c, fd);
}

/* ---- the model ------------------------------------------------------------------ */

void ops_apply(struct ops_env *e, const struct ops_call *c)
{
	struct ops_fb_model *m = &e->fb[c->dev == OPS_PANEL];
	uint8_t store[8];
	int64_t pos;

	if (c->got < 0)
		return;
	if (c->dev == OPS_CTL && c->op == OP_CTL_GET_STATE)
		e->generation = c->u[6] | (uint64_t)c->u[7] << 32;
	if (c->dev != OPS_VFB)
		return;
	switch (c->op) {
	case OP_READ: case OP_WRITE: case OP_PWRITE:
		pos = c->op == OP_PWRITE ? c->off : m->pos;
		if (c->op != OP_READ && e->shadow && c->got > 0) {
			/* got bytes of the buffer, from its start */
			uint8_t *tmp = malloc((size_t)c->got);

			if (tmp) {
				fill_bytes(tmp, (size_t)c->got, c->data);
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
			fill_bytes(store, sizeof(store), c->data);
			memcpy(e->shadow + c->off + c->u[0], store, c->len < 8 ? c->len : 8);
		}
		break;
	case OP_FB_MAP_WRITE:
		if (e->shadow)
			fill_bytes(e->shadow + e->map_off + c->off, c->len, c->data);
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

/* ---- tables ------------------------------------------------------------------------ */

static void log_fail(struct ops_log *log, const struct ops_call *c)
{
	struct ops_fail *f;

	if (log->nfail++ >= OPS_LOG_MAX)
		return;
	f = &log->fail[log->nfail - 1];
	snprintf(f->desc, sizeof(f->desc), "%s", c->desc);
	ops_expect_str(&c->want, f->want, sizeof(f->want));
	ops_result_str(c->got, f->got, sizeof(f->got));
	snprintf(f->bad, sizeof(f->bad), "%s", c->bad);
}

int ops_table(struct ops_env *e, int dev, uint64_t seed, int reps, struct ops_log *log)
{
	struct ops_call c;
	struct ops_rng r;

	memset(log, 0, sizeof(*log));
	ops_rng_init(&r, seed, (uint64_t)dev);
	for (int op = 0; op < OPS_NOPS; op++) {
		for (int v = 0; v < OPS_NVARS; v++) {
			if (!ops_has(e, dev, op, v))
				continue;
			log->pairs++;
			for (int k = 0; k < reps; k++) {
				ops_gen(e, &r, dev, op, v, &c);
				ops_run(e, &c);
				log->calls++;
				if (ops_check(&c)) {
					ops_apply(e, &c);
					continue;
				}
				log_fail(log, &c);
				ops_env_sync(e);	/* go on from what the device has */
			}
		}
	}
	return (int)log->nfail;
}

int ops_become(uid_t id)
{
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id))
		return -errno;
	return 0;
}
