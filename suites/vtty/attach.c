// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-6, VTTY-7, VTTY-15: the two ends of a terminal come and go
 * independently.  Host attach and detach are invisible in the container and
 * container opens and closes are invisible to the host; one attach at a
 * time; either end works alone, the terminal's output and window size
 * outlive both ends while the namespace lives, and the container's last
 * close wakes a host blocked in write().
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "vtty_fixture.h"

/* How long a test waits to see that something does NOT happen (bounded, see each use). */
#define QUIET_MS	deadline_ms(150)

/* poll(@fd, @events, 0): the revents. */
static short revents_now(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

/* The same termios, field by field. */
static bool same_termios(const struct termios *a, const struct termios *b)
{
	return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag &&
	       a->c_cflag == b->c_cflag && a->c_lflag == b->c_lflag &&
	       !memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc));
}

/* Write @text to @path in @ct (open, write, close: maybe its last close). */
static void say(struct __test_metadata *_metadata, struct ct *ct, const char *path,
		const char *text)
{
	struct vt_write w = vt_write_text(path, text);

	VT_CT_WRITE(ct, &w, deadline_ms(5000));
}

/* ---- VTTY-6: attach and detach are invisible ----------------------------- */

/*
 * A session leader in the container has /dev/console as its controlling
 * terminal and sleeps in read(); a second process keeps writing to it.
 * The host attaches and detaches several times: the reader must stay in
 * read() (no end of file, no EIO, no SIGHUP), the writer must keep
 * succeeding with no POLLHUP, and at the end termios and the foreground
 * process group must be what they were.  A line typed by the host finally
 * ends the read, which proves it was the same read all along.
 */
TEST_F_TIMEOUT(vt, attach_detach_invisible_in_container, VT_TIMEOUT(40))
{
	/* hold: the session leader's exit would hang its controlling terminal up (VTTY-16) */
	struct vt_agent want = { .path = "/dev/console", .ctty = true, .want = 3, .hold = true };
	struct impl_vtty_devs d;
	struct vt_agent *ag;
	struct vt_job *rj, *wj;
	struct vt_write w;
	uint32_t progress;
	struct ct *a;
	int rid, wid, h, i;

	REQ("VTTY-6");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	rid = vt_agent_start(a, &want);
	ASSERT_LE(0, rid) TH_LOG("starting the reader: %s", strerror(-rid));
	ASSERT_EQ(0, vt_agent_opened(rid, deadline_ms(5000)));
	rj = vt_job(rid);
	ag = &rj->agent;
	ASSERT_LT(0, ag->pgrp_open) TH_LOG("the reader has no foreground process group: %s",
					   strerror(-ag->pgrp_open));
	ASSERT_EQ(0, proc_wait_blocked(rj->pid, SYS_read, deadline_ms(5000)));

	w = vt_write_pattern("/dev/console", 0x6001, 0, 64);	/* until stopped */
	w.pause_us = 2000;
	wid = vt_writer_start(a, &w);
	ASSERT_LE(0, wid) TH_LOG("starting the writer: %s", strerror(-wid));
	wj = vt_job(wid);
	ASSERT_EQ(0, flag_wait(&wj->progress, 64, deadline_ms(5000)));

	for (i = 0; i < 4; i++) {
		VT_ATTACH(&h, a->pid, 0, i % 2 ? IMPL_VTTY_NONBLOCK : 0);
		progress = wj->progress;
		ASSERT_EQ(0, flag_wait(&wj->progress, progress + 256, deadline_ms(5000)))
			TH_LOG("cycle %d: the writer stopped while attached: %s failed: %s", i,
			       vt_write_step_name(wj->write.step), strerror(wj->write.err));
		VT_CLOSE(&h);
		progress = wj->progress;
		ASSERT_EQ(0, flag_wait(&wj->progress, progress + 256, deadline_ms(5000)))
			TH_LOG("cycle %d: the writer stopped after the detach: %s failed: %s", i,
			       vt_write_step_name(wj->write.step), strerror(wj->write.err));
		/* Bounded: a hung-up read would have returned by now (the writer ran meanwhile). */
		EXPECT_EQ(-ETIMEDOUT, flag_wait(&ag->reads, 1, QUIET_MS))
			TH_LOG("cycle %d: the reader's read() returned %d", i, ag->last);
		EXPECT_EQ(0, ag->sigs[SIGHUP]) TH_LOG("cycle %d: SIGHUP in the container", i);
		ASSERT_EQ(0, proc_wait_blocked(rj->pid, SYS_read, deadline_ms(2000)))
			TH_LOG("cycle %d: the reader is no longer in read()", i);
	}

	/* Now end the read: a line typed by the host. */
	VT_ATTACH(&h, a->pid, 0, IMPL_VTTY_NONBLOCK);
	ASSERT_EQ(3, vtty_write_for(h, "ok\n", 3, deadline_ms(5000)));
	ASSERT_EQ(0, flag_wait(&ag->finished, 1, deadline_ms(5000)));
	EXPECT_EQ(3, ag->last);
	EXPECT_EQ(0, memcmp(ag->data, "ok\n", 3));
	EXPECT_EQ(0, ag->sigs[SIGHUP]);
	EXPECT_EQ(0, ag->tio_end_err);
	EXPECT_TRUE(same_termios(&ag->tio_open, &ag->tio_end)) TH_LOG("termios changed");
	EXPECT_EQ(ag->pgrp_open, ag->pgrp_end) TH_LOG("the foreground process group changed");
	EXPECT_EQ(0, ag->revents_end & (POLLHUP | POLLERR));

	vt_job_stop(wid);
	EXPECT_EQ(0, vt_job_wait(wid, deadline_ms(5000)))
		TH_LOG("writer: %s failed: %s (revents %#x)", vt_write_step_name(wj->write.step),
		       strerror(wj->write.err), wj->write.revents);
	EXPECT_EQ(0, wj->write.short_calls);
	vt_job_stop(rid);
}

