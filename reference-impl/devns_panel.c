// SPDX-License-Identifier: GPL-2.0
/*
 * The panel: a simulated display registered as an ordinary fbdev
 * (DEVNS_PANEL_ID), 32 bpp XRGB8888, with a mode list and a memory size set
 * by module parameters.  Host tools (fbset, fbcat, benchmarks) use it as
 * they would use real hardware; the vfb loads the active namespace onto it.
 */
#include <linux/fb.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "uapi/devns.h"
#include "devns_panel.h"

static char *panel_modes = "1024x768,800x600,640x480";
module_param(panel_modes, charp, 0444);
MODULE_PARM_DESC(panel_modes, "Panel modes WxH,WxH,... (32 bpp; the first is the default)");

static unsigned long panel_mem;
module_param(panel_mem, ulong, 0444);
MODULE_PARM_DESC(panel_mem, "Panel memory in bytes (0: the largest mode)");

struct devns_panel devns_panel;
static const struct devns_panel_hooks *devns_panel_hooks;

static u32 devns_panel_palette[16];

static int devns_panel_parse_modes(void)
{
	const char *p = panel_modes;
	unsigned int x, y;
	int n;

	devns_panel.nr_modes = 0;
	while (p && *p) {
		if (devns_panel.nr_modes == DEVNS_PANEL_MAX_MODES)
			return -EINVAL;
		if (sscanf(p, "%ux%u%n", &x, &y, &n) != 2 || !x || !y ||
		    x > 8192 || y > 8192)
			return -EINVAL;
		devns_panel.xres[devns_panel.nr_modes] = x;
		devns_panel.yres[devns_panel.nr_modes] = y;
		devns_panel.nr_modes++;
		p += n;
		if (*p == ',')
			p++;
		else if (*p)
			return -EINVAL;
	}
	return devns_panel.nr_modes ? 0 : -EINVAL;
}

static bool devns_panel_has_mode(u32 xres, u32 yres)
{
	unsigned int i;

	for (i = 0; i < devns_panel.nr_modes; i++)
		if (devns_panel.xres[i] == xres && devns_panel.yres[i] == yres)
			return true;
	return false;
}

static void devns_fb_set_bitfields(struct fb_var_screeninfo *var)
{
	var->bits_per_pixel = DEVNS_FB_BPP;
	var->grayscale = 0;
	var->nonstd = 0;
	var->red = (struct fb_bitfield){ .offset = 16, .length = 8 };
	var->green = (struct fb_bitfield){ .offset = 8, .length = 8 };
	var->blue = (struct fb_bitfield){ .offset = 0, .length = 8 };
	var->transp = (struct fb_bitfield){ .offset = 0, .length = 0 };
}

int devns_fb_check_var(struct fb_var_screeninfo *var)
{
	u32 xv, yv;

	if (var->bits_per_pixel != DEVNS_FB_BPP)
		return -EINVAL;
	if (!devns_panel_has_mode(var->xres, var->yres))
		return -EINVAL;
	if (var->vmode & FB_VMODE_YWRAP)
		return -EINVAL;
	xv = max(var->xres_virtual, var->xres);
	yv = max(var->yres_virtual, var->yres);
	/* u32 * u32 fits in u64; times 4 it might not (2^31 * 4 * 2^31 wraps to 0) */
	if ((u64)xv * yv > devns_panel.len / (DEVNS_FB_BPP / 8))
		return -EINVAL;
	if (var->xoffset > xv - var->xres || var->yoffset > yv - var->yres)
		return -EINVAL;
	var->xres_virtual = xv;
	var->yres_virtual = yv;
	devns_fb_set_bitfields(var);
	return 0;
}

void devns_fb_default_var(struct fb_var_screeninfo *var)
{
	u32 x = devns_panel.xres[0], y = devns_panel.yres[0];

	memset(var, 0, sizeof(*var));
	var->xres = x;
	var->yres = y;
	var->xres_virtual = x;
	var->yres_virtual = y;
	var->height = -1;
	var->width = -1;
	/* picoseconds per pixel at 60 Hz with no blanking margins */
	var->pixclock = (u32)div_u64(1000000000000ULL, (u64)x * y * 60);
	var->vmode = FB_VMODE_NONINTERLACED;
	devns_fb_set_bitfields(var);
}

