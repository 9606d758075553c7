// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-8, VTTY-9, VTTY-12: the host's side of the terminal as a keyboard
 * and a screen size.  Input typed on the host fd reaches a reader in the
 * container in order and under its termios, with flow control instead of
 * loss; the host sets the window size the container sees (with SIGWINCH);
 * terminals start with standard termios, become controlling terminals,
 * and the host's ^C and ^Z signal the container's foreground process group.
 */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "vtty_fixture.h"

/* Bytes the host offers at once when it fills the container's input. */
#define FILL_LEN	(48 * 1024)

/* Start an agent in @ct (see struct vt_agent) and wait until it opened terminal @n. */
#define START_AGENT(idp, ct, n, ...)						\
	do {									\
		struct vt_agent _a = { __VA_ARGS__ };				\
		int _r;								\
		vtty_ct_path((n), _a.path, sizeof(_a.path));			\
		*(idp) = vt_agent_start((ct), &_a);				\
		ASSERT_LE(0, *(idp)) TH_LOG("agent: %s", strerror(-*(idp)));	\
		_r = vt_agent_opened(*(idp), VT_SOON);				\
		ASSERT_EQ(0, _r) TH_LOG("agent opening %s: %s", _a.path, strerror(-_r)); \
	} while (0)

/* Write all of @buf to host fd @fd (waiting for room, with a deadline). */
#define HOST_TYPE(fd, buf, len)							\
	do {									\
		ssize_t _n = vtty_write_for((fd), (buf), (len), VT_SOON);	\
		ASSERT_EQ((ssize_t)(len), _n) TH_LOG("host write: %s",		\
			_n < 0 ? strerror((int)-_n) : "not all accepted before the deadline"); \
	} while (0)

#define HOST_TYPE_STR(fd, s) HOST_TYPE((fd), (s), strlen(s))

/* Wait until the agent's counter *@p reaches @v. */
#define AGENT_WAIT(p, v, what)							\
	ASSERT_EQ(0, flag_wait((p), (v), VT_SOON))				\
		TH_LOG("the container never got %s (%u, want %u)", (what),	\
		       (unsigned int)*(p), (unsigned int)(v))

/* ---- VTTY-8: input ----------------------------------------------------- */

TEST_F(vt, raw_input_arrives_byte_exact_in_order)
{
	static const size_t pieces[] = { 1, 2, 7, 64, 255, 256, 1000, 1, 1500, 3 };
	struct impl_vtty_devs devs;
	struct vt_agent *a;
	struct ct *ct;
	char buf[4096], echo[64];
	size_t total = 0, off = 0;
	int hfd, id;

	REQ("VTTY-8");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		total += pieces[i];
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	START_AGENT(&id, ct, 1, .raw = true, .want = (uint32_t)total);
	a = &vt_job(id)->agent;

	/* Every byte value, in writes of many sizes. */
	vt_binary(buf, total, 81, 0);
	for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); off += pieces[i++])
		HOST_TYPE(hfd, buf + off, pieces[i]);
	AGENT_WAIT(&a->finished, 1, "all the input");
	EXPECT_EQ(total, a->got);
	EXPECT_EQ(-1, vt_check(VT_BINARY, a->data, a->got, 81, 0))
		TH_LOG("input differs at byte %ld", vt_check(VT_BINARY, a->data, a->got, 81, 0));
	/*
	 * Raw mode has no echo.  The line discipline echoes while it receives,
	 * before the reader can have the bytes, so any echo is buffered by now.
	 */
	EXPECT_EQ(0, vtty_drain(hfd, echo, sizeof(echo))) TH_LOG("raw input was echoed");
}