/*
 * Expect @h (a non-blocking host fd) to have exactly @text and then, with
 * no container file open, nothing: no POLLHUP or POLLERR, read() fails
 * with EAGAIN (not end of file, not EIO).
 */
static void expect_text_then_quiet(struct __test_metadata *_metadata, int h, const char *text,
				   const char *when)
{
	size_t len = strlen(text);
	char buf[256];
	ssize_t n;
	short re;

	memset(buf, 0, sizeof(buf));
	re = revents_now(h, POLLIN);
	EXPECT_EQ(0, re & (POLLHUP | POLLERR)) TH_LOG("%s: poll revents %#x", when, re);
	n = vtty_read_for(h, buf, len, deadline_ms(2000));
	EXPECT_EQ((ssize_t)len, n) TH_LOG("%s: read \"%s\"", when, buf);
	EXPECT_EQ(0, memcmp(buf, text, len)) TH_LOG("%s: read \"%s\", not \"%s\"", when, buf, text);
	re = revents_now(h, POLLIN);
	EXPECT_EQ(0, re & (POLLHUP | POLLERR | POLLIN)) TH_LOG("%s: poll revents %#x", when, re);
	n = read(h, buf, sizeof(buf));
	EXPECT_EQ(-1, n) TH_LOG("%s: read returned %zd (0 is end of file)", when, n);
	if (n < 0) {
		EXPECT_EQ(EAGAIN, errno) TH_LOG("%s: read failed with %s", when, strerror(errno));
	}
}

/*
 * The container opens, writes and closes (its last close) again and
 * again, also with two files closed in turn, while a host is attached with
 * a non-blocking fd.
 */
