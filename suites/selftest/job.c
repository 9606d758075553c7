// SPDX-License-Identifier: GPL-2.0
/*
 * The library's background jobs (lib/job.h), on the host: what a job
 * reports, that a container stays usable while its job runs, and that the
 * end of a job is seen when it happens (a job that dies with its container
 * answers -EPIPE, not -ETIMEDOUT at the deadline).  Needs root (PID
 * namespaces), no module.  Not part of any conformance suite: make test
 * runs it on the host (its "library" step).
 */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "devns_test.h"
#include "job.h"

/* Long enough never to pass on a slow machine: only a hang reaches it. */
#define HANG_MS deadline_ms(60000)

static int returns(long val)
{
	return (int)val;
}

static int dies_of(long sig)
{
	raise((int)sig);
	return 0;
}

static int sleeps(long unused)
{
	(void)unused;
	for (;;)
		pause();
	return 0;
}

/* 1 if the caller runs in another PID namespace than @host_ns. */
static int in_other_pidns(long host_ns)
{
	return pidns_id(0) != (uint64_t)host_ns;
}

FIXTURE(job) {
	struct ct ct;
	struct job job;
};

FIXTURE_VARIANT(job) {
	bool in_ct;	/* the job runs in a container, else on the host */
};

FIXTURE_VARIANT_ADD(job, host) {
	.in_ct = false,
};

FIXTURE_VARIANT_ADD(job, container) {
	.in_ct = true,
};

FIXTURE_SETUP(job)
{
	memset(&self->job, 0, sizeof(self->job));
	if (variant->in_ct)
		ASSERT_EQ(0, ct_start(&self->ct, CT_CLONE, NULL));
}

FIXTURE_TEARDOWN(job)
{
	job_kill(&self->job);
	if (variant->in_ct)
		ct_stop(&self->ct);
}

static struct ct *where(struct _test_data_job *self, const struct _fixture_variant_job *variant)
{
	return variant->in_ct ? &self->ct : NULL;
}

/* fn's whole int comes back, negative values too, and again on a second join. */
TEST_F(job, result_is_fns_return_value)
{
	ASSERT_EQ(0, job_start(&self->job, where(self, variant), returns, -ENOENT));
	EXPECT_GT(self->job.pid, 0);
	EXPECT_NE(getpid(), self->job.pid);
	EXPECT_EQ(-ENOENT, job_join(&self->job, HANG_MS));
	EXPECT_EQ(-ENOENT, job_join(&self->job, HANG_MS));
	EXPECT_FALSE(job_running(&self->job));
}

TEST_F(job, runs_where_asked)
{
	uint64_t ns = pidns_id(0);

	ASSERT_NE(0, ns);
	ASSERT_EQ(0, job_start(&self->job, where(self, variant), in_other_pidns, (long)ns));
	EXPECT_EQ(variant->in_ct, job_join(&self->job, HANG_MS));
}

TEST_F(job, death_by_signal_is_reported)
{
	ASSERT_EQ(0, job_start(&self->job, where(self, variant), dies_of, SIGTERM));
	EXPECT_EQ(-1000 - SIGTERM, job_join(&self->job, HANG_MS));
}

/* After -ETIMEDOUT the job is gone: its process has exited. */
TEST_F(job, timeout_kills_the_job)
{
	pid_t pid;

	ASSERT_EQ(0, job_start(&self->job, where(self, variant), sleeps, 0));
	pid = self->job.pid;
	EXPECT_TRUE(job_running(&self->job));
	EXPECT_EQ(0, proc_wait_blocked(pid, SYS_pause, HANG_MS));
	EXPECT_EQ(-ETIMEDOUT, job_join(&self->job, 10));
	EXPECT_EQ(0, proc_wait_exited(pid, HANG_MS));
	EXPECT_EQ(-ETIMEDOUT, job_join(&self->job, 10));
}

/* A killed job's end is seen at once, without a deadline. */
TEST_F(job, kill_from_outside_is_seen)
{
	ASSERT_EQ(0, job_start(&self->job, where(self, variant), sleeps, 0));
	ASSERT_EQ(0, kill(self->job.pid, SIGKILL));
	EXPECT_EQ(-1000 - SIGKILL, job_join(&self->job, HANG_MS));
}

/* A host job closes its copy of @fd, then sleeps. */
static int closes_and_sleeps(long fd)
{
	close((int)fd);
	return sleeps(0);
}

/*
 * Only the job holds the caller's files, not its keeper: once the job and
 * the caller closed a pipe's write end, its reader sees end of file while
 * the job still runs.
 */
TEST(keeper_holds_no_file_of_the_job)
{
	struct job j = { .fd = -1 };
	char byte;
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, job_start(&j, NULL, closes_and_sleeps, p[1]));
	close(p[1]);
	ASSERT_EQ(0, proc_wait_blocked(j.pid, SYS_pause, HANG_MS));
	EXPECT_EQ(0, read(p[0], &byte, 1)) TH_LOG("a process still holds the write end");
	EXPECT_TRUE(job_running(&j));
	job_kill(&j);
	close(p[0]);
}

/* Jobs in a container only. */
FIXTURE(ct_job) {
	struct ct ct;
	struct job job;
};

FIXTURE_SETUP(ct_job)
{
	memset(&self->job, 0, sizeof(self->job));
	ASSERT_EQ(0, ct_start(&self->ct, CT_CLONE, NULL));
	ASSERT_EQ(0, job_start(&self->job, &self->ct, sleeps, 0));
}

FIXTURE_TEARDOWN(ct_job)
{
	job_kill(&self->job);
	ct_stop(&self->ct);
}

/* While a job runs in the container, the container serves other calls. */
TEST_F(ct_job, container_stays_usable)
{
	EXPECT_EQ(7, ct_call(&self->ct, returns, 7));
	EXPECT_TRUE(job_running(&self->job));
}

/*
 * A job that dies with its container answers at once: -EPIPE if its keeper
 * died first, -1000 - SIGKILL if the keeper saw the job die; never the
 * deadline's -ETIMEDOUT.
 */
TEST_F(ct_job, vanishes_with_its_container)
{
	int ret;

	ct_stop(&self->ct);
	ret = job_join(&self->job, HANG_MS);
	EXPECT_TRUE(ret == -EPIPE || ret == -1000 - SIGKILL) TH_LOG("job_join: %d", ret);
}

TEST_HARNESS_MAIN
