/* SPDX-License-Identifier: GPL-2.0 */
/* The virtual framebuffer subsystem (devns_vfb.c) and its panel (devns_panel.c). */
#ifndef DEVNS_VFB_H
#define DEVNS_VFB_H

#include <linux/types.h>

struct seq_file;
struct vm_area_struct;

int devns_vfb_init(void);
void devns_vfb_exit(void);
/* The "panel owner <id> blank <n>" line of /proc/devns. */
void devns_vfb_show(struct seq_file *m);

/*
 * Zero-copy switch only: the host's view of the panel.  A mapping of the
 * panel follows the scanout (its PTEs are zapped when the scanout moves);
 * a write() stores into the scanout under the switch lock.
 */
int devns_vfb_panel_mmap(struct vm_area_struct *vma);
void devns_vfb_panel_store(loff_t pos, const void *src, size_t n);

#endif /* DEVNS_VFB_H */
