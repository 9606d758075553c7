// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-10, VTTY-11: the end of a namespace with the host attached (the host
 * reads what is left, then end of file; writes fail; container files that
 * escaped are hung up; the namespace cannot be attached again), and no
 * terminal outlives its namespace and its files, whatever order they close
 * in, so the module unloads.
 */
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "vtty_fixture.h"

/* revents of poll() on @fd for nothing but hangups (and errors), with a deadline. */
static short hangup_within(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = 0 };

	if (poll(&p, 1, timeout_ms) < 0)
		return -1;
	return p.revents;
}

TEST_F(vt, namespace_death_host_reads_rest_then_eof)
{
	struct impl_vtty_devs devs;
	struct impl_vtty_info info;
	struct vt_write w;
	struct vt_agent *r;
	struct ct *ct;
	char buf[4000];
	int h1, h2, reader;
	ssize_t n;
	short rev;

	REQ("VTTY-10");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&h1, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	VT_ATTACH(&h2, ct->pid, 2, 0);
	w = vt_write_pattern("/dev/tty2", 91, 3000, 0);
	VT_CT_WRITE(ct, &w, VT_SOON);
	VT_INFO(h1, &info);
	ASSERT_EQ(3000, info.buffered);
	EXPECT_FALSE(info.dead);
	/* A host reader asleep in read() on a terminal with nothing buffered. */
	reader = vt_reader_start(h2, 1);
	ASSERT_LE(0, reader);
	r = &vt_job(reader)->agent;
	ASSERT_EQ(0, proc_wait_blocked(vt_job(reader)->pid, SYS_read, VT_SOON));

	ct_stop(ct);		/* its init dies: the namespace is gone */

	rev = hangup_within(h1, VT_SOON);
	ASSERT_TRUE(rev > 0 && (rev & POLLHUP)) TH_LOG("poll after the death: %#x", rev);
	/* What was left, in order, then end of file, again and again. */
	n = vtty_read_for(h1, buf, sizeof(buf), VT_SOON);
	EXPECT_EQ(3000, n);
	EXPECT_EQ(-1, vtty_pattern_check(buf, n > 0 ? (size_t)n : 0, 91, 0));
	EXPECT_EQ(0, read(h1, buf, sizeof(buf)));
	EXPECT_EQ(0, read(h1, buf, 1));
	EXPECT_EQ(-1, write(h1, "x", 1));
	EXPECT_EQ(EIO, errno);
	VT_INFO(h1, &info);
	EXPECT_TRUE(info.dead);
	EXPECT_FALSE(info.open);
	EXPECT_EQ(0, info.buffered);

	/* The sleeping reader woke with end of file. */
	ASSERT_EQ(0, flag_wait(&r->finished, 1, VT_SOON))
		TH_LOG("a host read() blocked at the death never returned");
	EXPECT_EQ(0, r->last);
	EXPECT_EQ(0, r->got);
	/* The blocking fd too. */
	rev = hangup_within(h2, 0);
	EXPECT_TRUE(rev > 0 && (rev & POLLHUP)) TH_LOG("poll on the blocking fd: %#x", rev);
	EXPECT_EQ(0, read(h2, buf, 1));
	EXPECT_EQ(-1, write(h2, "x", 1));
	EXPECT_EQ(EIO, errno);
}

/* A container file the test holds (passed out over SCM_RIGHTS) outlives the namespace. */
TEST_F(vt, escaped_container_file_is_hung_up)
{
	struct impl_vtty_devs devs;
	struct vt_agent *r;
	struct ct *ct;
	char buf[64];
	int h, cfd, reader;
	short rev;

	REQ("VTTY-10");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&h, ct->pid, 3, IMPL_VTTY_NONBLOCK);
	VT_CT_OPEN(&cfd, ct, "/dev/tty4", O_RDWR | O_NOCTTY);
	ASSERT_EQ(6, write(cfd, "before", 6));
	ASSERT_EQ(0, vtty_expect(h, "before", VT_SOON, NULL, 0));
	/* Someone asleep reading the escaped file. */
	reader = vt_reader_start(cfd, 1);
	ASSERT_LE(0, reader);
	r = &vt_job(reader)->agent;
	ASSERT_EQ(0, proc_wait_blocked(vt_job(reader)->pid, SYS_read, VT_SOON));

	ct_stop(ct);

	ASSERT_EQ(0, flag_wait(&r->finished, 1, VT_SOON))
		TH_LOG("a read() of the escaped file never returned");
	EXPECT_EQ(0, r->last) TH_LOG("the sleeping reader got %d, want end of file", r->last);
	rev = hangup_within(cfd, VT_SOON);
	EXPECT_TRUE(rev > 0 && (rev & POLLHUP)) TH_LOG("poll on the escaped file: %#x", rev);
	EXPECT_EQ(0, read(cfd, buf, sizeof(buf)));
	EXPECT_EQ(-1, write(cfd, "after", 5));
	EXPECT_EQ(EIO, errno);
	/* Nothing written after the hangup reached the host. */
	rev = hangup_within(h, VT_SOON);
	EXPECT_TRUE(rev > 0 && (rev & POLLHUP)) TH_LOG("poll on the host fd: %#x", rev);
	EXPECT_EQ(0, read(h, buf, sizeof(buf)));
}

