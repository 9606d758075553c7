// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual framebuffer: /dev/vfb0 speaks the fbdev uAPI for the dev_ns
 * of whoever opened it.  Each namespace's vfb state (var, cmap, blank,
 * contents) is a devns subsystem state.  The active namespace's state is
 * on the panel: its reads, writes and page faults reach the panel memory;
 * a passive one's reach its backing buffer.
 *
 * Locking: devns_vfb_sem is taken for writing by a switch (activate and
 * deactivate, called by the core under devns_lock) and for reading by every
 * read, write, ioctl and page fault, so none of them ever sees a half-done
 * switch.  A fault installs its PTE before it drops the read lock; a switch
 * zaps the PTEs of both namespaces before it copies, so no user store can
 * land on memory that is being saved or restored.  read() and write() copy
 * through a bounce buffer outside the lock, so a user buffer that is itself
 * a vfb mapping cannot fault while the lock is held.  st->lock serializes
 * configuration changes of one state.  Order: devns_lock, devns_vfb_sem,
 * st->lock, the panel's fb_info lock.
 *
 * Lifetime: every open file (vfb files and the host's views) and every
 * mapping holds a reference on the namespace; the state lives as long as
 * the namespace object.
 *
 * Damage (devns_damage.c): the state's mappings have a page_mkwrite handler,
 * so each page's first store after it was mapped reports the page; write()
 * reports its bytes, and configuration changes and switches report the
 * whole picture, to the host's damage views of that namespace.
 *
 * Switch strategies (module parameter vfb_switch): "copy" saves the panel
 * into the old state's backing buffer and loads the new one's onto it.
 * "zerocopy" gives each state a region of the panel's video memory as its
 * storage (region 0 belongs to nobody and is black) and moves the scanout
 * to the new state's region under the same lock.  A state's mappings keep
 * pointing at its own region, which is what they must reach whether it is
 * shown or not, so they are not zapped; only the host's own mappings of the
 * panel (devns_vfb_panel_mmap()), which live in one more address space,
 * are zapped at every move and refault to the scanout.
 * The region bitmap is under devns_lock (create and destroy run under it).
 */
#include <linux/anon_inodes.h>
#include <linux/bitmap.h>
#include <linux/fb.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/poll.h>
#include <linux/pseudo_fs.h>
#include <linux/rwsem.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "uapi/devns.h"
#include "devns_compat.h"
#include "devns_damage.h"
#include "devns_panel.h"
#include "devns_subsys.h"
#include "devns_vfb.h"

#define DEVNS_VFB_FS_MAGIC	0x64766662	/* "dvfb" */
#define DEVNS_VFB_CHUNK		PAGE_SIZE
#define DEVNS_VFB_MAX_SLOTS	64

static char *vfb_switch = "copy";
module_param(vfb_switch, charp, 0444);
MODULE_PARM_DESC(vfb_switch, "Switch strategy: copy (save and restore the picture, default) or zerocopy (move the scanout)");

static unsigned int vfb_slots = 8;
module_param(vfb_slots, uint, 0444);
MODULE_PARM_DESC(vfb_slots, "zerocopy: namespaces with a vfb state at once (1..64, default 8)");

struct devns_vfb {
	struct devns *dns;
	struct inode *inode;		/* its own address space: the mappings */
	void *buf;			/* backing buffer or region, devns_panel.len bytes */
	unsigned int region;		/* zero-copy: its region of the panel (>= 1) */
	struct mutex lock;		/* var, cmap, blank */
	struct fb_var_screeninfo var;
	u16 red[DEVNS_CMAP_LEN], green[DEVNS_CMAP_LEN];
	u16 blue[DEVNS_CMAP_LEN], transp[DEVNS_CMAP_LEN];
	int blank;
	struct devns_damage damage;	/* for the host's damage views; its death */
};

/* A host view's file: a state and, for a damage view, its pending damage. */
struct devns_vfb_viewer {
	struct devns_vfb *st;
	struct devns_damage_view *damage;	/* or NULL */
};

static DECLARE_RWSEM(devns_vfb_sem);
static struct devns_vfb *devns_vfb_active;	/* on the panel, or NULL */
static struct vfsmount *devns_vfb_mnt;
static int devns_vfb_mnt_count;
static const struct devns_vfb_strategy *devns_vfb_strategy;
/* zero-copy: regions in use (bit 0, nobody's, always); under devns_lock */
static DECLARE_BITMAP(devns_vfb_regions, DEVNS_VFB_MAX_SLOTS + 1);
/* zero-copy: the address space of the host's panel mappings */
static struct inode *devns_vfb_panel_inode;
/* zero-copy: the host wrote to region 0 since it was last zeroed */
static bool devns_vfb_nobody_dirty;

static int devns_vfb_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, DEVNS_VFB_FS_MAGIC) ? 0 : -ENOMEM;
}

/*
 * Never registered, only mounted internally for the module's lifetime: no
 * .owner, or the mount would pin the module and rmmod could never succeed.
 */
static struct file_system_type devns_vfb_fs_type = {
	.name = "devns_vfb",
	.init_fs_context = devns_vfb_init_fs_context,
	.kill_sb = kill_anon_super,
};

static u16 *devns_vfb_cmap_array(struct devns_vfb *st, int i)
{
	u16 *own[4] = { st->red, st->green, st->blue, st->transp };

	return own[i];
}