static void devns_panel_update_fix(struct fb_info *info)
{
	info->fix.line_length = devns_fb_line_length(&info->var);
	info->fix.visual = FB_VISUAL_TRUECOLOR;
}

void devns_panel_set_var(const struct fb_var_screeninfo *var)
{
	struct fb_info *info = devns_panel.info;

	lock_fb_info(info);
	info->var = *var;
	devns_panel_update_fix(info);
	unlock_fb_info(info);
}

void devns_panel_set_cmap(struct fb_cmap *cmap)
{
	struct fb_info *info = devns_panel.info;

	lock_fb_info(info);
	fb_set_cmap(cmap, info);
	unlock_fb_info(info);
}

void devns_panel_set_blank(int blank)
{
	WRITE_ONCE(devns_panel.blank, blank);
}

/* fb_ops: what a host tool reaches through /dev/fbN. */
static int devns_panel_check_var(struct fb_var_screeninfo *var, struct fb_info *info)
{
	return devns_fb_check_var(var);
}

static int devns_panel_set_par(struct fb_info *info)
{
	devns_panel_update_fix(info);
	return 0;
}

static int devns_panel_setcolreg(unsigned int regno, unsigned int red,
				 unsigned int green, unsigned int blue,
				 unsigned int transp, struct fb_info *info)
{
	if (regno >= DEVNS_CMAP_LEN)
		return 1;
	if (regno < ARRAY_SIZE(devns_panel_palette))
		devns_panel_palette[regno] = ((red >> 8) << 16) |
			((green >> 8) << 8) | (blue >> 8);
	return 0;
}

static int devns_panel_pan_display(struct fb_var_screeninfo *var, struct fb_info *info)
{
	if (var->vmode & FB_VMODE_YWRAP)
		return -EINVAL;
	if (var->xoffset > info->var.xres_virtual - info->var.xres ||
	    var->yoffset > info->var.yres_virtual - info->var.yres)
		return -EINVAL;
	return 0;
}

static int devns_panel_blank(int blank, struct fb_info *info)
{
	if (blank < FB_BLANK_UNBLANK || blank > FB_BLANK_POWERDOWN)
		return -EINVAL;
	devns_panel_set_blank(blank);
	return 0;
}

/*
 * fb_sys_write() copies from the user straight into the panel, and a failed
 * copy_from_user() pads with zeroes: a write from an unmapped buffer would
 * fail with EFAULT and blank part of the picture shown.  Copy through a
 * bounce buffer and store only what came (SPEC VFB-4 offsets and counts).
 */
static ssize_t devns_panel_write(struct fb_info *info, const char __user *buf,
				 size_t count, loff_t *ppos)
{
	unsigned long total = devns_panel.len;
	size_t done = 0, n;
	void *bounce;

	if (*ppos > total)
		return -EFBIG;
	if (!count)
		return 0;
	if (*ppos == total)
		return -ENOSPC;
	count = min_t(size_t, count, total - *ppos);
	bounce = kmalloc(min_t(size_t, count, PAGE_SIZE), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		n = min_t(size_t, count - done, PAGE_SIZE);
		if (copy_from_user(bounce, buf + done, n))
			break;
		if (devns_panel_hooks)
			devns_panel_hooks->store(*ppos + done, bounce, n);
		else
			memcpy(devns_panel.mem + *ppos + done, bounce, n);
		done += n;
	}
	kfree(bounce);
	*ppos += done;
	return done ? done : -EFAULT;
}

static int devns_panel_mmap(struct fb_info *info, struct vm_area_struct *vma)
{
	if (devns_panel_hooks)
		return devns_panel_hooks->mmap(vma);
	return remap_vmalloc_range(vma, devns_panel.mem, vma->vm_pgoff);
}

void devns_panel_set_scanout(void *mem)
{
	devns_panel.mem = mem;
	/* fb_sys_read() reads it without a lock; every region outlives the panel */
	WRITE_ONCE(devns_panel.info->screen_buffer, mem);
}

static const struct fb_ops devns_panel_ops = {
	.owner		= THIS_MODULE,
	.fb_read	= fb_sys_read,
	.fb_write	= devns_panel_write,
	.fb_check_var	= devns_panel_check_var,
	.fb_set_par	= devns_panel_set_par,
	.fb_setcolreg	= devns_panel_setcolreg,
	.fb_pan_display	= devns_panel_pan_display,
	.fb_blank	= devns_panel_blank,
	.fb_fillrect	= sys_fillrect,
	.fb_copyarea	= sys_copyarea,
	.fb_imageblit	= sys_imageblit,
	.fb_mmap	= devns_panel_mmap,
};

