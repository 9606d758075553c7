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

int picture_view(pid_t pid, unsigned int flags)
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
	fd = im->vfb_view(ctl, pid, IMPL_VIEW_CLOEXEC | flags);
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

/* Byte offset of visible row @y in the pixels. */
static off_t row_offset(const struct picture *p, unsigned int y)
{
	return (off_t)(p->var.yoffset + y) * p->fix.line_length + (off_t)p->var.xoffset * 4;
}

int picture_read_rows(int fd, struct picture *p, unsigned int y0, unsigned int y1)
{
	size_t row_bytes = (size_t)p->var.xres * 4, x;
	unsigned int y;

	for (y = y0; y < y1 && y < p->var.yres; y++) {
		ssize_t n = pread(fd, p->row, row_bytes, row_offset(p, y));
		unsigned char *out = p->px + (size_t)y * p->var.xres * p->bytes;

		if (n != (ssize_t)row_bytes)
			return n < 0 ? -errno : -ESRCH;	/* 0: the namespace died */
		for (x = 0; x < p->var.xres; x++, out += p->bytes) {
			out[0] = channel(p->row[x], &p->var.red);
			out[1] = channel(p->row[x], &p->var.green);
			out[2] = channel(p->row[x], &p->var.blue);
			if (p->bytes == 4)
				out[3] = 0;
		}
	}
	return 0;
}

/* Grow @*buf to @need bytes if it has fewer (@*size): 0 or -ENOMEM. */
static int grow(void **buf, size_t *size, size_t need)
{
	void *b;

	if (need <= *size)
		return 0;
	b = realloc(*buf, need);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*size = need;
	return 0;
}

int picture_read(int fd, struct picture *p)
{
	struct fb_var_screeninfo *var = &p->var;
	size_t row_bytes;

	if (ioctl(fd, FBIOGET_VSCREENINFO, var) || ioctl(fd, FBIOGET_FSCREENINFO, &p->fix))
		return -errno;
	if (var->bits_per_pixel != 32 || !var->xres || !var->yres)
		return -EPROTO;
	row_bytes = (size_t)var->xres * 4;
	if ((uint64_t)row_offset(p, var->yres - 1) + row_bytes > p->fix.smem_len)
		return -EPROTO;
	if (grow((void **)&p->px, &p->size, (size_t)var->xres * var->yres * p->bytes) ||
	    grow((void **)&p->row, &p->row_size, row_bytes))
		return -ENOMEM;
	return picture_read_rows(fd, p, 0, var->yres);
}

bool picture_row_in_pages(const struct picture *p, unsigned int y, const uint64_t *pages,
			  size_t page_size)
{
	size_t first = (size_t)row_offset(p, y), last = first + (size_t)p->var.xres * 4 - 1, pg;

	for (pg = first / page_size; pg <= last / page_size; pg++)
		if (pages[pg / 64] >> (pg % 64) & 1)
			return true;
	return false;
}

void picture_free(struct picture *p)
{
	free(p->px);
	free(p->row);
	p->px = NULL;
	p->row = NULL;
	p->size = p->row_size = 0;
}