TEST_F_TIMEOUT(vt, container_closes_invisible_to_host, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	char text[32], when[64];
	int h, f1, f2, i;
	struct ct *a;

	REQ("VTTY-6");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 2, IMPL_VTTY_NONBLOCK);
	expect_text_then_quiet(_metadata, h, "", "before any open");
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "[close %d]", i);
		say(_metadata, a, "/dev/tty3", text);
		snprintf(when, sizeof(when), "after last close %d", i);
		expect_text_then_quiet(_metadata, h, text, when);
		VT_INFO(h, &info);
		EXPECT_FALSE(info.open) TH_LOG("%s: the terminal is still open", when);
	}
	/* Two container files: write, close one, write through the other, close it. */
	VT_CT_OPEN(&f1, a, "/dev/tty3", O_WRONLY | O_NOCTTY);
	VT_CT_OPEN(&f2, a, "/dev/tty3", O_WRONLY | O_NOCTTY);
	VT_INFO(h, &info);
	EXPECT_TRUE(info.open);
	ASSERT_EQ(4, write(f1, "[f1]", 4));
	VT_CLOSE(&f1);
	expect_text_then_quiet(_metadata, h, "[f1]", "after the first of two closes");
	ASSERT_EQ(4, write(f2, "[f2]", 4));
	VT_CLOSE(&f2);
	expect_text_then_quiet(_metadata, h, "[f2]", "after the second of two closes");
}

/*
 * A host process sleeps in read() on a blocking fd while the container
 * opens, writes and closes five times: it gets every text and never an
 * end of file or an error, and is back in read() at the end.
 */
TEST_F_TIMEOUT(vt, container_closes_invisible_to_blocked_host_reader, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct vt_agent *rd;
	char text[32], all[256] = "";
	struct ct *a;
	int h, id, i;

	REQ("VTTY-6");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 0, 0);
	id = vt_reader_start(h, sizeof(all));	/* more than comes: it must still be reading */
	ASSERT_LE(0, id);
	rd = &vt_job(id)->agent;
	ASSERT_EQ(0, proc_wait_blocked(vt_job(id)->pid, SYS_read, deadline_ms(5000)));
	for (i = 0; i < 5; i++) {
		snprintf(text, sizeof(text), "[cycle %d]", i);
		strcat(all, text);
		say(_metadata, a, "/dev/console", text);
		EXPECT_EQ(0, flag_wait(&rd->got, (uint32_t)strlen(all), deadline_ms(3000)))
			TH_LOG("cycle %d: the reader has %u bytes: last read %d", i, rd->got,
			       rd->last);
		EXPECT_LT(0, rd->last) TH_LOG("cycle %d: the host's read returned %d", i, rd->last);
	}
	/* Bounded: an end of file after the last close would have come by now. */
	EXPECT_EQ(-ETIMEDOUT, flag_wait(&rd->finished, 1, QUIET_MS))
		TH_LOG("the host's read returned %d", rd->last);
	EXPECT_EQ(0, proc_wait_blocked(vt_job(id)->pid, SYS_read, deadline_ms(2000)));
	EXPECT_EQ(strlen(all), rd->got);
	EXPECT_EQ(0, memcmp(rd->data, all, strlen(all))) TH_LOG("read \"%.*s\"", (int)rd->got,
								rd->data);
}

/* ---- VTTY-7: exclusive attach ------------------------------------------- */

struct busy {
	int attach_err;		/* the forked child's own attach: 0 or -errno */
	uint32_t tried;
};

/* A host child that inherited the attach: try to attach itself, then hold until stopped. */
static int child_holds_attach(long pid)
{
	struct busy *b = ct_shared();
	int fd = vtty_attach((pid_t)pid, 0, 0);

	b->attach_err = fd < 0 ? fd : 0;
	if (fd >= 0)
		close(fd);
	flag_post(&b->tried, 1);
	flag_wait(&vt_self()->stop, 1, deadline_ms(30000));
	return 0;
}

