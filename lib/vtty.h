/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual terminal helpers (SPEC.md section 4), shared by suites/vtty,
 * the benchmarks and devnsctl: the runtime's set-up of a container's
 * consoles, attaching through the adapter, and reading with deadlines
 * (poll, never fixed sleeps: TCG is slow and uneven).
 *
 * Every function returns 0 (or a count, or an fd) on success and -errno on
 * failure.
 */
#ifndef DEVNS_VTTY_H
#define DEVNS_VTTY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "impl.h"

/* The terminals of the namespace of @pid (0: the caller's), via the adapter. */
int vtty_devices(pid_t pid, struct impl_vtty_devs *d);
/* Attach to terminal @index of @pid's namespace (IMPL_VTTY_* flags): the host fd. */
int vtty_attach(pid_t pid, unsigned int index, unsigned int flags);
/* The counters behind a host fd. */
int vtty_info(int host_fd, struct impl_vtty_info *info);

/* "/dev/vtty<first_index + n>", the host's node of terminal @n. */
const char *vtty_node(const struct impl_vtty_devs *d, unsigned int n, char *buf, size_t len);
/* The container's path of terminal @n: "/dev/console" for 0 (also /dev/tty1), else "/dev/tty<n+1>". */
const char *vtty_ct_path(unsigned int n, char *buf, size_t len);

/*
 * What a container runtime does: in the mount namespace of @pid, bind-mount
 * terminal 0 on /dev/console and /dev/tty1, and terminal n on /dev/tty<n+1>
 * for n < d->count (a forked child setns()es into /proc/PID/ns/mnt).  The
 * target must have a private mount namespace (ct_private_mounts()), or the
 * mounts would show on the host.
 */
int vtty_bind_consoles(pid_t pid, const struct impl_vtty_devs *d);
/*
 * A container ready for console tests: private mounts, terminals created,
 * nodes bind-mounted as above.  @d (may be NULL) gets the devices.
 */
int vtty_setup(struct ct *ct, struct impl_vtty_devs *d);

/*
 * Read from @fd until @want bytes have arrived, end of file, or @timeout_ms
 * passed (poll with a deadline; works on blocking and non-blocking fds).
 * Returns the bytes read (fewer than @want on end of file or timeout) or
 * -errno if nothing was read and an error occurred.
 */
ssize_t vtty_read_for(int fd, void *buf, size_t want, int timeout_ms);
/*
 * Read until @needle has been seen or @timeout_ms passed.  Returns 0 when
 * found, -ETIMEDOUT, -ENODATA at end of file, or -errno; the text read
 * (NUL-terminated, its first @seen_len - 1 bytes) goes to @seen if not
 * NULL, for the failure message (see vtty_printable).  Nothing after the
 * needle is read: it stays for the next read or vtty_expect.
 */
int vtty_expect(int fd, const char *needle, int timeout_ms, char *seen, size_t seen_len);
/* Everything @fd has right now without waiting (at most @len bytes). */
ssize_t vtty_drain(int fd, void *buf, size_t len);
/*
 * Write all of @buf, waiting for POLLOUT (or retrying EAGAIN) until
 * @timeout_ms passed.  Returns the bytes written (fewer on timeout) or -errno.
 */
ssize_t vtty_write_for(int fd, const void *buf, size_t len, int timeout_ms);

/*
 * @len bytes of terminal output made fit for one log line (TH_LOG): \r, \n,
 * \t, \e, \\ and \xNN for other bytes outside ' '..'~'; truncated to fit
 * @outlen bytes with the NUL.  Returns @out.
 */
const char *vtty_printable(const void *text, size_t len, char *out, size_t outlen);

/*
 * Test data that output processing leaves alone (printable ASCII, no
 * newline): byte i of stream @seed is vtty_pattern_byte(seed, i).
 */
char vtty_pattern_byte(unsigned int seed, uint64_t i);
void vtty_pattern(void *buf, size_t len, unsigned int seed, uint64_t offset);
/* Index of the first byte of @buf that differs from the stream, or -1. */
long vtty_pattern_check(const void *buf, size_t len, unsigned int seed, uint64_t offset);

#endif /* DEVNS_VTTY_H */
