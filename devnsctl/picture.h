/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace's picture through the host's view (SPEC 3.2), for the
 * commands that show it (screenshot, vnc): its mode and the visible area's
 * pixels as 8-bit R, G, B bytes (and a fourth, zero, with @bytes 4).
 */
#ifndef DEVNSCTL_PICTURE_H
#define DEVNSCTL_PICTURE_H

#include <linux/fb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct picture {
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	unsigned int bytes;		/* per pixel out: 3 (RGB) or 4 (RGB and a zero) */
	unsigned char *px;		/* var.xres * var.yres * bytes, or NULL */
	size_t size;			/* allocated bytes of px */
	uint32_t *row;			/* one row as read, row_size bytes */
	size_t row_size;
};

/*
 * A view of @pid's namespace (a host fd), or a message on stderr and -1;
 * @flags: IMPL_VIEW_* (IMPL_VIEW_DAMAGE: it tracks damage).
 */
int picture_view(pid_t pid, unsigned int flags);
/*
 * Read the mode and the visible area (xres x yres at the pan offsets) of
 * view @fd into @p (px grown as needed): 0, -ESRCH once the namespace died,
 * -EPROTO for a mode other than 32 bpp, or -errno.
 */
int picture_read(int fd, struct picture *p);
/*
 * Read rows [@y0, @y1) of the visible area again, in the mode the last
 * picture_read() found: 0, -ESRCH once the namespace died, or -errno.
 */
int picture_read_rows(int fd, struct picture *p, unsigned int y0, unsigned int y1);
/* Does a write to page @page of the pixels (of @page_size bytes) change visible row @y? */
bool picture_row_in_pages(const struct picture *p, unsigned int y, const uint64_t *pages,
			  size_t page_size);
void picture_free(struct picture *p);

#endif /* DEVNSCTL_PICTURE_H */
