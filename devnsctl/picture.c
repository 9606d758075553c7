// SPDX-License-Identifier: GPL-2.0
/* A namespace's picture through the host's view (see picture.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"
#include "picture.h"

int picture_view(pid_t pid)
{
	const struct impl_ops *im = impl();
	int ctl, fd;

	if (!im->vfb_view) {
		cmd_error("the %s implementation has no view of a namespace's picture", im->name);
		return -1;
	}
	ctl = im->open_ctl();
	if (ctl < 0) {
		cmd_error("opening the control device: %s", ctl_strerror(-ctl));
		return -1;
	}
	fd = im->vfb_view(ctl, pid, IMPL_VIEW_CLOEXEC);
	close(ctl);
	if (fd < 0) {
		cmd_error("viewing pid %d: %s", (int)pid, ctl_strerror(-fd));
		return -1;
	}
	return fd;
}

/* One colour channel of @pixel, scaled to 8 bits. */
static uint8_t channel(uint32_t pixel, const struct fb_bitfield *f)
{
	uint32_t max, v;

	if (!f->length || f->length > 16)
		return 0;
	max = (1u << f->length) - 1;
	v = (pixel >> f->offset) & max;
	return (uint8_t)((v * 255 + max / 2) / max);
}

int picture_read(int fd, struct picture *p)
{
	struct fb_var_screeninfo *var = &p->var;
	size_t row_bytes, need, x, y;
	uint32_t *row;
	int ret = 0;

	if (ioctl(fd, FBIOGET_VSCREENINFO, var) || ioctl(fd, FBIOGET_FSCREENINFO, &p->fix))
		return -errno;
	if (var->bits_per_pixel != 32 || !var->xres || !var->yres)
		return -EPROTO;
	row_bytes = (size_t)var->xres * 4;
	if ((uint64_t)(var->yoffset + var->yres - 1) * p->fix.line_length +
	    (uint64_t)var->xoffset * 4 + row_bytes > p->fix.smem_len)
		return -EPROTO;
	need = (size_t)var->xres * var->yres * p->bytes;
	if (need > p->size) {
		unsigned char *px = realloc(p->px, need);

		if (!px)
			return -ENOMEM;
		p->px = px;
		p->size = need;
	}
	row = malloc(row_bytes);
	if (!row)
		return -ENOMEM;
	for (y = 0; y < var->yres && !ret; y++) {
		off_t off = (off_t)(var->yoffset + y) * p->fix.line_length + (off_t)var->xoffset * 4;
		ssize_t n = pread(fd, row, row_bytes, off);
		unsigned char *out = p->px + y * var->xres * p->bytes;

		if (n != (ssize_t)row_bytes) {
			ret = n < 0 ? -errno : -ESRCH;	/* 0: the namespace died */
			break;
		}
		for (x = 0; x < var->xres; x++, out += p->bytes) {
			out[0] = channel(row[x], &var->red);
			out[1] = channel(row[x], &var->green);
			out[2] = channel(row[x], &var->blue);
			if (p->bytes == 4)
				out[3] = 0;
		}
	}
	free(row);
	return ret;
}

void picture_free(struct picture *p)
{
	free(p->px);
	p->px = NULL;
	p->size = 0;
}