/* The sysfs "modes" list: one videomode per configured size. */
static int devns_panel_add_modes(struct fb_info *info)
{
	struct fb_var_screeninfo var;
	struct fb_videomode mode;
	unsigned int i;
	int ret;

	INIT_LIST_HEAD(&info->modelist);
	/* fb_add_videomode() prepends: add the last first, so sysfs lists them in order */
	for (i = devns_panel.nr_modes; i-- > 0; ) {
		devns_fb_default_var(&var);
		var.xres = devns_panel.xres[i];
		var.yres = devns_panel.yres[i];
		var.xres_virtual = var.xres;
		var.yres_virtual = var.yres;
		var.pixclock = (u32)div_u64(1000000000000ULL, (u64)var.xres * var.yres * 60);
		fb_var_to_videomode(&mode, &var);
		ret = fb_add_videomode(&mode, &info->modelist);
		if (ret)
			return ret;
	}
	return 0;
}

int devns_panel_init(unsigned int nr_regions, const struct devns_panel_hooks *hooks)
{
	unsigned long need = 0;
	struct fb_info *info;
	unsigned int i;
	int ret;
	bool several = nr_regions > 1;

	if (WARN_ON(!nr_regions || several != !!hooks))
		return -EINVAL;
	devns_panel_hooks = hooks;
	ret = devns_panel_parse_modes();
	if (ret) {
		pr_err("devns: bad panel_modes '%s'\n", panel_modes);
		return ret;
	}
	for (i = 0; i < devns_panel.nr_modes; i++)
		need = max(need, (unsigned long)devns_panel.xres[i] *
			   devns_panel.yres[i] * (DEVNS_FB_BPP / 8));
	if (panel_mem && panel_mem < need) {
		pr_err("devns: panel_mem %lu is smaller than the largest mode (%lu)\n",
		       panel_mem, need);
		return -EINVAL;
	}
	devns_panel.len = PAGE_ALIGN(panel_mem ? panel_mem : need);
	devns_panel.nr_regions = nr_regions;
	devns_panel.vram = vmalloc_user(devns_panel.len * nr_regions);
	if (!devns_panel.vram)
		return -ENOMEM;
	devns_panel.mem = devns_panel.vram;

	info = framebuffer_alloc(0, NULL);
	if (!info) {
		ret = -ENOMEM;
		goto err_mem;
	}
	devns_panel.info = info;
	info->fbops = &devns_panel_ops;
	info->flags = FBINFO_VIRTFB;
	info->screen_buffer = devns_panel.mem;
	info->screen_size = devns_panel.len;
	info->pseudo_palette = devns_panel_palette;
	strscpy(info->fix.id, DEVNS_PANEL_ID, sizeof(info->fix.id));
	info->fix.type = FB_TYPE_PACKED_PIXELS;
	info->fix.xpanstep = 1;
	info->fix.ypanstep = 1;
	info->fix.accel = FB_ACCEL_NONE;
	info->fix.smem_len = devns_panel.len;
	devns_fb_default_var(&info->var);
	devns_panel_update_fix(info);
	ret = fb_alloc_cmap(&info->cmap, DEVNS_CMAP_LEN, 1);
	if (ret)
		goto err_info;
	ret = devns_panel_add_modes(info);
	if (ret)
		goto err_cmap;
	ret = register_framebuffer(info);
	if (ret)
		goto err_modes;
	fb_info(info, "devns panel, %ux%u default, %lu KiB\n",
		info->var.xres, info->var.yres, devns_panel.len >> 10);
	return 0;

err_modes:
	fb_destroy_modelist(&info->modelist);
err_cmap:
	fb_dealloc_cmap(&info->cmap);
err_info:
	framebuffer_release(info);
err_mem:
	vfree(devns_panel.vram);
	return ret;
}

void devns_panel_exit(void)
{
	struct fb_info *info = devns_panel.info;

	unregister_framebuffer(info);
	fb_destroy_modelist(&info->modelist);
	fb_dealloc_cmap(&info->cmap);
	framebuffer_release(info);
	vfree(devns_panel.vram);
}
