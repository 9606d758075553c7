/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The implementation adapter: the only way the suites reach a dev_ns
 * implementation.  An adapter says how to activate a namespace, how to read
 * the active one, where the devices are, and which optional capabilities the
 * implementation has.  A test of a capability the selected adapter does not
 * declare is skipped with the reason (impl_require()).
 *
 * Selection: environment variable DEVNS_IMPL (make check IMPL=name),
 * default "reference".  Every operation returns 0 (or a count) on success
 * and -errno on failure, so tests can compare errors directly.
 */
#ifndef DEVNS_IMPL_H
#define DEVNS_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum impl_cap {
	IMPL_CAP_UAPI		= 1u << 0, /* control device speaks include/uapi/devns.h */
	IMPL_CAP_POLL		= 1u << 1, /* poll() wakes on switches */
	IMPL_CAP_RELOAD		= 1u << 2, /* can be stopped and started again */
	IMPL_CAP_COUNTERS	= 1u << 3, /* live-object counters and a namespace list */
	IMPL_CAP_CONTAINER_VIEW	= 1u << 4, /* containers may read their own state */
	IMPL_CAP_VFB		= 1u << 5, /* virtual framebuffer + panel (SPEC section 3) */
	IMPL_CAP_PANEL_STATE	= 1u << 6, /* report() tells the panel's owner and blank level */
	IMPL_CAP_VTTY		= 1u << 7, /* virtual terminals (SPEC section 4) */
	IMPL_CAP_VIEW		= 1u << 8, /* the host's view of a namespace's picture (SPEC 3.2) */
	IMPL_CAP_DAMAGE		= 1u << 9, /* views that track damage (SPEC 3.3) */
	IMPL_CAP_INPUT		= 1u << 10, /* virtual input, evdev per namespace (SPEC 8) */
};

struct impl_state {
	uint64_t active_id;
	uint64_t generation;
	uint64_t self_id;
	bool self_active;
	uint32_t nr_namespaces;
};

struct impl_ns {
	uint64_t id;
	uint32_t level;
	bool active;
	bool host;
	uint64_t activations;
};

/* A namespace's terminals (SPEC section 4, DEVNS_IOC_VTTY_DEVICES). */
struct impl_vtty_devs {
	unsigned int major;
	unsigned int first_minor;	/* terminal n is first_minor + n */
	unsigned int first_index;	/* its node is /dev/vtty<first_index + n> */
	unsigned int count;		/* terminals per namespace */
	unsigned int buffer_size;	/* B: output bytes kept per terminal */
};

/* The counters of one terminal, seen through a host fd (DEVNS_VTTY_IOC_INFO). */
struct impl_vtty_info {
	uint64_t id;
	uint64_t written;
	uint64_t dropped;
	uint32_t buffered;
	uint32_t buffer_size;
	uint32_t index;
	bool open;		/* a container file has it open */
	bool dead;		/* its namespace is gone */
};

/* vfb_view() flags; other bits reach the implementation as they are */
#define IMPL_VIEW_CLOEXEC	(1u << 0)
#define IMPL_VIEW_DAMAGE	(1u << 1)	/* IMPL_CAP_DAMAGE: track damage */

/* What vfb_damage() hands over (SPEC 3.3). */
enum impl_damage_flag {
	IMPL_DAMAGE_FULL	= 1u << 0,	/* every pixel may have changed */
	IMPL_DAMAGE_MODE	= 1u << 1,	/* the mode changed */
	IMPL_DAMAGE_SWITCH	= 1u << 2,	/* the namespace was activated or deactivated */
	IMPL_DAMAGE_DEAD	= 1u << 3,	/* the namespace died */
};

/* One event the host injects (IMPL_CAP_INPUT). */
struct impl_input_event {
	uint16_t type, code;
	int32_t value;
};

struct impl_damage {
	uint64_t *bitmap;	/* in: room for nbits bits; out: bit p = page p written */
	uint32_t nbits;		/* in: capacity; out: pages in the picture */
	uint32_t flags;		/* out: IMPL_DAMAGE_* */
	uint64_t seq;		/* out: the namespace's damage sequence number */
	uint32_t first, last;	/* out: first page set, last set + 1 (equal: none) */
};

/* vtty_attach() flags */
#define IMPL_VTTY_NONBLOCK	(1u << 0)
#define IMPL_VTTY_CLOEXEC	(1u << 1)

