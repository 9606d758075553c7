/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Framebuffer helpers for the vfb suite and the benchmarks: opening the
 * three kinds of fbdev the suites compare (the implementation's virtual
 * framebuffer, its panel, the kernel's own vfb.ko), reading their info,
 * setting modes, mapping, deterministic pixel patterns, and putting the
 * virtual framebuffer into a container as /dev/fb0 the way a runtime does.
 *
 * Every function returns 0 (or an fd / a count) on success and -errno on
 * failure, like impl.h; none calls the harness, so all of them also work
 * inside ct_call() functions.
 */
#ifndef DEVNS_FB_H
#define DEVNS_FB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/fb.h>

#include "container.h"

/* Which fbdev a test is looking at. */
enum fb_kind {
	FB_VFB,		/* impl()->device("vfb"), bound to the opener's dev_ns */
	FB_PANEL,	/* impl()->device("panel"), the host's native view */
	FB_NATIVE,	/* the kernel's vfb.ko, loaded on demand (see fb_open) */
};

/*
 * Open an fbdev of @kind (O_RDWR | O_CLOEXEC).  FB_NATIVE loads vfb.ko
 * (vfb_enable=1, 3 MiB, 1024x768-32) from /lib/modules/$(uname -r) the
 * first time, .ko.xz through MODULE_INIT_COMPRESSED_FILE, and opens the
 * fbdev whose fix.id is "Virtual FB".
 */
int fb_open(enum fb_kind kind);
/* Device path of @kind, or NULL (FB_NATIVE: only once loaded). */
const char *fb_path(enum fb_kind kind);
/*
 * /dev/fbN of the fbdev whose sysfs name (fix.id) is @id into @path, waiting
 * up to @wait_ms (0: look once) for it and its node to appear: 0, -ENODEV
 * (no such fbdev) or -ENOENT (no node).
 */
int fb_find_named(const char *id, char *path, size_t len, int wait_ms);

struct fb_info_pair {
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
};

int fb_get(int fd, struct fb_info_pair *info);
/*
 * FBIOPUT_VSCREENINFO of the current var with xres/yres/virtual sizes
 * replaced (0 keeps the current value) at 32 bpp, offsets 0, no YWRAP,
 * FB_ACTIVATE_NOW; @out (may be NULL) gets the var the driver copied back.
 */
int fb_set_mode(int fd, unsigned int xres, unsigned int yres,
		unsigned int xres_virtual, unsigned int yres_virtual,
		struct fb_var_screeninfo *out);

/* The panel's mode list (sysfs "modes" of the panel): up to @max entries. */
struct fb_mode_size {
	unsigned int xres, yres;
};
int fb_panel_modes(struct fb_mode_size *modes, int max);

/* mmap(MAP_SHARED, PROT_READ | PROT_WRITE) of @len bytes at 0; NULL + errno on failure. */
void *fb_map(int fd, size_t len);

/* pread/pwrite exactly @len bytes at @off, looping; -errno or -EIO on a short count. */
int fb_pread_all(int fd, void *buf, size_t len, off_t off);
int fb_pwrite_all(int fd, const void *buf, size_t len, off_t off);

/*
 * Deterministic patterns: fb_pattern fills @len bytes with the pattern of
 * @seed at byte offset @off (so a sub-range of a frame can be filled and
 * checked on its own); fb_pattern_find returns the first offset (relative
 * to @buf) that differs, or @len if all match.  Seeds must be non-zero
 * (seed 0 is all-zero, black).
 */
void fb_pattern(void *buf, size_t len, size_t off, uint32_t seed);
size_t fb_pattern_find(const void *buf, size_t len, size_t off, uint32_t seed);
/* 64-bit FNV-1a of a buffer: a panel checksum. */
uint64_t fb_hash(const void *buf, size_t len);

/*
 * Inside a container (a ct_call function): give this process a private
 * mount namespace in which the virtual framebuffer is bind-mounted over
 * /dev/fb0, as a container runtime would.  /dev/fb0 is created if missing.
 */
int fb_bind_into_container(void);

/*
 * Kernel-specific deviations of native fbdev drivers from SPEC.md, keyed
 * by a short name ("sys_write_enospc", "native_map_private",
 * "native_smem_start", "native_seek_end").  Returns the reason when the running kernel has
 * it, else NULL.  Tests report such a deviation as an expected failure
 * (FB_KNOWN_DEVIATION in vfb_test.h), only when the observed behaviour is
 * exactly the documented one.
 */
const char *fb_native_deviation(const char *name);

#endif /* DEVNS_FB_H */