TEST_F(vt, canonical_input_comes_in_lines_with_echo)
{
	/* Typed in pieces that split lines; \r becomes \n (ICRNL); DEL erases. */
	static const char *const typed[] = { "hel", "lo\rwor", "ld\n", "abx\x7f", "c\r" };
	static const char lines[] = "hello\nworld\nabc\n";
	struct impl_vtty_devs devs;
	struct vt_agent *a;
	struct ct *ct;
	char seen[256];
	int hfd, id, r;

	REQ("VTTY-8");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 2, IMPL_VTTY_NONBLOCK);
	START_AGENT(&id, ct, 2, .want = (uint32_t)strlen(lines));
	a = &vt_job(id)->agent;

	for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
		HOST_TYPE_STR(hfd, typed[i]);
	AGENT_WAIT(&a->finished, 1, "three lines");
	EXPECT_EQ(strlen(lines), a->got);
	EXPECT_EQ(0, memcmp(a->data, lines, strlen(lines)))
		TH_LOG("the container read '%.*s'", (int)a->got, a->data);
	/* One read() per line: it returns only complete lines. */
	EXPECT_EQ(3, a->reads);
	/* The echo, through output processing (ONLCR). */
	r = vtty_expect(hfd, "hello\r\nworld\r\n", VT_SOON, seen, sizeof(seen));
	ASSERT_EQ(0, r) TH_LOG("echo: '%s'", seen);
	r = vtty_expect(hfd, "c\r\n", VT_SOON, seen, sizeof(seen));
	EXPECT_EQ(0, r) TH_LOG("echo of the edited line: '%s'", seen);
}

/*
 * Offer the @len bytes of @buf to non-blocking host fd @hfd, write after
 * write, until one fails.  Returns the bytes accepted; *err gets the errno
 * of the failing write, *first the result of the first write.
 */
static size_t fill_input(int hfd, const char *buf, size_t len, ssize_t *first, int *err)
{
	size_t total = 0;

	*err = 0;
	for (int i = 0; i < 1000 && total < len; i++) {
		ssize_t n = write(hfd, buf + total, len - total);

		if (i == 0)
			*first = n;
		if (n < 0) {
			*err = errno;
			break;
		}
		total += (size_t)n;
	}
	return total;
}

/*
 * The container opened the terminal raw and does not read: a non-blocking
 * host write takes what the line discipline takes, then EAGAIN.  Once the
 * container reads, it gets exactly the accepted bytes, and input flows again.
 */
TEST_F(vt, input_backpressure_short_count_then_eagain)
{
	struct impl_vtty_devs devs;
	struct vt_agent *a;
	struct ct *ct;
	static char buf[FILL_LEN + 100];
	size_t total;
	ssize_t first = 0;
	int hfd, id, err;

	REQ("VTTY-8");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 3, IMPL_VTTY_NONBLOCK);
	START_AGENT(&id, ct, 3, .raw = true, .gated = true, .want = VT_AGENT_MAX);
	a = &vt_job(id)->agent;

	vt_binary(buf, sizeof(buf), 82, 0);
	total = fill_input(hfd, buf, FILL_LEN, &first, &err);
	EXPECT_LT(0, first) TH_LOG("the first write accepted nothing: %s", strerror(err));
	EXPECT_GT((ssize_t)FILL_LEN, first) TH_LOG("the first write took all %d bytes", FILL_LEN);
	EXPECT_EQ(EAGAIN, err) TH_LOG("after %zu bytes: %s", total, strerror(err));
	TH_LOG("the line discipline took %zd bytes at once, %zu in all", first, total);
	ASSERT_LT(0, total);
	ASSERT_GT(sizeof(a->data) - 100, total);

	/* Nothing more is accepted while the container does not read. */
	EXPECT_EQ(-1, write(hfd, buf + total, 1));
	EXPECT_EQ(EAGAIN, errno);

	vt_agent_go(id);
	AGENT_WAIT(&a->got, (uint32_t)total, "the accepted input");
	/* The reader sleeping in read() again means no more input is queued. */
	ASSERT_EQ(0, proc_wait_blocked(vt_job(id)->pid, SYS_read, VT_SOON));
	EXPECT_EQ(total, a->got) TH_LOG("accepted %zu bytes, the container read %u", total, a->got);
	EXPECT_EQ(-1, vt_check(VT_BINARY, a->data, a->got < total ? a->got : total, 82, 0));

	/* Room again: the next bytes go through. */
	HOST_TYPE(hfd, buf + total, 100);
	AGENT_WAIT(&a->got, (uint32_t)total + 100, "input after the backpressure");
	EXPECT_EQ(-1, vt_check(VT_BINARY, a->data, total + 100, 82, 0));
}

static size_t blocking_offset;	/* set before the writer job is forked */

/* Host job: one blocking write() of 2000 bytes of stream 83 from blocking_offset. */
static int blocking_writer(long fd)
{
	char buf[2000];

	vt_binary(buf, sizeof(buf), 83, blocking_offset);
	return (int)write((int)fd, buf, sizeof(buf));
}

