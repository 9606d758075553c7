/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the vfb suite's behaviour tests (isolation, switching,
 * concurrency, binding, clients): framebuffer operations performed by a
 * process inside a container, long-running agents (writers) that run in a
 * container or in the host while the test switches, and the shared memory
 * they report through.
 *
 * Like fb.h, nothing here calls the harness: every function returns 0 (or a
 * count) on success and -errno on failure, and also works inside ct_call()
 * functions.
 */
#ifndef DEVNS_VFB_WORLD_H
#define DEVNS_VFB_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/fb.h>

#include "container.h"
#include "fb.h"
#include "job.h"
#include "sync.h"

/*
 * One framebuffer operation, done on a vfb fd by vw_do() in this process,
 * or by vw_remote() in a new process inside a container (which opens
 * /dev/vfb0 there, so the operation is that container's).
 */
enum vw_opcode {
	VW_GET,		/* out: var, fix, cmap */
	VW_SET_MODE,	/* xres, yres, xres_virtual, yres_virtual; out: var */
	VW_PAN,		/* xoffset, yoffset */
	VW_PUTCMAP,	/* 256 entries from seed (vw_cmap_fill) */
	VW_BLANK,	/* blank */
	VW_FILL,	/* fb_pattern(seed) over [off, off+len), via write or mmap */
	VW_CHECK,	/* fb_pattern_find(seed) over [off, off+len), via read or mmap; out: where */
	VW_HASH,	/* fb_hash of [off, off+len) read via read; out: hash */
};

enum vw_via {
	VW_VIA_RW,	/* pwrite/pread */
	VW_VIA_MMAP,	/* a MAP_SHARED mapping of the whole smem_len */
};

struct vw_req {
	int op;			/* enum vw_opcode */
	int via;		/* enum vw_via (FILL, CHECK) */
	uint32_t seed;		/* FILL, CHECK, PUTCMAP */
	uint64_t off, len;	/* FILL, CHECK, HASH; len 0 = to smem_len */
	unsigned int xres, yres, xres_virtual, yres_virtual;	/* SET_MODE */
	unsigned int xoffset, yoffset;				/* PAN */
	int blank;						/* BLANK */
	/* results */
	int err;		/* 0 or -errno of the failing step */
	uint64_t where;		/* CHECK: first differing byte relative to off, len if none */
	uint64_t hash;		/* HASH */
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	uint16_t cmap[3][256];	/* GET: red, green, blue */
};

/* Run @r on @fd in this process; returns r->err. */
int vw_do(int fd, struct vw_req *r);
/*
 * Run @r in a new process inside @ct on a vfb fd it opens itself; @r gets
 * the results.  Returns r->err, or a ct_call() error (< 0 too).
 */
int vw_remote(struct ct *ct, struct vw_req *r);

/* The cmap of @seed: deterministic, different for different seeds. */
void vw_cmap_fill(uint16_t cmap[3][256], uint32_t seed);

/* An fd on the vfb opened inside @ct (bound to its dev_ns), or -errno. */
int vw_open_in(struct ct *ct);

/* Panel helpers (host side; the panel is root-only). */
int vw_panel_read(void *buf, size_t len, off_t off);
int vw_panel_var(struct fb_var_screeninfo *var);
int vw_panel_fix(struct fb_fix_screeninfo *fix);
int vw_panel_cmap(uint16_t cmap[3][256]);

/*
 * Put @fd's dev_ns's vfb into a known state: mode @xres x @yres (0: the
 * panel's default mode) with virtual = visible, offsets 0, unblanked.
 */
int vw_reset(int fd, unsigned int xres, unsigned int yres);

/* smem_len of the vfb (from a fresh host fd), or -errno. */
long vw_smem_len(void);

/*
 * Shared memory mapped before main(): inherited by every process the test
 * forks and by every container started afterwards.  vw_scratch() is free for
 * the test program (VW_SCRATCH_SIZE bytes, zeroed by vw_scratch_reset()).
 */
#define VW_SCRATCH_SIZE (256 * 1024)
void *vw_scratch(void);
void vw_scratch_reset(void);

/*
 * Tagged pixels for the concurrency tests: word i of round @round of the
 * namespace tagged @tag has @tag in its top byte, so a pixel seen on the
 * panel tells whose it is.  off and len are multiples of 4.
 */
static inline uint8_t vw_tag_of(uint32_t pixel)
{
	return (uint8_t)(pixel >> 24);
}
void vw_tagged(void *buf, size_t len, size_t off, uint8_t tag, uint32_t round);
/* First differing byte offset relative to buf, or len. */
size_t vw_tagged_find(const void *buf, size_t len, size_t off, uint8_t tag, uint32_t round);
uint32_t vw_tagged_word(uint8_t tag, uint32_t round, size_t word);

#endif /* DEVNS_VFB_WORLD_H */
