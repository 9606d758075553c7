// SPDX-License-Identifier: GPL-2.0
/* Reaching the benchmarks' native peers: see devices.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "fb.h"
#include "devices.h"

/* Bochs VGA (qemu -vga std): PCI vendor 0x1234, device 0x1111. */
#define BOCHS_PCI_VENDOR	0x1234
#define BOCHS_PCI_DEVICE	0x1111
/* Native time for bochs-drm's fbdev to appear after modprobe. */
#define BOCHS_WAIT_MS		2000

static void say_why(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!why || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* First line of a sysfs file, without its newline; false if unreadable. */
static bool sysfs_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

int bench_modprobe(const char *module, char *why, size_t why_len)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		say_why(why, why_len, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execlp("modprobe", "modprobe", module, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		say_why(why, why_len, "modprobe not found");
		return -ENOENT;
	}
	say_why(why, why_len, "modprobe %s failed (status %d)", module, status);
	return -EIO;
}

/* Is there a Bochs VGA on the PCI bus? */
static bool bochs_present(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *de;
	char file[300], val[32];
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "/sys/bus/pci/devices/%s/vendor", de->d_name);
		if (!sysfs_line(file, val, sizeof(val)) || strtol(val, NULL, 16) != BOCHS_PCI_VENDOR)
			continue;
		snprintf(file, sizeof(file), "/sys/bus/pci/devices/%s/device", de->d_name);
		found = sysfs_line(file, val, sizeof(val)) &&
			strtol(val, NULL, 16) == BOCHS_PCI_DEVICE;
	}
	closedir(d);
	return found;
}

int bench_bochs_fb_open(char *path, size_t len, char *why, size_t why_len)
{
	int ret, fd;

	if (fb_find_named(BENCH_BOCHS_FB_ID, path, len, 0)) {
		if (!bochs_present()) {
			say_why(why, why_len, "no Bochs VGA on the PCI bus (ci/vm --vga std?)");
			return -ENODEV;
		}
		ret = bench_modprobe("bochs", why, why_len);
		if (ret)
			return ret;
		if (fb_find_named(BENCH_BOCHS_FB_ID, path, len, deadline_ms(BOCHS_WAIT_MS))) {
			say_why(why, why_len, "bochs loaded but no fbdev named %s",
				BENCH_BOCHS_FB_ID);
			return -ENODEV;
		}
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		say_why(why, why_len, "%s: %s", path, strerror(errno));
		return ret;
	}
	return fd;
}
