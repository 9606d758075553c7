/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reaching the benchmarks' native peers in the guest: fbdevs found by their
 * sysfs name (/sys/class/graphics/fbN/name = fix.id), kernel modules loaded
 * with modprobe (dependencies included), and bochs-drm's fbdev emulation
 * ("bochs-drmdrmfb", the display of `ci/vm --vga std`).  Every function
 * returns 0 (or an fd) or -errno, and writes a reason for the benchmarks'
 * device records into @why (may be NULL) when it fails.
 */
#ifndef DEVNS_BENCH_DEVICES_H
#define DEVNS_BENCH_DEVICES_H

#include <stddef.h>

/* bochs-drm's fbdev id and DRM primary node. */
#define BENCH_BOCHS_FB_ID	"bochs-drmdrmfb"
#define BENCH_DRM_CARD		"/dev/dri/card0"

/* fbdevs by name: fb_find_named() in lib/fb.h. */

/* `modprobe @module` (no parameters); 0, or -ENOENT / -EIO with @why set. */
int bench_modprobe(const char *module, char *why, size_t why_len);

/*
 * Open bochs-drm's fbdev O_RDWR | O_CLOEXEC, loading the bochs module first
 * if it is not there; @path gets its node.  -ENODEV with a reason when
 * there is no Bochs VGA (e.g. ci/vm without --vga std).
 */
int bench_bochs_fb_open(char *path, size_t len, char *why, size_t why_len);

#endif /* DEVNS_BENCH_DEVICES_H */