TEST_F(vt, blocking_input_waits_until_the_container_reads)
{
	struct impl_vtty_devs devs;
	struct vt_agent *a;
	struct ct *ct;
	static char buf[FILL_LEN];
	ssize_t first = 0;
	int hfd, id, job, err, flags, r;

	REQ("VTTY-8");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	START_AGENT(&id, ct, 1, .raw = true, .gated = true, .want = VT_AGENT_MAX);
	a = &vt_job(id)->agent;

	vt_binary(buf, sizeof(buf), 83, 0);
	blocking_offset = fill_input(hfd, buf, sizeof(buf), &first, &err);
	ASSERT_EQ(EAGAIN, err) TH_LOG("filling the input: %s", strerror(err));
	ASSERT_GT(sizeof(a->data) - 2000, blocking_offset);

	/* The same fd, now blocking: the writer sleeps in write(). */
	flags = fcntl(hfd, F_GETFL);
	ASSERT_EQ(0, fcntl(hfd, F_SETFL, flags & ~O_NONBLOCK));
	job = vt_spawn(NULL, blocking_writer, hfd);
	ASSERT_LE(0, job);
	r = proc_wait_blocked(vt_job(job)->pid, SYS_write, VT_SOON);
	ASSERT_EQ(0, r) TH_LOG("the blocking write did not wait: %s (returned %d)",
			       strerror(-r), vt_job(job)->result);

	vt_agent_go(id);
	r = vt_job_wait(job, VT_SOON);
	EXPECT_EQ(2000, r) TH_LOG("the blocking write never completed or was short");
	AGENT_WAIT(&a->got, (uint32_t)blocking_offset + 2000, "all the input");
	EXPECT_EQ(-1, vt_check(VT_BINARY, a->data, blocking_offset + 2000, 83, 0));
}

/* In a container: open terminal @n (O_NOCTTY) and close it again. */
static int open_and_close(long n)
{
	char path[32];
	int fd = open(vtty_ct_path((unsigned int)n, path, sizeof(path)), O_RDWR | O_NOCTTY);

	if (fd < 0)
		return errno;
	return close(fd) ? errno : 0;
}

