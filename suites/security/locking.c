// SPDX-License-Identifier: GPL-2.0
/*
 * SEC-4: every lock of the vfb path, taken in every order the uAPI allows,
 * while the host switches.  Two containers call every vfb ioctl in a loop,
 * with their user buffers inside their own vfb mapping (so that a copy to
 * or from user space faults into the vfb's fault handler after each switch
 * zapped the mapping), and read() into it; the host switches among the
 * containers and itself.  First one round and a few switches one after the
 * other: on the debug kernel lockdep has then seen every lock order, and the
 * test fails at once if it reported (before a real deadlock can hang it);
 * the runner also fails any program during which lockdep reported (SPEC
 * section 7).  Then the calls and the switching run at the same time: on any
 * kernel nothing may deadlock and every call must succeed.
 */
#include "vfb_fixture.h"

VW_WORLD_FIXTURE(locking)

#define LK_WORKERS	2
#define LK_SWITCHES	300
#define LK_BUF		4096	/* bytes of the mapping used as the user buffer */

struct lk_worker {
	uint32_t ready;
	uint64_t calls;
	int err;		/* first unexpected -errno */
	int failed_call;	/* which call (the switch case below) */
};

struct lk_shared {
	uint32_t go;
	uint32_t stop;
	struct lk_worker w[LK_WORKERS];
};

/* One round of every vfb call, user buffers at @ubuf (in the vfb mapping). */
static int lk_round(int fd, uint8_t *ubuf, int *call)
{
	struct fb_fix_screeninfo *fix = (void *)ubuf;
	struct fb_var_screeninfo *var = (void *)ubuf;
	uint16_t *entries = (uint16_t *)(ubuf + 1024);
	struct fb_cmap cmap = {
		.start = 0, .len = 64,
		.red = entries, .green = entries + 64, .blue = entries + 128,
	};
	struct fb_var_screeninfo pan;
	uint32_t crtc = 0;

	for (*call = 0; *call < 7; (*call)++) {
		int ret = 0;

		switch (*call) {
		case 0:
			ret = ioctl(fd, FBIOGET_FSCREENINFO, fix);
			break;
		case 1:
			ret = ioctl(fd, FBIOGET_VSCREENINFO, var);
			break;
		case 2:
			ret = ioctl(fd, FBIOGETCMAP, &cmap);
			break;
		case 3:
			ret = ioctl(fd, FBIOPUTCMAP, &cmap);
			break;
		case 4:
			ret = ioctl(fd, FBIOGET_VSCREENINFO, &pan);
			if (!ret)
				ret = ioctl(fd, FBIOPAN_DISPLAY, &pan);
			break;
		case 5:
			ret = ioctl(fd, FBIO_WAITFORVSYNC, &crtc);
			break;
		case 6:
			ret = pread(fd, ubuf, LK_BUF, 0) == LK_BUF ? 0 : -1;
			break;
		}
		if (ret)
			return errno ? -errno : -EIO;
	}
	return 0;
}

/* Worker @n, in its container: rounds until told to stop. */
static int lk_worker(long n)
{
	struct lk_shared *s = vw_scratch();
	struct lk_worker *w = &s->w[n];
	struct fb_fix_screeninfo fix;
	uint8_t *map;
	int fd;

	fd = fb_open(FB_VFB);
	if (fd < 0 || ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		w->err = fd < 0 ? fd : -errno;
		return 1;
	}
	map = fb_map(fd, fix.smem_len);
	if (!map) {
		w->err = -ENOMEM;
		return 1;
	}
	/* the last page of the picture is the user buffer: nobody looks at it */
	for (bool first = true; !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE); first = false) {
		int ret = lk_round(fd, map + fix.smem_len - LK_BUF, &w->failed_call);

		if (ret) {
			w->err = ret;
			return 1;
		}
		__atomic_add_fetch(&w->calls, 1, __ATOMIC_RELEASE);
		if (first) {
			/* phase 1 (see the test): one round, then wait */
			flag_post(&w->ready, 1);
			while (flag_wait(&s->go, 1, 1000) && !__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
				;
		}
	}
	return 0;
}

/*
 * lockdep's verdict so far: 1 while it has seen nothing wrong, 0 once it
 * reported (it then turns itself off), -1 without lockdep.
 */
