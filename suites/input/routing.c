// SPDX-License-Identifier: GPL-2.0
/*
 * INPUT-1..9: virtual input.  A uinput keyboard and mouse on the host
 * stands for a real one (its events go through the input core like a USB
 * keyboard's); containers A and B each hold readers of their own virtual
 * input (impl()->device("input") opened inside them), the host a reader of
 * the uinput device's own event node.  A uinput write returns once the
 * input core has handed the event to every handler, so what a reader has
 * not got when the write returned, it never gets: "nothing" is checked
 * with a non-blocking read right after.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "devns_test.h"
#include "input.h"
#include "job.h"

FIXTURE(input) {
	const struct impl_ops *im;
	int ctl;
	struct ct a, b;
	bool a_up, b_up;
	struct uinput_dev kbd;
	int host;		/* reader of the uinput device's node */
	int ra, rb;		/* readers in A and in B */
	struct job job;
};

FIXTURE_SETUP(input)
{
	const char *dev;
	int ret;

	self->im = impl();
	self->ctl = self->host = self->ra = self->rb = -1;
	self->kbd.fd = -1;
	self->job = (struct job){ .fd = -1 };
	if (!impl_has(IMPL_CAP_INPUT))
		return;		/* the tests skip */
	dev = self->im->device("input");
	self->ctl = self->im->open_ctl();
	ASSERT_LE(0, self->ctl);
	CT_START(&self->a, CT_CLONE, NULL);
	self->a_up = true;
	CT_START(&self->b, CT_CLONE, NULL);
	self->b_up = true;
	self->ra = ct_open(&self->a, dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->ra) TH_LOG("open %s in A: %s", dev, strerror(-self->ra));
	self->rb = ct_open(&self->b, dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->rb) TH_LOG("open %s in B: %s", dev, strerror(-self->rb));
	/* a kernel without uinput (the debug kernel) runs the tests that inject only */
	ret = uinput_create(&self->kbd, "devns-suite keyboard");
	if (ret == -ENODEV)
		return;
	ASSERT_EQ(0, ret) TH_LOG("a uinput keyboard: %s", strerror(-ret));
	self->host = open(self->kbd.node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, self->host) TH_LOG("open %s: %s", self->kbd.node, strerror(errno));
}

FIXTURE_TEARDOWN(input)
{
	job_kill(&self->job);
	if (self->ctl >= 0) {
		self->im->activate(self->ctl, getpid(), 0);
		close(self->ctl);
	}
	if (self->host >= 0)
		close(self->host);
	uinput_destroy(&self->kbd);
	if (self->ra >= 0)
		close(self->ra);
	if (self->rb >= 0)
		close(self->rb);
	if (self->b_up)
		ct_stop(&self->b);
	if (self->a_up)
		ct_stop(&self->a);
}

#define REQUIRE_INPUT() REQUIRE_CAP(IMPL_CAP_INPUT)

/* A host keyboard (uinput) too. */
#define REQUIRE_KEYBOARD()							\
	do {									\
		REQUIRE_INPUT();						\
		if (self->kbd.fd < 0)						\
			SKIP(return, "this kernel has no uinput (CONFIG_INPUT_UINPUT)"); \
	} while (0)

/* The host's reader of the keyboard has nothing (when there is a keyboard). */
#define EXPECT_HOST_NOTHING(who)						\
	do {									\
		if (self->host >= 0)						\
			EXPECT_NOTHING(self->host, (who));			\
	} while (0)

#define ACTIVATE(pid)								\
	ASSERT_EQ(0, self->im->activate(self->ctl, (pid), 0))

/* A key event (and a SYN_REPORT) from the host's keyboard. */
#define KEY(kc, kv)								\
	ASSERT_EQ(0, uinput_emit(&self->kbd, EV_KEY, (kc), (kv), 1))

/* Reader @fd has nothing (now, so never: see the top of the file). */
#define EXPECT_NOTHING(fd, who)							\
	EXPECT_EQ(1, input_none_pending(fd)) TH_LOG("%s got an event", (who))