static void devns_vfb_cmap(struct devns_vfb *st, struct fb_cmap *cmap)
{
	cmap->start = 0;
	cmap->len = DEVNS_CMAP_LEN;
	cmap->red = devns_vfb_cmap_array(st, 0);
	cmap->green = devns_vfb_cmap_array(st, 1);
	cmap->blue = devns_vfb_cmap_array(st, 2);
	cmap->transp = devns_vfb_cmap_array(st, 3);
}

/*
 * A switch strategy (module parameter vfb_switch): where a state's pixels
 * live and how a switch puts them on the panel and takes them off.
 * alloc() and free() run under the core mutex; base() under devns_vfb_sem,
 * show() and hide() under it for writing, hide() after the state stopped
 * being devns_vfb_active and show() before it becomes it.
 */
struct devns_vfb_strategy {
	const char *name;
	int (*alloc)(struct devns_vfb *st);	/* its storage */
	void (*free)(struct devns_vfb *st);
	void *(*base)(struct devns_vfb *st);	/* where its pixels are now */
	void (*show)(struct devns_vfb *st);	/* put them on the panel */
	/* take them off; @blank: nothing is shown next (else show() follows) */
	void (*hide)(struct devns_vfb *st, bool blank);
	unsigned int (*nr_regions)(void);	/* of the panel's video memory */
	const struct devns_panel_hooks *panel_hooks;
};

/* Where @st's pixels are now. */
static void *devns_vfb_base(struct devns_vfb *st)
{
	lockdep_assert_held(&devns_vfb_sem);
	return devns_vfb_strategy->base(st);
}

static void devns_vfb_switch_lock(void)
{
	down_write(&devns_vfb_sem);
}

static void devns_vfb_switch_unlock(void)
{
	up_write(&devns_vfb_sem);
}

/* Put @st's configuration on the panel. */
static void devns_vfb_apply(struct devns_vfb *st)
{
	struct fb_cmap cmap;

	lockdep_assert_held_write(&devns_vfb_sem);

	devns_panel_set_var(&st->var);
	devns_vfb_cmap(st, &cmap);
	devns_panel_set_cmap(&cmap);
	devns_panel_set_blank(st->blank);
}

/*
 * Blank a whole frame with 8-byte stores: memset() is rep stosb on Debian
 * 6.1, which TCG runs a byte at a time; this made the copy switch 3x slower
 * than its two copies (results/bench/experiments/memset64/).
 */
static void devns_vfb_clear_frame(void *dst)
{
	memset64(dst, 0, devns_panel.len / sizeof(u64));
}

/*
 * Zero-copy: show @mem, a region, and send the host's panel mappings there.
 * Region 0 is zeroed when it is shown again after the host drew on it.
 */
static void devns_vfb_scanout(void *mem)
{
	lockdep_assert_held_write(&devns_vfb_sem);
	devns_panel_set_scanout(mem);
	unmap_mapping_range(devns_vfb_panel_inode->i_mapping, 0, 0, 0);
	if (mem == devns_panel_region(0) && READ_ONCE(devns_vfb_nobody_dirty)) {
		devns_vfb_clear_frame(mem);
		WRITE_ONCE(devns_vfb_nobody_dirty, false);
	}
}

/*
 * Copy strategy: a whole frame (devns_panel.len is a multiple of PAGE_SIZE)
 * page by page with the kernel's page copy, which needs no alignment or
 * length handling; under QEMU TCG it is also 7x faster than Debian 6.1's
 * memcpy (rep movsb, emulated byte by byte; bench/fb/switch).
 */
static void devns_vfb_copy_frame(void *dst, void *src)
{
	unsigned long off;

	for (off = 0; off < devns_panel.len; off += PAGE_SIZE)
		copy_page(dst + off, src + off);
}

/*
 * The copy strategy: each state has a backing buffer; the active one's
 * pixels are the panel's (pass-through), so a switch zaps its mappings and
 * saves and restores whole frames.
 */
static int devns_vfb_copy_alloc(struct devns_vfb *st)
{
	st->buf = vmalloc_user(devns_panel.len);
	return st->buf ? 0 : -ENOMEM;
}

static void devns_vfb_copy_free(struct devns_vfb *st)
{
	vfree(st->buf);
}

static void *devns_vfb_copy_base(struct devns_vfb *st)
{
	if (devns_vfb_active == st)
		return devns_panel.mem;
	return st->buf;
}

/* Its mappings go to where its pixels are about to be. */
static void devns_vfb_copy_zap(struct devns_vfb *st)
{
	unmap_mapping_range(st->inode->i_mapping, 0, 0, 1);
}

static void devns_vfb_copy_show(struct devns_vfb *st)
{
	devns_vfb_copy_zap(st);
	devns_vfb_copy_frame(devns_panel.mem, devns_vfb_copy_base(st));
}

/*
 * The panel goes black only if nothing is shown next: between two states
 * the next show() overwrites every pixel, and the switch is then the two
 * frame copies of its limit (the blank was a third pass, 1.2x the limit
 * at 1080p; bench/fb/switch).
 */
static void devns_vfb_copy_hide(struct devns_vfb *st, bool blank)
{
	devns_vfb_copy_zap(st);
	devns_vfb_copy_frame(devns_vfb_copy_base(st), devns_panel.mem);
	if (blank)
		devns_vfb_clear_frame(devns_panel.mem);
}

static unsigned int devns_vfb_copy_regions(void)
{
	return 1;
}