static int lk_debug_locks(void)
{
	char line[128];
	int v = -1;
	FILE *f = fopen("/proc/lockdep_stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " debug_locks: %d", &v) == 1)
			break;
	fclose(f);
	return v;
}

TEST_F_TIMEOUT(locking, every_vfb_call_while_switching_in_every_lock_order, deadline_s(40))
{
	struct lk_shared *s = vw_scratch();
	struct job *job[LK_WORKERS];
	struct impl_state before, after;
	pid_t pids[LK_WORKERS + 1];
	uint64_t start_calls[LK_WORKERS];
	int64_t end;
	int n, i, locks;

	REQ("SEC-4");
	REQUIRE_VFB();
	locks = lk_debug_locks();
	pids[0] = getpid();
	for (n = 0; n < LK_WORKERS; n++) {
		struct ct *c;

		VW_NEW_CT(&c);
		pids[n + 1] = c->pid;
		VW_NEW_JOB(&job[n]);
		ASSERT_EQ(0, job_start(job[n], c, lk_worker, n));
	}
	for (n = 0; n < LK_WORKERS; n++) {
		int64_t first = now_ms() + deadline_ms(10000);

		while (flag_wait(&s->w[n].ready, 1, deadline_ms(100)) && !s->w[n].err)
			ASSERT_GT(first, now_ms()) TH_LOG("worker %d did not start", n);
		ASSERT_EQ(0, s->w[n].err) TH_LOG("worker %d: set-up: %s", n, strerror(-s->w[n].err));
		start_calls[n] = __atomic_load_n(&s->w[n].calls, __ATOMIC_ACQUIRE);
	}

	/*
	 * Phase 1, nothing concurrent: each worker made one round of calls
	 * and waits; the host switches to each and back.  lockdep has now
	 * seen every lock order of the calls and of a switch, without any
	 * chance of a real deadlock: if it reported, stop here.
	 */
	for (n = 0; n <= LK_WORKERS; n++)
		VW_ACTIVATE(pids[(n + 1) % (LK_WORKERS + 1)]);
	if (locks == 1) {
		ASSERT_EQ(1, lk_debug_locks())
			TH_LOG("lockdep reported a problem (see the kernel log) after one round of calls and %d switches",
			       LK_WORKERS + 1);
	} else if (locks == 0 || lk_debug_locks() == 0) {
		/*
		 * lockdep was off when the test started: a report earlier in
		 * this boot (the runner failed that program), possibly in this
		 * program's fixture.  Without lockdep the concurrent phase
		 * could deadlock for real on a lock-order bug: leave it out.
		 */
		TH_LOG("lockdep is off (an earlier report, see the kernel log): concurrent phase left out");
		return;
	}

	/* Phase 2: the calls run while the host switches. */
	flag_post(&s->go, 1);
	VW_STATE(&before);
	for (i = 0; i < LK_SWITCHES; i++) {
		/* A deadline per switch, not for all: a starved switch, not a slow machine. */
		end = now_ms() + deadline_ms(2000);
		VW_ACTIVATE(pids[(i + 1) % (LK_WORKERS + 1)]);
		ASSERT_GT(end, now_ms()) TH_LOG("switch %d of %d took longer than %d ms", i,
						LK_SWITCHES, deadline_ms(2000));
		for (n = 0; n < LK_WORKERS; n++)
			ASSERT_EQ(0, s->w[n].err)
				TH_LOG("switch %d: worker %d: call %d: %s", i, n,
				       s->w[n].failed_call, strerror(-s->w[n].err));
	}
	VW_ACTIVATE_HOST();
	VW_STATE(&after);
	/* every activation was a switch: each one names another namespace */
	EXPECT_EQ(before.generation + LK_SWITCHES + (LK_SWITCHES % (LK_WORKERS + 1) != 0),
		  after.generation);

	/* both workers made progress during the switching, and stop when told */
	for (n = 0; n < LK_WORKERS; n++) {
		int64_t until = now_ms() + deadline_ms(5000);

		while (__atomic_load_n(&s->w[n].calls, __ATOMIC_ACQUIRE) < start_calls[n] + 2)
			ASSERT_GT(until, now_ms()) TH_LOG("worker %d made no progress", n);
	}
	flag_post(&s->stop, 1);
	for (n = 0; n < LK_WORKERS; n++) {
		EXPECT_EQ(0, job_join(job[n], deadline_ms(10000)))
			TH_LOG("worker %d: call %d: %s", n, s->w[n].failed_call,
			       strerror(-s->w[n].err));
	}
	TH_LOG("%d switches; rounds of 7 calls: %llu and %llu", LK_SWITCHES,
	       (unsigned long long)s->w[0].calls, (unsigned long long)s->w[1].calls);
}

TEST_HARNESS_MAIN
