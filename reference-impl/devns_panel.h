/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The panel: the simulated display, an ordinary fbdev registered by this
 * module.  Whatever is in its memory is what a person would see.  The vfb
 * (devns_vfb.c) puts the active namespace's state on it.
 */
#ifndef DEVNS_PANEL_H
#define DEVNS_PANEL_H

#include <linux/fb.h>
#include <linux/types.h>

#define DEVNS_PANEL_MAX_MODES	8
#define DEVNS_FB_BPP		32
#define DEVNS_CMAP_LEN		256

/* A namespace-independent description of what can be put on the panel. */
struct devns_panel {
	struct fb_info *info;
	void *vram;			/* vmalloc_user, nr_regions * len bytes */
	unsigned int nr_regions;	/* 1, or (zero-copy) vfb_slots + 1 */
	void *mem;			/* the scanout: the region shown, len bytes */
	unsigned long len;		/* smem_len, a multiple of PAGE_SIZE */
	unsigned int nr_modes;
	unsigned int xres[DEVNS_PANEL_MAX_MODES];
	unsigned int yres[DEVNS_PANEL_MAX_MODES];
	int blank;			/* FB_BLANK_* level shown */
};

extern struct devns_panel devns_panel;

/*
 * What a panel of several regions asks of the layer that moves its scanout
 * between them (the vfb's zero-copy switch): serve the host's mappings of
 * the panel, which must follow the scanout, and store a host write() into
 * the region shown.
 */
struct devns_panel_hooks {
	int (*mmap)(struct vm_area_struct *vma);
	void (*store)(loff_t pos, const void *src, size_t n);
};

/*
 * @nr_regions regions of smem_len bytes; region 0 is shown first.  With more
 * than one, @hooks serve the host's mmap() and write(); with one, NULL.
 */
int devns_panel_init(unsigned int nr_regions, const struct devns_panel_hooks *hooks);
void devns_panel_exit(void);

/* Region @i of the video memory. */
static inline void *devns_panel_region(unsigned int i)
{
	return devns_panel.vram + (unsigned long)i * devns_panel.len;
}

/* Show region @mem: what the panel's read, write and new faults reach. */
void devns_panel_set_scanout(void *mem);

/* Validate and adjust @var like the panel does (SPEC VFB-2). */
int devns_fb_check_var(struct fb_var_screeninfo *var);
/* The default var: the first mode of the list, offsets 0. */
void devns_fb_default_var(struct fb_var_screeninfo *var);
/* Bytes per line of @var. */
static inline u32 devns_fb_line_length(const struct fb_var_screeninfo *var)
{
	return var->xres_virtual * (DEVNS_FB_BPP / 8);
}

/* Put a mode (already checked), a 256-entry cmap and a blank level on the panel. */
void devns_panel_set_var(const struct fb_var_screeninfo *var);
void devns_panel_set_cmap(struct fb_cmap *cmap);
void devns_panel_set_blank(int blank);

#endif /* DEVNS_PANEL_H */
