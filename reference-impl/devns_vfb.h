/* SPDX-License-Identifier: GPL-2.0 */
/* The virtual framebuffer subsystem (devns_vfb.c) and its panel (devns_panel.c). */
#ifndef DEVNS_VFB_H
#define DEVNS_VFB_H

#include <linux/types.h>

struct seq_file;

int devns_vfb_init(void);
void devns_vfb_exit(void);
/* The "panel owner <id> blank <n>" line of /proc/devns. */
void devns_vfb_show(struct seq_file *m);

#endif /* DEVNS_VFB_H */