TEST_F(vt, input_without_an_open_terminal_is_eagain)
{
	struct impl_vtty_devs devs;
	struct ct *ct;
	int hfd, id;

	REQ("VTTY-8");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 4, IMPL_VTTY_NONBLOCK);

	/* Never opened in the container. */
	EXPECT_EQ(-1, write(hfd, "a", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* Opened and closed again. */
	ASSERT_EQ(0, ct_call(ct, open_and_close, 4));
	EXPECT_EQ(-1, write(hfd, "b", 1));
	EXPECT_EQ(EAGAIN, errno);
	/* Open: accepted and read. */
	START_AGENT(&id, ct, 4, .raw = true, .want = 1);
	HOST_TYPE_STR(hfd, "c");
	AGENT_WAIT(&vt_job(id)->agent.finished, 1, "the input");
	EXPECT_EQ('c', vt_job(id)->agent.data[0]);
	/* The agent closed its terminal when its job ended. */
	ASSERT_EQ(0, vt_job_wait(id, VT_SOON));
	EXPECT_EQ(-1, write(hfd, "d", 1));
	EXPECT_EQ(EAGAIN, errno);
}

/* ---- VTTY-9: window size ------------------------------------------------ */

static bool same_winsize(const struct winsize *a, const struct winsize *b)
{
	return a->ws_row == b->ws_row && a->ws_col == b->ws_col &&
	       a->ws_xpixel == b->ws_xpixel && a->ws_ypixel == b->ws_ypixel;
}

#define EXPECT_WINSIZE(want, got, what)						\
	EXPECT_TRUE(same_winsize((want), (got)))				\
		TH_LOG("%s: %ux%u (%ux%u px), want %ux%u (%ux%u px)", (what),	\
		       (got)->ws_row, (got)->ws_col, (got)->ws_xpixel, (got)->ws_ypixel, \
		       (want)->ws_row, (want)->ws_col, (want)->ws_xpixel, (want)->ws_ypixel)

TEST_F(vt, host_window_size_reaches_container_with_sigwinch)
{
	const struct winsize one = { .ws_row = 33, .ws_col = 101 };
	const struct winsize two = { .ws_row = 50, .ws_col = 132,
				     .ws_xpixel = 800, .ws_ypixel = 600 };
	struct impl_vtty_devs devs;
	struct winsize ws;
	struct vt_agent *a;
	struct ct *ct;
	int hfd, id;

	REQ("VTTY-9");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	/* A session leader with the console as its terminal: its group is in the foreground. */
	START_AGENT(&id, ct, 0, .ctty = true, .want = 2);
	a = &vt_job(id)->agent;
	ASSERT_EQ(a->sid, a->pgrp_open) TH_LOG("the agent's group is not in the foreground");

	ASSERT_EQ(0, ioctl(hfd, TIOCSWINSZ, &one));
	AGENT_WAIT(&a->sigs[SIGWINCH], 1, "SIGWINCH");
	ASSERT_EQ(0, ioctl(hfd, TIOCSWINSZ, &two));
	AGENT_WAIT(&a->sigs[SIGWINCH], 2, "the second SIGWINCH");
	ASSERT_EQ(0, ioctl(hfd, TIOCGWINSZ, &ws));
	EXPECT_WINSIZE(&two, &ws, "host TIOCGWINSZ");

	/* Finish the agent's read: it records TIOCGWINSZ afterwards. */
	HOST_TYPE_STR(hfd, "q\n");
	AGENT_WAIT(&a->finished, 1, "the line");
	EXPECT_WINSIZE(&two, &a->ws_end, "container TIOCGWINSZ");
	EXPECT_EQ(2, a->sigs[SIGWINCH]);
}

TEST_F(vt, window_size_set_before_open_is_found)
{
	const struct winsize want = { .ws_row = 40, .ws_col = 120, .ws_xpixel = 1, .ws_ypixel = 2 };
	struct impl_vtty_devs devs;
	struct winsize ws;
	struct ct *ct;
	int hfd, id;

	REQ("VTTY-9");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 3, IMPL_VTTY_NONBLOCK);
	ASSERT_EQ(0, ioctl(hfd, TIOCSWINSZ, &want));
	ASSERT_EQ(0, ioctl(hfd, TIOCGWINSZ, &ws));
	EXPECT_WINSIZE(&want, &ws, "host TIOCGWINSZ before the open");

	START_AGENT(&id, ct, 3, .hold = true);
	EXPECT_WINSIZE(&want, &vt_job(id)->agent.ws_open, "container TIOCGWINSZ after open");
}

/* In a container: open terminal n = arg and set the size in ct_shared() on it. */
static int set_window_size(long n)
{
	struct winsize *ws = ct_shared();
	char path[32];
	int fd = open(vtty_ct_path((unsigned int)n, path, sizeof(path)), O_RDWR | O_NOCTTY);

	if (fd < 0)
		return 1;
	if (ioctl(fd, TIOCSWINSZ, ws))
		return 2;
	return close(fd) ? 3 : 0;
}

TEST_F(vt, host_reads_the_window_size_the_container_set)
{
	const struct winsize mine = { .ws_row = 25, .ws_col = 81,
				      .ws_xpixel = 640, .ws_ypixel = 480 };
	const struct winsize host = { .ws_row = 26, .ws_col = 82 };
	struct impl_vtty_devs devs;
	struct winsize ws;
	struct ct *ct;
	int hfd, cfd;

	REQ("VTTY-9");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 2, IMPL_VTTY_NONBLOCK);
	/* A container file stays open throughout, held by the test. */
	VT_CT_OPEN(&cfd, ct, "/dev/tty3", O_RDWR | O_NOCTTY);

	*(struct winsize *)ct_shared() = mine;
	ASSERT_EQ(0, ct_call(ct, set_window_size, 2));
	ASSERT_EQ(0, ioctl(hfd, TIOCGWINSZ, &ws));
	EXPECT_WINSIZE(&mine, &ws, "host TIOCGWINSZ after the container's TIOCSWINSZ");

	ASSERT_EQ(0, ioctl(hfd, TIOCSWINSZ, &host));
	ASSERT_EQ(0, ioctl(hfd, TIOCGWINSZ, &ws));
	EXPECT_WINSIZE(&host, &ws, "host TIOCGWINSZ after its own TIOCSWINSZ");
	ASSERT_EQ(0, ioctl(cfd, TIOCGWINSZ, &ws));
	EXPECT_WINSIZE(&host, &ws, "container file's TIOCGWINSZ");
}

/* ---- VTTY-12: termios and job control ----------------------------------- */

