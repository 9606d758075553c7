// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl screenshot <pid> [-o FILE.png]: the exact pixels of a
 * namespace's picture, active or passive, as a PNG (libpng), read through
 * the host's view of that namespace (SPEC 3.2).
 */
#include <errno.h>
#include <getopt.h>
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "devnsctl.h"
#include "picture.h"

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
		png_write_row(png, p->px + (size_t)y * p->var.xres * 3);
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
	struct picture p = { .bytes = 3 };
	const char *path = NULL;
	char defpath[64];
	bool to_stdout;
	FILE *f;
	pid_t pid;
	int c, fd, ret;

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
	fd = picture_view(pid, 0);
	if (fd < 0)
		return 1;
	ret = picture_read(fd, &p);
	close(fd);
	if (ret) {
		picture_free(&p);
		if (ret == -EPROTO)
			return cmd_error("pid %d: a mode this tool cannot read (%u bpp %ux%u)",
					 (int)pid, p.var.bits_per_pixel, p.var.xres, p.var.yres);
		return cmd_error("reading pid %d's picture: %s", (int)pid, ctl_strerror(-ret));
	}
	to_stdout = !strcmp(path, "-");
	f = to_stdout ? stdout : fopen(path, "wbe");
	if (!f) {
		picture_free(&p);
		return cmd_error("%s: %m", path);
	}
	ret = write_png(f, &p);
	if (!to_stdout && fclose(f))
		ret = -1;
	picture_free(&p);
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