TEST_F_TIMEOUT(vt, second_attach_busy_until_all_files_closed, VT_TIMEOUT(30))
{
	struct busy *b = ct_shared();
	struct impl_vtty_devs d;
	int h, h2, id, r, i;
	struct ct *a;

	REQ("VTTY-7");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 0, 0);
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 0, 0));
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC));

	/* A duplicate keeps it attached. */
	h2 = dup(h);
	ASSERT_LE(0, h2);
	ASSERT_TRUE(vt_keep_fd(&self->vt, h2));
	VT_CLOSE(&h);
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 0, 0)) TH_LOG("attached while a dup is open");

	/* So does a forked child's copy, and the child cannot attach either. */
	memset(b, 0, sizeof(*b));
	id = vt_spawn(NULL, child_holds_attach, a->pid);
	ASSERT_LE(0, id);
	VT_CLOSE(&h2);
	ASSERT_EQ(0, flag_wait(&b->tried, 1, deadline_ms(5000)));
	EXPECT_EQ(-EBUSY, b->attach_err) TH_LOG("the child attached again");
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 0, 0)) TH_LOG("attached while a child holds it");
	vt_job_stop(id);
	ASSERT_EQ(0, vt_job_wait(id, deadline_ms(5000)));

	/* All closed: attach works again, and again after each detach. */
	for (i = 0; i < 3; i++) {
		r = vtty_attach(a->pid, 0, i ? IMPL_VTTY_NONBLOCK : 0);
		ASSERT_LE(0, r) TH_LOG("attach %d after all closed: %s", i, strerror(-r));
		EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 0, 0));
		close(r);
	}
}

/*
 * Every terminal of A, terminal 0 of B and a terminal of the host's own
 * namespace attached at once; output still reaches each; detaching one
 * leaves the others attached.
 */
TEST_F_TIMEOUT(vt, attaches_to_other_terminals_independent, VT_TIMEOUT(30))
{
	struct impl_vtty_devs da, db, dh;
	struct impl_vtty_info info;
	int ha[32], hb, hh, r;
	unsigned int n, count;
	struct ct *a, *b;

	REQ("VTTY-7");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &da);
	VT_NEW_CT(&b, &db);
	ASSERT_EQ(0, vtty_devices(0, &dh));
	count = da.count < 32 ? da.count : 32;
	ASSERT_LE(2, count) TH_LOG("needs two terminals per namespace");
	for (n = 0; n < count; n++)
		VT_ATTACH(&ha[n], a->pid, n, IMPL_VTTY_NONBLOCK);
	VT_ATTACH(&hb, b->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_ATTACH(&hh, 0, dh.count - 1, IMPL_VTTY_NONBLOCK);	/* the host's own */
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 1, 0));
	EXPECT_EQ(-EBUSY, vtty_attach(b->pid, 0, 0));

	say(_metadata, a, "/dev/console", "[A0]");
	say(_metadata, a, "/dev/tty2", "[A1]");
	say(_metadata, b, "/dev/console", "[B0]");
	EXPECT_EQ(0, vtty_expect(ha[0], "[A0]", deadline_ms(2000), NULL, 0));
	EXPECT_EQ(0, vtty_expect(ha[1], "[A1]", deadline_ms(2000), NULL, 0));
	EXPECT_EQ(0, vtty_expect(hb, "[B0]", deadline_ms(2000), NULL, 0));

	/* Detach A's terminal 0: it can be attached again; A's 1 and B's 0 stay attached. */
	VT_CLOSE(&ha[0]);
	EXPECT_EQ(-EBUSY, vtty_attach(a->pid, 1, 0));
	EXPECT_EQ(-EBUSY, vtty_attach(b->pid, 0, 0));
	VT_ATTACH(&ha[0], a->pid, 0, IMPL_VTTY_NONBLOCK);
	say(_metadata, a, "/dev/tty2", "[A1 again]");
	EXPECT_EQ(0, vtty_expect(ha[1], "[A1 again]", deadline_ms(2000), NULL, 0));
	VT_INFO(ha[1], &info);
	EXPECT_EQ(1, info.index);
	r = vtty_attach(b->pid, 1, 0);
	EXPECT_LE(0, r) TH_LOG("attach to B's terminal 1: %s", strerror(-r));
	if (r >= 0)
		close(r);
}

/*
 * The host attaches before the container has terminals bound or open (the
 * attach creates them): the output arrives from its first byte.
 */