/* Reader @fd got exactly key @kc with value @kv, then SYN_REPORT. */
#define EXPECT_KEY(fd, kc, kv, who)					\
	do {									\
		struct input_event _e[3];					\
		int _n = input_read_events((fd), _e, 2, deadline_ms(2000));	\
		ASSERT_EQ(2, _n) TH_LOG("%s: %d events, not a key and a SYN", (who), _n); \
		EXPECT_EQ(EV_KEY, _e[0].type) TH_LOG("%s", (who));		\
		EXPECT_EQ((kc), _e[0].code) TH_LOG("%s", (who));		\
		EXPECT_EQ((kv), _e[0].value) TH_LOG("%s", (who));		\
		EXPECT_EQ(EV_SYN, _e[1].type);					\
		EXPECT_EQ(SYN_REPORT, _e[1].code);				\
		EXPECT_NOTHING((fd), (who));					\
	} while (0)

/* Key @code is down in the state reader @fd reports (EVIOCGKEY). */
static bool key_down(int fd, unsigned int code)
{
	unsigned char keys[KEY_MAX / 8 + 1] = { 0 };

	if (ioctl(fd, EVIOCGKEY(sizeof(keys)), keys) < 0)
		return false;
	return keys[code / 8] & (1u << (code % 8));
}

TEST_F(input, speaks_the_evdev_identity_ioctls)
{
	unsigned char bits[KEY_MAX / 8 + 1] = { 0 };
	struct input_id id;
	char name[64] = "";
	int version = 0;

	REQ("INPUT-1");
	REQUIRE_INPUT();
	ASSERT_EQ(0, ioctl(self->ra, EVIOCGVERSION, &version));
	EXPECT_EQ(EV_VERSION, version);
	ASSERT_EQ(0, ioctl(self->ra, EVIOCGID, &id));
	EXPECT_EQ(BUS_VIRTUAL, id.bustype);
	EXPECT_LT(0, ioctl(self->ra, EVIOCGNAME(sizeof(name)), name));
	EXPECT_STREQ("devns virtual input", name);
	EXPECT_LT(0, ioctl(self->ra, EVIOCGBIT(0, sizeof(bits)), bits));
	EXPECT_TRUE(bits[0] & (1u << EV_KEY)) TH_LOG("no EV_KEY");
	EXPECT_TRUE(bits[0] & (1u << EV_REL)) TH_LOG("no EV_REL");
	EXPECT_LT(0, ioctl(self->ra, EVIOCGBIT(EV_KEY, sizeof(bits)), bits));
	EXPECT_TRUE(bits[KEY_A / 8] & (1u << (KEY_A % 8))) TH_LOG("no KEY_A");
	EXPECT_TRUE(bits[BTN_LEFT / 8] & (1u << (BTN_LEFT % 8))) TH_LOG("no BTN_LEFT");
	EXPECT_EQ(-1, ioctl(self->ra, EVIOCGPHYS(sizeof(name)), name));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, ioctl(self->ra, _IOR('E', 0x7f, int), &version));
	EXPECT_EQ(EINVAL, errno) TH_LOG("an unknown evdev ioctl");
}

TEST_F(input, the_active_namespace_gets_every_event_in_order)
{
	static const int seq[][2] = { { KEY_H, 1 }, { KEY_H, 0 }, { KEY_I, 1 }, { KEY_I, 0 } };
	struct input_event e[16];
	int i, n;

	REQ("INPUT-2");
	REQUIRE_KEYBOARD();
	ACTIVATE(self->a.pid);
	for (i = 0; i < 4; i++)
		KEY(seq[i][0], seq[i][1]);
	ASSERT_EQ(0, uinput_emit(&self->kbd, EV_REL, REL_X, 5, 0));
	ASSERT_EQ(0, uinput_emit(&self->kbd, EV_REL, REL_Y, -3, 1));
	n = input_read_events(self->ra, e, 11, deadline_ms(2000));
	ASSERT_EQ(11, n) TH_LOG("A got %d events", n);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(EV_KEY, e[2 * i].type);
		EXPECT_EQ(seq[i][0], e[2 * i].code);
		EXPECT_EQ(seq[i][1], e[2 * i].value);
		EXPECT_EQ(EV_SYN, e[2 * i + 1].type);
	}
	EXPECT_EQ(EV_REL, e[8].type);
	EXPECT_EQ(REL_X, e[8].code);
	EXPECT_EQ(5, e[8].value);
	EXPECT_EQ(REL_Y, e[9].code);
	EXPECT_EQ(-3, e[9].value);
	EXPECT_EQ(SYN_REPORT, e[10].code);
	EXPECT_NOTHING(self->ra, "A, after its events");
	EXPECT_NOTHING(self->rb, "B (passive)");
	EXPECT_NOTHING(self->host, "the host's reader of the keyboard");
}