/* What a container process saw of its terminals (ct_shared()). */
struct tio_report {
	int step;		/* the failing step, 0 if none */
	int err;
	struct termios got[4];	/* initial settings / results of each set */
	struct termios want[4];	/* what was set */
	struct termios other;	/* through a second open file */
};

/* In a container: the termios of terminals 0, 1 and count-1 (arg), first opens. */
static int initial_termios(long last)
{
	struct tio_report *rep = ct_shared();
	const unsigned int n[3] = { 0, 1, (unsigned int)last };
	char path[32];

	for (int i = 0; i < 3; i++) {
		int fd = open(vtty_ct_path(n[i], path, sizeof(path)), O_RDWR | O_NOCTTY);

		if (fd < 0 || tcgetattr(fd, &rep->got[i])) {
			rep->err = errno;
			return rep->step = 1 + i;
		}
		close(fd);
	}
	return 0;
}

TEST_F(vt, terminals_start_with_standard_termios)
{
	struct impl_vtty_devs devs;
	struct tio_report *rep = ct_shared();
	struct ct *ct;

	REQ("VTTY-12");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, ct_call(ct, initial_termios, devs.count - 1))
		TH_LOG("step %d: %s", rep->step, strerror(rep->err));
	for (int i = 0; i < 3; i++) {
		const struct termios *t = &rep->got[i];

		TH_LOG("terminal %d: iflag %#o oflag %#o cflag %#o lflag %#o", i == 2 ?
		       (int)devs.count - 1 : i, t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag);
		EXPECT_EQ(ICANON | ECHO | ISIG, t->c_lflag & (ICANON | ECHO | ISIG));
		EXPECT_EQ(ICRNL, t->c_iflag & ICRNL);
		EXPECT_EQ(OPOST | ONLCR, t->c_oflag & (OPOST | ONLCR));
		EXPECT_EQ(CS8, t->c_cflag & CSIZE);
		EXPECT_EQ(B38400, cfgetospeed(t));
		EXPECT_EQ(B38400, cfgetispeed(t));
	}
}

/* Three different settings, each far from the standard ones. */
static void termios_variant(struct termios *t, int k)
{
	if (k == 0) {
		cfmakeraw(t);
		t->c_cc[VMIN] = 5;
		t->c_cc[VTIME] = 3;
		cfsetspeed(t, B9600);
	} else if (k == 1) {
		t->c_lflag |= ICANON | ECHO | ECHONL;
		t->c_lflag &= ~(ISIG | IEXTEN);
		t->c_iflag |= IGNCR | IXOFF;
		t->c_oflag |= OPOST | OCRNL;
		t->c_cc[VINTR] = 0x01;
		t->c_cc[VERASE] = 0x08;
		t->c_cflag = (t->c_cflag & ~CSIZE) | CS7 | CSTOPB;
		cfsetspeed(t, B115200);
	} else {
		t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK;
		t->c_iflag = ICRNL | IXON;
		t->c_oflag = OPOST | ONLCR;
		t->c_cc[VEOF] = 0x02;
		t->c_cflag = (t->c_cflag & ~CSIZE) | CS8 | CREAD;
		cfsetspeed(t, B38400);
	}
}

/* In a container: set three termios on terminal 1 (TCSANOW, TCSADRAIN, TCSAFLUSH); read back. */
static int termios_roundtrip(long unused)
{
	static const int how[3] = { TCSANOW, TCSADRAIN, TCSAFLUSH };
	struct tio_report *rep = ct_shared();
	int fd, fd2;

	(void)unused;
	fd = open("/dev/tty2", O_RDWR | O_NOCTTY);
	if (fd < 0 || tcgetattr(fd, &rep->want[0])) {
		rep->err = errno;
		return rep->step = 1;
	}
	for (int k = 0; k < 3; k++) {
		if (k)
			rep->want[k] = rep->want[k - 1];
		termios_variant(&rep->want[k], k);
		if (tcsetattr(fd, how[k], &rep->want[k]) || tcgetattr(fd, &rep->got[k])) {
			rep->err = errno;
			return rep->step = 2 + k;
		}
	}
	fd2 = open("/dev/tty2", O_RDWR | O_NOCTTY);
	if (fd2 < 0 || tcgetattr(fd2, &rep->other)) {
		rep->err = errno;
		return rep->step = 5;
	}
	close(fd2);
	close(fd);
	return 0;
}