/*
 * The zero-copy strategy: each state owns a region of the panel's video
 * memory, and a switch only moves the scanout.  A state's pixels never move,
 * so its mappings stay valid and are never zapped: a switch costs the same
 * at any display size and with any number of mapping processes
 * (bench/fb/switch measured 4x from 640x480 to 4K when they were zapped).
 */
static int devns_vfb_zc_alloc(struct devns_vfb *st)
{
	unsigned int r;

	devns_assert_held();	/* the region bitmap */
	r = find_first_zero_bit(devns_vfb_regions, vfb_slots + 1);
	if (r > vfb_slots)
		return -ENOSPC;
	__set_bit(r, devns_vfb_regions);
	st->region = r;
	st->buf = devns_panel_region(r);
	return 0;
}

/* A region goes back black (SPEC VFB-1). */
static void devns_vfb_zc_free(struct devns_vfb *st)
{
	devns_assert_held();	/* the region bitmap */
	if (!st->buf)
		return;
	devns_vfb_clear_frame(st->buf);
	__clear_bit(st->region, devns_vfb_regions);
}

static void *devns_vfb_zc_base(struct devns_vfb *st)
{
	return st->buf;
}

static void devns_vfb_zc_show(struct devns_vfb *st)
{
	devns_vfb_scanout(st->buf);
}

static void devns_vfb_zc_hide(struct devns_vfb *st, bool blank)
{
	if (blank)
		devns_vfb_scanout(devns_panel_region(0));
}

/* Region 0 belongs to nobody and is black. */
static unsigned int devns_vfb_zc_regions(void)
{
	return vfb_slots + 1;
}

/*
 * Subsystem callbacks: the core mutex is held.  One switch, from state
 * @from to state @to (either may be NULL), under the switch lock for its
 * whole length: nobody sees the panel between the two.
 */
static void devns_vfb_switch_states(void *from, void *to)
{
	struct devns_vfb *old = from, *new = to;

	devns_assert_held();
	devns_vfb_switch_lock();
	if (old && devns_vfb_active == old) {
		devns_vfb_active = NULL;
		devns_vfb_strategy->hide(old, !new);
		devns_damage_flags(&old->damage, DEVNS_DAMAGE_FULL | DEVNS_DAMAGE_SWITCH);
	}
	if (new) {
		devns_vfb_strategy->show(new);
		devns_vfb_apply(new);
		devns_vfb_active = new;
	}
	devns_vfb_switch_unlock();
	if (new)
		devns_damage_flags(&new->damage, DEVNS_DAMAGE_FULL | DEVNS_DAMAGE_SWITCH);
}

/* A new state of the active namespace, and an active state's end. */
static void devns_vfb_activate(struct devns *dns, void *state)
{
	devns_vfb_switch_states(NULL, state);
}

static void devns_vfb_deactivate(struct devns *dns, void *state)
{
	devns_vfb_switch_states(state, NULL);
}

/* Runs before the fallback switch away from a dead active namespace. */
static void devns_vfb_dead(struct devns *dns, void *state)
{
	struct devns_vfb *st = state;

	devns_assert_held();
	devns_damage_kill(&st->damage);
}

/* A new state's mode, cmap and blank level. */
static void devns_vfb_defaults(struct devns_vfb *st)
{
	struct fb_cmap cmap;
	int i;

	devns_fb_default_var(&st->var);
	devns_vfb_cmap(st, &cmap);
	for (i = 0; i < DEVNS_CMAP_LEN; i++) {
		cmap.red[i] = i * 0x0101;
		cmap.green[i] = i * 0x0101;
		cmap.blue[i] = i * 0x0101;
		cmap.transp[i] = 0;
	}
	st->blank = 0;
}

static void *devns_vfb_create(struct devns *dns)
{
	struct devns_vfb *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int ret;

	if (!st)
		return ERR_PTR(-ENOMEM);
	st->dns = dns;
	mutex_init(&st->lock);
	devns_vfb_defaults(st);
	ret = devns_damage_init(&st->damage, devns_panel.len >> PAGE_SHIFT);
	if (ret)
		goto err;
	ret = devns_vfb_strategy->alloc(st);
	if (ret)
		goto err;
	st->inode = alloc_anon_inode(devns_vfb_mnt->mnt_sb);
	if (IS_ERR(st->inode)) {
		st->inode = NULL;
		ret = -ENOMEM;
		goto err;
	}
	return st;
err:
	devns_vfb_strategy->free(st);
	devns_damage_release(&st->damage);
	kfree(st);
	return ERR_PTR(ret);
}

static void devns_vfb_destroy(struct devns *dns, void *state)
{
	struct devns_vfb *st = state;

	iput(st->inode);
	devns_vfb_strategy->free(st);
	devns_damage_release(&st->damage);
	kfree(st);
}

/* " vfb <xres>x<yres>" on the namespace's /proc/devns line. */
static void devns_vfb_show_state(struct seq_file *m, void *state)
{
	struct devns_vfb *st = state;

	devns_assert_held();
	mutex_lock(&st->lock);
	seq_printf(m, " vfb %ux%u", st->var.xres, st->var.yres);
	mutex_unlock(&st->lock);
}

static struct devns_subsys devns_vfb_subsys = {
	.name = "vfb",
	.create = devns_vfb_create,
	.destroy = devns_vfb_destroy,
	.activate = devns_vfb_activate,
	.deactivate = devns_vfb_deactivate,
	.switch_states = devns_vfb_switch_states,
	.dead = devns_vfb_dead,
	.show = devns_vfb_show_state,
};

/* The state a file works on: its opener's (SPEC VFB-7). */
static struct devns_vfb *devns_vfb_file(struct file *file)
{
	return file->private_data;
}

