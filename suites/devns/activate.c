// SPDX-License-Identifier: GPL-2.0
/*
 * DEVNS-4..DEVNS-8: activation, exactly one active namespace, who may
 * activate, and errors for dead, missing and malformed targets.
 */
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <devns.h>

#include "devns_test.h"
#include "ctl_fixture.h"

/* How many of @pids' namespaces (plus the host) report active. */
static int count_active(struct __test_metadata *_metadata, FIXTURE_DATA(ctl) *self,
			const pid_t *pids, int n)
{
	struct impl_ns ns;
	int i, active = 0;

	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, self->im->describe(self->fd, pids[i], 0, &ns));
		active += ns.active;
	}
	return active;
}

TEST_F(ctl, exactly_one_active)
{
	struct impl_state st, before;
	struct impl_ns ns;
	struct ct a, b;
	pid_t pids[3];
	uint64_t act;

	REQ("DEVNS-4", "DEVNS-5");
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&b, CT_UNSHARE, NULL);
	pids[0] = getpid();
	pids[1] = a.pid;
	pids[2] = b.pid;
	DESCRIBE(a.pid, &ns);
	act = ns.activations;
	GET_STATE(&before);
	for (int round = 0; round < 3; round++) {
		for (int i = 1; i <= 3; i++) {
			pid_t target = pids[i % 3];

			ACTIVATE(target);
			GET_STATE(&st);
			EXPECT_EQ(pidns_id(target), st.active_id);
			EXPECT_EQ(1, count_active(_metadata, self, pids, 3));
			DESCRIBE(target, &ns);
			EXPECT_TRUE(ns.active);
		}
	}
	GET_STATE(&st);
	EXPECT_EQ(before.generation + 9, st.generation) TH_LOG("one switch per activation");
	DESCRIBE(a.pid, &ns);
	EXPECT_EQ(act + 3, ns.activations);
	ct_stop(&a);
	ct_stop(&b);
}

TEST_F(ctl, reactivating_active_is_not_a_switch)
{
	struct impl_state st, before;
	struct ct a, joined;

	REQ("DEVNS-5", "DEVNS-9");
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&joined, CT_JOIN, &a);
	ACTIVATE(a.pid);
	GET_STATE(&before);
	ACTIVATE(a.pid);
	ACTIVATE(joined.pid);
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
	if (impl_has(IMPL_CAP_POLL))
		EXPECT_EQ(0, self->im->wait_switch(self->fd, deadline_ms(50)));
	ct_stop(&joined);
	ct_stop(&a);
}

static int shared_ctl = -1;

/* In a container: activate our own namespace with the inherited handle. */
static int activate_self(long fresh)
{
	int fd = fresh ? impl()->open_ctl() : shared_ctl;
	int ret;

	if (fd < 0)
		return 100;
	ret = impl()->activate(fd, getpid(), 0);
	return ret ? -ret : 0;
}

TEST_F(ctl, eperm_inside_container)
{
	struct impl_state st, before;
	struct ct a;

	REQ("DEVNS-6");
	shared_ctl = self->fd;		/* before the fork: inherited by the container */
	CT_START(&a, CT_CLONE, NULL);
	GET_STATE(&before);
	EXPECT_EQ(EPERM, ct_call(&a, activate_self, 0)) TH_LOG("handle opened by host root");
	EXPECT_EQ(EPERM, ct_call(&a, activate_self, 1)) TH_LOG("handle opened in the container");
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
	ct_stop(&a);
}

/*
 * Child: become root of a new user namespace (mapped to host @uid), prove
 * it holds capabilities there, then try to activate @target.
 */
