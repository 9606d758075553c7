// SPDX-License-Identifier: GPL-2.0
/* Input devices for tests and tools (see input.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"
#include "input.h"

static const uint16_t uinput_keys[] = {
	KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
	KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z,
	KEY_LEFTSHIFT, KEY_SPACE, BTN_LEFT,
};

/* modprobe @module, quietly. */
static void modprobe(const char *module)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execlp("modprobe", "modprobe", module, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &st, 0);
}

/* uinput, and evdev for the event nodes: 0 if /dev/uinput exists afterwards. */
static int uinput_load(void)
{
	if (access("/sys/module/evdev", F_OK))
		modprobe("evdev");
	if (access("/dev/uinput", F_OK))
		modprobe("uinput");
	return access("/dev/uinput", F_OK) ? -ENODEV : 0;
}

/* The event node of uinput device @sysname (inputN). */
static int uinput_node(const char *sysname, char *node, size_t len)
{
	char dir[96];
	struct dirent *e;
	DIR *d;
	int ret = -ENOENT;

	snprintf(dir, sizeof(dir), "/sys/class/input/%s", sysname);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "event", 5)) {
			snprintf(node, len, "/dev/input/%s", e->d_name);
			ret = 0;
			break;
		}
	closedir(d);
	return ret;
}

int uinput_create(struct uinput_dev *u, const char *name)
{
	struct uinput_setup setup = { .id = { .bustype = BUS_USB, .vendor = 0x1d6b, .product = 0x0104 } };
	char sysname[32];
	size_t i;
	int ret;

	u->fd = -1;
	ret = uinput_load();
	if (ret)
		return ret;
	u->fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (u->fd < 0)
		return -errno;
	snprintf(setup.name, sizeof(setup.name), "%s", name);
	if (ioctl(u->fd, UI_SET_EVBIT, EV_KEY) || ioctl(u->fd, UI_SET_EVBIT, EV_REL) ||
	    ioctl(u->fd, UI_SET_RELBIT, REL_X) || ioctl(u->fd, UI_SET_RELBIT, REL_Y))
		goto err;
	for (i = 0; i < sizeof(uinput_keys) / sizeof(uinput_keys[0]); i++)
		if (ioctl(u->fd, UI_SET_KEYBIT, uinput_keys[i]))
			goto err;
	if (ioctl(u->fd, UI_DEV_SETUP, &setup) || ioctl(u->fd, UI_DEV_CREATE) ||
	    ioctl(u->fd, UI_GET_SYSNAME(sizeof(sysname)), sysname) < 0)
		goto err;
	ret = uinput_node(sysname, u->node, sizeof(u->node));
	if (ret) {
		uinput_destroy(u);
		return ret;
	}
	return 0;
err:
	ret = -errno;
	uinput_destroy(u);
	return ret;
}

int uinput_emit(struct uinput_dev *u, uint16_t type, uint16_t code, int32_t value, int syn)
{
	struct input_event ev[2] = {
		{ .type = type, .code = code, .value = value },
		{ .type = EV_SYN, .code = SYN_REPORT },
	};
	size_t len = (syn ? 2 : 1) * sizeof(ev[0]);

	return write(u->fd, ev, len) == (ssize_t)len ? 0 : -errno;
}

void uinput_destroy(struct uinput_dev *u)
{
	if (u->fd < 0)
		return;
	ioctl(u->fd, UI_DEV_DESTROY);
	close(u->fd);
	u->fd = -1;
}

int input_read_events(int fd, struct input_event *ev, int max, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	int n = 0;

	while (n < max) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int64_t left = end - now_ms();
		ssize_t r;

		if (left < 0 || poll(&p, 1, (int)left) != 1 || !(p.revents & POLLIN))
			break;
		r = read(fd, ev + n, (size_t)(max - n) * sizeof(*ev));
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r < 0)
			return n ? n : -errno;
		n += (int)(r / (ssize_t)sizeof(*ev));
	}
	return n;
}

int input_none_pending(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	struct input_event ev;
	ssize_t r;

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	r = read(fd, &ev, sizeof(ev));
	fcntl(fd, F_SETFL, fl);
	if (r < 0 && errno == EAGAIN)
		return 1;
	return r < 0 ? -errno : 0;
}