TEST_F(input, the_host_keeps_its_keyboard_while_it_is_active)
{
	REQ("INPUT-2");
	REQUIRE_KEYBOARD();
	KEY(KEY_Q, 1);
	EXPECT_KEY(self->host, KEY_Q, 1, "the host's reader, a press");
	KEY(KEY_Q, 0);
	EXPECT_KEY(self->host, KEY_Q, 0, "the host's reader, its release");
	EXPECT_NOTHING(self->ra, "A (passive)");
	EXPECT_NOTHING(self->rb, "B (passive)");
	ACTIVATE(self->b.pid);
	KEY(KEY_W, 1);
	EXPECT_KEY(self->rb, KEY_W, 1, "B, a press");
	KEY(KEY_W, 0);
	EXPECT_KEY(self->rb, KEY_W, 0, "B, its release");
	EXPECT_NOTHING(self->ra, "A (passive, B active)");
	EXPECT_NOTHING(self->host, "the host's reader while B is active");
	ACTIVATE(getpid());
	KEY(KEY_E, 1);
	EXPECT_NOTHING(self->rb, "B after the host came back");
}

/* A key held at a switch is released in the namespace that got its press. */
TEST_F(input, a_switch_releases_held_keys_where_they_were_pressed)
{
	REQ("INPUT-3");
	REQUIRE_KEYBOARD();
	ACTIVATE(self->a.pid);
	KEY(KEY_LEFTSHIFT, 1);
	EXPECT_KEY(self->ra, KEY_LEFTSHIFT, 1, "A, shift down");
	EXPECT_TRUE(key_down(self->ra, KEY_LEFTSHIFT));
	ACTIVATE(self->b.pid);
	EXPECT_KEY(self->ra, KEY_LEFTSHIFT, 0, "A, released at the switch");
	EXPECT_FALSE(key_down(self->ra, KEY_LEFTSHIFT)) TH_LOG("A still holds shift");
	KEY(KEY_LEFTSHIFT, 0);
	EXPECT_NOTHING(self->rb, "B: a lone release of a key it never saw pressed");
	EXPECT_NOTHING(self->ra, "A: a second release");
	EXPECT_FALSE(key_down(self->rb, KEY_LEFTSHIFT));
	EXPECT_NOTHING(self->host, "the host");
}

TEST_F(input, a_key_the_host_pressed_is_released_to_the_host)
{
	struct input_event e[4];

	REQ("INPUT-3");
	REQUIRE_KEYBOARD();
	KEY(KEY_LEFTSHIFT, 1);
	ASSERT_EQ(2, input_read_events(self->host, e, 2, deadline_ms(2000)));
	ACTIVATE(self->a.pid);
	KEY(KEY_LEFTSHIFT, 0);
	ASSERT_EQ(2, input_read_events(self->host, e, 2, deadline_ms(2000)))
		TH_LOG("the host never got its key's release");
	EXPECT_EQ(KEY_LEFTSHIFT, e[0].code);
	EXPECT_EQ(0, e[0].value);
	EXPECT_NOTHING(self->ra, "A: the release of the host's key");
}

TEST_F(input, a_grab_holds_within_its_namespace_only)
{
	const char *dev;
	int ra2;

	REQ("INPUT-4");
	REQUIRE_KEYBOARD();
	dev = self->im->device("input");
	ra2 = ct_open(&self->a, dev, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, ra2);
	ASSERT_EQ(0, ioctl(self->ra, EVIOCGRAB, 1));
	EXPECT_EQ(-1, ioctl(ra2, EVIOCGRAB, 1));
	EXPECT_EQ(EBUSY, errno) TH_LOG("a second grab");
	ACTIVATE(self->a.pid);
	KEY(KEY_G, 1);
	EXPECT_KEY(self->ra, KEY_G, 1, "A's grabbing reader");
	EXPECT_NOTHING(ra2, "A's other reader while the grab holds");
	ACTIVATE(self->b.pid);
	KEY(KEY_H, 1);
	EXPECT_KEY(self->rb, KEY_H, 1, "B, unaffected by A's grab");
	EXPECT_EQ(0, ioctl(self->ra, EVIOCGRAB, 0));
	ACTIVATE(self->a.pid);
	KEY(KEY_J, 1);
	EXPECT_KEY(ra2, KEY_J, 1, "A's other reader after the ungrab");
	close(ra2);
}

