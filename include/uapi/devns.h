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

/*
 * Virtual input: /dev/vinput0 (misc device, mode 0666) speaks the evdev uAPI
 * of <linux/input.h> (read struct input_event, EVIOCG*, EVIOCGRAB,
 * EVIOCSCLOCKID) for the opener's dev_ns: the host's keyboards and mice
 * reach the active dev_ns only (SPEC.md section 8).  A runtime binds it as
 * the container's /dev/input/event0.
 */
#define DEVNS_INPUT_NAME	"vinput0"
#define DEVNS_INPUT_PATH	"/dev/vinput0"
#define DEVNS_INPUT_DEVNAME	"devns virtual input"

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

/*
 * Virtual terminals (SPEC.md section 4).  Every dev_ns that a host runtime
 * asks about (DEVNS_IOC_VTTY_DEVICES or _ATTACH) gets "count" terminals; terminal 0 is the
 * namespace's console.  The container side is an ordinary tty, node
 * /dev/vtty<first_index + n> (tty driver DEVNS_VTTY_DRIVER), which the
 * runtime bind-mounts in the container as /dev/console and /dev/tty1 (n = 0)
 * and /dev/ttyK (n = K - 1).  The host side is a file descriptor returned by
 * DEVNS_IOC_VTTY_ATTACH: read() returns the container's output, write()
 * types input, TIOCGWINSZ/TIOCSWINSZ get and set the window size, and
 * DEVNS_VTTY_IOC_INFO reports the buffer's counters.
 */
#define DEVNS_VTTY_DRIVER	"vtty"

/**
 * struct devns_vtty_devices - argument of DEVNS_IOC_VTTY_DEVICES
 * @pid:         in: a process of the namespace, as seen by the caller; 0
 *               means the caller's own namespace
 * @flags:       in: must be 0
 * @major:       out: character major of the terminals
 * @first_minor: out: minor of terminal 0; terminal n is first_minor + n
 * @first_index: out: tty index of terminal 0; its node is
 *               /dev/vtty<first_index + n>
 * @count:       out: terminals per namespace
 * @buffer_size: out: bytes of output each terminal keeps for the host
 * @reserved:    out: 0
 */
struct devns_vtty_devices {
	__s32 pid;
	__u32 flags;
	__u32 major;
	__u32 first_minor;
	__u32 first_index;
	__u32 count;
	__u32 buffer_size;
	__u32 reserved;
};

/* devns_vtty_attach.flags */
#define DEVNS_VTTY_NONBLOCK	(1U << 0)	/* the fd is O_NONBLOCK */
#define DEVNS_VTTY_CLOEXEC	(1U << 1)	/* the fd is O_CLOEXEC */

/**
 * struct devns_vtty_attach - argument of DEVNS_IOC_VTTY_ATTACH, which
 * returns the new host file descriptor
 * @pid:      a process of the namespace, as seen by the caller; 0 means the
 *            caller's own namespace
 * @index:    terminal, 0 .. count - 1
 * @flags:    DEVNS_VTTY_* bits
 * @reserved: must be 0
 */
struct devns_vtty_attach {
	__s32 pid;
	__u32 index;
	__u32 flags;
	__u32 reserved;
};

/* devns_vtty_info.state bits */
#define DEVNS_VTTY_OPEN		(1U << 0)	/* a container file has the terminal open */
#define DEVNS_VTTY_DEAD		(1U << 1)	/* its namespace is gone */

/**
 * struct devns_vtty_info - result of DEVNS_VTTY_IOC_INFO on a host fd
 * @id:          the namespace's id
 * @written:     bytes of output the terminal received since it was created
 * @dropped:     bytes of output discarded, oldest first, because the buffer
 *               was full
 * @buffered:    bytes of output waiting to be read
 * @buffer_size: capacity of the output buffer
 * @index:       the terminal's index
 * @state:       DEVNS_VTTY_OPEN, DEVNS_VTTY_DEAD
 */
struct devns_vtty_info {
	__u64 id;
	__u64 written;
	__u64 dropped;
	__u32 buffered;
	__u32 buffer_size;
	__u32 index;
	__u32 state;
};

#define DEVNS_IOC_VTTY_DEVICES	_IOWR(DEVNS_IOC_MAGIC, 0x10, struct devns_vtty_devices)
#define DEVNS_IOC_VTTY_ATTACH	_IOW(DEVNS_IOC_MAGIC, 0x11, struct devns_vtty_attach)
#define DEVNS_VTTY_IOC_INFO	_IOR(DEVNS_IOC_MAGIC, 0x20, struct devns_vtty_info)

