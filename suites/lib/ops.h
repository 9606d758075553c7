/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The operation catalog of the security suites (SEC-2 bad input, SEC-3
 * fuzzer): every file operation and ioctl of every device, each with
 * argument generators for good and hostile values (unknown commands, NULL
 * and unmapped pointers, huge and negative lengths and offsets, offsets at
 * and past the end, cmap ranges whose start + len overflows, modes whose
 * size computation overflows 32 bits) and, for every call, the set of
 * results SPEC.md documents (section 6.1 and the device's own rows).
 *
 * A call is generated (ops_gen) from a PRNG state and a model of the
 * caller's state (its vfb var, cmap, file position and contents), run
 * (ops_run), checked against its documented set (ops_check) and, when it
 * passed, applied to the model (ops_apply).  Generation depends only on the
 * PRNG and on the model, and the model only on results the set pins down,
 * so a seed always generates the same sequence (descriptions never contain
 * addresses).
 *
 * The container devices (OPS_CTL, OPS_VFB, OPS_TTY) are described for an
 * unprivileged caller (not root, no capabilities) in a container of its
 * own: the privileged requests of /dev/devns all fail with EPERM.  The host
 * devices (OPS_PANEL, OPS_HOST) are described for host root, with hostile
 * values only where a good one would change what the panel shows.
 *
 * Nothing here calls the harness; it also works inside ct_call() functions.
 */
#ifndef DEVNS_OPS_H
#define DEVNS_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/fb.h>

#include "fb.h"

/* ---- PRNG: splitmix64, one independent stream per (seed, stream) ---------- */

struct ops_rng {
	uint64_t s;
};

void ops_rng_init(struct ops_rng *r, uint64_t seed, uint64_t stream);
uint64_t ops_rand(struct ops_rng *r);
/* Uniform in 0 .. n - 1 (0 if n is 0). */
uint64_t ops_below(struct ops_rng *r, uint64_t n);

/* ---- devices, operations, variants ------------------------------------ */

enum ops_dev {
	OPS_CTL,	/* /dev/devns, from an unprivileged container */
	OPS_VFB,	/* /dev/vfb0, from an unprivileged container */
	OPS_TTY,	/* the container's own terminal (O_NONBLOCK), unprivileged */
	OPS_PANEL,	/* the panel (/dev/fbN), from host root */
	OPS_HOST,	/* a host attach fd (O_NONBLOCK), from host root */
	OPS_NDEV,
};

/* Kinds of argument; each operation lists the ones it takes. */
enum ops_var {
	V_GOOD,		/* valid arguments */
	V_NULL,		/* NULL pointer */
	V_HOLE,		/* pointer into an unmapped (PROT_NONE) page */
	V_STRADDLE,	/* a buffer or struct whose tail is in the unmapped page */
	V_HUGE_LEN,	/* length 2^60, SIZE_MAX or SSIZE_MAX + 1 */
	V_ZERO_LEN,
	V_NEG_OFF,	/* negative offset */
	V_AT_END,	/* offset smem_len */
	V_PAST_END,	/* offset beyond smem_len */
	V_CROSS_END,	/* starts inside, runs past the end */
	V_OFF_OVERFLOW,	/* offset + length overflows loff_t */
	V_BAD_WHENCE,
	V_PRIVATE,	/* mmap MAP_PRIVATE */
	V_UNALIGNED,	/* mmap offset not page aligned */
	V_BAD_VALUE,	/* an out-of-range number (level, crtc, flags, ...) */
	V_UNKNOWN_CMD,	/* an ioctl command the device does not have */
	V_BAD_BPP,
	V_BAD_MODE,	/* a size not in the panel's mode list */
	V_VIRT_TOO_BIG,	/* xres_virtual * 4 * yres_virtual > smem_len, no overflow */
	V_SIZE_WRAP32,	/* xres_virtual * 4 * yres_virtual wraps u32 to <= smem_len */
	V_SIZE_WRAP64,	/* ... wraps u64 to 0 (2^31 * 4 * 2^31) */
	V_BAD_OFFSETS,	/* pan offsets outside the virtual size */
	V_YWRAP,
	V_TEST_ONLY,	/* FB_ACTIVATE_TEST: validated, not stored */
	V_RANGE_OVER,	/* cmap start < 256, len <= 256, start + len > 256 */
	V_RANGE_WRAP,	/* cmap start + len wraps u32 to <= 256 */
	V_START_BIG,	/* cmap start >= 256 */
	V_LEN_HUGE,	/* cmap len > 256 */
	V_NULL_ARRAY,	/* cmap red, green or blue NULL */
	V_HOLE_ARRAY,	/* ... unmapped */
	V_HOLE_TRANSP,	/* cmap transp unmapped */
	V_NEG_PID,
	V_PID0,
	V_NO_PID,	/* a pid that does not exist */
	V_FLAGS,	/* non-zero flags or reserved */
	V_OTHER_NS,	/* a node that is not the caller's (another dev_ns's, the panel) */
	V_PRIVILEGED,	/* a request for privileged callers or the controlling terminal */
	OPS_NVARS,
};

enum ops_op {
	/* the file operations every device has (with its own answers) */
	OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE, OP_LSEEK, OP_MMAP, OP_IOCTL, OP_POLL, OP_OPEN,
	/* /dev/devns */
	OP_CTL_GET_STATE, OP_CTL_DESCRIBE, OP_CTL_ACTIVATE, OP_CTL_VTTY_DEVICES,
	OP_CTL_VTTY_ATTACH, OP_CTL_VFB_VIEW,
	/* the vfb and the panel */
	OP_FB_MAP_WRITE, OP_FB_MAP_READ, OP_FB_GET_VAR, OP_FB_PUT_VAR, OP_FB_GET_FIX,
	OP_FB_PAN, OP_FB_GETCMAP, OP_FB_PUTCMAP, OP_FB_BLANK, OP_FB_VSYNC,
	/* the container's terminal */
	OP_TTY_GET, OP_TTY_SET,
	/* a host attach fd */
	OP_HOST_INFO, OP_HOST_GWINSZ, OP_HOST_SWINSZ,
	OPS_NOPS,
};

/* "vfb FBIOPUTCMAP" and the like; "range-over" and the like. */
const char *ops_op_name(int op);
const char *ops_var_name(int var);
const char *ops_dev_name(int dev);

/* ---- calls -------------------------------------------------------------- */

#define OPS_MAX_ERR	4
#define OPS_DESC_LEN	144

/* The documented results of one call. */
struct ops_expect {
	int64_t lo, hi;		/* success values allowed: lo .. hi (none if lo > hi) */
	int err[OPS_MAX_ERR];	/* errnos allowed, 0-terminated */
};

struct ops_call {
	int dev, op, var;
	/* arguments (their meaning depends on op and var) */
	int ptr;		/* enum ops_var of the main pointer: V_GOOD, V_NULL, V_HOLE, V_STRADDLE */
	uint64_t len;
	int64_t off;
	int whence;
	unsigned long cmd;	/* ioctl command */
	unsigned long arg;	/* ioctl integer argument */
	uint32_t u[8];		/* struct fields */
	uint64_t data;		/* seed of the bytes written */
	/* what is expected, what came back */
	struct ops_expect want;
	int64_t got;		/* >= 0: the result; < 0: -errno */
	char desc[OPS_DESC_LEN];
	char bad[OPS_DESC_LEN];	/* set by ops_run when an output is wrong */
};

/* ---- the caller's environment and its model ------------------------------ */

struct ops_fb_model {
	struct fb_var_screeninfo var;
	uint16_t cmap[4][256];	/* red, green, blue, transp */
	uint8_t known[256];	/* bit c: cmap[c][i] was stored by this caller */
	int64_t pos;		/* the file position */
};

/* ops_env_init flags */
#define OPS_ENV_SHADOW		(1u << 0)	/* keep a copy of the vfb contents, check reads */
#define OPS_ENV_KEEP_MAP	(1u << 1)	/* keep a successful vfb mapping (fuzzer) */
#define OPS_ENV_DRY		(1u << 2)	/* nothing runs: ops_apply() stands in for the call */

struct ops_env {
	int fd[OPS_NDEV];	/* -1: not available */
	unsigned int flags;
	uint8_t *buf;		/* scratch, buf_len bytes, followed by ... */
	uint8_t *hole;		/* ... one PROT_NONE page */
	size_t buf_len;
	size_t smem;		/* the vfb's (and the panel's) smem_len */
	struct fb_mode_size modes[8];
	int nmodes;
	uint64_t self_id;	/* the caller's dev_ns (OPS_CTL checks) */
	unsigned int level;	/* its DESCRIBE level */
	uint64_t generation;	/* the last generation GET_STATE returned */
	char other_tty[32];	/* another dev_ns's terminal node, or "" */
	char panel_path[32];	/* the panel's node, for an unprivileged open, or "" */
	uint64_t host_id;	/* OPS_HOST: the namespace and terminal attached */
	unsigned int host_index;
	struct ops_fb_model fb[2];	/* [0] OPS_VFB, [1] OPS_PANEL */
	uint8_t *shadow;	/* OPS_ENV_SHADOW: the vfb contents */
	uint8_t *map;		/* OPS_ENV_KEEP_MAP: a live vfb mapping ... */
	size_t map_len, map_off;	/* ... of map_len bytes at offset map_off */
};

/*
 * Allocate the scratch memory (at least @smem bytes plus the unmapped page)
 * and, with OPS_ENV_SHADOW, the shadow; every fd -1.  @smem and the mode
 * list come from the caller (fb_panel_modes(), vw_smem_len()).
 */
int ops_env_init(struct ops_env *e, size_t smem, const struct fb_mode_size *modes,
		 int nmodes, unsigned int flags);
void ops_env_free(struct ops_env *e);
/*
 * Load the model of fd[OPS_VFB] (and of fd[OPS_PANEL] if open) from the
 * device: var, file position 0, no cmap entry known, and with a shadow the
 * whole contents.  Returns 0 or -errno.
 */
int ops_env_sync(struct ops_env *e);

/*
 * Fill @c with a call of operation @op, variant @var on device @dev, its
 * arguments drawn from @r, and the documented results for this caller and
 * model.  Returns false if the combination does not exist (see ops_has).
 */
bool ops_gen(struct ops_env *e, struct ops_rng *r, int dev, int op, int var, struct ops_call *c);
/* Does @dev have @op with variant @var in the current model?  (MAP_* need a mapping.) */
bool ops_has(const struct ops_env *e, int dev, int op, int var);
/* A random call for @dev: good values with probability 1/2. */
void ops_pick(struct ops_env *e, struct ops_rng *r, int dev, struct ops_call *c);
/* Make the call; c->got gets the result, c->bad a wrong output if any. */
void ops_run(struct ops_env *e, struct ops_call *c);
/* Is c->got documented (and were its outputs right)? */
bool ops_check(const struct ops_call *c);
/*
 * Update the model after a call that passed ops_check.  A dry run (an
 * environment with OPS_ENV_DRY and fds that are never used) generates a
 * sequence without running it: set c->got = ops_nominal(c) and apply.
 */
void ops_apply(struct ops_env *e, const struct ops_call *c);
/* A result the set allows (the lowest success, else the first errno): for dry runs. */
int64_t ops_nominal(const struct ops_call *c);
/* "EINVAL", "0", "0..4096 or EFAULT, EAGAIN" ... */
const char *ops_result_str(int64_t got, char *buf, size_t len);
const char *ops_expect_str(const struct ops_expect *w, char *buf, size_t len);

/* 64-bit FNV-1a over a call's description: sequences are compared by hash. */
uint64_t ops_hash_desc(uint64_t h, const struct ops_call *c);

/* ---- tables (SEC-2) ---------------------------------------------------------- */

#define OPS_LOG_MAX 24

struct ops_fail {
	char desc[OPS_DESC_LEN];
	char want[64];
	char got[32];
	char bad[OPS_DESC_LEN];
};

struct ops_log {
	uint32_t calls;		/* calls made */
	uint32_t pairs;		/* distinct (operation, variant) pairs run */
	uint32_t nfail;		/* failed calls (the first OPS_LOG_MAX are in fail[]) */
	struct ops_fail fail[OPS_LOG_MAX];
};

/*
 * Run every variant of every operation of @dev @reps times (arguments from
 * seed @seed), check each result, keep the model up to date (reloaded
 * after a failure), and log the failures.  Returns the number of failures.
 */
int ops_table(struct ops_env *e, int dev, uint64_t seed, int reps, struct ops_log *log);

/*
 * Drop every privilege: supplementary groups, gid and uid become @id (e.g.
 * 65534), which also clears every capability.  Returns 0 or -errno.
 */
int ops_become(uid_t id);

#endif /* DEVNS_OPS_H */
