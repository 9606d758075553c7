// SPDX-License-Identifier: GPL-2.0
/* DRM dumb buffers through libdrm: see dumb.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include "dumb.h"

int bench_dumb_create(struct bench_dumb *d, const char *card, unsigned int width,
		      unsigned int height, unsigned int bpp, char *why, size_t why_len)
{
	struct drm_mode_create_dumb create = { .width = width, .height = height, .bpp = bpp };
	struct drm_mode_map_dumb map = { 0 };
	const char *step;
	uint64_t cap = 0;
	int err;

	memset(d, 0, sizeof(*d));
	d->fd = open(card, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		err = errno;
		snprintf(why, why_len, "%s: %s", card, strerror(err));
		return -err;
	}
	step = "drmGetCap(DRM_CAP_DUMB_BUFFER)";
	if (drmGetCap(d->fd, DRM_CAP_DUMB_BUFFER, &cap))
		goto fail;
	if (!cap) {
		errno = EOPNOTSUPP;
		goto fail;
	}
	step = "DRM_IOCTL_MODE_CREATE_DUMB";
	if (drmIoctl(d->fd, DRM_IOCTL_MODE_CREATE_DUMB, &create))
		goto fail;
	d->handle = create.handle;
	d->pitch = create.pitch;
	d->size = create.size;
	map.handle = d->handle;
	step = "DRM_IOCTL_MODE_MAP_DUMB";
	if (drmIoctl(d->fd, DRM_IOCTL_MODE_MAP_DUMB, &map))
		goto fail;
	step = "mmap";
	d->map = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, (off_t)map.offset);
	if (d->map == MAP_FAILED) {
		d->map = NULL;
		goto fail;
	}
	return 0;
fail:
	err = errno ? errno : EIO;
	snprintf(why, why_len, "%s: %s: %s", card, step, strerror(err));
	bench_dumb_destroy(d);
	return -err;
}

void bench_dumb_destroy(struct bench_dumb *d)
{
	if (d->map)
		munmap(d->map, d->size);
	if (d->handle) {
		struct drm_mode_destroy_dumb destroy = { .handle = d->handle };

		drmIoctl(d->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy);
	}
	if (d->fd >= 0)
		close(d->fd);
	memset(d, 0, sizeof(*d));
	d->fd = -1;
}
