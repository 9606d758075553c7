// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl screenshot <pid> [-o FILE.png]: the exact pixels of a
 * namespace's picture, active or passive, as a PNG (libpng), read through
 * the host's view of that namespace (SPEC 3.2).
 */
#include <errno.h>
#include <getopt.h>
#include <linux/fb.h>
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"

static void screenshot_help(FILE *out)
{
	fprintf(out,
		"Writes the picture of the device namespace of <pid> (a process of the\n"
		"container, as the host sees it; \"host\" for the host's own) as a PNG:\n"
		"its visible area (xres x yres at its pan offsets), 8-bit RGB, exactly\n"
		"the pixels that namespace would read from its framebuffer, whether it\n"
		"is active (on the panel) or passive (in the background).  A namespace\n"
		"that draws while the picture is read may be caught mid-frame.\n"
		"Prints \"<file> <width>x<height>\" unless the PNG goes to stdout.\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE  where to write (default screenshot-<pid>.png or\n"
		"                     screenshot-host.png; - for stdout)\n"
		"  -h, --help         this text\n");
}

/* One colour channel of @pixel, scaled to 8 bits. */
static png_byte channel(uint32_t pixel, const struct fb_bitfield *f)
{
	uint32_t max, v;

	if (!f->length || f->length > 16)
		return 0;
	max = (1u << f->length) - 1;
	v = (pixel >> f->offset) & max;
	return (png_byte)((v * 255 + max / 2) / max);
}

struct picture {
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	png_bytep rgb;			/* xres * yres * 3 */
};

/* Read the visible area of view @fd into @p (its var and fix first): 0 or -errno. */
static int read_picture(int fd, struct picture *p)
{
	size_t row_bytes, x, y;
	uint32_t *row;

	if (ioctl(fd, FBIOGET_VSCREENINFO, &p->var) || ioctl(fd, FBIOGET_FSCREENINFO, &p->fix))
		return -errno;
	if (p->var.bits_per_pixel != 32 || !p->var.xres || !p->var.yres)
		return -EPROTO;
	row_bytes = (size_t)p->var.xres * 4;
	if ((uint64_t)(p->var.yoffset + p->var.yres - 1) * p->fix.line_length +
	    (uint64_t)p->var.xoffset * 4 + row_bytes > p->fix.smem_len)
		return -EPROTO;
	row = malloc(row_bytes);
	p->rgb = malloc((size_t)p->var.xres * p->var.yres * 3);
	if (!row || !p->rgb) {
		free(row);
		return -ENOMEM;
	}
	for (y = 0; y < p->var.yres; y++) {
		off_t off = (off_t)(p->var.yoffset + y) * p->fix.line_length +
			    (off_t)p->var.xoffset * 4;
		ssize_t n = pread(fd, row, row_bytes, off);
		png_bytep out = p->rgb + y * p->var.xres * 3;

		if (n != (ssize_t)row_bytes) {
			free(row);
			return n < 0 ? -errno : -ESRCH;	/* 0: the namespace died */
		}
		for (x = 0; x < p->var.xres; x++) {
			out[3 * x] = channel(row[x], &p->var.red);
			out[3 * x + 1] = channel(row[x], &p->var.green);
			out[3 * x + 2] = channel(row[x], &p->var.blue);
		}
	}
	free(row);
	return 0;
}

/* @p as an 8-bit RGB PNG on @f: 0, or -1 (libpng said why on stderr). */
static int write_png(FILE *f, const struct picture *p)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint32_t y;

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, p->var.xres, p->var.yres, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (y = 0; y < p->var.yres; y++)
		png_write_row(png, p->rgb + (size_t)y * p->var.xres * 3);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

static int screenshot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct impl_ops *im = impl();
	struct picture p = { .rgb = NULL };
	const char *path = NULL;
	char defpath[64];
	bool to_stdout;
	FILE *f;
	pid_t pid;
	int c, ctl, fd, ret;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			path = optarg;
			break;
		case 'h':
			cmd_usage(&devnsctl_screenshot, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_screenshot, "bad option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(&devnsctl_screenshot, "expected one <pid> or \"host\"");
	if (parse_target(argv[optind], &pid))
		return cmd_usage_error(&devnsctl_screenshot, "bad pid '%s'", argv[optind]);
	if (!path) {
		snprintf(defpath, sizeof(defpath), "screenshot-%s.png", argv[optind]);
		path = defpath;
	}
	if (!im->vfb_view)
		return cmd_error("the %s implementation has no view of a namespace's picture",
				 im->name);
	ctl = im->open_ctl();
	if (ctl < 0)
		return cmd_error("opening the control device: %s", ctl_strerror(-ctl));
	fd = im->vfb_view(ctl, pid, IMPL_VIEW_CLOEXEC);
	close(ctl);
	if (fd < 0)
		return cmd_error("viewing pid %d: %s", (int)pid, ctl_strerror(-fd));
	ret = read_picture(fd, &p);
	close(fd);
	if (ret) {
		free(p.rgb);
		if (ret == -EPROTO)
			return cmd_error("pid %d: a mode this tool cannot read (%u bpp %ux%u)",
					 (int)pid, p.var.bits_per_pixel, p.var.xres, p.var.yres);
		return cmd_error("reading pid %d's picture: %s", (int)pid, ctl_strerror(-ret));
	}
	to_stdout = !strcmp(path, "-");
	f = to_stdout ? stdout : fopen(path, "wbe");
	if (!f) {
		free(p.rgb);
		return cmd_error("%s: %m", path);
	}
	ret = write_png(f, &p);
	if (!to_stdout && fclose(f))
		ret = -1;
	free(p.rgb);
	if (ret)
		return cmd_error("writing %s failed", path);
	if (!to_stdout)
		printf("%s %ux%u\n", path, p.var.xres, p.var.yres);
	return fflush(stdout) ? cmd_error("writing: %m") : 0;
}

const struct devnsctl_cmd devnsctl_screenshot = {
	.name = "screenshot",
	.args = "<pid>|host [-o FILE.png]",
	.summary = "write a namespace's picture, active or passive, as a PNG",
	.run = screenshot,
	.help = screenshot_help,
};
