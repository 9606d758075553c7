// SPDX-License-Identifier: GPL-2.0
/*
 * The native switch peer (issue 6, part 4): the kernel's own VT switch with
 * fbcon drawing on the Bochs display.  bochs-drm's fbdev emulation is
 * loaded (modprobe bochs), consoles 1 and 2 are mapped to it at run time
 * with FBIOPUT_CON2FBMAP (ci/vm boots with fbcon=map:9, so fbcon has no fb
 * until told), and one sample is VT_ACTIVATE + VT_WAITACTIVE to the other
 * of the two consoles.  At the end the console that was active is active
 * again and fbcon is unbound from the consoles, so that later benchmarks on
 * the Bochs fbdev do not share it with a blinking cursor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fb.h>
#include <linux/vt.h>

#include "bench.h"
#include "devices.h"
#include "fb.h"

static const char usage[] =
	"Usage: vtswitch [options]\n"
	"Kernel VT switch latency (benchmark vt_switch, variant kernel-vt): VT_ACTIVATE +\n"
	"VT_WAITACTIVE between two consoles with fbcon on bochs-drm's fbdev (ci/vm --vga\n"
	"std).  Runs in the guest as root; loads bochs if needed.\n"
	"  --consoles A,B   the two consoles (default 1,2)\n"
	"  --keep-fbcon     leave fbcon bound to the consoles at the end\n";

enum { OPT_CONSOLES = 256, OPT_KEEP };

static unsigned int con[2] = { 1, 2 };
static int keep_fbcon;

static int take_opt(int val, const char *arg)
{
	switch (val) {
	case OPT_CONSOLES:
		if (sscanf(arg, "%u,%u", &con[0], &con[1]) != 2 || con[0] < 1 || con[1] < 1 ||
		    con[0] > 63 || con[1] > 63 || con[0] == con[1])
			return -1;
		return 0;
	case OPT_KEEP:
		keep_fbcon = 1;
		return 0;
	}
	return -1;
}

/* The vtconsole whose name mentions the frame buffer (fbcon): its bind file. */
static int fbcon_bind_path(char *path, size_t len)
{
	DIR *d = opendir("/sys/class/vtconsole");
	struct dirent *de;
	int ret = -ENOENT;

	if (!d)
		return -errno;
	while (ret && (de = readdir(d))) {
		char file[300], name[128] = "";
		FILE *f;

		if (strncmp(de->d_name, "vtcon", 5))
			continue;
		snprintf(file, sizeof(file), "/sys/class/vtconsole/%s/name", de->d_name);
		f = fopen(file, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) && strstr(name, "frame buffer")) {
			snprintf(path, len, "/sys/class/vtconsole/%s/bind", de->d_name);
			ret = 0;
		}
		fclose(f);
	}
	closedir(d);
	return ret;
}

static int fbcon_bind(int on)
{
	char path[300];
	int fd, ret = fbcon_bind_path(path, sizeof(path));

	if (ret)
		return ret;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write(fd, on ? "1" : "0", 1) == 1 ? 0 : -errno;
	close(fd);
	return ret;
}

/* Map console @c (1-based) to fb @minor and read it back. */
static int con2fb(int fbfd, unsigned int c, unsigned int minor)
{
	struct fb_con2fbmap m = { .console = c, .framebuffer = minor };

	if (ioctl(fbfd, FBIOPUT_CON2FBMAP, &m))
		return -errno;
	m.framebuffer = ~0u;
	if (ioctl(fbfd, FBIOGET_CON2FBMAP, &m))
		return -errno;
	return m.framebuffer == minor ? 0 : -EXDEV;
}

/*
 * Fill console @c with text, so that a switch redraws glyphs and not an
 * empty screen (the consoles of a ci/vm guest have no getty).
 */
static int vt_fill(unsigned int c)
{
	struct winsize ws;
	char path[32], *text;
	size_t len, i;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/dev/tty%u", c);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		ws = (struct winsize){ .ws_row = 25, .ws_col = 80 };
	len = (size_t)ws.ws_row * ws.ws_col;
	text = malloc(len);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	for (i = 0; i < len; i++)
		text[i] = (char)('!' + (i * 7 + c) % 94);
	if (write(fd, "\033[H\033[2J", 7) != 7 || write(fd, text, len - 1) != (ssize_t)(len - 1))
		ret = -EIO;
	free(text);
	close(fd);
	return ret;
}