/* More events than a reader holds: it gets SYN_DROPPED, then the state. */
TEST_F(input, an_overflowing_reader_gets_syn_dropped)
{
	struct impl_input_event ev[2] = { { EV_KEY, KEY_A, 0 }, { EV_SYN, SYN_REPORT, 0 } };
	struct input_event e[8];
	int i, n;

	REQ("INPUT-5");
	REQUIRE_INPUT();
	for (i = 0; i < 100; i++) {
		ev[0].value = !(i % 2);
		ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, ev, 2));
	}
	n = input_read_events(self->ra, e, 8, deadline_ms(2000));
	ASSERT_LE(1, n);
	EXPECT_EQ(EV_SYN, e[0].type);
	EXPECT_EQ(SYN_DROPPED, e[0].code) TH_LOG("the first event after the overflow: %u/%u",
						  e[0].type, e[0].code);
	EXPECT_FALSE(key_down(self->ra, KEY_A)) TH_LOG("the last frame released A");
}

TEST_F(input, the_host_injects_into_a_passive_namespace)
{
	struct impl_input_event ev[] = {
		{ EV_KEY, KEY_X, 1 }, { EV_SYN, SYN_REPORT, 0 },
	};

	REQ("INPUT-6");
	REQUIRE_INPUT();
	ACTIVATE(self->b.pid);
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, ev, 2));
	EXPECT_KEY(self->ra, KEY_X, 1, "A (passive)");
	EXPECT_TRUE(key_down(self->ra, KEY_X));
	EXPECT_NOTHING(self->rb, "B (active)");
	EXPECT_HOST_NOTHING("the host's reader of the keyboard");
}

/* In a container (its root) or as an unprivileged host user: the host's call. */
static int inject_from(long pid)
{
	struct impl_input_event ev[] = { { EV_KEY, KEY_B, 1 }, { EV_SYN, SYN_REPORT, 0 } };
	const struct impl_ops *im = impl();
	int ctl = im->open_ctl(), r;

	if (ctl < 0)
		return 200;
	r = im->input_inject(ctl, (pid_t)pid, ev, 2);
	close(ctl);
	return r ? -r : 0;
}

static int inject_as_nobody(long pid)
{
	if (setgid(65534) || setuid(65534))
		return 201;
	return inject_from(pid);
}

TEST_F(input, only_the_host_injects_and_containers_cannot_write)
{
	struct input_event ev = { .type = EV_KEY, .code = KEY_B, .value = 1 };
	int rw;

	REQ("INPUT-7");
	REQUIRE_INPUT();
	rw = ct_open(&self->a, self->im->device("input"), O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, rw) TH_LOG("open for writing in A: %s", strerror(-rw));
	EXPECT_EQ(EPERM, ct_call(&self->a, inject_from, 0)) TH_LOG("root of a container");
	ASSERT_EQ(0, job_start(&self->job, NULL, inject_as_nobody, self->a.pid));
	EXPECT_EQ(EPERM, job_join(&self->job, deadline_ms(10000))) TH_LOG("an unprivileged host user");
	EXPECT_EQ(-1, write(rw, &ev, sizeof(ev)));
	EXPECT_EQ(EPERM, errno) TH_LOG("a container writing events");
	close(rw);
	EXPECT_NOTHING(self->ra, "A");
	EXPECT_HOST_NOTHING("the host");
}

