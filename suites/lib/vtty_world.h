/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the vtty suite's behaviour tests: output written by a process
 * inside a container, background jobs (in a container or on the host) that
 * report through shared memory, a container "agent" that holds a terminal
 * open and reads it (optionally as its controlling terminal, counting the
 * signals it gets), binary test data, the terminal-set counter, and a way
 * to know a process really
 * sleeps in a system call before the test acts on it.
 *
 * Nothing here calls the harness: functions return 0 (or a count, or an
 * id) on success and -errno on failure.  vtty_fixture.h has the FIXTURE.
 */
#ifndef DEVNS_VTTY_WORLD_H
#define DEVNS_VTTY_WORLD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include "container.h"
#include "job.h"
#include "sync.h"
#include "vtty.h"

/* ---- test data ------------------------------------------------------- */

enum vt_data {
	VT_PATTERN,	/* vtty_pattern(): printable, no newline (any termios) */
	VT_BINARY,	/* vt_binary(): every byte value (needs raw mode for exact output) */
	VT_TEXT,	/* struct vt_write.text */
};

void vt_binary(void *buf, size_t len, unsigned int seed, uint64_t offset);
/* vtty_pattern() or vt_binary() by @data (not VT_TEXT). */
void vt_fill(int data, void *buf, size_t len, unsigned int seed, uint64_t offset);
/* Index of the first byte of @buf that differs from the stream, or -1. */
long vt_check(int data, const void *buf, size_t len, unsigned int seed, uint64_t offset);

/* ---- output written in a container ------------------------------------ */

/* The step of a struct vt_write that failed. */
enum vt_write_step {
	VT_W_OK,
	VT_W_OPEN,
	VT_W_RAW,
	VT_W_ALLOC,
	VT_W_WRITE,	/* write() failed: err */
	VT_W_POLL,	/* poll() failed, or no POLLOUT (revents) */
	VT_W_TCDRAIN,
	VT_W_TCSETSW,
	VT_W_CLOSE,
	VT_W_STOPPED,	/* vt_writer_start: job->stop came before len bytes */
};

/*
 * Open @path (O_RDWR | O_NOCTTY | @oflags), optionally cfmakeraw(), write
 * @len bytes of data in write() calls of @chunk bytes (0: one call), then
 * optionally check that poll() reports POLLOUT at once and that tcdrain()
 * and TCSETSW (tcsetattr TCSADRAIN) return, and close.  A short write is
 * counted and the rest written by the next call.
 */
struct vt_write {
	char path[32];
	int oflags;		/* e.g. O_NONBLOCK */
	bool raw;
	int data;		/* enum vt_data */
	unsigned int seed;
	uint64_t offset;	/* stream offset of the first byte */
	uint64_t len;		/* VT_TEXT: 0 means strlen(text) */
	uint32_t chunk;
	bool vary;		/* chunk sizes 1, 2, ..., chunk, 1, 2, ... */
	bool drain_checks;
	uint32_t pause_us;	/* vt_writer_start: pause after each write (load, not a wait) */
	char text[256];
	/* results */
	int step;		/* enum vt_write_step */
	int err;		/* errno of the failing step */
	uint64_t done;		/* bytes the write() calls accepted */
	uint32_t calls;		/* write() calls */
	uint32_t short_calls;	/* calls that accepted fewer bytes than asked */
	short revents;		/* drain_checks: poll() with timeout 0 */
	int64_t slowest_ms;	/* the longest single write/tcdrain/TCSETSW */
	uint32_t slept;		/* write/tcdrain/TCSETSW calls that slept (voluntary_switches) */
};

/* A vt_write of @len bytes of vtty_pattern(@seed) from offset 0 to @path. */
struct vt_write vt_write_pattern(const char *path, unsigned int seed, uint64_t len, uint32_t chunk);
/* A vt_write of the string @text to @path. */
struct vt_write vt_write_text(const char *path, const char *text);

/* Do @w in this process (opening w->path here); returns w->step ? -w->err : 0. */
int vt_write_here(struct vt_write *w);
/* Write on an fd that is already open (no open, raw or close step). */
int vt_write_fd(int fd, struct vt_write *w);
/*
 * Do @w in a new process inside @ct and wait for it at most @timeout_ms.
 * Returns 0 when that process finished (then check w->step), -ETIMEDOUT if
 * it did not (it is left where it blocked, and so is @ct's serving process:
 * use nothing of @ct but ct_stop() afterwards), or another -errno.
 */
int vt_ct_write(struct ct *ct, struct vt_write *w, int timeout_ms);
/* Human-readable name of a step, for messages. */
const char *vt_write_step_name(int step);

/* ---- background jobs ---------------------------------------------------- */

#define VT_MAX_JOBS	8
#define VT_AGENT_MAX	(64 * 1024)

/*
 * A container agent (vt_agent_start): opens @path, optionally as its
 * controlling terminal (setsid(), then open without O_NOCTTY: it is the
 * session leader and its process group the foreground one), optionally
 * raw; catches SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGWINCH, SIGCONT with
 * SA_RESTART and counts them; posts @opened; if @gated, waits for @go
 * (vt_agent_go) with the file open and unread; then read()s until @want
 * bytes came (0: until one read() returns), end of file or an error;
 * records the state at the end; if @hold, keeps the file open until
 * job->stop.
 */