/* mmap: faults resolve to the state's current location. */
static void devns_vfb_vm_open(struct vm_area_struct *vma)
{
	struct devns_vfb *st = vma->vm_private_data;

	devns_get(st->dns);
}

static void devns_vfb_vm_close(struct vm_area_struct *vma)
{
	struct devns_vfb *st = vma->vm_private_data;

	devns_put(st->dns);
}

/*
 * What a mapping reaches: its state's pixels, or for a host mapping of the
 * panel (zero-copy, no state) the scanout.
 */
static void *devns_vfb_map_base(struct vm_area_struct *vma)
{
	struct devns_vfb *st = vma->vm_private_data;

	lockdep_assert_held(&devns_vfb_sem);

	if (st)
		return devns_vfb_base(st);
	if (devns_panel.mem == devns_panel_region(0))
		WRITE_ONCE(devns_vfb_nobody_dirty, true);
	return devns_panel.mem;
}

static vm_fault_t devns_vfb_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long off = vmf->pgoff << PAGE_SHIFT;
	struct page *page;
	int ret;

	if (vmf->pgoff >= devns_panel.len >> PAGE_SHIFT)
		return VM_FAULT_SIGBUS;
	down_read(&devns_vfb_sem);
	page = vmalloc_to_page(devns_vfb_map_base(vma) + off);
	ret = vm_insert_page(vma, vmf->address, page);
	up_read(&devns_vfb_sem);
	if (!ret || ret == -EBUSY)	/* -EBUSY: a racing fault mapped it */
		return VM_FAULT_NOPAGE;
	return ret == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
}

/*
 * The first store to a page since it was mapped (the kernel maps the pages
 * of a VMA with page_mkwrite read-only): report it before the PTE becomes
 * writable.  The page stays locked until then (VM_FAULT_LOCKED): these
 * pages have no address space, and without the lock the fault core would
 * retry the fault forever.
 */
static vm_fault_t devns_vfb_mkwrite(struct vm_fault *vmf)
{
	struct devns_vfb *st = vmf->vma->vm_private_data;

	lock_page(vmf->page);
	devns_damage_store(&st->damage, vmf->pgoff);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct devns_vfb_vm_ops = {
	.open = devns_vfb_vm_open,
	.close = devns_vfb_vm_close,
	.fault = devns_vfb_fault,
	.page_mkwrite = devns_vfb_mkwrite,
};

/* The host's panel mappings (zero-copy): no state, no reference. */
static const struct vm_operations_struct devns_vfb_panel_vm_ops = {
	.fault = devns_vfb_fault,
};

/* Check @vma's range against smem_len and make it a faulting mapping. */
static int devns_vfb_vma_init(struct vm_area_struct *vma,
			      const struct vm_operations_struct *ops, void *data)
{
	unsigned long pages = devns_panel.len >> PAGE_SHIFT;

	if (vma->vm_pgoff >= pages || vma_pages(vma) > pages - vma->vm_pgoff)
		return -EINVAL;
	devns_vm_flags_set(vma, VM_MIXEDMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = ops;
	vma->vm_private_data = data;
	return 0;
}

/* Make @vma a mapping of @st's pixels; it holds the namespace. */
static int devns_vfb_map_state(struct devns_vfb *st, struct vm_area_struct *vma)
{
	int ret = devns_vfb_vma_init(vma, &devns_vfb_vm_ops, st);

	if (ret)
		return ret;
	devns_get(st->dns);
	return 0;
}

static int devns_vfb_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	return devns_vfb_map_state(devns_vfb_file(file), vma);
}

/*
 * The file a host panel mapping holds instead of the fbdev's: its mapping
 * is devns_vfb_panel_inode's, so one unmap_mapping_range() reaches every
 * panel mapping.  It pins the module (fops->owner, put by its last fput).
 */
static const struct file_operations devns_vfb_panel_fops = {
	.owner = THIS_MODULE,
};

/*
 * Zero-copy switch only: the host's view of the panel.  A mapping of the
 * panel follows the scanout (its PTEs are zapped when the scanout moves);
 * a write() stores into the scanout under the switch lock.
 *
 * The panel's fb_mmap (under the fb_info's mm_lock).
 */
static int devns_vfb_panel_mmap(struct vm_area_struct *vma)
{
	struct file *file;
	int ret;

	ret = devns_vfb_vma_init(vma, &devns_vfb_panel_vm_ops, NULL);
	if (ret)
		return ret;
	/* the reference alloc_file_pseudo()'s fops->owner expects; we run in a panel call */
	__module_get(THIS_MODULE);
	ihold(devns_vfb_panel_inode);
	file = alloc_file_pseudo(devns_vfb_panel_inode, devns_vfb_mnt, "devns-panel",
				 O_RDWR, &devns_vfb_panel_fops);
	if (IS_ERR(file)) {
		iput(devns_vfb_panel_inode);
		module_put(THIS_MODULE);
		return PTR_ERR(file);
	}
	/* before the VMA is linked: it goes into this file's address space */
	vma_set_file(vma, file);
	fput(file);
	return 0;
}

/* The panel's write(): into the scanout, never into a region it left. */
static void devns_vfb_panel_store(loff_t pos, const void *src, size_t n)
{
	down_read(&devns_vfb_sem);
	if (devns_panel.mem == devns_panel_region(0))
		WRITE_ONCE(devns_vfb_nobody_dirty, true);
	memcpy(devns_panel.mem + pos, src, n);
	up_read(&devns_vfb_sem);
}

static const struct devns_panel_hooks devns_vfb_panel_hooks = {
	.mmap = devns_vfb_panel_mmap,
	.store = devns_vfb_panel_store,
};

static int devns_vfb_open(struct inode *inode, struct file *file)
{
	struct devns *dns = devns_get_current();
	struct devns_vfb *st;

	if (IS_ERR(dns))
		return PTR_ERR(dns);
	st = devns_subsys_state(dns, &devns_vfb_subsys);
	if (IS_ERR(st)) {
		devns_put(dns);
		return PTR_ERR(st);
	}
	file->private_data = st;
	file->f_mapping = st->inode->i_mapping;
	return 0;
}

static int devns_vfb_release(struct inode *inode, struct file *file)
{
	struct devns_vfb *st = file->private_data;

	devns_put(st->dns);
	return 0;
}

static loff_t devns_vfb_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, devns_panel.len);
}