#define EXPECT_TERMIOS(want, got, what)						\
	do {									\
		EXPECT_EQ((want)->c_iflag, (got)->c_iflag) TH_LOG("%s: c_iflag", (what)); \
		EXPECT_EQ((want)->c_oflag, (got)->c_oflag) TH_LOG("%s: c_oflag", (what)); \
		EXPECT_EQ((want)->c_lflag, (got)->c_lflag) TH_LOG("%s: c_lflag", (what)); \
		EXPECT_EQ((want)->c_cflag, (got)->c_cflag) TH_LOG("%s: c_cflag", (what)); \
		EXPECT_EQ(cfgetospeed(want), cfgetospeed(got)) TH_LOG("%s: speed", (what)); \
		EXPECT_EQ(0, memcmp((want)->c_cc, (got)->c_cc, NCCS))		\
			TH_LOG("%s: c_cc", (what));				\
	} while (0)

TEST_F(vt, termios_settings_round_trip)
{
	static const char *const how[3] = { "TCSANOW", "TCSADRAIN", "TCSAFLUSH" };
	struct impl_vtty_devs devs;
	struct tio_report *rep = ct_shared();
	struct ct *ct;

	REQ("VTTY-12");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, ct_call(ct, termios_roundtrip, 0))
		TH_LOG("step %d: %s", rep->step, strerror(rep->err));
	for (int k = 0; k < 3; k++)
		EXPECT_TERMIOS(&rep->want[k], &rep->got[k], how[k]);
	EXPECT_TERMIOS(&rep->want[2], &rep->other, "another open file");
}

/* What a session leader saw of its controlling terminal (ct_shared()). */
struct ctty_report {
	int step, err;
	int ioctl_ret;		/* TIOCSCTTY */
	unsigned int tty_nr_before;	/* /proc/self/stat after an O_NOCTTY open */
	unsigned int tty_nr;	/* /proc/self/stat at the end */
	unsigned int expect_nr;	/* the terminal's device, encoded like tty_nr */
	pid_t sid, tty_sid;	/* getsid(0), tcgetsid(fd) */
	pid_t pgrp, tty_pgrp;	/* getpgrp(), tcgetpgrp(fd) */
	int via_dev_tty;	/* bytes written through /dev/tty, or -errno */
};

/* Field 7 (tty_nr) of /proc/self/stat; /proc/self is right in a container too. */
static unsigned int my_tty_nr(void)
{
	char buf[512], *p;
	unsigned int nr = ~0u;
	FILE *f = fopen("/proc/self/stat", "re");

	if (!f)
		return nr;
	if (fgets(buf, sizeof(buf), f)) {
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 1, " %*c %*d %*d %*d %u", &nr) != 1)
			nr = ~0u;
	}
	fclose(f);
	return nr;
}

/*
 * In a container: become a session leader, take terminal @n as controlling
 * terminal (n >= 0: open with O_NOCTTY, then TIOCSCTTY; n < 0: terminal -n-1
 * opened without O_NOCTTY), and report.
 */
static int take_ctty(long n)
{
	struct ctty_report *rep = ct_shared();
	bool by_ioctl = n >= 0;
	char path[32], mark[] = "via /dev/tty";
	struct stat st;
	int fd, tty;

	if (setsid() < 0) {
		rep->err = errno;
		return rep->step = 1;
	}
	vtty_ct_path((unsigned int)(by_ioctl ? n : -n - 1), path, sizeof(path));
	fd = open(path, O_RDWR | (by_ioctl ? O_NOCTTY : 0));
	if (fd < 0 || fstat(fd, &st)) {
		rep->err = errno;
		return rep->step = 2;
	}
	rep->expect_nr = (minor(st.st_rdev) & 0xff) | (major(st.st_rdev) << 8) |
			 ((minor(st.st_rdev) & ~0xffu) << 12);
	if (by_ioctl) {
		rep->tty_nr_before = my_tty_nr();
		rep->ioctl_ret = ioctl(fd, TIOCSCTTY, 0) ? -errno : 0;
	}
	rep->tty_nr = my_tty_nr();
	rep->sid = getsid(0);
	rep->tty_sid = tcgetsid(fd);
	rep->pgrp = getpgrp();
	rep->tty_pgrp = tcgetpgrp(fd);
	/* /dev/tty is the controlling terminal, whatever it is. */
	tty = open("/dev/tty", O_RDWR | O_NOCTTY);
	rep->via_dev_tty = tty < 0 ? -errno : (int)write(tty, mark, strlen(mark));
	if (rep->via_dev_tty < 0 && tty >= 0)
		rep->via_dev_tty = -errno;
	return 0;
}

