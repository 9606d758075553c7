// SPDX-License-Identifier: GPL-2.0
/* Framebuffer helpers for the vfb suite and the benchmarks (see fb.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fb.h"
#include "impl.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* The native reference: the kernel's vfb.ko, sized like the panel. */
#define NATIVE_ID	"Virtual FB"
#define NATIVE_PARAMS	"vfb_enable=1 videomemorysize=3145728 mode_option=1024x768-32"
#define NATIVE_DIR	"/kernel/drivers/video/fbdev/"
/* Native time for the fbdev node to appear after the module is loaded. */
#define NATIVE_WAIT_MS	2000

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f))
		ret = -EIO;
	else
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return ret;
}

/* /dev/fbN of the fbdev whose sysfs name is @id, or -ENOENT. */
static int find_fb_named(const char *id)
{
	char path[64], name[64];
	int i;

	for (i = 0; i < 32; i++) {
		snprintf(path, sizeof(path), "/sys/class/graphics/fb%d/name", i);
		if (!read_line(path, name, sizeof(name)) && !strcmp(name, id))
			return i;
	}
	return -ENOENT;
}

static char native_path[32];

/* Load vfb.ko (once; already loaded is fine). */
static int native_load(void)
{
	static const char *const names[] = { "vfb.ko", "vfb.ko.xz", "vfb.ko.zst", "vfb.ko.gz" };
	struct utsname u;
	char path[512];
	unsigned int i;
	int fd = -1, flags = 0;

	if (uname(&u))
		return -errno;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && fd < 0; i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s" NATIVE_DIR "%s", u.release, names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		flags = i ? MODULE_INIT_COMPRESSED_FILE : 0;
	}
	if (fd < 0)
		return -ENOENT;
	if (syscall(SYS_finit_module, fd, NATIVE_PARAMS, flags) && errno != EEXIST) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return 0;
}

int fb_find_named(const char *id, char *path, size_t len, int wait_ms)
{
	int64_t end = now_ms() + wait_ms;
	struct stat st;
	int n;

	for (;;) {
		n = find_fb_named(id);
		if (n >= 0) {
			snprintf(path, len, "/dev/fb%d", n);
			if (!stat(path, &st) && S_ISCHR(st.st_mode))
				return 0;
		}
		if (now_ms() >= end)
			return n < 0 ? -ENODEV : -ENOENT;
		poll(NULL, 0, 10);
	}
}

/* Find the loaded vfb.ko's node, waiting up to @wait_ms for it to appear. */
static int native_find(int wait_ms)
{
	return fb_find_named(NATIVE_ID, native_path, sizeof(native_path), wait_ms);
}

static int open_checked(const char *path, const char *id)
{
	struct fb_fix_screeninfo fix;
	int fd;

	if (!path)
		return -ENODEV;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (id) {
		if (ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (strncmp(fix.id, id, sizeof(fix.id))) {
			close(fd);
			return -ENODEV;
		}
	}
	return fd;
}

int fb_open(enum fb_kind kind)
{
	int ret;

	switch (kind) {
	case FB_VFB:
		return open_checked(impl()->device("vfb"), NULL);
	case FB_PANEL:
		return open_checked(impl()->device("panel"), NULL);
	case FB_NATIVE:
		if (native_find(0)) {
			ret = native_load();
			if (ret)
				return ret;
			ret = native_find(deadline_ms(NATIVE_WAIT_MS));
			if (ret)
				return ret;
		}
		return open_checked(native_path, NATIVE_ID);
	}
	return -EINVAL;
}

const char *fb_path(enum fb_kind kind)
{
	switch (kind) {
	case FB_VFB:
		return impl()->device("vfb");
	case FB_PANEL:
		return impl()->device("panel");
	case FB_NATIVE:
		return native_find(0) ? NULL : native_path;
	}
	return NULL;
}

int fb_get(int fd, struct fb_info_pair *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, FBIOGET_VSCREENINFO, &info->var) ||
	    ioctl(fd, FBIOGET_FSCREENINFO, &info->fix))
		return -errno;
	return 0;
}