/* A passive namespace writing straight to the panel (a defect). */
static void *devns_vfb_write_base(struct devns_vfb *st)
{
	return devns_vfb_base(st);
}

/*
 * read() and write(): @count bytes (already clipped to the buffer) between
 * @ubuf and offset *@ppos of @st's pixels, through a bounce buffer so that
 * user memory is never touched under devns_vfb_sem, one chunk per lock.
 */
static ssize_t devns_vfb_copy(struct devns_vfb *st, char __user *ubuf,
			      size_t count, loff_t *ppos, bool to_user)
{
	size_t done = 0, n;
	void *bounce;

	bounce = kmalloc(min_t(size_t, count, DEVNS_VFB_CHUNK), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (done < count) {
		n = min_t(size_t, count - done, DEVNS_VFB_CHUNK);
		if (!to_user && copy_from_user(bounce, ubuf + done, n))
			break;
		down_read(&devns_vfb_sem);
		if (to_user) {
			memcpy(bounce, devns_vfb_base(st) + *ppos, n);
		} else {
			memcpy(devns_vfb_write_base(st) + *ppos, bounce, n);
			devns_damage_bytes(&st->damage, *ppos, n);	/* after the copy */
		}
		up_read(&devns_vfb_sem);
		if (to_user && copy_to_user(ubuf + done, bounce, n))
			break;
		done += n;
		*ppos += n;
	}
	kfree(bounce);
	return done ? done : -EFAULT;
}

static ssize_t devns_vfb_read_state(struct devns_vfb *st, char __user *buf, size_t count,
				    loff_t *ppos)
{
	if (*ppos < 0)
		return -EINVAL;
	if (*ppos >= devns_panel.len || !count)
		return 0;
	count = min_t(size_t, count, devns_panel.len - *ppos);
	return devns_vfb_copy(st, buf, count, ppos, true);
}

static ssize_t devns_vfb_read(struct file *file, char __user *buf, size_t count,
			      loff_t *ppos)
{
	return devns_vfb_read_state(devns_vfb_file(file), buf, count, ppos);
}

static ssize_t devns_vfb_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	if (*ppos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	if (*ppos > devns_panel.len)
		return -EFBIG;
	if (*ppos == devns_panel.len)
		return -ENOSPC;
	count = min_t(size_t, count, devns_panel.len - *ppos);
	return devns_vfb_copy(devns_vfb_file(file), (char __user *)buf, count, ppos, false);
}

static __poll_t devns_vfb_poll(struct file *file, poll_table *wait)
{
	return EPOLLIN | EPOLLRDNORM | EPOLLOUT | EPOLLWRNORM;
}

static void devns_vfb_fix(struct devns_vfb *st, struct fb_fix_screeninfo *fix)
{
	memset(fix, 0, sizeof(*fix));
	strscpy(fix->id, DEVNS_VFB_ID, sizeof(fix->id));
	fix->smem_len = devns_panel.len;
	fix->type = FB_TYPE_PACKED_PIXELS;
	fix->visual = FB_VISUAL_TRUECOLOR;
	fix->xpanstep = 1;
	fix->ypanstep = 1;
	fix->line_length = devns_fb_line_length(&st->var);
	fix->accel = FB_ACCEL_NONE;
}

/*
 * Store a new var (already checked) and, if @st is on the panel, show it;
 * @damage: what its views are told (DEVNS_DAMAGE_*).
 */
static void devns_vfb_store_var(struct devns_vfb *st, const struct fb_var_screeninfo *var,
				u32 damage)
{
	down_read(&devns_vfb_sem);
	mutex_lock(&st->lock);
	st->var = *var;
	if (devns_vfb_active == st)
		devns_panel_set_var(&st->var);
	mutex_unlock(&st->lock);
	up_read(&devns_vfb_sem);
	devns_damage_flags(&st->damage, damage);
}

static int devns_vfb_put_var(struct devns_vfb *st, void __user *argp)
{
	struct fb_var_screeninfo var;
	int ret;

	if (copy_from_user(&var, argp, sizeof(var)))
		return -EFAULT;
	ret = devns_fb_check_var(&var);
	if (ret)
		return ret;
	if ((var.activate & FB_ACTIVATE_MASK) != FB_ACTIVATE_TEST)
		devns_vfb_store_var(st, &var, DEVNS_DAMAGE_FULL | DEVNS_DAMAGE_MODE);
	return copy_to_user(argp, &var, sizeof(var)) ? -EFAULT : 0;
}

static int devns_vfb_pan(struct devns_vfb *st, void __user *argp)
{
	struct fb_var_screeninfo var, cur;
	bool fits;

	if (copy_from_user(&var, argp, sizeof(var)))
		return -EFAULT;
	mutex_lock(&st->lock);
	cur = st->var;
	mutex_unlock(&st->lock);
	fits = var.xoffset <= cur.xres_virtual - cur.xres &&
	       var.yoffset <= cur.yres_virtual - cur.yres;
	if (var.vmode & FB_VMODE_YWRAP)
		return -EINVAL;
	if (!fits)
		return -EINVAL;
	cur.xoffset = var.xoffset;
	cur.yoffset = var.yoffset;
	devns_vfb_store_var(st, &cur, DEVNS_DAMAGE_FULL);
	return 0;
}

/*
 * The user's FBIOGETCMAP/FBIOPUTCMAP request, range-checked (SPEC VFB-5):
 * start + len computed without overflow.
 */
static int devns_vfb_cmap_request(void __user *argp, struct fb_cmap_user *uc, bool put)
{
	u32 room;

	if (copy_from_user(uc, argp, sizeof(*uc)))
		return -EFAULT;
	if (!uc->len || uc->start >= DEVNS_CMAP_LEN)
		return -EINVAL;
	room = DEVNS_CMAP_LEN - uc->start;
	return uc->len > room ? -EINVAL : 0;
}

static int devns_vfb_get_cmap(struct devns_vfb *st, void __user *argp)
{
	u16 (*v)[DEVNS_CMAP_LEN];
	struct fb_cmap_user uc;
	struct fb_cmap cmap;
	size_t n;
	int ret = 0;

	ret = devns_vfb_cmap_request(argp, &uc, false);
	if (ret)
		return ret;
	n = uc.len * sizeof(u16);
	v = kcalloc(4, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	/*
	 * Copy out after the unlock: a user buffer in a vfb mapping faults
	 * under mmap_lock into devns_vfb_sem, which is taken before st->lock
	 * (lockdep on the debug kernel found the copy under st->lock).
	 */
	mutex_lock(&st->lock);
	devns_vfb_cmap(st, &cmap);
	memcpy(v[0], cmap.red + uc.start, n);
	memcpy(v[1], cmap.green + uc.start, n);
	memcpy(v[2], cmap.blue + uc.start, n);
	memcpy(v[3], cmap.transp + uc.start, n);
	mutex_unlock(&st->lock);
	if (copy_to_user(uc.red, v[0], n) || copy_to_user(uc.green, v[1], n) ||
	    copy_to_user(uc.blue, v[2], n) ||
	    (uc.transp && copy_to_user(uc.transp, v[3], n)))
		ret = -EFAULT;
	kfree(v);
	return ret;
}

static int devns_vfb_put_cmap(struct devns_vfb *st, void __user *argp)
{
	u16 (*v)[DEVNS_CMAP_LEN];
	struct fb_cmap_user uc;
	struct fb_cmap cmap;
	size_t n;
	int i, ret = 0;

	ret = devns_vfb_cmap_request(argp, &uc, true);
	if (ret)
		return ret;
	n = uc.len * sizeof(u16);
	v = kcalloc(4, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	if (copy_from_user(v[0], uc.red, n) || copy_from_user(v[1], uc.green, n) ||
	    copy_from_user(v[2], uc.blue, n) ||
	    (uc.transp && copy_from_user(v[3], uc.transp, n))) {
		ret = -EFAULT;
		goto out;
	}
	down_read(&devns_vfb_sem);
	mutex_lock(&st->lock);
	devns_vfb_cmap(st, &cmap);
	for (i = 0; i < 4; i++) {
		u16 *dst = devns_vfb_cmap_array(st, i);

		if (i < 3 || uc.transp)
			memcpy(dst + uc.start, v[i], n);
	}
	if (devns_vfb_active == st)
		devns_panel_set_cmap(&cmap);
	mutex_unlock(&st->lock);
	up_read(&devns_vfb_sem);
	devns_damage_flags(&st->damage, DEVNS_DAMAGE_FULL);
out:
	kfree(v);
	return ret;
}

static int devns_vfb_set_blank(struct devns_vfb *st, unsigned long level)
{
	if (level > FB_BLANK_POWERDOWN)
		return -EINVAL;
	down_read(&devns_vfb_sem);
	mutex_lock(&st->lock);
	st->blank = (int)level;
	if (devns_vfb_active == st)
		devns_panel_set_blank(st->blank);
	mutex_unlock(&st->lock);
	up_read(&devns_vfb_sem);
	devns_damage_flags(&st->damage, DEVNS_DAMAGE_FULL);
	return 0;
}

static int devns_vfb_wait_vsync(void __user *argp)
{
	u32 crtc;

	if (get_user(crtc, (u32 __user *)argp))
		return -EFAULT;
	return crtc ? -EINVAL : 0;
}

/* FBIOGET_VSCREENINFO and FBIOGET_FSCREENINFO, for vfb files and views. */
static int devns_vfb_get_info(struct devns_vfb *st, unsigned int cmd, void __user *argp)
{
	struct fb_fix_screeninfo fix;
	struct fb_var_screeninfo var;

	if (cmd == FBIOGET_VSCREENINFO) {
		mutex_lock(&st->lock);
		var = st->var;
		mutex_unlock(&st->lock);
		return copy_to_user(argp, &var, sizeof(var)) ? -EFAULT : 0;
	}
	mutex_lock(&st->lock);
	devns_vfb_fix(st, &fix);
	mutex_unlock(&st->lock);
	return copy_to_user(argp, &fix, sizeof(fix)) ? -EFAULT : 0;
}

static long devns_vfb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct devns_vfb *st = devns_vfb_file(file);
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case FBIOGET_VSCREENINFO:
	case FBIOGET_FSCREENINFO:
		return devns_vfb_get_info(st, cmd, argp);
	case FBIOPUT_VSCREENINFO:
		return devns_vfb_put_var(st, argp);
	case FBIOGETCMAP:
		return devns_vfb_get_cmap(st, argp);
	case FBIOPUTCMAP:
		return devns_vfb_put_cmap(st, argp);
	case FBIOPAN_DISPLAY:
		return devns_vfb_pan(st, argp);
	case FBIOBLANK:
		return devns_vfb_set_blank(st, arg);
	case FBIO_WAITFORVSYNC:
		return devns_vfb_wait_vsync(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations devns_vfb_fops = {
	.owner = THIS_MODULE,
	.open = devns_vfb_open,
	.release = devns_vfb_release,
	.llseek = devns_vfb_llseek,
	.read = devns_vfb_read,
	.write = devns_vfb_write,
	.poll = devns_vfb_poll,
	.mmap = devns_vfb_mmap,
	.unlocked_ioctl = devns_vfb_ioctl,
};

static struct miscdevice devns_vfb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = DEVNS_VFB_NAME,
	.fops = &devns_vfb_fops,
	.mode = 0666,
};

/*
 * The host's view: a read-only file on any namespace's state, active or
 * passive, that reads what that namespace would read.  It holds a reference
 * on the namespace like an open vfb file; once the namespace died it reads
 * as end of file and polls as hung up.  A damage view also tracks what
 * changed (devns_damage.c): poll() reports EPOLLIN while there is some.
 */
static struct devns_vfb_viewer *devns_vfb_viewer(struct file *file)
{
	return file->private_data;
}

static ssize_t devns_vfb_view_read(struct file *file, char __user *buf, size_t count,
				   loff_t *ppos)
{
	struct devns_vfb *st = devns_vfb_viewer(file)->st;

	if (devns_damage_dead(&st->damage))
		return 0;
	return devns_vfb_read_state(st, buf, count, ppos);
}

static __poll_t devns_vfb_view_poll(struct file *file, poll_table *wait)
{
	struct devns_vfb_viewer *vv = devns_vfb_viewer(file);
	struct devns_damage *dmg = &vv->st->damage;
	__poll_t mask = devns_damage_poll(dmg, vv->damage, file, wait);

	/* a damage view: while it has damage; any other: while it reads pixels */
	if (!vv->damage && !devns_damage_dead(dmg))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (devns_damage_dead(dmg))
		mask |= EPOLLHUP;
	return mask;
}

/*
 * A view's mapping reaches what its namespace's own mappings reach and is
 * zapped with them at a switch (the view file shares the state's address
 * space).  The file is read-only, so the VFS has refused PROT_WRITE and
 * taken VM_MAYWRITE (and VM_SHARED) away: only VM_MAYSHARE says MAP_SHARED.
 */
static int devns_vfb_view_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	return devns_vfb_map_state(devns_vfb_viewer(file)->st, vma);
}

static long devns_vfb_view_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct devns_vfb_viewer *vv = devns_vfb_viewer(file);

	switch (cmd) {
	case FBIOGET_VSCREENINFO:
	case FBIOGET_FSCREENINFO:
		return devns_vfb_get_info(vv->st, cmd, (void __user *)arg);
	case DEVNS_VFB_IOC_DAMAGE:
		if (!vv->damage)
			return -EINVAL;
		return devns_damage_fetch(vv->damage, vv->st->inode->i_mapping,
					  (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static void devns_vfb_viewer_free(struct devns_vfb_viewer *vv)
{
	if (vv->damage)
		devns_damage_detach(vv->damage);
	devns_put(vv->st->dns);
	kfree(vv);
}

static int devns_vfb_view_release(struct inode *inode, struct file *file)
{
	devns_vfb_viewer_free(devns_vfb_viewer(file));
	return 0;
}

static const struct file_operations devns_vfb_view_fops = {
	.owner = THIS_MODULE,
	.release = devns_vfb_view_release,
	.llseek = devns_vfb_llseek,
	.read = devns_vfb_view_read,
	.poll = devns_vfb_view_poll,
	.mmap = devns_vfb_view_mmap,
	.unlocked_ioctl = devns_vfb_view_ioctl,
};

/* A viewer of @dns's state; it takes over the caller's reference on @dns. */
static struct devns_vfb_viewer *devns_vfb_viewer_new(struct devns *dns, bool damage)
{
	struct devns_vfb_viewer *vv;
	struct devns_vfb *st;
	int ret;

	st = devns_subsys_state(dns, &devns_vfb_subsys);
	if (IS_ERR(st)) {
		ret = PTR_ERR(st);
		goto err_put;
	}
	vv = kzalloc(sizeof(*vv), GFP_KERNEL);
	if (!vv) {
		ret = -ENOMEM;
		goto err_put;
	}
	vv->st = st;
	if (damage) {
		vv->damage = devns_damage_attach(&st->damage, st->inode->i_mapping);
		if (IS_ERR(vv->damage)) {
			ret = PTR_ERR(vv->damage);
			kfree(vv);
			goto err_put;
		}
	}
	return vv;

err_put:
	devns_put(dns);
	return ERR_PTR(ret);
}

int devns_vfb_view_fd(const struct devns_vfb_view *req)
{
	struct devns_vfb_viewer *vv;
	struct devns *dns;
	struct file *file;
	int fd;

	if (req->flags & ~(DEVNS_VIEW_CLOEXEC | DEVNS_VIEW_DAMAGE) || req->pid < 0)
		return -EINVAL;
	dns = devns_get_pid(req->pid);
	if (IS_ERR(dns))
		return PTR_ERR(dns);
	vv = devns_vfb_viewer_new(dns, req->flags & DEVNS_VIEW_DAMAGE);
	if (IS_ERR(vv))
		return PTR_ERR(vv);
	fd = get_unused_fd_flags(req->flags & DEVNS_VIEW_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		goto err_free;
	file = anon_inode_getfile("[devns-vfb-view]", &devns_vfb_view_fops, vv, O_RDONLY);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		fd = PTR_ERR(file);
		goto err_free;
	}
	/* pixels have offsets: lseek and pread as on /dev/vfb0 */
	file->f_mode |= FMODE_LSEEK | FMODE_PREAD;
	/* its mappings are the state's: a switch zaps them too */
	file->f_mapping = vv->st->inode->i_mapping;
	/* the file keeps the viewer and its reference to the namespace */
	fd_install(fd, file);
	return fd;

err_free:
	devns_vfb_viewer_free(vv);
	return fd;
}

/* For /proc/devns. */
void devns_vfb_show(struct seq_file *m)
{
	u64 owner;

	down_read(&devns_vfb_sem);
	owner = devns_vfb_active ? devns_id(devns_vfb_active->dns) : 0;
	seq_printf(m, "panel owner %llu blank %d\n", owner, READ_ONCE(devns_panel.blank));
	up_read(&devns_vfb_sem);
	devns_assert_held();	/* the region bitmap is stable */
	seq_printf(m, "vfb switch %s", devns_vfb_strategy->name);
	if (devns_vfb_strategy->panel_hooks)
		seq_printf(m, " slots %u used %u", vfb_slots,
			   bitmap_weight(devns_vfb_regions, vfb_slots + 1) - 1);
	seq_putc(m, '\n');
}

static const struct devns_vfb_strategy devns_vfb_strategies[] = {
	{
		.name = "copy",
		.alloc = devns_vfb_copy_alloc,
		.free = devns_vfb_copy_free,
		.base = devns_vfb_copy_base,
		.show = devns_vfb_copy_show,
		.hide = devns_vfb_copy_hide,
		.nr_regions = devns_vfb_copy_regions,
	},
	{
		.name = "zerocopy",
		.alloc = devns_vfb_zc_alloc,
		.free = devns_vfb_zc_free,
		.base = devns_vfb_zc_base,
		.show = devns_vfb_zc_show,
		.hide = devns_vfb_zc_hide,
		.nr_regions = devns_vfb_zc_regions,
		.panel_hooks = &devns_vfb_panel_hooks,
	},
};

static int devns_vfb_parse_params(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(devns_vfb_strategies); i++)
		if (!strcmp(vfb_switch, devns_vfb_strategies[i].name))
			devns_vfb_strategy = &devns_vfb_strategies[i];
	if (!devns_vfb_strategy) {
		pr_err("devns: bad vfb_switch '%s' (copy or zerocopy)\n", vfb_switch);
		return -EINVAL;
	}
	if (!vfb_slots || vfb_slots > DEVNS_VFB_MAX_SLOTS) {
		pr_err("devns: bad vfb_slots %u (1..%d)\n", vfb_slots, DEVNS_VFB_MAX_SLOTS);
		return -EINVAL;
	}
	return 0;
}

int devns_vfb_init(void)
{
	int ret;

	ret = devns_vfb_parse_params();
	if (ret)
		return ret;
	ret = devns_panel_init(devns_vfb_strategy->nr_regions(),
			       devns_vfb_strategy->panel_hooks);
	if (ret)
		return ret;
	__set_bit(0, devns_vfb_regions);
	ret = simple_pin_fs(&devns_vfb_fs_type, &devns_vfb_mnt, &devns_vfb_mnt_count);
	if (ret)
		goto err_panel;
	if (devns_vfb_strategy->panel_hooks) {
		devns_vfb_panel_inode = alloc_anon_inode(devns_vfb_mnt->mnt_sb);
		if (IS_ERR(devns_vfb_panel_inode)) {
			ret = PTR_ERR(devns_vfb_panel_inode);
			devns_vfb_panel_inode = NULL;
			goto err_fs;
		}
	}
	ret = devns_subsys_register(&devns_vfb_subsys);
	if (ret)
		goto err_inode;
	ret = misc_register(&devns_vfb_misc);
	if (ret)
		goto err_subsys;
	return 0;

err_subsys:
	devns_subsys_unregister(&devns_vfb_subsys);
err_inode:
	if (devns_vfb_panel_inode)
		iput(devns_vfb_panel_inode);
err_fs:
	simple_release_fs(&devns_vfb_mnt, &devns_vfb_mnt_count);
err_panel:
	devns_panel_exit();
	return ret;
}

void devns_vfb_exit(void)
{
	misc_deregister(&devns_vfb_misc);
	devns_subsys_unregister(&devns_vfb_subsys);
	if (devns_vfb_panel_inode)
		iput(devns_vfb_panel_inode);
	simple_release_fs(&devns_vfb_mnt, &devns_vfb_mnt_count);
	devns_panel_exit();
}
