// SPDX-License-Identifier: GPL-2.0
/*
 * The operation catalog of the security suites (see ops.h): numbers,
 * names, expectations, the environment, and the dispatch to the devices
 * (ops_dev.h).
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ops.h"
#include "ops_dev.h"

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
uint64_t ops_between(struct ops_rng *r, uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + ops_below(r, hi - lo + 1);
}

/* Deterministic bytes of stream @seed. */
void ops_fill_bytes(uint8_t *p, size_t n, uint64_t seed)
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
	[OP_CTL_VFB_VIEW] = "DEVNS_IOC_VFB_VIEW",
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

/* ---- the devices ---------------------------------------------------------------- */

static const struct ops_device *const devices[OPS_NDEV] = {
	[OPS_CTL] = &ops_ctl_device,
	[OPS_VFB] = &ops_vfb_device,
	[OPS_TTY] = &ops_tty_device,
	[OPS_PANEL] = &ops_panel_device,
	[OPS_HOST] = &ops_host_device,
};

const struct ops_device *ops_device(int dev)
{
	return devices[dev];
}

/* Copy a variant list (ending with OPS_NVARS) to @out: its length. */
int ops_copy_vars(uint8_t *out, const uint8_t *v)
{
	int n = 0;

	while (v[n] != OPS_NVARS) {
		out[n] = v[n];
		n++;
	}
	return n;
}

static bool listed(const struct ops_device *d, int op, int var)
{
	uint8_t v[OPS_NVARS];
	int n = d->variants(op, v);

	for (int i = 0; i < n; i++)
		if (v[i] == var)
			return true;
	return false;
}

bool ops_has(const struct ops_env *e, int dev, int op, int var)
{
	const struct ops_device *d;

	if (dev < 0 || dev >= OPS_NDEV || e->fd[dev] < 0)
		return false;
	d = devices[dev];
	return listed(d, op, var) && (!d->has || d->has(e, op, var));
}

/* ---- expectations ----------------------------------------------------------- */

static void want_none(struct ops_call *c)
{
	memset(&c->want, 0, sizeof(c->want));
	c->want.lo = 1;
	c->want.hi = 0;
}

void ops_want_ok(struct ops_call *c, int64_t lo, int64_t hi)
{
	c->want.lo = lo;
	c->want.hi = hi;
}

void ops_want_err(struct ops_call *c, int err)
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
bool ops_release_is(const char *prefix)
{
	struct utsname u;

	return !uname(&u) && !strncmp(u.release, prefix, strlen(prefix));
}

/* ---- environment --------------------------------------------------------------- */

int ops_env_init(struct ops_env *e, size_t smem, const struct fb_mode_size *modes,
		 int nmodes, unsigned int flags)
{
	size_t len = ((smem + OPS_PAGE - 1) & ~(OPS_PAGE - 1)) + 16 * OPS_PAGE;
	uint8_t *m;

	memset(e, 0, sizeof(*e));
	for (int i = 0; i < OPS_NDEV; i++)
		e->fd[i] = -1;
	if (nmodes < 1 || nmodes > 8 || !smem)
		return -EINVAL;
	m = mmap(NULL, len + OPS_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	if (mprotect(m + len, OPS_PAGE, PROT_NONE)) {
		munmap(m, len + OPS_PAGE);
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
		munmap(e->buf, e->buf_len + OPS_PAGE);
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

/* ---- generating, running, the model ----------------------------------------------- */

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
	case OP_CTL_VTTY_ATTACH: case OP_CTL_VFB_VIEW:
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
	devices[dev]->gen(e, r, c);
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

void ops_run(struct ops_env *e, struct ops_call *c)
{
	c->bad[0] = '\0';
	c->got = -EBADF;
	devices[c->dev]->run(e, c, e->fd[c->dev]);
}

void ops_apply(struct ops_env *e, const struct ops_call *c)
{
	if (c->got >= 0 && devices[c->dev]->apply)
		devices[c->dev]->apply(e, c);
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
