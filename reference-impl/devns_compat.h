/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between Debian's 6.1 and 6.12 that this
 * module meets, in one place.
 */
#ifndef DEVNS_COMPAT_H
#define DEVNS_COMPAT_H

#include <linux/mm.h>

/*
 * 6.3 made vm_flags read-only behind vm_flags_set(); Kbuild defines
 * DEVNS_HAVE_VM_FLAGS_SET when the kernel's mm.h has it.
 */
#ifdef DEVNS_HAVE_VM_FLAGS_SET
static inline void devns_vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}
#else
static inline void devns_vm_flags_set(struct vm_area_struct *vma, unsigned long flags)
{
	vma->vm_flags |= flags;
}
#endif

/*
 * 6.6 made tty_operations.write take and return sizes (size_t, ssize_t)
 * instead of ints; Kbuild defines DEVNS_HAVE_TTY_WRITE_SIZE_T when the
 * kernel's tty_driver.h has the new prototype.
 */
#ifdef DEVNS_HAVE_TTY_WRITE_SIZE_T
#define DEVNS_TTY_WRITE_RET	ssize_t
#define DEVNS_TTY_WRITE_COUNT	size_t
#else
#define DEVNS_TTY_WRITE_RET	int
#define DEVNS_TTY_WRITE_COUNT	int
#endif

#endif /* DEVNS_COMPAT_H */
