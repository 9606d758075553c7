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

#endif /* DEVNS_COMPAT_H */
