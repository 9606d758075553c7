/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container set-up for the suites: processes in new PID namespaces, made the
 * three ways LTP's container tests use (clone, unshare + fork, setns + fork),
 * optionally nested, plus a way to run a function inside a container.
 *
 * Every container has a serving process (`pid`, as seen by its creator) that
 * runs ct_call() requests in a fresh child inside the container.  A helper
 * process (`helper`) made it and stays in the creator's namespace; for
 * CT_UNSHARE it is the process that called unshare(CLONE_NEWPID).
 */
#ifndef DEVNS_CONTAINER_H
#define DEVNS_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum ct_mode {
	CT_CLONE,	/* clone(CLONE_NEWPID): pid is the new namespace's init */
	CT_UNSHARE,	/* helper unshare(CLONE_NEWPID)s, then forks the init */
	CT_JOIN,	/* helper setns()es into another container, then forks */
};

struct ct {
	pid_t pid;	/* serving process (init unless CT_JOIN) */
	pid_t helper;	/* its creator, in the caller's namespace */
	int cmd_fd;	/* requests to the serving process */
	int res_fd;	/* results from it */
};

/* Runs inside the container; returns 0..255 (e.g. 0 or a positive errno). */
typedef int (*ct_fn)(long arg);

/*
 * Start a container.  @parent: for CT_CLONE/CT_UNSHARE, NULL or a container
 * to nest the new PID namespace in; for CT_JOIN, the container to join.
 * Returns 0 or -errno.
 */
int ct_start(struct ct *ct, enum ct_mode mode, const struct ct *parent);
/*
 * Run fn(arg) in a new process inside the container and return its result,
 * or -1000 - signal if it died of a signal, or -errno on a transport error.
 */
int ct_call(struct ct *ct, ct_fn fn, long arg);
/*
 * open(@path, @flags) by a new process inside the container; the fd comes
 * back over SCM_RIGHTS, so it is bound to the container's namespaces.
 * Returns the fd or -errno.
 */
int ct_open(struct ct *ct, const char *path, int flags);
/*
 * Start fn(arg) as a background job inside the container, its keeper a
 * child of the serving process; returns the read end of the keeper's
 * reports, or -errno.  The transport of job_start() (job.h): use that.
 */
int ct_spawn(struct ct *ct, ct_fn fn, long arg);
/*
 * A file descriptor over a unix socket (SCM_RIGHTS), with an int: send_fd
 * sends @val as one message with @fd attached (nothing if @fd < 0); recv_fd
 * receives one such message (all of the int, on a stream socket): *@val gets
 * the int and *@fd the attached fd (O_CLOEXEC), or -1 if none came.  Both
 * return 0 or -errno.
 */
int send_fd(int sock, int val, int fd);
/* write() all of @len bytes (retrying short writes and EINTR): 0 or -errno (-EPIPE on a 0 write). */
int write_full(int fd, const void *buf, size_t len);
int recv_fd(int sock, int *val, int *fd);
/*
 * Give the container's serving process (and every process it starts from
 * now on) a private mount namespace: unshare(CLONE_NEWNS), then make every
 * mount private, so mounts made there do not reach the host.  Returns 0 or
 * -errno.
 */
int ct_private_mounts(struct ct *ct);
/*
 * setns() into the namespace of type @nstype (CLONE_NEWPID, CLONE_NEWNS or
 * CLONE_NEWUSER) of process @pid.  Returns 0 or -errno.
 */
int ns_enter(pid_t pid, int nstype);
/*
 * What a runtime writes for a process it started in a new user namespace:
 * "deny" to setgroups, then uid and gid 0 of that namespace mapped to host
 * @id (one id each), through /proc/PID (@pid 0: /proc/self, for a process
 * that has just unshare(CLONE_NEWUSER)ed).  Mapping another id than its own
 * needs CAP_SETUID and CAP_SETGID over the namespace (host root).  Returns
 * 0 or -errno.
 */
int userns_map_root(pid_t pid, unsigned int id);
/*
 * Bind-mount the file @src on @dst, creating @dst (an empty file) if it is
 * missing: how a runtime puts a device node into a container.  Returns 0 or
 * -errno.
 */
int bind_node(const char *src, const char *dst);
/* Kill the container (its whole PID namespace unless CT_JOIN) and reap it. */
void ct_stop(struct ct *ct);

/* A page shared by the test and every process it forks afterwards. */
void *ct_shared(void);
/*
 * Another such area of @len bytes (MAP_SHARED | MAP_ANONYMOUS); map it before
 * forking, e.g. from a constructor.  Exits the program if mmap fails.
 */
void *ct_shared_map(size_t len);
/*
 * Inode number of /proc/PID/ns/pid (the dev_ns identity), 0 on error.
 * PID 0 means the caller: inside a container the shared /proc shows the
 * host's PID numbers, so only /proc/self is right there.
 */
uint64_t pidns_id(pid_t pid);
/*
 * Scale a deadline for the emulator (DEVNS_ACCEL=tcg: x10) and the debug
 * kernel (DEVNS_KERNEL=debug-*: x3 more).  Deadlines only detect hangs:
 * no verdict may depend on how much work fits before one.
 */
int deadline_ms(int native_ms);
/* deadline_ms() in seconds, e.g. for a per-test timeout (TEST_F_TIMEOUT). */
int deadline_s(int native_s);
/*
 * The size of a stress test's work (rounds, switches, operations): @quick
 * by default, a third of it on a debug-* kernel, @full with
 * DEVNS_STRESS=full.  A fixed count either way, never a time budget.
 */
int stress_count(int quick, int full);
/*
 * How often the calling thread slept so far (voluntary context switches,
 * getrusage): a call that did not raise it did not wait for anything,
 * however long it took on a slow machine.  -1 on error.
 */
long voluntary_switches(void);
/* The state letter of /proc/@pid/stat ('R', 'S', 'Z', ...), 0 if it cannot be read. */
char proc_state(pid_t pid);
/*
 * Wait until @pid has exited (a zombie, or gone): 0, or -ETIMEDOUT after
 * @timeout_ms.  A PID namespace's init is a zombie only once every process
 * of the namespace is gone, so its namespace is dead then.
 */
int proc_wait_exited(pid_t pid, int timeout_ms);
/*
 * 0 once process @pid (as the host sees it) sleeps (state S or D) in system
 * call @nr, per /proc/PID/stat and /proc/PID/syscall; -ETIMEDOUT after
 * @timeout_ms, or -errno (-ESRCH: it is gone).
 */
int proc_wait_blocked(pid_t pid, long nr, int timeout_ms);
/* Milliseconds on a monotonic clock. */
int64_t now_ms(void);
/*
 * Call @check(@arg) every 2 ms until it returns non-zero or @timeout_ms
 * passed: 0 when it returned > 0, its value when < 0, else -ETIMEDOUT.
 */
int poll_until(int (*check)(void *arg), void *arg, int timeout_ms);

#endif /* DEVNS_CONTAINER_H */
