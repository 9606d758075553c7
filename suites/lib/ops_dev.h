/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devices of the operation catalog (ops.h), one file each: ops_ctl.c
 * (/dev/devns), ops_fb.c (the vfb and the panel), ops_tty.c (the
 * container's terminal and a host attach fd).  ops.c dispatches to them
 * through struct ops_device; ops_file.c holds what their file operations
 * share.  Internal to the suites' library.
 */
#ifndef DEVNS_OPS_DEV_H
#define DEVNS_OPS_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops.h"

#define OPS_PAGE	4096ul

/* What the catalog knows of one device. */
struct ops_device {
	/* the variants of @op, into @out: how many (0: the device has no @op) */
	int (*variants)(int op, uint8_t out[OPS_NVARS]);
	/* whether a listed pair can be made in @e (NULL: always) */
	bool (*has)(const struct ops_env *e, int op, int var);
	/* the arguments of c->op with variant c->var, and what is expected */
	void (*gen)(struct ops_env *e, struct ops_rng *r, struct ops_call *c);
	/* the call on @fd: c->got, and c->bad if an output is wrong */
	void (*run)(struct ops_env *e, struct ops_call *c, int fd);
	/* the model after a call that passed (NULL: nothing to remember) */
	void (*apply)(struct ops_env *e, const struct ops_call *c);
	/* V_UNKNOWN_CMD: an ioctl command of another device; whether @cmd is its own */
	unsigned long (*foreign_cmd)(struct ops_rng *r);
	bool (*own_cmd)(unsigned long cmd);
};

extern const struct ops_device ops_ctl_device, ops_vfb_device, ops_panel_device,
	ops_tty_device, ops_host_device;
const struct ops_device *ops_device(int dev);

/* Variant lists: VARS(a, b, ...) in a variants() hook returns them. */
int ops_copy_vars(uint8_t *out, const uint8_t *v);
#define VARS(...) ops_copy_vars(out, (const uint8_t[]){ __VA_ARGS__, OPS_NVARS })
/* The pointer variants of a struct argument. */
#define PTRS V_NULL, V_HOLE, V_STRADDLE
/* Buffer variants of read and write. */
#define BUFS V_GOOD, V_NULL, V_HOLE, V_STRADDLE, V_HUGE_LEN, V_ZERO_LEN
/* Offset variants of pread and pwrite. */
#define OFFS V_NEG_OFF, V_AT_END, V_PAST_END, V_CROSS_END, V_OFF_OVERFLOW

/* ops.c: numbers, expectations, the running kernel */
uint64_t ops_between(struct ops_rng *r, uint64_t lo, uint64_t hi);
void ops_fill_bytes(uint8_t *p, size_t n, uint64_t seed);
void ops_want_ok(struct ops_call *c, int64_t lo, int64_t hi);
void ops_want_err(struct ops_call *c, int err);
bool ops_release_is(const char *prefix);

/* ops_file.c: generators the devices share */
extern const unsigned long ops_devns_cmds[7], ops_fb_cmds[8], ops_tty_cmds[5];
bool ops_cmd_in(unsigned long cmd, const unsigned long *list, size_t n);
unsigned long ops_cmd_either(struct ops_rng *r, const unsigned long *a, size_t na,
			     const unsigned long *b, size_t nb);
void ops_gen_buffer(struct ops_env *e, struct ops_rng *r, struct ops_call *c, size_t max);
void ops_want_moved(struct ops_call *c, uint64_t n);
bool ops_want_struct_ptr(struct ops_call *c);
bool ops_gen_stream_rw(struct ops_env *e, struct ops_rng *r, struct ops_call *c, size_t max);
void ops_gen_unknown_ioctl(struct ops_rng *r, struct ops_call *c);
bool ops_gen_common(struct ops_rng *r, struct ops_call *c, int other_err);
bool ops_gen_stream_common(struct ops_rng *r, struct ops_call *c, bool seekable, int other_err);

/* ops_file.c: running */
void *ops_arg_ptr(struct ops_env *e, int kind, size_t size);
void *ops_place(struct ops_env *e, int kind, const void *obj, size_t size);
int64_t ops_res(long r);
void ops_bad(struct ops_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool ops_struct_ioctl(struct ops_env *e, struct ops_call *c, int fd, unsigned long cmd,
		      void *obj, size_t size);
uint8_t *ops_run_rw(struct ops_env *e, struct ops_call *c, int fd, bool printable);
void ops_run_mmap_touch(struct ops_call *c, int fd);
void ops_run_open(struct ops_call *c, const char *path);
bool ops_run_common(struct ops_env *e, struct ops_call *c, int fd);

#endif /* DEVNS_OPS_DEV_H */