int fb_set_mode(int fd, unsigned int xres, unsigned int yres,
		unsigned int xres_virtual, unsigned int yres_virtual,
		struct fb_var_screeninfo *out)
{
	struct fb_var_screeninfo var;

	if (ioctl(fd, FBIOGET_VSCREENINFO, &var))
		return -errno;
	if (xres)
		var.xres = xres;
	if (yres)
		var.yres = yres;
	if (xres_virtual)
		var.xres_virtual = xres_virtual;
	if (yres_virtual)
		var.yres_virtual = yres_virtual;
	var.xoffset = 0;
	var.yoffset = 0;
	var.bits_per_pixel = 32;
	var.vmode &= ~FB_VMODE_YWRAP;
	var.activate = FB_ACTIVATE_NOW;
	if (ioctl(fd, FBIOPUT_VSCREENINFO, &var))
		return -errno;
	if (out)
		*out = var;
	return 0;
}

int fb_panel_modes(struct fb_mode_size *modes, int max)
{
	const char *panel = impl()->device("panel");
	char path[80], line[128];
	unsigned int x, y;
	int n = 0, minor;
	FILE *f;

	if (!panel || sscanf(panel, "/dev/fb%d", &minor) != 1)
		return -ENODEV;
	snprintf(path, sizeof(path), "/sys/class/graphics/fb%d/modes", minor);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	/* Lines like "U:1024x768p-60". */
	while (n < max && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*[^:]:%ux%u", &x, &y) == 2) {
			modes[n].xres = x;
			modes[n].yres = y;
			n++;
		}
	}
	fclose(f);
	return n ? n : -ENODATA;
}

void *fb_map(int fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* pread into @rbuf, or (@wr) pwrite from @wbuf, exactly @len bytes at @off, looping. */
static int prw_all(int fd, bool wr, char *rbuf, const char *wbuf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = wr ? pwrite(fd, wbuf + done, len - done, off)
			       : pread(fd, rbuf + done, len - done, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		off += n;
		done += (size_t)n;
	}
	return 0;
}

int fb_pread_all(int fd, void *buf, size_t len, off_t off)
{
	return prw_all(fd, false, buf, NULL, len, off);
}

int fb_pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	return prw_all(fd, true, NULL, buf, len, off);
}

/*
 * The pattern is a function of (seed, 32-bit word index), so any byte range
 * can be produced or checked on its own.  Optimised even in our -O0 build:
 * frames are megabytes, and the emulator is slow.
 */
#define FB_HOT __attribute__((optimize("O2")))

static inline FB_HOT uint32_t pattern_word(uint32_t seed, uint32_t w)
{
	uint32_t v;

	if (!seed)
		return 0;
	v = w * 0x9e3779b1u ^ seed * 0x85ebca77u;
	v ^= v >> 15;
	v *= 0x2c1b3c6du;
	v ^= v >> 12;
	v *= 0x297a2d39u;
	v ^= v >> 15;
	return v;
}

static inline FB_HOT uint8_t pattern_byte(uint32_t seed, size_t abs)
{
	return (uint8_t)(pattern_word(seed, (uint32_t)(abs / 4)) >> (8 * (abs % 4)));
}

FB_HOT void fb_pattern(void *buf, size_t len, size_t off, uint32_t seed)
{
	uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (off + i) % 4; i++)
		p[i] = pattern_byte(seed, off + i);
	for (; i + 4 <= len; i += 4) {
		uint32_t v = pattern_word(seed, (uint32_t)((off + i) / 4));

		memcpy(p + i, &v, 4);	/* little-endian: byte k is bits 8k.. */
	}
	for (; i < len; i++)
		p[i] = pattern_byte(seed, off + i);
}

