// SPDX-License-Identifier: GPL-2.0
/* Helpers for the vfb suite's behaviour tests (see vfb_world.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "impl.h"
#include "vfb_world.h"

#define VW_HOT __attribute__((optimize("O2")))

struct vw_shm {
	struct vw_req req;			/* vw_remote's request and answer */
	char scratch[VW_SCRATCH_SIZE];
};

static struct vw_shm *shm;

/* Mapped before main(), so that forks and containers started later share it. */
static void __attribute__((constructor)) vw_map_shm(void)
{
	shm = ct_shared_map(sizeof(*shm));
}

void *vw_scratch(void)
{
	return shm->scratch;
}

void vw_scratch_reset(void)
{
	memset(shm->scratch, 0, sizeof(shm->scratch));
}

void vw_cmap_fill(uint16_t cmap[3][256], uint32_t seed)
{
	uint32_t c, i;

	for (c = 0; c < 3; c++)
		for (i = 0; i < 256; i++)
			cmap[c][i] = (uint16_t)((seed * 0x9e37u + c * 0x3001u + i * 0x0101u) ^ (seed >> 3));
}

static int smem_of(int fd, size_t *len)
{
	struct fb_fix_screeninfo fix;

	if (ioctl(fd, FBIOGET_FSCREENINFO, &fix))
		return -errno;
	*len = fix.smem_len;
	return 0;
}

static int do_contents(int fd, struct vw_req *r)
{
	size_t smem, len;
	uint8_t *buf, *map = NULL;
	int ret;

	ret = smem_of(fd, &smem);
	if (ret)
		return ret;
	if (r->off > smem)
		return -EINVAL;
	len = r->len ? r->len : smem - r->off;
	if (r->off + len > smem)
		return -EINVAL;
	if (r->via == VW_VIA_MMAP && r->op != VW_HASH) {
		map = fb_map(fd, smem);
		if (!map)
			return -errno;
		if (r->op == VW_FILL)
			fb_pattern(map + r->off, len, r->off, r->seed);
		else
			r->where = fb_pattern_find(map + r->off, len, r->off, r->seed);
		munmap(map, smem);
		return 0;
	}
	buf = malloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	if (r->op == VW_FILL) {
		fb_pattern(buf, len, r->off, r->seed);
		ret = fb_pwrite_all(fd, buf, len, (off_t)r->off);
	} else {
		ret = fb_pread_all(fd, buf, len, (off_t)r->off);
		if (!ret && r->op == VW_CHECK)
			r->where = fb_pattern_find(buf, len, r->off, r->seed);
		if (!ret && r->op == VW_HASH)
			r->hash = fb_hash(buf, len);
	}
	free(buf);
	return ret;
}

/* All 256 entries of @cmap (red, green, blue; no transp) as a struct fb_cmap. */
static struct fb_cmap cmap_of(uint16_t cmap[3][256])
{
	return (struct fb_cmap){
		.start = 0, .len = 256,
		.red = cmap[0], .green = cmap[1], .blue = cmap[2], .transp = NULL,
	};
}

static int get_cmap(int fd, uint16_t cmap[3][256])
{
	struct fb_cmap c = cmap_of(cmap);

	return ioctl(fd, FBIOGETCMAP, &c) ? -errno : 0;
}

static int run_op(int fd, struct vw_req *r)
{
	struct fb_var_screeninfo var;
	struct fb_cmap c;

	switch (r->op) {
	case VW_GET:
		if (ioctl(fd, FBIOGET_VSCREENINFO, &r->var) ||
		    ioctl(fd, FBIOGET_FSCREENINFO, &r->fix))
			return -errno;
		return get_cmap(fd, r->cmap);
	case VW_SET_MODE:
		return fb_set_mode(fd, r->xres, r->yres, r->xres_virtual, r->yres_virtual, &r->var);
	case VW_PAN:
		if (ioctl(fd, FBIOGET_VSCREENINFO, &var))
			return -errno;
		var.xoffset = r->xoffset;
		var.yoffset = r->yoffset;
		if (ioctl(fd, FBIOPAN_DISPLAY, &var))
			return -errno;
		return ioctl(fd, FBIOGET_VSCREENINFO, &r->var) ? -errno : 0;
	case VW_PUTCMAP:
		vw_cmap_fill(r->cmap, r->seed);
		c = cmap_of(r->cmap);
		return ioctl(fd, FBIOPUTCMAP, &c) ? -errno : 0;
	case VW_BLANK:
		return ioctl(fd, FBIOBLANK, (unsigned long)r->blank) ? -errno : 0;
	case VW_FILL:
	case VW_CHECK:
	case VW_HASH:
		return do_contents(fd, r);
	}
	return -EINVAL;
}

