/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Background jobs: fn(arg) in a process of its own, on the host (a fork of
 * the caller) or inside a container (started by the container's serving
 * process, so the container stays usable for ct_call() and ct_open() while
 * the job runs).  The suites' agents, writers and concurrent callers, the
 * benchmarks' agents and mappers are all jobs.
 *
 * A keeper process forks the job, waits for it and reports on a pipe: the
 * job's pid as the host sees it, fn's result, and how the job ended.  The
 * keeper keeps no other file open (only the job holds the caller's).  The
 * pipe's end of file tells the caller at once that the job and its keeper
 * are gone (e.g. killed with their container), so nobody waits out a
 * deadline for a dead job, and a job is never signalled after it ended (its
 * pid may be another process's by then).
 */
#ifndef DEVNS_JOB_H
#define DEVNS_JOB_H

#include <stdbool.h>
#include <sys/types.h>

#include "container.h"

struct job {
	pid_t pid;	/* the process running fn, as the host sees it (0: none) */
	pid_t keeper;	/* host jobs: the keeper, our child (0 in a container) */
	int fd;		/* the keeper's reports, while open */
	bool open;	/* fd is ours (a zeroed struct job is no job) */
	int result;	/* fn's result once reported; at the end, job_join()'s */
	bool got_result;	/* fn returned and reported */
	bool ended;	/* the keeper reported the end, or the pipe closed */
};

/*
 * Start fn(arg) in the background, in @ct or, with @ct NULL, in a forked
 * host process.  Returns 0 once the job runs (j->pid set), or -errno.  A
 * host job is a fork of the caller: it holds a copy of every fd the caller
 * has.
 */
int job_start(struct job *j, struct ct *ct, ct_fn fn, long arg);
/*
 * Wait until the job ended: fn's return value; -1000 - signal if the job
 * died of a signal; -EPIPE if it vanished with no report (its container
 * was stopped); -ETIMEDOUT after @timeout_ms, the job then killed.  A
 * joined job answers the same again.
 */
int job_join(struct job *j, int timeout_ms);
/* True while the job has not ended (it or its keeper still lives). */
bool job_running(struct job *j);
/* Kill a job that still runs, reap what is ours, forget it (teardown). */
void job_kill(struct job *j);

/*
 * The keeper, for the container's serving process: fork the job, report on
 * @report_fd, _exit when the job ended.
 */
void __attribute__((noreturn)) job_keeper(ct_fn fn, long arg, int report_fd);

#endif /* DEVNS_JOB_H */