static char init_stack[64 * 1024] __attribute__((aligned(16)));

/* A namespace's init that lives until the write end of its pipe (arg) closes. */
static int init_until_eof(void *arg)
{
	int *pipefd = arg;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(pipefd[1]);
	while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
		;
	return 0;
}

TEST_F(vt, attach_to_dead_namespace_is_esrch)
{
	struct impl_vtty_devs devs;
	struct impl_vtty_info info;
	siginfo_t si;
	int pipefd[2], h, fd;
	pid_t init;
	short rev;

	REQ("VTTY-10");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	init = clone(init_until_eof, init_stack + sizeof(init_stack), CLONE_NEWPID | SIGCHLD,
		     pipefd);
	ASSERT_LT(0, init) TH_LOG("clone: %s", strerror(errno));
	close(pipefd[0]);
	ASSERT_EQ(0, vtty_devices(init, &devs));
	VT_ATTACH(&h, init, 0, IMPL_VTTY_NONBLOCK);

	/*
	 * The init exits; until it is reaped it is a zombie whose pid still
	 * names the dead namespace.
	 */
	close(pipefd[1]);
	ASSERT_EQ(0, waitid(P_PID, init, &si, WEXITED | WNOWAIT));
	/* The attached fd reports the death (the implementation may learn it a bit later). */
	rev = hangup_within(h, VT_SOON);
	ASSERT_TRUE(rev > 0 && (rev & POLLHUP)) TH_LOG("poll: %#x", rev);
	VT_INFO(h, &info);
	EXPECT_TRUE(info.dead);
	fd = vtty_attach(init, 1, IMPL_VTTY_NONBLOCK);
	EXPECT_EQ(-ESRCH, fd) TH_LOG("attach to another terminal of the dead namespace: %s",
				     fd < 0 ? strerror(-fd) : "succeeded");
	if (fd >= 0)
		close(fd);
	VT_CLOSE(&h);
	fd = vtty_attach(init, 0, IMPL_VTTY_NONBLOCK);
	EXPECT_EQ(-ESRCH, fd) TH_LOG("attach again after the detach: %s",
				     fd < 0 ? strerror(-fd) : "succeeded");
	if (fd >= 0)
		close(fd);
	ASSERT_EQ(init, waitpid(init, NULL, 0));
}

/* ---- VTTY-11: no leaks ----------------------------------------------------- */

enum close_event {
	EV_EXIT,	/* the namespace dies (ct_stop) */
	EV_DETACH,	/* the host fd closes */
	EV_CT_CLOSE,	/* the container's file, held by the test, closes */
};

static const char *const event_name[] = {
	[EV_EXIT] = "namespace exit", [EV_DETACH] = "host detach",
	[EV_CT_CLOSE] = "container file close",
};

/* The three ends of a terminal closed in every order: one variant per order. */
FIXTURE(close_order) {
	struct vt_world vt;
};

FIXTURE_VARIANT(close_order) {
	enum close_event order[3];
};

FIXTURE_VARIANT_ADD(close_order, exit_detach_close) {
	.order = { EV_EXIT, EV_DETACH, EV_CT_CLOSE },
};

FIXTURE_VARIANT_ADD(close_order, exit_close_detach) {
	.order = { EV_EXIT, EV_CT_CLOSE, EV_DETACH },
};

FIXTURE_VARIANT_ADD(close_order, detach_exit_close) {
	.order = { EV_DETACH, EV_EXIT, EV_CT_CLOSE },
};

FIXTURE_VARIANT_ADD(close_order, detach_close_exit) {
	.order = { EV_DETACH, EV_CT_CLOSE, EV_EXIT },
};

FIXTURE_VARIANT_ADD(close_order, close_exit_detach) {
	.order = { EV_CT_CLOSE, EV_EXIT, EV_DETACH },
};

FIXTURE_VARIANT_ADD(close_order, close_detach_exit) {
	.order = { EV_CT_CLOSE, EV_DETACH, EV_EXIT },
};

FIXTURE_SETUP(close_order)
{
	vt_world_setup(&self->vt);
}

FIXTURE_TEARDOWN(close_order)
{
	vt_world_teardown(&self->vt);
}

/*
 * A container writes to its console and keeps it open (a file the test
 * holds); the host is attached.  Then the three ends go in the variant's
 * order, and the terminal counter must come back to where it was.
 */
