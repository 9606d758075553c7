// SPDX-License-Identifier: GPL-2.0
/*
 * Adapter for the reference module (reference-impl/, devns.ko): the
 * include/uapi/devns.h control device (with its vtty ioctls), /proc/devns,
 * and module unload/load through delete_module(2)/finit_module(2) with
 * $DEVNS_MODULE and the parameters in $DEVNS_MODULE_PARAMS ("name=value ...",
 * what ci/vm's insmod used, so a reload keeps e.g. the vfb switch strategy).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <devns.h>

#include "impl.h"

static int ref_open_ctl(void)
{
	int fd = open(DEVNS_CTL_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int ref_activate(int ctl, pid_t pid, uint32_t flags)
{
	struct devns_activate a = { .pid = pid, .flags = flags };

	return ioctl(ctl, DEVNS_IOC_ACTIVATE, &a) ? -errno : 0;
}

static int ref_get_state(int ctl, struct impl_state *st)
{
	struct devns_state s;

	memset(&s, 0, sizeof(s));
	if (ioctl(ctl, DEVNS_IOC_GET_STATE, &s))
		return -errno;
	st->active_id = s.active_id;
	st->generation = s.generation;
	st->self_id = s.self_id;
	st->self_active = s.self_active;
	st->nr_namespaces = s.nr_namespaces;
	return 0;
}

static int ref_describe(int ctl, pid_t pid, uint32_t flags, struct impl_ns *ns)
{
	struct devns_ns_info info = { .pid = pid, .flags = flags };

	if (ioctl(ctl, DEVNS_IOC_DESCRIBE, &info))
		return -errno;
	ns->id = info.id;
	ns->level = info.level;
	ns->active = info.state & DEVNS_NS_ACTIVE;
	ns->host = info.state & DEVNS_NS_HOST;
	ns->activations = info.activations;
	return 0;
}

static int ref_wait_switch(int ctl, int timeout_ms)
{
	struct pollfd p = { .fd = ctl, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	return n > 0 && (p.revents & POLLIN);
}

static void parse_ns_line(struct impl_report *r, char *rest)
{
	char *tok, *save = NULL;
	const char *part;
	int i;

	if (r->nr_listed >= IMPL_MAX_LISTED)
		return;
	i = r->nr_listed++;
	memset(&r->ns[i], 0, sizeof(r->ns[i]));
	r->ns[i].id = strtoull(rest, &rest, 10);
	r->ns[i].terminals = -1;
	/* the states' parts: " vfb <x>x<y>", " vtty <n> open <n>" */
	part = strstr(rest, " vfb ");
	if (part && sscanf(part, " vfb %ux%u", &r->ns[i].xres, &r->ns[i].yres) != 2)
		r->ns[i].xres = r->ns[i].yres = 0;
	part = strstr(rest, " vtty ");
	if (part && sscanf(part, " vtty %d open %d", &r->ns[i].terminals,
			   &r->ns[i].terminals_open) != 2)
		r->ns[i].terminals = -1;
	for (tok = strtok_r(rest, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, "active"))
			r->ns[i].active = true;
		else if (!strcmp(tok, "host"))
			r->ns[i].host = true;
		else if (!strcmp(tok, "dead"))
			r->ns[i].dead = true;
	}
}

static int ref_report(struct impl_report *r)
{
	char line[512], name[64];
	unsigned long long v;
	FILE *f = fopen(DEVNS_PROC_PATH, "re");

	if (!f)
		return -errno;
	memset(r, 0, sizeof(*r));
	r->containers = r->watchers = r->states = -1;
	r->panel_blank = -1;
	r->vttys = -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "active %llu", &v) == 1)
			r->active_id = v;
		else if (sscanf(line, "generation %llu", &v) == 1)
			r->generation = v;
		else if (sscanf(line, "count %63s %llu", name, &v) == 2) {
			if (!strcmp(name, "containers"))
				r->containers = (long)v;
			else if (!strcmp(name, "watchers"))
				r->watchers = (long)v;
			else if (!strcmp(name, "states"))
				r->states = (long)v;
			else if (!strcmp(name, "vtty"))
				r->vttys = (long)v;
		} else if (sscanf(line, "panel owner %llu blank %d", &v, &r->panel_blank) == 2) {
			r->panel_owner = v;
		} else if (!strncmp(line, "ns ", 3)) {
			parse_ns_line(r, line + 3);
		}
	}
	fclose(f);
	return 0;
}

static int ref_stop(void)
{
	return syscall(SYS_delete_module, "devns", O_NONBLOCK) ? -errno : 0;
}