static int userns_activate(int fd, pid_t target, uid_t uid)
{
	int ret;

	if (uid && (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
		return 101;
	/* A uid change makes us non-dumpable: /proc/self/ would stay root's. */
	if (prctl(PR_SET_DUMPABLE, 1))
		return 105;
	if (unshare(CLONE_NEWUSER))
		return 102;
	if (userns_map_root(0, uid))
		return 103;
	if (getuid() != 0 || unshare(CLONE_NEWUTS))	/* needs CAP_SYS_ADMIN here */
		return 104;
	ret = impl()->activate(fd, target, 0);
	return ret ? -ret : 0;
}

TEST_F(ctl, eperm_userns_root)
{
	static const uid_t owners[] = { 0, 65534 };	/* real root, nobody */
	struct impl_state st, before;
	struct ct a;
	int status;
	pid_t child;

	REQ("DEVNS-6");
	CT_START(&a, CT_CLONE, NULL);
	GET_STATE(&before);
	for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
		child = fork();
		if (child == 0)
			_exit(userns_activate(self->fd, a.pid, owners[i]));
		ASSERT_EQ(child, waitpid(child, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(EPERM, WEXITSTATUS(status))
			TH_LOG("user namespace owned by uid %u (100+: set-up failed)", owners[i]);
	}
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	ct_stop(&a);
}

TEST_F(ctl, eperm_unprivileged_host_user)
{
	struct impl_state st, before;
	struct ct a;
	int status;
	pid_t child;

	REQ("DEVNS-6");
	CT_START(&a, CT_CLONE, NULL);
	GET_STATE(&before);
	child = fork();
	if (child == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(101);
		_exit(-self->im->activate(self->fd, a.pid, 0));
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	ct_stop(&a);
}

TEST_F(ctl, esrch_missing_pid)
{
	struct impl_state st, before;
	pid_t gone = fork();

	REQ("DEVNS-7");
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));
	GET_STATE(&before);
	EXPECT_EQ(-ESRCH, self->im->activate(self->fd, gone, 0));
	EXPECT_EQ(-ESRCH, self->im->activate(self->fd, 0x3ffffff, 0));
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
}

static char zombie_stack[64 * 1024] __attribute__((aligned(16)));

static int exit_now(void *arg)
{
	(void)arg;
	return 0;
}

TEST_F(ctl, esrch_dead_namespace)
{
	struct impl_state st, before;
	siginfo_t info;
	struct ct a, joined;
	pid_t init;

	REQ("DEVNS-7");
	/* A zombie init: its pid still resolves, its namespace is dead. */
	init = clone(exit_now, zombie_stack + sizeof(zombie_stack), CLONE_NEWPID | SIGCHLD, NULL);
	ASSERT_LT(0, init);
	ASSERT_EQ(0, waitid(P_PID, init, &info, WEXITED | WNOWAIT));
	GET_STATE(&before);
	EXPECT_EQ(-ESRCH, self->im->activate(self->fd, init, 0));
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
	ASSERT_EQ(init, waitpid(init, NULL, 0));

	/* A namespace the implementation already knew, once its init is gone. */
	CT_START(&a, CT_CLONE, NULL);
	CT_START(&joined, CT_JOIN, &a);
	ACTIVATE(a.pid);
	ACTIVATE(getpid());
	ct_stop(&a);	/* kills the namespace; joined's server may linger as a zombie */
	GET_STATE(&before);
	EXPECT_EQ(-ESRCH, self->im->activate(self->fd, a.pid, 0));
	EXPECT_EQ(-ESRCH, self->im->activate(self->fd, joined.pid, 0));
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	ct_stop(&joined);
}

TEST_F(ctl, einval_bad_arguments)
{
	struct impl_state st, before;
	struct impl_ns ns;
	struct ct a;

	REQ("DEVNS-8");
	CT_START(&a, CT_CLONE, NULL);
	GET_STATE(&before);
	EXPECT_EQ(-EINVAL, self->im->activate(self->fd, -1, 0));
	EXPECT_EQ(-EINVAL, self->im->activate(self->fd, -2147483647 - 1, 0));
	EXPECT_EQ(-EINVAL, self->im->activate(self->fd, 0, 0));
	EXPECT_EQ(-EINVAL, self->im->activate(self->fd, a.pid, 1));
	EXPECT_EQ(-EINVAL, self->im->activate(self->fd, a.pid, 0x80000000u));
	EXPECT_EQ(-EINVAL, self->im->describe(self->fd, -5, 0, &ns));
	EXPECT_EQ(-EINVAL, self->im->describe(self->fd, getpid(), 4, &ns));
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
	ct_stop(&a);
}

TEST_F(ctl, uapi_bad_pointers_and_commands)
{
	struct impl_state st, before;
	void *hole;

	REQ("DEVNS-8");
	REQUIRE_CAP(IMPL_CAP_UAPI);
	hole = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole, 4096));
	GET_STATE(&before);
	EXPECT_EQ(-1, ioctl(self->fd, DEVNS_IOC_ACTIVATE, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DEVNS_IOC_ACTIVATE, hole));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DEVNS_IOC_GET_STATE, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, DEVNS_IOC_DESCRIBE, hole));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IO(DEVNS_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOW(DEVNS_IOC_MAGIC, 0x01, __u32), &before));
	EXPECT_EQ(ENOTTY, errno) TH_LOG("right number, wrong size");
	GET_STATE(&st);
	EXPECT_EQ(before.generation, st.generation);
	EXPECT_EQ(before.active_id, st.active_id);
}

TEST_HARNESS_MAIN