TEST_F(close_order, no_leak)
{
	const enum close_event *order = variant->order;
	struct impl_vtty_devs devs;
	struct impl_report r;
	struct ct *ct;
	long before, mid[2];
	int hfd, cfd;
	char c;

	REQ("VTTY-11");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_COUNTERS);
	before = vt_vttys_settled(VT_SETTLE);
	ASSERT_LE(0, before) TH_LOG("counters: %s", strerror((int)-before));
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_CT_OPEN(&cfd, ct, "/dev/console", O_RDWR | O_NOCTTY);
	ASSERT_EQ(1, write(cfd, "x", 1));
	ASSERT_EQ(1, vtty_read_for(hfd, &c, 1, VT_SOON));
	ASSERT_EQ(0, impl()->report(&r));
	EXPECT_EQ(before + 1, r.vttys) TH_LOG("the new namespace's terminals are not counted");

	for (int i = 0; i < 3; i++) {
		switch (order[i]) {
		case EV_EXIT:
			ct_stop(ct);
			break;
		case EV_DETACH:
			VT_CLOSE(&hfd);
			break;
		case EV_CT_CLOSE:
			VT_CLOSE(&cfd);
			break;
		}
		if (i < 2)
			mid[i] = impl()->report(&r) ? -1 : r.vttys;
	}
	EXPECT_EQ(0, vt_wait_vttys(before, VT_SETTLE, &r))
		TH_LOG("count vtty %ld, want %ld after %s (%ld), %s (%ld), %s", r.vttys, before,
		       event_name[order[0]], mid[0], event_name[order[1]], mid[1],
		       event_name[order[2]]);
}

/* Terminals that were only asked about, and one a container opened and closed by itself. */
TEST_F(vt, no_leak_without_host_files)
{
	struct impl_vtty_devs devs;
	struct impl_report r;
	struct vt_write w;
	struct ct *a, *b;
	long before;

	REQ("VTTY-11");
	REQUIRE_CAP(IMPL_CAP_VTTY | IMPL_CAP_COUNTERS);
	before = vt_vttys_settled(VT_SETTLE);
	ASSERT_LE(0, before);
	VT_NEW_CT(&a, &devs);
	VT_NEW_CT(&b, &devs);
	w = vt_write_text("/dev/tty5", "unread output");
	VT_CT_WRITE(b, &w, VT_SOON);
	ASSERT_EQ(0, impl()->report(&r));
	EXPECT_EQ(before + 2, r.vttys);
	ct_stop(a);
	ct_stop(b);
	EXPECT_EQ(0, vt_wait_vttys(before, VT_SETTLE, &r))
		TH_LOG("count vtty %ld, want %ld", r.vttys, before);
}

/* No fixture: the module must be free of files to unload. */
TEST(module_unloads_after_terminals_were_used)
{
	const struct impl_ops *im = impl();
	struct impl_vtty_devs devs;
	struct impl_report r;
	struct vt_write w;
	struct ct a;
	char buf[32];
	int hfd, cfd, ret;
	long before;

	REQ("VTTY-11");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	if (!impl_has(IMPL_CAP_RELOAD) || !impl_has(IMPL_CAP_COUNTERS))
		SKIP(return, "implementation '%s' cannot be restarted", im->name);
	signal(SIGHUP, SIG_IGN);
	before = vt_vttys_settled(VT_SETTLE);
	ASSERT_LE(0, before);
	ASSERT_EQ(0, ct_start(&a, CT_CLONE, NULL));
	ASSERT_EQ(0, vtty_setup(&a, &devs));
	hfd = vtty_attach(a.pid, 0, IMPL_VTTY_NONBLOCK);
	ASSERT_LE(0, hfd);
	cfd = ct_open(&a, "/dev/tty3", O_RDWR | O_NOCTTY);
	ASSERT_LE(0, cfd);
	w = vt_write_text("/dev/console", "to the host");
	ASSERT_EQ(0, vt_ct_write(&a, &w, VT_SOON));
	ASSERT_EQ(0, vtty_expect(hfd, "to the host", VT_SOON, NULL, 0));
	close(cfd);
	close(hfd);
	ct_stop(&a);
	EXPECT_EQ(0, vt_wait_vttys(before, VT_SETTLE, &r))
		TH_LOG("count vtty %ld, want %ld", r.vttys, before);

	ret = impl_stop_settled();
	ASSERT_EQ(0, ret) TH_LOG("unload: %s", strerror(-ret));
	ASSERT_EQ(0, im->start());

	/* The reloaded implementation gives a new namespace working terminals. */
	ASSERT_EQ(0, ct_start(&a, CT_CLONE, NULL));
	ASSERT_EQ(0, vtty_setup(&a, &devs));
	hfd = vtty_attach(a.pid, 0, IMPL_VTTY_NONBLOCK);
	ASSERT_LE(0, hfd);
	w = vt_write_text("/dev/console", "after reload");
	ASSERT_EQ(0, vt_ct_write(&a, &w, VT_SOON));
	EXPECT_EQ(0, vtty_expect(hfd, "after reload", VT_SOON, buf, sizeof(buf)))
		TH_LOG("read '%s'", buf);
	close(hfd);
	ct_stop(&a);
}

TEST_HARNESS_MAIN