TEST_F(input, bad_requests_get_clear_errors)
{
	struct impl_input_event ok[1] = { { EV_SYN, SYN_REPORT, 0 } };
	struct impl_input_event bad[][1] = {
		{ { EV_ABS, 0, 1 } }, { { EV_KEY, KEY_MAX + 1, 1 } }, { { EV_KEY, KEY_A, 3 } },
		{ { EV_SYN, SYN_DROPPED, 0 } }, { { EV_REL, REL_DIAL, 1 } },
	};
	static struct impl_input_event many[300];
	struct input_event e;
	size_t i;
	int clk = 12345;

	REQ("INPUT-8");
	REQUIRE_INPUT();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, self->im->input_inject(self->ctl, self->a.pid, bad[i], 1))
			TH_LOG("bad event %zu", i);
	EXPECT_EQ(-EINVAL, self->im->input_inject(self->ctl, self->a.pid, ok, 0)) TH_LOG("no events");
	for (i = 0; i < 300; i++)
		many[i] = ok[0];
	EXPECT_EQ(-EINVAL, self->im->input_inject(self->ctl, self->a.pid, many, 300)) TH_LOG("300 events");
	EXPECT_EQ(-ESRCH, self->im->input_inject(self->ctl, 0x3ffffff0, ok, 1)) TH_LOG("no such process");
	EXPECT_EQ(1, input_none_pending(self->ra)) TH_LOG("a refused request delivered something");
	EXPECT_EQ(-1, read(self->ra, &e, sizeof(e) - 1));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a read smaller than an event");
	EXPECT_EQ(-1, read(self->ra, &e, sizeof(e)));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("a non-blocking read with nothing queued");
	EXPECT_EQ(-1, ioctl(self->ra, EVIOCSCLOCKID, &clk));
	EXPECT_EQ(EINVAL, errno) TH_LOG("an unknown clock");
	EXPECT_EQ(-1, ioctl(self->ra, EVIOCGRAB, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("ungrab without a grab");
}

static int poll_reader(long fd)
{
	struct pollfd p = { .fd = (int)fd, .events = POLLIN };

	return poll(&p, 1, deadline_ms(10000)) == 1 && (p.revents & POLLIN) ? 1 : 100;
}

TEST_F(input, poll_wakes_a_reader_at_its_first_event)
{
	struct timespec now;
	struct input_event e[2];
	int mono = CLOCK_MONOTONIC;

	REQ("INPUT-1");
	REQUIRE_KEYBOARD();
	ASSERT_EQ(0, ioctl(self->ra, EVIOCSCLOCKID, &mono));
	ASSERT_EQ(0, job_start(&self->job, NULL, poll_reader, self->ra));
	ASSERT_EQ(0, proc_wait_blocked(self->job.pid, SYS_poll, deadline_ms(5000)));
	ACTIVATE(self->a.pid);
	KEY(KEY_P, 1);
	EXPECT_EQ(1, job_join(&self->job, deadline_ms(5000))) TH_LOG("the waiting poll() did not wake");
	ASSERT_EQ(2, input_read_events(self->ra, e, 2, deadline_ms(2000)));
	clock_gettime(CLOCK_MONOTONIC, &now);
	EXPECT_GE(now.tv_sec, e[0].input_event_sec);
	EXPECT_LE(now.tv_sec - 60, e[0].input_event_sec) TH_LOG("not a CLOCK_MONOTONIC stamp");
}

/* A reader open across its namespace's death: what was queued, then hangup. */
TEST_F(input, a_reader_outlives_its_namespace)
{
	struct impl_input_event ev[] = { { EV_KEY, KEY_D, 1 }, { EV_SYN, SYN_REPORT, 0 } };
	struct pollfd p = { .fd = self->ra, .events = 0 };
	struct input_event e[2];

	REQ("INPUT-9");
	REQUIRE_INPUT();
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, ev, 2));
	ct_stop(&self->a);
	self->a_up = false;
	ASSERT_EQ(1, poll(&p, 1, deadline_ms(10000))) TH_LOG("no hangup after the death");
	EXPECT_TRUE(p.revents & POLLHUP);
	EXPECT_EQ(2, input_read_events(self->ra, e, 2, deadline_ms(2000))) TH_LOG("what was queued");
	EXPECT_EQ(-1, read(self->ra, e, sizeof(e)));
	EXPECT_EQ(ENODEV, errno) TH_LOG("a read after the last event");
}