static int ref_start(void)
{
	const char *path = getenv("DEVNS_MODULE");
	const char *params = getenv("DEVNS_MODULE_PARAMS");
	int fd, ret;

	if (!path || !*path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* The panel is the fbdev whose sysfs name is DEVNS_PANEL_ID. */
static const char *ref_panel_path(void)
{
	static char path[32];
	char sys[64], name[64];
	int i;

	for (i = 0; i < 32; i++) {
		FILE *f;

		snprintf(sys, sizeof(sys), "/sys/class/graphics/fb%d/name", i);
		f = fopen(sys, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f) && !strcmp(strtok(name, "\n"), DEVNS_PANEL_ID)) {
			fclose(f);
			snprintf(path, sizeof(path), "/dev/fb%d", i);
			return path;
		}
		fclose(f);
	}
	return NULL;
}

static const char *ref_device(const char *role)
{
	if (!strcmp(role, "ctl"))
		return DEVNS_CTL_PATH;
	if (!strcmp(role, "vfb"))
		return DEVNS_VFB_PATH;
	if (!strcmp(role, "panel"))
		return ref_panel_path();
	if (!strcmp(role, "input"))
		return DEVNS_INPUT_PATH;
	return NULL;
}

static int ref_vtty_devices(int ctl, pid_t pid, struct impl_vtty_devs *d)
{
	struct devns_vtty_devices v = { .pid = pid };

	if (ioctl(ctl, DEVNS_IOC_VTTY_DEVICES, &v))
		return -errno;
	d->major = v.major;
	d->first_minor = v.first_minor;
	d->first_index = v.first_index;
	d->count = v.count;
	d->buffer_size = v.buffer_size;
	return 0;
}

static int ref_vtty_attach(int ctl, pid_t pid, unsigned int index, unsigned int flags)
{
	struct devns_vtty_attach a = { .pid = pid, .index = index };
	int fd;

	if (flags & ~(IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC))
		return -EINVAL;
	if (flags & IMPL_VTTY_NONBLOCK)
		a.flags |= DEVNS_VTTY_NONBLOCK;
	if (flags & IMPL_VTTY_CLOEXEC)
		a.flags |= DEVNS_VTTY_CLOEXEC;
	fd = ioctl(ctl, DEVNS_IOC_VTTY_ATTACH, &a);
	return fd < 0 ? -errno : fd;
}

static int ref_vtty_info(int host_fd, struct impl_vtty_info *info)
{
	struct devns_vtty_info v;

	memset(&v, 0, sizeof(v));
	if (ioctl(host_fd, DEVNS_VTTY_IOC_INFO, &v))
		return -errno;
	info->id = v.id;
	info->written = v.written;
	info->dropped = v.dropped;
	info->buffered = v.buffered;
	info->buffer_size = v.buffer_size;
	info->index = v.index;
	info->open = v.state & DEVNS_VTTY_OPEN;
	info->dead = v.state & DEVNS_VTTY_DEAD;
	return 0;
}

static int ref_vfb_view(int ctl, pid_t pid, unsigned int flags)
{
	struct devns_vfb_view v = {
		.pid = pid,
		.flags = flags & ~(IMPL_VIEW_CLOEXEC | IMPL_VIEW_DAMAGE),
	};
	int fd;

	if (flags & IMPL_VIEW_CLOEXEC)
		v.flags |= DEVNS_VIEW_CLOEXEC;
	if (flags & IMPL_VIEW_DAMAGE)
		v.flags |= DEVNS_VIEW_DAMAGE;
	fd = ioctl(ctl, DEVNS_IOC_VFB_VIEW, &v);
	return fd < 0 ? -errno : fd;
}

static int ref_vfb_damage(int view, struct impl_damage *d)
{
	static const uint32_t flags[][2] = {
		{ DEVNS_DAMAGE_FULL, IMPL_DAMAGE_FULL },
		{ DEVNS_DAMAGE_MODE, IMPL_DAMAGE_MODE },
		{ DEVNS_DAMAGE_SWITCH, IMPL_DAMAGE_SWITCH },
		{ DEVNS_DAMAGE_DEAD, IMPL_DAMAGE_DEAD },
	};
	struct devns_vfb_damage r = {
		.bitmap = (uintptr_t)d->bitmap,
		.nbits = d->nbits,
	};
	size_t i;
	int ret = ioctl(view, DEVNS_VFB_IOC_DAMAGE, &r);

	d->nbits = r.nbits;
	if (ret < 0)
		return -errno;
	d->flags = 0;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (r.flags & flags[i][0])
			d->flags |= flags[i][1];
	d->seq = r.seq;
	d->first = r.first;
	d->last = r.last;
	return 0;
}

static int ref_input_inject(int ctl, pid_t pid, const struct impl_input_event *ev, unsigned int n)
{
	struct devns_input_event *e = n ? calloc(n, sizeof(*e)) : NULL;
	struct devns_input_inject req = { .pid = pid, .count = n, .events = (uintptr_t)e };
	unsigned int i;
	int ret;

	if (n && !e)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		e[i] = (struct devns_input_event){ ev[i].type, ev[i].code, ev[i].value };
	ret = ioctl(ctl, DEVNS_IOC_INPUT_INJECT, &req) ? -errno : 0;
	free(e);
	return ret;
}

const struct impl_ops impl_reference = {
	.name = "reference",
	.description = "devns.ko from reference-impl/ (ioctl control device, /proc/devns)",
	.caps = IMPL_CAP_UAPI | IMPL_CAP_POLL | IMPL_CAP_RELOAD | IMPL_CAP_COUNTERS |
		IMPL_CAP_CONTAINER_VIEW | IMPL_CAP_VFB | IMPL_CAP_PANEL_STATE | IMPL_CAP_VTTY |
		IMPL_CAP_VIEW | IMPL_CAP_DAMAGE | IMPL_CAP_INPUT,
	.open_ctl = ref_open_ctl,
	.activate = ref_activate,
	.get_state = ref_get_state,
	.describe = ref_describe,
	.wait_switch = ref_wait_switch,
	.report = ref_report,
	.stop = ref_stop,
	.start = ref_start,
	.device = ref_device,
	.vtty_devices = ref_vtty_devices,
	.vtty_attach = ref_vtty_attach,
	.vtty_info = ref_vtty_info,
	.vfb_view = ref_vfb_view,
	.vfb_damage = ref_vfb_damage,
	.input_inject = ref_input_inject,
};