TEST_F_TIMEOUT(vt, attach_before_container_opens_reads_first_byte, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	struct vt_write w;
	char buf[4096];
	struct ct *a;
	int h0, h5, r;

	REQ("VTTY-7");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_BARE_CT(&a);
	VT_ATTACH(&h0, a->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_ATTACH(&h5, a->pid, 5, IMPL_VTTY_NONBLOCK);
	VT_INFO(h0, &info);
	EXPECT_EQ(0, info.written);
	EXPECT_FALSE(info.open);
	r = vtty_setup(a, &d);		/* now the runtime binds the consoles */
	ASSERT_EQ(0, r) TH_LOG("vtty_setup: %s", strerror(-r));

	w = vt_write_pattern("/dev/console", 0x7001, 3000, 700);
	VT_CT_WRITE(a, &w, deadline_ms(5000));
	w = vt_write_pattern("/dev/tty6", 0x7002, 100, 0);
	VT_CT_WRITE(a, &w, deadline_ms(5000));

	ASSERT_EQ(3000, vtty_read_for(h0, buf, 3000, deadline_ms(2000)));
	EXPECT_EQ(-1, vt_check(VT_PATTERN, buf, 3000, 0x7001, 0));
	EXPECT_EQ(0, vtty_drain(h0, buf, sizeof(buf)));
	ASSERT_EQ(100, vtty_read_for(h5, buf, 100, deadline_ms(2000)));
	EXPECT_EQ(-1, vt_check(VT_PATTERN, buf, 100, 0x7002, 0));
	VT_INFO(h0, &info);
	EXPECT_EQ(3000, info.written);
	EXPECT_EQ(0, info.dropped);
}

/* ---- VTTY-15: either end alone ------------------------------------------ */

struct alone {
	char path[32];
	int step, err;
	unsigned int rounds;
	struct winsize set, got;	/* winsize_op */
	bool do_set;
	char text[64];
};

/*
 * In the container: open and close the terminal many times, writing a tag
 * each time, alone or with two files closed in either order.
 */
static int open_close_many(long unused)
{
	struct alone *s = ct_shared();
	char tag[16];
	unsigned int i;

	(void)unused;
	for (i = 0; i < s->rounds; i++) {
		int f1 = open(s->path, O_WRONLY | O_NOCTTY | O_CLOEXEC | (i % 2 ? O_NONBLOCK : 0));
		int f2 = i % 3 ? -2 : open(s->path, O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (f1 < 0 || f2 == -1) {
			s->err = errno;
			return s->step = 1;
		}
		snprintf(tag, sizeof(tag), "<%03u>", i);
		if (write(i % 6 == 0 ? f2 : f1, tag, 5) != 5) {
			s->err = errno;
			return s->step = 2;
		}
		/* Two files: close them in alternating order. */
		if (i % 2) {
			close(f1);
			if (f2 >= 0)
				close(f2);
		} else {
			if (f2 >= 0)
				close(f2);
			close(f1);
		}
	}
	return 0;
}

TEST_F_TIMEOUT(vt, container_end_alone_many_times, VT_TIMEOUT(30))
{
	struct alone *s = ct_shared();
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	char buf[512], tag[16];
	unsigned int i;
	struct ct *a;
	int h;

	REQ("VTTY-15");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "/dev/tty4");
	s->rounds = 40;
	EXPECT_EQ(0, ct_call(a, open_close_many, 0)) TH_LOG("step %d: %s", s->step,
							    strerror(s->err));
	/* No host was ever there; the output of all of them waits for the first one. */
	VT_ATTACH(&h, a->pid, 3, IMPL_VTTY_NONBLOCK);
	VT_INFO(h, &info);
	EXPECT_FALSE(info.open);
	EXPECT_EQ(5 * s->rounds, info.written);
	ASSERT_EQ(5 * s->rounds, vtty_read_for(h, buf, 5 * s->rounds, deadline_ms(2000)));
	for (i = 0; i < s->rounds; i++) {
		snprintf(tag, sizeof(tag), "<%03u>", i);
		EXPECT_EQ(0, memcmp(buf + 5 * i, tag, 5)) TH_LOG("tag %u is %.5s", i, buf + 5 * i);
	}
}

/* In the container: open s->path, TIOCGWINSZ into s->got, optionally TIOCSWINSZ s->set, write s->text, close. */
static int winsize_op(long unused)
{
	struct alone *s = ct_shared();
	int fd = open(s->path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	size_t len = strlen(s->text);

	(void)unused;
	if (fd < 0) {
		s->err = errno;
		return s->step = 1;
	}
	if (ioctl(fd, TIOCGWINSZ, &s->got)) {
		s->err = errno;
		return s->step = 2;
	}
	if (s->do_set && ioctl(fd, TIOCSWINSZ, &s->set)) {
		s->err = errno;
		return s->step = 3;
	}
	if (len && write(fd, s->text, len) != (ssize_t)len) {
		s->err = errno;
		return s->step = 4;
	}
	close(fd);
	return 0;
}

/* winsize_op in @ct on @path: it must find @rows x @cols; set @set_rows x @set_cols if not 0. */
static void container_winsize(struct __test_metadata *_metadata, struct ct *ct, const char *path,
			      unsigned short rows, unsigned short cols,
			      unsigned short set_rows, unsigned short set_cols, const char *text)
{
	struct alone *s = ct_shared();

	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	snprintf(s->text, sizeof(s->text), "%s", text);
	s->do_set = set_rows != 0;
	s->set.ws_row = set_rows;
	s->set.ws_col = set_cols;
	ASSERT_EQ(0, ct_call(ct, winsize_op, 0)) TH_LOG("step %d: %s", s->step, strerror(s->err));
	EXPECT_EQ(rows, s->got.ws_row) TH_LOG("the container found %ux%u, expected %ux%u",
					       s->got.ws_row, s->got.ws_col, rows, cols);
	EXPECT_EQ(cols, s->got.ws_col);
}

static void host_winsize(struct __test_metadata *_metadata, int h, unsigned short rows,
			 unsigned short cols)
{
	struct winsize ws;

	ASSERT_EQ(0, ioctl(h, TIOCGWINSZ, &ws)) TH_LOG("TIOCGWINSZ: %s", strerror(errno));
	EXPECT_EQ(rows, ws.ws_row) TH_LOG("the host found %ux%u, expected %ux%u", ws.ws_row,
					  ws.ws_col, rows, cols);
	EXPECT_EQ(cols, ws.ws_col);
}

/*
 * The container never opens terminal 4: the host attaches and detaches many
 * times, blocking and not; nothing to read, no hangup, no end of file; a
 * window size set in one attach is there in the next and for the
 * container's first open.
 */
TEST_F_TIMEOUT(vt, host_end_alone_many_times, VT_TIMEOUT(30))
{
	struct winsize ws = { .ws_row = 37, .ws_col = 111 };
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	char buf[16];
	struct ct *a;
	int h, i;
	short re;

	REQ("VTTY-15");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	for (i = 0; i < 20; i++) {
		VT_ATTACH(&h, a->pid, 4, i % 2 ? IMPL_VTTY_NONBLOCK : 0);
		re = revents_now(h, POLLIN);
		EXPECT_EQ(0, re) TH_LOG("attach %d: poll revents %#x", i, re);
		if (i % 2) {
			EXPECT_EQ(-1, read(h, buf, sizeof(buf)));
			EXPECT_EQ(EAGAIN, errno);
		}
		VT_INFO(h, &info);
		EXPECT_FALSE(info.open);
		EXPECT_EQ(0, info.written);
		EXPECT_FALSE(info.dead);
		if (i == 10) {
			ASSERT_EQ(0, ioctl(h, TIOCSWINSZ, &ws)) TH_LOG("%s", strerror(errno));
		}
		if (i > 10)
			host_winsize(_metadata, h, 37, 111);
		VT_CLOSE(&h);
	}
	container_winsize(_metadata, a, "/dev/tty5", 37, 111, 0, 0, "");
}

/*
 * Output and window size live on while neither end is open, through both
 * orders of closing: host set, host gone, container finds it, sets its
 * own, writes, closes; host attaches, finds both; and once more with the
 * ends overlapping the other way round.
 */
TEST_F_TIMEOUT(vt, output_and_winsize_outlive_both_ends, VT_TIMEOUT(30))
{
	struct winsize ws = { .ws_row = 25, .ws_col = 90 };
	struct impl_vtty_devs d;
	struct ct *a;
	int h, c;

	REQ("VTTY-15");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 1, IMPL_VTTY_NONBLOCK);
	ASSERT_EQ(0, ioctl(h, TIOCSWINSZ, &ws)) TH_LOG("%s", strerror(errno));
	VT_CLOSE(&h);

	/* Neither end open; then the container alone: it finds 25x90, sets 50x160. */
	container_winsize(_metadata, a, "/dev/tty2", 25, 90, 50, 160, "[first]");
	/* Neither end open again; the host finds both. */
	VT_ATTACH(&h, a->pid, 1, IMPL_VTTY_NONBLOCK);
	host_winsize(_metadata, h, 50, 160);
	EXPECT_EQ(0, vtty_expect(h, "[first]", deadline_ms(2000), NULL, 0));

	/* Overlapping the other way: container opens, host detaches, container writes and closes. */
	VT_CT_OPEN(&c, a, "/dev/tty2", O_WRONLY | O_NOCTTY);
	VT_CLOSE(&h);
	ASSERT_EQ(8, write(c, "[second]", 8));
	VT_CLOSE(&c);
	container_winsize(_metadata, a, "/dev/tty2", 50, 160, 0, 0, "[third]");
	VT_ATTACH(&h, a->pid, 1, IMPL_VTTY_NONBLOCK);
	host_winsize(_metadata, h, 50, 160);
	EXPECT_EQ(0, vtty_expect(h, "[second][third]", deadline_ms(2000), NULL, 0));
}

/*
 * A host job: one write() of a large buffer on the host fd @fd; returns its
 * result (or -errno).  It first closes its copy of the container's file
 * (ct_shared(): the fd number), which it inherited: only the test's copy
 * may keep the terminal open.
 */
static int host_big_write(long fd)
{
	size_t len = 1024 * 1024;
	char *buf = malloc(len);
	ssize_t n;

	close(*(int *)ct_shared());
	if (!buf)
		return -ENOMEM;
	memset(buf, 'x', len);
	n = write((int)fd, buf, len);
	free(buf);
	return n < 0 ? -errno : (int)n;
}

/*
 * The container has terminal 2 open in raw mode and does not read; a host
 * write() of 1 MiB fills the line discipline and sleeps.  The container's
 * last close must wake it: it returns the count accepted so far.
 */
TEST_F_TIMEOUT(vt, host_blocked_write_returns_at_last_close, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct termios t;
	struct ct *a;
	int h, c, id, r;

	REQ("VTTY-15");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_CT_OPEN(&c, a, "/dev/tty3", O_RDWR | O_NOCTTY);	/* a container file */
	ASSERT_EQ(0, tcgetattr(c, &t));
	cfmakeraw(&t);
	ASSERT_EQ(0, tcsetattr(c, TCSANOW, &t));
	VT_ATTACH(&h, a->pid, 2, 0);				/* blocking */

	*(int *)ct_shared() = c;
	id = vt_spawn(NULL, host_big_write, h);
	ASSERT_LE(0, id);
	r = proc_wait_blocked(vt_job(id)->pid, SYS_write, deadline_ms(5000));
	ASSERT_EQ(0, r) TH_LOG("the host's write() is not sleeping: %s (returned %d)",
			       strerror(-r), vt_job(id)->done ? vt_job(id)->result : 0);

	VT_CLOSE(&c);				/* the container's last file */
	r = vt_job_wait(id, deadline_ms(3000));
	ASSERT_NE(-ETIMEDOUT, r) TH_LOG("the host's write() still sleeps after the last close");
	EXPECT_LT(0, r) TH_LOG("write returned %d (%s)", r, r < 0 ? strerror(-r) : "");
	EXPECT_GT(1024 * 1024, r) TH_LOG("the whole 1 MiB was accepted");
}

TEST_HARNESS_MAIN