/* Take terminal @n as controlling terminal in @ct (take_ctty(@arg)) and check it. */
static void check_ctty(struct __test_metadata *_metadata, struct ct *ct, int hfd, long arg)
{
	struct ctty_report *rep = ct_shared();
	char seen[128];
	int r;

	memset(rep, 0, sizeof(*rep));
	ASSERT_EQ(0, ct_call(ct, take_ctty, arg))
		TH_LOG("step %d: %s", rep->step, strerror(rep->err));
	EXPECT_EQ(0, rep->ioctl_ret) TH_LOG("TIOCSCTTY: %s", strerror(-rep->ioctl_ret));
	EXPECT_NE(0u, rep->expect_nr);
	EXPECT_EQ(rep->expect_nr, rep->tty_nr) TH_LOG("tty_nr in /proc/self/stat");
	EXPECT_EQ(rep->sid, rep->tty_sid) TH_LOG("tcgetsid (TIOCGSID)");
	EXPECT_EQ(rep->pgrp, rep->tty_pgrp) TH_LOG("tcgetpgrp (TIOCGPGRP)");
	EXPECT_EQ((int)strlen("via /dev/tty"), rep->via_dev_tty)
		TH_LOG("writing /dev/tty: %s", strerror(-rep->via_dev_tty));
	r = vtty_expect(hfd, "via /dev/tty", VT_SOON, seen, sizeof(seen));
	EXPECT_EQ(0, r) TH_LOG("the host read '%s'", seen);
}

TEST_F(vt, session_leader_takes_terminal_by_tiocsctty)
{
	struct impl_vtty_devs devs;
	struct ct *ct;
	int hfd;

	REQ("VTTY-12");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 1, IMPL_VTTY_NONBLOCK);
	check_ctty(_metadata, ct, hfd, 1);
	/* Before TIOCSCTTY, the O_NOCTTY open gave it no controlling terminal. */
	EXPECT_EQ(0u, ((struct ctty_report *)ct_shared())->tty_nr_before);
}

TEST_F(vt, session_leader_takes_console_by_open)
{
	struct impl_vtty_devs devs;
	struct ct *ct;
	int hfd;

	REQ("VTTY-12");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 0, IMPL_VTTY_NONBLOCK);
	check_ctty(_metadata, ct, hfd, -1);	/* /dev/console, without O_NOCTTY */
}

TEST_F(vt, host_ctrl_c_and_ctrl_z_signal_the_foreground_group)
{
	struct impl_vtty_devs devs;
	struct vt_agent *a;
	struct ct *ct;
	int hfd, id;

	REQ("VTTY-12");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&ct, &devs);
	VT_ATTACH(&hfd, ct->pid, 5, IMPL_VTTY_NONBLOCK);
	/* A session leader reading its controlling terminal, in the foreground. */
	START_AGENT(&id, ct, 5, .ctty = true, .want = 3);
	a = &vt_job(id)->agent;
	ASSERT_EQ(a->sid, a->pgrp_open) TH_LOG("the agent's group is not in the foreground");

	HOST_TYPE_STR(hfd, "\x03");
	AGENT_WAIT(&a->sigs[SIGINT], 1, "SIGINT from ^C");
	HOST_TYPE_STR(hfd, "\x1a");
	AGENT_WAIT(&a->sigs[SIGTSTP], 1, "SIGTSTP from ^Z");
	/* The signal characters are not input: the next line is all it reads. */
	HOST_TYPE_STR(hfd, "ok\n");
	AGENT_WAIT(&a->finished, 1, "the line after the signals");
	EXPECT_EQ(0, memcmp(a->data, "ok\n", 3)) TH_LOG("read '%.*s'", (int)a->got, a->data);
	EXPECT_EQ(1, a->sigs[SIGINT]);
	EXPECT_EQ(1, a->sigs[SIGTSTP]);
	EXPECT_EQ(0, a->sigs[SIGQUIT]);
	EXPECT_EQ(0, a->sigs[SIGHUP]);
}

TEST_HARNESS_MAIN
