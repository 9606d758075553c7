/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DRM dumb buffers through libdrm: the "native DRM" baseline of the blit
 * benchmark.  A dumb buffer is created on a primary node (no DRM master is
 * needed), mapped through its fake offset, written by the CPU.  (Not named
 * drm.h: bench/lib is on the include path and xf86drm.h includes <drm.h>.)
 */
#ifndef DEVNS_BENCH_DUMB_H
#define DEVNS_BENCH_DUMB_H

#include <stddef.h>
#include <stdint.h>

struct bench_dumb {
	int fd;			/* the DRM node, -1 when closed */
	uint32_t handle;	/* GEM handle, 0: none */
	uint32_t pitch;		/* bytes per row, from the driver */
	uint64_t size;		/* bytes of the buffer */
	void *map;		/* its mapping (MAP_SHARED, read-write), NULL: none */
};

/*
 * Open @card (e.g. BENCH_DRM_CARD), check DRM_CAP_DUMB_BUFFER, create a
 * @width x @height x @bpp dumb buffer and map it.  0, or -errno with a
 * reason in @why (everything already made is released).
 */
int bench_dumb_create(struct bench_dumb *d, const char *card, unsigned int width,
		      unsigned int height, unsigned int bpp, char *why, size_t why_len);
/* Unmap, destroy and close (safe on a failed or zeroed @d with fd -1). */
void bench_dumb_destroy(struct bench_dumb *d);

#endif /* DEVNS_BENCH_DUMB_H */