static int vt_go(int tty, unsigned int n)
{
	if (ioctl(tty, VT_ACTIVATE, (unsigned long)n) || ioctl(tty, VT_WAITACTIVE, (unsigned long)n))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "consoles", required_argument, NULL, OPT_CONSOLES },
		{ "keep-fbcon", no_argument, NULL, OPT_KEEP },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts o;
	struct fb_info_pair info;
	struct vt_stat vs;
	struct stat st;
	char fbpath[64] = "", why[256] = "";
	unsigned int j, minor, width, height, total;
	struct bench_point *p;
	int fbfd, tty, ret = 0, i;

	bench_parse(argc, argv, &o, usage, opts, take_opt);

	fbfd = bench_bochs_fb_open(fbpath, sizeof(fbpath), why, sizeof(why));
	if (fbfd < 0 || fstat(fbfd, &st) || fb_get(fbfd, &info)) {
		bench_device("bochs-fbdev", fbpath, false, "%s", *why ? why : strerror(errno));
		bench_device("kernel-vt", "/dev/tty0", false, "not tried: no Bochs fbdev");
		bench_finish();
		return 1;
	}
	minor = minor(st.st_rdev);
	width = info.var.xres;
	height = info.var.yres;
	bench_device("bochs-fbdev", fbpath, true, "%s %ux%u-%u", info.fix.id, width, height,
		     info.var.bits_per_pixel);

	tty = open("/dev/tty0", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty < 0 || ioctl(tty, VT_GETSTATE, &vs)) {
		bench_device("kernel-vt", "/dev/tty0", false, "%s: %s",
			     tty < 0 ? "open" : "VT_GETSTATE", strerror(errno));
		bench_finish();
		return 1;
	}
	for (i = 0; i < 2 && !ret; i++)
		ret = con2fb(fbfd, con[i], minor);
	if (ret) {
		bench_device("kernel-vt", "/dev/tty0", false,
			     "FBIOPUT_CON2FBMAP console %u -> fb%u: %s (boot with fbcon=map:0 and bochs as the first fbdev instead)",
			     con[i - 1], minor, strerror(-ret));
		close(tty);
		bench_finish();
		return 1;
	}
	ret = vt_go(tty, con[1]);
	if (!ret)
		ret = vt_go(tty, con[0]);
	for (i = 0; i < 2 && !ret; i++)
		if (vt_fill(con[i]))
			bench_progress("could not write text on tty%u", con[i]);
	if (ret) {
		bench_device("kernel-vt", "/dev/tty0", false, "VT_ACTIVATE %u: %s", con[0],
			     strerror(-ret));
		close(tty);
		bench_finish();
		return 1;
	}
	bench_device("kernel-vt", "/dev/tty0", true, "consoles %u,%u on fb%u (fbcon), was on %u",
		     con[0], con[1], minor, vs.v_active);

	p = bench_point("vt_switch", "kernel-vt", "us", BENCH_LOWER, "\"width\":%u,\"height\":%u",
			width, height);
	total = o.warmup + o.samples;
	for (j = 0; j < total && !ret; j++) {
		struct bench_counters c;
		uint64_t t0, t1;

		bench_counters_start(&c);
		t0 = bench_now_ns();
		ret = vt_go(tty, con[(j + 1) % 2]);
		t1 = bench_now_ns();
		bench_counters_stop(&c, p, 1);
		if (ret) {
			bench_progress("VT switch to %u: %s", con[(j + 1) % 2], strerror(-ret));
			break;
		}
		bench_add(p, (double)(t1 - t0) / 1000.0);
		bench_progress("%ux%u sample %u/%u%s: %.0f us", width, height, j + 1, total,
			       j < o.warmup ? " (warm-up)" : "", (double)(t1 - t0) / 1000.0);
	}

	/* restore: the console that was active, fbcon off the Bochs display */
	if (vt_go(tty, vs.v_active))
		bench_progress("VT_ACTIVATE %u: %s", vs.v_active, strerror(errno));
	if (!keep_fbcon && fbcon_bind(0))
		bench_progress("could not unbind fbcon (vtconsole bind)");
	close(tty);
	close(fbfd);
	if (bench_finish())
		return 1;
	return ret ? 1 : 0;
}