/* A second host keyboard is routed the same way. */
TEST_F(input, every_host_keyboard_reaches_the_active_namespace)
{
	struct uinput_dev second;

	REQ("INPUT-2");
	REQUIRE_KEYBOARD();
	ASSERT_EQ(0, uinput_create(&second, "devns-suite second keyboard"));
	ACTIVATE(self->a.pid);
	KEY(KEY_K, 1);
	EXPECT_KEY(self->ra, KEY_K, 1, "A, from the first keyboard");
	EXPECT_EQ(0, uinput_emit(&second, EV_KEY, KEY_L, 1, 1));
	EXPECT_KEY(self->ra, KEY_L, 1, "A, from the second keyboard");
	EXPECT_NOTHING(self->rb, "B (passive)");
	uinput_destroy(&second);
}

TEST_F(input, every_reader_of_the_namespace_gets_every_event)
{
	int ra2;

	REQ("INPUT-2");
	REQUIRE_KEYBOARD();
	ra2 = ct_open(&self->a, self->im->device("input"), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ASSERT_LE(0, ra2);
	ACTIVATE(self->a.pid);
	KEY(KEY_M, 1);
	EXPECT_KEY(self->ra, KEY_M, 1, "A's first reader");
	EXPECT_KEY(ra2, KEY_M, 1, "A's second reader");
	close(ra2);
}

/* A namespace that never opened its device: the events go to nobody. */
TEST_F(input, an_active_namespace_without_readers_swallows_the_keyboard)
{
	struct ct c;

	REQ("INPUT-2");
	REQUIRE_KEYBOARD();
	CT_START(&c, CT_CLONE, NULL);
	ACTIVATE(c.pid);
	KEY(KEY_N, 1);
	KEY(KEY_N, 0);
	EXPECT_NOTHING(self->host, "the host while C is active");
	EXPECT_NOTHING(self->ra, "A");
	EXPECT_NOTHING(self->rb, "B");
	ACTIVATE(getpid());
	ct_stop(&c);
}

/* Repeats of a key follow its press, like its release. */
TEST_F(input, a_repeat_goes_where_the_press_went)
{
	REQ("INPUT-3");
	REQUIRE_KEYBOARD();
	ACTIVATE(self->a.pid);
	KEY(KEY_R, 1);
	EXPECT_KEY(self->ra, KEY_R, 1, "A, the press");
	KEY(KEY_R, 2);
	EXPECT_KEY(self->ra, KEY_R, 2, "A, a repeat");
	ACTIVATE(self->b.pid);
	EXPECT_KEY(self->ra, KEY_R, 0, "A, released at the switch");
	KEY(KEY_R, 2);
	EXPECT_NOTHING(self->rb, "B: a repeat of a key pressed in A");
	EXPECT_NOTHING(self->ra, "A: a repeat after its release");
}

/* A frame is readable once whole: at its SYN_REPORT. */
TEST_F(input, a_reader_gets_whole_frames)
{
	struct impl_input_event half[] = { { EV_KEY, KEY_F, 1 } };
	struct impl_input_event end[] = { { EV_SYN, SYN_REPORT, 0 } };
	struct pollfd p = { .fd = self->ra, .events = POLLIN };

	REQ("INPUT-1");
	REQUIRE_INPUT();
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, half, 1));
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("readable before the frame's end");
	EXPECT_NOTHING(self->ra, "A before the SYN_REPORT");
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, end, 1));
	EXPECT_KEY(self->ra, KEY_F, 1, "A after the SYN_REPORT");
}

TEST_F(input, a_revoked_reader_gets_nothing_more)
{
	struct impl_input_event key_v[] = { { EV_KEY, KEY_V, 1 }, { EV_SYN, SYN_REPORT, 0 } };
	struct input_event e;

	REQ("INPUT-1");
	REQUIRE_INPUT();
	ASSERT_EQ(0, ioctl(self->ra, EVIOCREVOKE, NULL));
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, key_v, 2));
	EXPECT_EQ(-1, read(self->ra, &e, sizeof(e)));
	EXPECT_EQ(ENODEV, errno) TH_LOG("a read after EVIOCREVOKE");
	EXPECT_EQ(-1, ioctl(self->ra, EVIOCGRAB, 1));
	EXPECT_EQ(ENODEV, errno) TH_LOG("an ioctl after EVIOCREVOKE");
}

