/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * devns: device namespaces, user-space API.
 *
 * Shared by the reference module (reference-impl/) and the conformance
 * suites (suites/).  SPEC.md is the normative description; the comments
 * here only say what each field carries.
 */
#ifndef _UAPI_DEVNS_H
#define _UAPI_DEVNS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Control device: /dev/devns (misc device, mode 0666; privilege is checked per ioctl). */
#define DEVNS_CTL_NAME		"devns"
#define DEVNS_CTL_PATH		"/dev/devns"
/* Introspection file (root only): namespaces, the active one, live object counts. */
#define DEVNS_PROC_PATH		"/proc/devns"

/*
 * Virtual framebuffer: /dev/vfb0 (misc device, mode 0666) speaks the fbdev
 * uAPI of <linux/fb.h> for the opener's dev_ns.  The panel it multiplexes is
 * an ordinary fbdev (/dev/fbN) whose fix.id is DEVNS_PANEL_ID.
 */
#define DEVNS_VFB_NAME		"vfb0"
#define DEVNS_VFB_PATH		"/dev/vfb0"
#define DEVNS_VFB_ID		"devns-vfb"
#define DEVNS_PANEL_ID		"devns-panel"

#define DEVNS_IOC_MAGIC		0xD5

/**
 * struct devns_activate - argument of DEVNS_IOC_ACTIVATE
 * @pid:   a process in the namespace to make active, as seen by the caller
 * @flags: must be 0
 */
struct devns_activate {
	__s32 pid;
	__u32 flags;
};

/**
 * struct devns_state - result of DEVNS_IOC_GET_STATE
 * @active_id:     pid-namespace inode number of the active namespace; callers
 *                 outside the initial pid namespace see it only when it is
 *                 their own namespace, 0 otherwise
 * @generation:    switch counter: +1 for every change of the active namespace
 * @self_id:       the caller's own namespace
 * @self_active:   1 when the caller's namespace is the active one
 * @nr_namespaces: namespaces the module tracks, host included (0 for callers
 *                 outside the initial pid namespace)
 *
 * Reading the state also acknowledges it: poll() on the same file reports
 * EPOLLIN again only after the next switch.
 */
struct devns_state {
	__u64 active_id;
	__u64 generation;
	__u64 self_id;
	__u32 self_active;
	__u32 nr_namespaces;
};

/* devns_ns_info.state bits */
#define DEVNS_NS_ACTIVE		(1U << 0)
#define DEVNS_NS_HOST		(1U << 1)

/**
 * struct devns_ns_info - argument of DEVNS_IOC_DESCRIBE
 * @pid:         in: a process whose namespace to describe, as seen by the
 *               caller; 0 means the caller itself
 * @flags:       in: must be 0
 * @id:          out: pid-namespace inode number (readlink /proc/PID/ns/pid)
 * @level:       out: nesting depth, 0 for the host (initial pid namespace)
 * @state:       out: DEVNS_NS_* bits
 * @activations: out: how many times this namespace became active
 */
struct devns_ns_info {
	__s32 pid;
	__u32 flags;
	__u64 id;
	__u32 level;
	__u32 state;
	__u64 activations;
};

#define DEVNS_IOC_ACTIVATE	_IOW(DEVNS_IOC_MAGIC, 0x01, struct devns_activate)
#define DEVNS_IOC_GET_STATE	_IOR(DEVNS_IOC_MAGIC, 0x02, struct devns_state)
#define DEVNS_IOC_DESCRIBE	_IOWR(DEVNS_IOC_MAGIC, 0x03, struct devns_ns_info)

#endif /* _UAPI_DEVNS_H */