/*
 * The host's view of a namespace's picture (SPEC.md section 3.2).
 * DEVNS_IOC_VFB_VIEW (host only) returns a read-only file on that
 * namespace's vfb state, active or passive: read()/pread()/lseek() address
 * its smem_len bytes of pixels (the panel's while it is active, its backing
 * buffer while it is passive), mmap (read-only, MAP_SHARED) maps them and
 * follows switches, FBIOGET_VSCREENINFO and FBIOGET_FSCREENINFO give its
 * mode.  Once the namespace died, read() returns 0 and poll() reports
 * EPOLLHUP.
 *
 * A view opened with DEVNS_VIEW_DAMAGE also tracks what changed (SPEC.md
 * section 3.3): DEVNS_VFB_IOC_DAMAGE hands over the pages written since the
 * view's last call (through any mapping, write() or pwrite()) and flags for
 * what changes every pixel (a mode, pan, colour map or blank change, a
 * switch, the namespace's death); poll() reports EPOLLIN while there is
 * damage to fetch.  Its first call reports DEVNS_DAMAGE_FULL.  Fetch the
 * damage, then read the pixels it names: a store made after the fetch is in
 * the next one.  Nothing is tracked while no such view exists.
 */
#define DEVNS_VIEW_CLOEXEC	(1U << 0)	/* the fd is O_CLOEXEC */
#define DEVNS_VIEW_DAMAGE	(1U << 1)	/* track damage (DEVNS_VFB_IOC_DAMAGE) */

/**
 * struct devns_vfb_view - argument of DEVNS_IOC_VFB_VIEW, which returns the
 * new file descriptor
 * @pid:   a process of the namespace, as seen by the caller; 0 means the
 *         caller's own namespace
 * @flags: DEVNS_VIEW_* bits
 */
struct devns_vfb_view {
	__s32 pid;
	__u32 flags;
};

#define DEVNS_IOC_VFB_VIEW	_IOW(DEVNS_IOC_MAGIC, 0x30, struct devns_vfb_view)

#define DEVNS_DAMAGE_FULL	(1U << 0)	/* every pixel may have changed */
#define DEVNS_DAMAGE_MODE	(1U << 1)	/* the mode changed: read var and fix again */
#define DEVNS_DAMAGE_SWITCH	(1U << 2)	/* the namespace was activated or deactivated */
#define DEVNS_DAMAGE_DEAD	(1U << 3)	/* the namespace died: nothing will change */

/**
 * struct devns_vfb_damage - argument of DEVNS_VFB_IOC_DAMAGE on a damage view
 * @bitmap:   in: user pointer to an array of (@nbits + 63) / 64 __u64 words;
 *            out: bit p set if page p (bytes p * page size on) was written
 * @nbits:    in: the array's capacity in bits; out: pages in the picture
 *            (smem_len / page size).  Too small: ENOSPC, with @nbits set
 *            and nothing handed over
 * @flags:    out: DEVNS_DAMAGE_* bits
 * @seq:      out: the namespace's damage sequence number at the fetch; it
 *            grows with every change tracked, so equal numbers mean nothing
 *            happened in between
 * @first:    out: the first page set in @bitmap
 * @last:     out: the last page set plus one (@first == @last: none)
 * @reserved: must be zero
 */
struct devns_vfb_damage {
	__u64 bitmap;
	__u32 nbits;
	__u32 flags;
	__u64 seq;
	__u32 first;
	__u32 last;
	__u32 reserved[2];
};

#define DEVNS_VFB_IOC_DAMAGE	_IOWR(DEVNS_IOC_MAGIC, 0x31, struct devns_vfb_damage)

/**
 * struct devns_input_event - one event the host injects
 * @type:  EV_KEY, EV_REL or EV_SYN
 * @code:  e.g. KEY_A, REL_X, SYN_REPORT
 * @value: 1 press, 0 release, 2 repeat; a relative move
 */
struct devns_input_event {
	__u16 type;
	__u16 code;
	__s32 value;
};

#define DEVNS_INPUT_MAX_INJECT	256

/**
 * struct devns_input_inject - argument of DEVNS_IOC_INPUT_INJECT (host
 * only): events for the readers of one dev_ns's virtual input, active or
 * passive, as if its keyboard and mouse had produced them
 * @pid:    a process of the namespace, as seen by the caller (0: the
 *          caller's own)
 * @count:  events at @events, 1..DEVNS_INPUT_MAX_INJECT
 * @events: user pointer to @count struct devns_input_event
 */
struct devns_input_inject {
	__s32 pid;
	__u32 count;
	__u64 events;
};

#define DEVNS_IOC_INPUT_INJECT	_IOW(DEVNS_IOC_MAGIC, 0x40, struct devns_input_inject)

#endif /* _UAPI_DEVNS_H */