int vw_do(int fd, struct vw_req *r)
{
	r->err = run_op(fd, r);
	return r->err;
}

static int remote_fn(long unused)
{
	const char *path = impl()->device("vfb");
	int fd;

	(void)unused;
	fd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;
	if (fd < 0) {
		shm->req.err = path ? -errno : -ENODEV;
		return 0;
	}
	vw_do(fd, &shm->req);
	close(fd);
	return 0;
}

int vw_remote(struct ct *ct, struct vw_req *r)
{
	int ret;

	shm->req = *r;
	shm->req.err = -EPROTO;		/* unless the process in the container answers */
	ret = ct_call(ct, remote_fn, 0);
	*r = shm->req;
	if (ret)
		return ret < 0 ? ret : -EPROTO;
	return r->err;
}

int vw_open_in(struct ct *ct)
{
	const char *path = impl()->device("vfb");

	return path ? ct_open(ct, path, O_RDWR | O_CLOEXEC) : -ENODEV;
}

int vw_panel_read(void *buf, size_t len, off_t off)
{
	int fd = fb_open(FB_PANEL), ret;

	if (fd < 0)
		return fd;
	ret = fb_pread_all(fd, buf, len, off);
	close(fd);
	return ret;
}

/* One ioctl on a panel fd opened for it. */
static int panel_ioctl(unsigned long req, void *arg)
{
	int fd = fb_open(FB_PANEL), ret;

	if (fd < 0)
		return fd;
	ret = ioctl(fd, req, arg) ? -errno : 0;
	close(fd);
	return ret;
}

int vw_panel_var(struct fb_var_screeninfo *var)
{
	return panel_ioctl(FBIOGET_VSCREENINFO, var);
}

int vw_panel_fix(struct fb_fix_screeninfo *fix)
{
	return panel_ioctl(FBIOGET_FSCREENINFO, fix);
}

int vw_panel_cmap(uint16_t cmap[3][256])
{
	struct fb_cmap c = cmap_of(cmap);

	return panel_ioctl(FBIOGETCMAP, &c);
}

int vw_reset(int fd, unsigned int xres, unsigned int yres)
{
	struct fb_mode_size modes[8];
	int n, ret;

	if (!xres || !yres) {
		n = fb_panel_modes(modes, 8);
		if (n < 0)
			return n;
		xres = modes[0].xres;
		yres = modes[0].yres;
	}
	ret = fb_set_mode(fd, xres, yres, xres, yres, NULL);
	if (ret)
		return ret;
	return ioctl(fd, FBIOBLANK, (unsigned long)FB_BLANK_UNBLANK) ? -errno : 0;
}

long vw_smem_len(void)
{
	size_t len;
	int fd = fb_open(FB_VFB), ret;

	if (fd < 0)
		return fd;
	ret = smem_of(fd, &len);
	close(fd);
	return ret ? ret : (long)len;
}

static inline VW_HOT uint32_t tagged_word(uint8_t tag, uint32_t round, uint32_t w)
{
	/* Round r and r' differ in every word: x ^ r*K, K odd, is injective in r mod 2^24. */
	uint32_t v = w * 0x9e3779b1u ^ round * 0x5bd1e995u ^ tag * 0x27d4eb2du;

	return (uint32_t)tag << 24 | (v & 0xffffffu);
}

uint32_t vw_tagged_word(uint8_t tag, uint32_t round, size_t word)
{
	return tagged_word(tag, round, (uint32_t)word);
}

VW_HOT void vw_tagged(void *buf, size_t len, size_t off, uint8_t tag, uint32_t round)
{
	uint32_t *p = buf, w0 = (uint32_t)(off / 4);
	size_t i;

	for (i = 0; i < len / 4; i++)
		p[i] = tagged_word(tag, round, w0 + (uint32_t)i);
}

VW_HOT size_t vw_tagged_find(const void *buf, size_t len, size_t off, uint8_t tag, uint32_t round)
{
	const uint32_t *p = buf;
	uint32_t w0 = (uint32_t)(off / 4);
	size_t i;

	for (i = 0; i < len / 4; i++)
		if (p[i] != tagged_word(tag, round, w0 + (uint32_t)i))
			return i * 4;
	return len;
}