#define IMPL_MAX_LISTED 64

/* What the introspection interface reports. */
struct impl_report {
	uint64_t active_id;
	uint64_t generation;
	long containers;	/* live non-host namespace objects */
	long watchers;		/* armed death watchers */
	long states;		/* live per-namespace subsystem states */
	int nr_listed;
	struct {
		uint64_t id;
		bool active;
		bool host;
		bool dead;
		unsigned int xres, yres;	/* its vfb mode, 0 x 0: no vfb state */
		int terminals;			/* its terminals, -1: none */
		int terminals_open;		/* of them open in the container */
	} ns[IMPL_MAX_LISTED];
	/* IMPL_CAP_PANEL_STATE: whose vfb state is on the panel (0: none). */
	uint64_t panel_owner;
	int panel_blank;	/* FB_BLANK_* level on the panel, -1 if unknown */
	long vttys;		/* IMPL_CAP_VTTY: live per-namespace terminal sets, -1 if unknown */
};

struct impl_ops {
	const char *name;
	const char *description;
	unsigned int caps;
	/* Open a control handle (an fd); every other call takes one. */
	int (*open_ctl)(void);
	int (*activate)(int ctl, pid_t pid, uint32_t flags);
	int (*get_state)(int ctl, struct impl_state *st);
	int (*describe)(int ctl, pid_t pid, uint32_t flags, struct impl_ns *ns);
	/* Wait for the next switch: 1 on an event, 0 on timeout. */
	int (*wait_switch)(int ctl, int timeout_ms);
	int (*report)(struct impl_report *r);		/* IMPL_CAP_COUNTERS */
	int (*stop)(void);				/* IMPL_CAP_RELOAD */
	int (*start)(void);				/* IMPL_CAP_RELOAD */
	/*
	 * Device node for a role, or NULL: "ctl" (control), "vfb" (the virtual
	 * framebuffer a runtime bind-mounts as a container's /dev/fb0), "panel"
	 * (the host's native fbdev showing the active namespace), "input"
	 * (IMPL_CAP_INPUT: the evdev device a runtime binds as a container's
	 * /dev/input/event0).
	 */
	const char *(*device)(const char *role);
	/*
	 * IMPL_CAP_VTTY.  @pid is a process of the namespace as the caller sees
	 * it, 0 for the caller's own.  vtty_devices() creates the terminals if
	 * needed; vtty_attach() returns the host fd; vtty_info() reads the
	 * counters through a host fd.
	 */
	int (*vtty_devices)(int ctl, pid_t pid, struct impl_vtty_devs *d);
	int (*vtty_attach)(int ctl, pid_t pid, unsigned int index, unsigned int flags);
	int (*vtty_info)(int host_fd, struct impl_vtty_info *info);
	/*
	 * IMPL_CAP_VIEW: a read-only fd on the picture of @pid's namespace
	 * (0: the caller's), active or passive: read()/pread() its pixels,
	 * FBIOGET_VSCREENINFO/FBIOGET_FSCREENINFO its mode.
	 */
	int (*vfb_view)(int ctl, pid_t pid, unsigned int flags);
	/*
	 * IMPL_CAP_DAMAGE: on a view opened with IMPL_VIEW_DAMAGE, hand over
	 * what changed since the last call; then read the pixels it names.
	 */
	int (*vfb_damage)(int view, struct impl_damage *d);
	/*
	 * IMPL_CAP_INPUT: give @n events to the readers of @pid's namespace's
	 * virtual input ("input" device), active or passive.
	 */
	int (*input_inject)(int ctl, pid_t pid, const struct impl_input_event *ev, unsigned int n);
};

/* The selected adapter; an unknown DEVNS_IMPL stops the program before main(). */
const struct impl_ops *impl(void);
bool impl_has(unsigned int caps);
/* Human-readable name of a capability bit, for skip reasons. */
const char *impl_cap_name(unsigned int cap);
/*
 * Stop the implementation (rmmod), retrying while it fails (EWOULDBLOCK:
 * still in use; the last files and works of exited processes go shortly
 * after them).  0, or the last -errno after deadline_ms(2000).
 */
int impl_stop_settled(void);

extern const struct impl_ops impl_reference;

#endif /* DEVNS_IMPL_H */