FB_HOT size_t fb_pattern_find(const void *buf, size_t len, size_t off, uint32_t seed)
{
	const uint8_t *p = buf;
	size_t i = 0;

	for (; i < len && (off + i) % 4; i++)
		if (p[i] != pattern_byte(seed, off + i))
			return i;
	for (; i + 4 <= len; i += 4) {
		uint32_t v = pattern_word(seed, (uint32_t)((off + i) / 4)), got;

		memcpy(&got, p + i, 4);
		if (got != v)
			break;
	}
	for (; i < len; i++)
		if (p[i] != pattern_byte(seed, off + i))
			return i;
	return len;
}

FB_HOT uint64_t fb_hash(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/*
 * /dev/fb0 is missing: do what a runtime does for a container's /dev, a
 * tmpfs with the old /dev's entries bind-mounted back (our mount namespace
 * only; the shared devtmpfs is not touched), plus an empty file as the
 * mount point for fb0.
 */
static int mirror_dev(void)
{
	char src[PATH_MAX], dst[PATH_MAX], link[PATH_MAX];
	struct dirent *de;
	int old, ret = 0;
	DIR *d;

	old = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (old < 0)
		return -errno;
	if (mount("tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=0755")) {
		ret = -errno;
		close(old);
		return ret;
	}
	snprintf(src, sizeof(src), "/proc/self/fd/%d", old);
	d = opendir(src);
	if (!d) {
		ret = -errno;
		close(old);
		return ret;
	}
	while ((de = readdir(d))) {
		struct stat st;
		ssize_t n;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "/proc/self/fd/%d/%s", old, de->d_name);
		snprintf(dst, sizeof(dst), "/dev/%s", de->d_name);
		if (lstat(src, &st))
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(src, link, sizeof(link) - 1);
			if (n > 0) {
				link[n] = '\0';
				if (symlink(link, dst))
					ret = ret ? ret : -errno;
			}
			continue;
		}
		if (S_ISDIR(st.st_mode) ? mkdir(dst, 0755) : mknod(dst, S_IFREG | 0600, 0)) {
			ret = ret ? ret : -errno;
			continue;
		}
		if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL))
			ret = ret ? ret : -errno;
	}
	closedir(d);
	close(old);
	if (!ret && mknod("/dev/fb0", S_IFREG | 0600, 0))
		ret = -errno;
	return ret;
}

int fb_bind_into_container(void)
{
	const char *vfb = impl()->device("vfb");
	struct stat st;
	int ret;

	if (!vfb)
		return -ENODEV;
	if (unshare(CLONE_NEWNS))
		return -errno;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	if (lstat("/dev/fb0", &st)) {
		if (errno != ENOENT)
			return -errno;
		ret = mirror_dev();
		if (ret)
			return ret;
	}
	if (mount(vfb, "/dev/fb0", NULL, MS_BIND, NULL))
		return -errno;
	return 0;
}

/* Deviations, by kernel release prefix ("" = every kernel). */
static const struct {
	const char *name;
	const char *release;
	const char *why;
} deviations[] = {
	{ "sys_write_enospc", "6.1.",
	  "fb_sys_write of Linux 6.1 returns ENOSPC for a write crossing the end "
	  "(after writing what fits) instead of the count" },
	{ "native_map_private", "",
	  "vfb.ko maps MAP_PRIVATE (remap_vmalloc_range without a VM_SHARED check)" },
	{ "native_smem_start", "",
	  "vfb.ko puts its vmalloc address in smem_start" },
	{ "native_seek_end", "",
	  "fbdev's default_llseek takes SEEK_END from the device inode's size (0), not smem_len" },
};

const char *fb_native_deviation(const char *name)
{
	struct utsname u;
	size_t i;

	if (uname(&u))
		return NULL;
	for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++) {
		if (strcmp(deviations[i].name, name))
			continue;
		if (!strncmp(u.release, deviations[i].release, strlen(deviations[i].release)))
			return deviations[i].why;
	}
	return NULL;
}