/* In a container: evtest --query on its own device; evtest's exit status (10: held). */
static int evtest_query_shift(long unused)
{
	const char *dev = impl()->device("input");
	pid_t pid = fork();
	int st;

	(void)unused;
	if (pid < 0)
		return 200;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execlp("evtest", "evtest", "--query", dev, "EV_KEY", "KEY_LEFTSHIFT", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 201;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 202;
}

#define REQUIRE_EVTEST()							\
	do {									\
		if (access("/usr/bin/evtest", X_OK))				\
			SKIP(return, "evtest is not installed (ci/deps installs it)"); \
	} while (0)

TEST_F(input, evtest_in_a_container_queries_its_keys)
{
	struct impl_input_event down[] = { { EV_KEY, KEY_LEFTSHIFT, 1 }, { EV_SYN, SYN_REPORT, 0 } };
	struct impl_input_event up[] = { { EV_KEY, KEY_LEFTSHIFT, 0 }, { EV_SYN, SYN_REPORT, 0 } };

	REQ("INPUT-1");
	REQUIRE_INPUT();
	REQUIRE_EVTEST();
	EXPECT_EQ(0, ct_call(&self->a, evtest_query_shift, 0)) TH_LOG("shift is up");
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, down, 2));
	EXPECT_EQ(10, ct_call(&self->a, evtest_query_shift, 0)) TH_LOG("shift is held");
	EXPECT_EQ(0, ct_call(&self->b, evtest_query_shift, 0)) TH_LOG("B: shift held in A only");
	ASSERT_EQ(0, self->im->input_inject(self->ctl, self->a.pid, up, 2));
	EXPECT_EQ(0, ct_call(&self->a, evtest_query_shift, 0)) TH_LOG("shift released");
}

#define EVTEST_OUT "/tmp/devns-evtest-%ld.out"

/* In a container: an evtest session on its device, its output in EVTEST_OUT of @tag. */
static int evtest_session(long tag)
{
	char path[64];
	int out;

	snprintf(path, sizeof(path), EVTEST_OUT, tag);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (out < 0)
		return 200;
	dup2(out, 1);
	dup2(out, 2);
	/* line-buffered: evtest printf()s to a file */
	execlp("stdbuf", "stdbuf", "-oL", "evtest", impl()->device("input"), (char *)NULL);
	return 127;
}

/* The file at @path contains @what (within a deadline); evtest lists every key first. */
static int file_has(const char *path, const char *what)
{
	int64_t end = now_ms() + deadline_ms(5000);
	static char buf[256 * 1024];

	while (now_ms() < end) {
		int fd = open(path, O_RDONLY);
		ssize_t n = 0, r = 1;

		while (fd >= 0 && r > 0 && (size_t)n < sizeof(buf) - 1) {
			r = read(fd, buf + n, sizeof(buf) - 1 - (size_t)n);
			n += r > 0 ? r : 0;
		}

		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			if (strstr(buf, what))
				return 1;
		}
		usleep(20000);
	}
	return 0;
}

TEST_F_TIMEOUT(input, an_evtest_session_in_a_container_sees_the_keyboard, 180)
{
	static char path[64];

	REQ("INPUT-1", "INPUT-2");
	REQUIRE_KEYBOARD();
	REQUIRE_EVTEST();
	snprintf(path, sizeof(path), EVTEST_OUT, (long)getpid());
	ASSERT_EQ(0, job_start(&self->job, &self->a, evtest_session, (long)getpid()));
	EXPECT_TRUE(file_has(path, "Testing ... (interrupt to exit)"))
		TH_LOG("evtest did not start: job %s (%d), output %s", job_running(&self->job) ? "running" : "ended",
		       job_running(&self->job) ? 0 : job_join(&self->job, 0),
		       access(path, F_OK) ? "missing" : "present");
	ACTIVATE(self->a.pid);
	KEY(KEY_A, 1);
	KEY(KEY_A, 0);
	EXPECT_TRUE(file_has(path, "code 30 (KEY_A), value 0")) TH_LOG("evtest never printed KEY_A");
	EXPECT_TRUE(file_has(path, "Input device name: \"devns virtual input\""));
	job_kill(&self->job);
	unlink(path);
}

TEST_HARNESS_MAIN
