/* SPDX-License-Identifier: GPL-2.0 */
/* The virtual framebuffer subsystem (devns_vfb.c) and its panel (devns_panel.c). */
#ifndef DEVNS_VFB_H
#define DEVNS_VFB_H

#include <linux/types.h>

struct seq_file;
struct devns_vfb_view;

int devns_vfb_init(void);
void devns_vfb_exit(void);
/* The "panel owner <id> blank <n>" line of /proc/devns. */
void devns_vfb_show(struct seq_file *m);
/* DEVNS_IOC_VFB_VIEW (the caller is the host): the new fd or -errno. */
int devns_vfb_view_fd(const struct devns_vfb_view *req);

#endif /* DEVNS_VFB_H */