struct vt_agent {
	char path[32];
	bool ctty;
	bool raw;
	bool hold;
	bool gated;
	uint32_t want;
	uint32_t go;		/* the test lets a gated agent read (vt_agent_go) */
	/* results, posted as they happen */
	uint32_t opened;	/* 1: open and set up (or open_err) */
	int open_err;		/* -errno of open/setsid/cfmakeraw */
	uint32_t reads;		/* read() calls that returned */
	uint32_t got;		/* bytes read so far, in data[] */
	int last;		/* the last read(): its count, 0 (end of file) or -errno */
	uint32_t finished;	/* 1: done reading (end state below recorded) */
	uint32_t sigs[65];	/* signals caught, by number */
	pid_t sid;		/* its session (the agent's own pid, in its namespace, if ctty) */
	struct termios tio_open, tio_end;
	int tio_end_err;	/* -errno of tcgetattr at the end */
	pid_t pgrp_open, pgrp_end;	/* tcgetpgrp() (ctty only), -errno on failure */
	struct winsize ws_open, ws_end;
	short revents_end;	/* poll() with timeout 0 at the end */
	char data[VT_AGENT_MAX];
};

/* The shared side of a vt_spawn() job (its process is a job.h job). */
struct vt_job {
	ct_fn fn;
	long arg;
	pid_t pid;		/* the job's pid as the host sees it (0: not started) */
	uint32_t done;		/* 1 once fn returned (result set) */
	int result;
	uint32_t stop;		/* the test asks the job to end (vt_job_stop) */
	uint32_t progress;	/* free for the job (vt_writer_start: bytes written, mod 2^32) */
	union {
		struct vt_agent agent;	/* vt_agent_start */
		struct vt_write write;	/* vt_writer_start */
	};
};

/*
 * Run fn(arg) in the background as a job (job.h): in @ct (which stays
 * usable), or with @ct NULL in a forked host process.  Returns the job id
 * (0 .. VT_MAX_JOBS-1) once the job has started (job->pid set), or -errno.
 * Container jobs die with their container; vt_jobs_reset() kills the
 * others.
 *
 * A host job is a fork of the test: it holds a copy of every fd the test
 * has, container files included, so a test that wants the container's
 * last close to happen when it closes its own copy must have the job
 * close that fd first.
 */
int vt_spawn(struct ct *ct, ct_fn fn, long arg);
struct vt_job *vt_job(int id);
/* Inside a job: its own slot (NULL elsewhere). */
struct vt_job *vt_self(void);
/* Ask a job to end (job->stop). */
void vt_job_stop(int id);
/* Wait until the job ended: as job_join() (killed after -ETIMEDOUT). */
int vt_job_wait(int id, int timeout_ms);
/* Kill the jobs still running, forget every job (fixture setup/teardown). */
void vt_jobs_reset(void);

/* An agent (struct vt_agent's inputs from @a) in the background in @ct: the job id. */
int vt_agent_start(struct ct *ct, const struct vt_agent *a);
/* Wait until the agent opened its terminal: 0, its -open_err, or -ETIMEDOUT. */
int vt_agent_opened(int id, int timeout_ms);
/* Let a gated agent start reading. */
void vt_agent_go(int id);

/*
 * A writer in the background in @ct: opens w->path like vt_write, then
 * writes w->chunk bytes per call (pattern stream, job->progress = bytes
 * written, posted) until w->len bytes (0: until job->stop) or a failure,
 * which ends it with w->step/err set.  After every write it polls (timeout
 * 0) and fails with VT_W_POLL if it sees POLLHUP or POLLERR.
 */
int vt_writer_start(struct ct *ct, const struct vt_write *w);

/*
 * A reader in the background on the host: read()s @fd (inherited: e.g. a
 * host fd from an attach) until @want bytes came, end of file or an error,
 * reporting like an agent (job->agent: reads, got, last, data, finished).
 */
int vt_reader_start(int fd, uint32_t want);

/*
 * Poll impl()->report() until r->vttys == @want (live terminal sets, see
 * SPEC 4.1): 0, -ETIMEDOUT after @timeout_ms (@r has the last report), or
 * the report's -errno.
 */
int vt_wait_vttys(long want, int timeout_ms, struct impl_report *r);
/*
 * The terminal counter with no container terminals left, as a baseline for
 * "nothing leaked": makes the host's own set exist (it lives as long as the
 * implementation), then waits until it is the only one (freeing a dead
 * namespace's terminals may finish a little later, from a workqueue).
 * Returns 1, or on timeout the count then (an earlier leak shows as a
 * higher baseline), or -errno.
 */
long vt_vttys_settled(int timeout_ms);

/* ---- a test's world -------------------------------------------------------- */

#define VT_MAX_CT	6
#define VT_MAX_FD	64

/*
 * The containers and host fds (attaches, container files) a vtty test
 * started.  vt_world_setup() also resets the background jobs and ignores
 * SIGHUP, SIGTTOU and SIGTTIN in the test process (it holds terminals: a
 * session leader holding one gets SIGHUP on a hangup);
 * vt_world_teardown() kills the jobs, closes the fds, stops the containers.
 */
struct vt_world {
	struct ct ct[VT_MAX_CT];
	int nct;
	int fd[VT_MAX_FD];	/* open host fds (-1: free slot) */
};

void vt_world_setup(struct vt_world *w);
void vt_world_teardown(struct vt_world *w);
/* Remember @fd for teardown; false if the table is full. */
bool vt_keep_fd(struct vt_world *w, int fd);
/* Close a remembered fd (detach, or the container file's close): 0 or -errno. */
int vt_close_fd(struct vt_world *w, int fd);

#endif /* DEVNS_VTTY_WORLD_H */
