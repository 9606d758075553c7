// SPDX-License-Identifier: GPL-2.0
/*
 * SEC-2: bad input to every ioctl and file operation of every device.
 *
 * An attacker container runs the tables of the operation catalog
 * (lib/ops.h) as user nobody without capabilities: every operation of
 * /dev/devns, /dev/vfb0 and its own terminal, with every kind of hostile
 * argument, a few times each with different values, and good calls in
 * between so that the model the results are checked against follows the
 * device.  Every result must be one SPEC.md section 6.1 (and the device's
 * own rows) documents.  The host runs the tables of the panel and of a host
 * attach fd the same way.
 *
 * Around each table, what must not change: a victim container with a mode,
 * pan offsets, cmap, blank level, picture and terminal output of its own;
 * the host's own vfb picture; the active namespace and the generation.
 * Afterwards every live-object counter is back to its value before the
 * containers (no leak), and the runner fails the program if the kernel
 * gained a warning or an oops.
 */
#include <fcntl.h>
#include <sys/ioctl.h>

#include "holders.h"
#include "ops.h"
#include "vfb_fixture.h"
#include "vtty.h"
#include "vtty_world.h"

#define NOBODY		65534u
#define REPS		3		/* calls per (operation, argument kind) */
#define SEED		0x5ec2u		/* of the tables' argument values */
#define SEED_VICTIM	0x5ec2a
#define SEED_HOST	0x5ec2b
#define CMAP_VICTIM	0x5ec2c
#define VICTIM_TEXT	"the victim's own output\n"

/* What the attacker's process needs, and what it reports: in shared memory. */
struct bi_plan {
	int dev;		/* the table: OPS_CTL, OPS_VFB or OPS_TTY */
	size_t smem;
	struct fb_mode_size modes[8];
	int nmodes;
	char other_tty[32];	/* the victim's terminal 0 */
	char panel_path[32];
	int step;		/* set-up step that failed (0: none) */
	int err;
	struct ops_log log;
};

static struct bi_plan *plan;

static void __attribute__((constructor)) map_plan(void)
{
	plan = ct_shared_map(sizeof(*plan));
}

/* ---- the attacker ----------------------------------------------------------- */

static int set_up_failed(int step, int err)
{
	plan->step = step;
	plan->err = err;
	return 0;
}

/*
 * In the attacker container: open its terminal as the container's root (the
 * node is root's), become nobody, open /dev/devns and /dev/vfb0 as nobody,
 * and run the table.
 */
static int attack(long unused)
{
	struct ops_env e;
	uint64_t self = pidns_id(0);
	int tty = -1, ret;

	(void)unused;
	if (plan->dev == OPS_TTY) {
		tty = open("/dev/tty2", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (tty < 0)
			return set_up_failed(1, errno);
	}
	ret = ops_become(NOBODY);
	if (ret)
		return set_up_failed(2, -ret);
	ret = ops_env_init(&e, plan->smem, plan->modes, plan->nmodes, OPS_ENV_SHADOW);
	if (ret)
		return set_up_failed(3, -ret);
	e.self_id = self;
	e.fd[OPS_TTY] = tty;
	e.fd[OPS_CTL] = open(impl()->device("ctl"), O_RDWR | O_CLOEXEC);
	e.fd[OPS_VFB] = open(impl()->device("vfb"), O_RDWR | O_CLOEXEC);
	if (e.fd[OPS_CTL] < 0 || e.fd[OPS_VFB] < 0)
		return set_up_failed(4, errno);
	snprintf(e.other_tty, sizeof(e.other_tty), "%s", plan->other_tty);
	snprintf(e.panel_path, sizeof(e.panel_path), "%s", plan->panel_path);
	ret = ops_env_sync(&e);
	if (ret)
		return set_up_failed(5, -ret);
	ops_table(&e, plan->dev, SEED, REPS, &plan->log);
	ops_env_free(&e);
	return 0;
}

/* ---- the world around it ------------------------------------------------------ */

/* The world a table runs in; the fixtures below each hold one. */
struct bi_world {
	int ctl;
	struct ct victim, attacker;
	bool have_victim, have_attacker;
	struct impl_vtty_devs vdevs, adevs;
	int host_vfb;			/* the host's own vfb */
	int vterm;			/* host attach fd on the victim's terminal 0 */
	int fds[4];			/* more fds the test holds (-1: none) */
	struct hold_counts base;
	size_t smem;
	struct fb_mode_size modes[8];
	int nmodes;
	/* what must not change */
	struct vw_req vsnap;		/* the victim's var and cmap */
	uint64_t vhash, hhash;		/* the victim's and the host's pictures */
	struct impl_vtty_info vinfo;	/* the victim's terminal */
	struct winsize vws;
	struct impl_state state;	/* the active namespace, the generation */
};

static void bi_setup(struct __test_metadata *_metadata, struct bi_world *self)
{
	self->ctl = self->host_vfb = self->vterm = -1;
	for (int i = 0; i < 4; i++)
		self->fds[i] = -1;
	memset(plan, 0, sizeof(*plan));
	self->ctl = impl()->open_ctl();
	ASSERT_LE(0, self->ctl) TH_LOG("open control: %s", strerror(-self->ctl));
}

static void bi_teardown(struct bi_world *self)
{
	for (int i = 0; i < 4; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
	if (self->vterm >= 0)
		close(self->vterm);
	if (self->host_vfb >= 0) {
		vw_reset(self->host_vfb, 0, 0);
		close(self->host_vfb);
	}
	if (self->ctl >= 0) {
		impl()->activate(self->ctl, getpid(), 0);
		close(self->ctl);
	}
	if (self->have_attacker)
		ct_stop(&self->attacker);
	if (self->have_victim)
		ct_stop(&self->victim);
}

static void keep_fd(struct bi_world *self, int fd)
{
	for (int i = 0; i < 4; i++) {
		if (self->fds[i] < 0) {
			self->fds[i] = fd;
			return;
		}
	}
	close(fd);
}

#define CHECK0(call)								\
	do {									\
		int _r = (call);						\
		ASSERT_EQ(0, _r) TH_LOG("%s: %s", #call, strerror(-_r));	\
	} while (0)

/*
 * The victim (a mode of its own with pan offsets, a cmap, blank level 1,
 * a picture, output on its terminal 0 the host is attached to), the host's
 * own picture, the baseline counters, then the attacker.
 */
static void world_start(struct __test_metadata *_metadata, struct bi_world *self)
{
	struct vw_req r;
	struct vt_write w;
	unsigned int x, y, yv;
	long smem = vw_smem_len();

	ASSERT_LT(0, smem);
	self->smem = (size_t)smem;
	self->nmodes = fb_panel_modes(self->modes, 8);
	ASSERT_LT(0, self->nmodes);
	/* the host's own state and terminal set first: they outlive every test */
	CHECK0(hold_baseline(&self->base, true, deadline_ms(3000)));
	self->host_vfb = fb_open(FB_VFB);
	ASSERT_LE(0, self->host_vfb);
	CHECK0(vw_reset(self->host_vfb, 0, 0));
	r = (struct vw_req){ .op = VW_FILL, .via = VW_VIA_RW, .seed = SEED_HOST };
	CHECK0(vw_do(self->host_vfb, &r));

	CHECK0(ct_start(&self->victim, CT_CLONE, NULL));
	self->have_victim = true;
	CHECK0(vtty_setup(&self->victim, &self->vdevs));
	x = self->modes[self->nmodes > 1].xres;
	y = self->modes[self->nmodes > 1].yres;
	yv = (unsigned int)(self->smem / (x * 4));
	yv = yv < 2 * y ? yv : 2 * y;
	r = (struct vw_req){ .op = VW_SET_MODE, .xres = x, .yres = y, .xres_virtual = x,
			     .yres_virtual = yv };
	CHECK0(vw_remote(&self->victim, &r));
	r = (struct vw_req){ .op = VW_PAN, .yoffset = yv - y };
	CHECK0(vw_remote(&self->victim, &r));
	r = (struct vw_req){ .op = VW_PUTCMAP, .seed = CMAP_VICTIM };
	CHECK0(vw_remote(&self->victim, &r));
	r = (struct vw_req){ .op = VW_BLANK, .blank = FB_BLANK_NORMAL };
	CHECK0(vw_remote(&self->victim, &r));
	r = (struct vw_req){ .op = VW_FILL, .via = VW_VIA_RW, .seed = SEED_VICTIM };
	CHECK0(vw_remote(&self->victim, &r));
	self->vterm = vtty_attach(self->victim.pid, 0, IMPL_VTTY_NONBLOCK);
	ASSERT_LE(0, self->vterm);
	w = vt_write_text("/dev/console", VICTIM_TEXT);
	ASSERT_EQ(0, vt_ct_write(&self->victim, &w, deadline_ms(2000)));
	ASSERT_EQ(VT_W_OK, w.step);

	CHECK0(ct_start(&self->attacker, CT_CLONE, NULL));
	self->have_attacker = true;
	CHECK0(vtty_setup(&self->attacker, &self->adevs));

	/* the snapshots */
	self->vsnap = vw_op(VW_GET);
	CHECK0(vw_remote(&self->victim, &self->vsnap));
	r = (struct vw_req){ .op = VW_HASH };
	CHECK0(vw_remote(&self->victim, &r));
	self->vhash = r.hash;
	r = (struct vw_req){ .op = VW_HASH };
	CHECK0(vw_do(self->host_vfb, &r));
	self->hhash = r.hash;
	CHECK0(vtty_info(self->vterm, &self->vinfo));
	ASSERT_EQ(0, ioctl(self->vterm, TIOCGWINSZ, &self->vws));
	CHECK0(impl()->get_state(self->ctl, &self->state));

	plan->smem = self->smem;
	memcpy(plan->modes, self->modes, sizeof(plan->modes));
	plan->nmodes = self->nmodes;
	vtty_node(&self->vdevs, 0, plan->other_tty, sizeof(plan->other_tty));
	snprintf(plan->panel_path, sizeof(plan->panel_path), "%s", impl()->device("panel"));
}

/* The table's failures, one line each. */
static void report_log(struct __test_metadata *_metadata, const char *what,
		       const struct ops_log *log)
{
	TH_LOG("%s: %u calls, %u (operation, argument) pairs, %u undocumented results",
	       what, log->calls, log->pairs, log->nfail);
	for (uint32_t i = 0; i < log->nfail && i < OPS_LOG_MAX; i++)
		TH_LOG("  %s: got %s, documented %s%s%s", log->fail[i].desc, log->fail[i].got,
		       log->fail[i].want, log->fail[i].bad[0] ? "; " : "", log->fail[i].bad);
	EXPECT_EQ(0u, log->nfail);
	EXPECT_LT(10u, log->pairs) TH_LOG("%s: the table hardly ran", what);
}

/* Run @dev's table in the attacker container, as nobody. */
static void attack_with(struct __test_metadata *_metadata, struct bi_world *self, int dev)
{
	plan->dev = dev;
	plan->step = 0;
	memset(&plan->log, 0, sizeof(plan->log));
	ASSERT_EQ(0, ct_call(&self->attacker, attack, 0));
	ASSERT_EQ(0, plan->step) TH_LOG("attacker set-up step %d: %s", plan->step,
					strerror(plan->err));
	report_log(_metadata, ops_dev_name(dev), &plan->log);
}

/* Nothing of the victim, the host's picture or the switch state changed. */
static void world_check(struct __test_metadata *_metadata, struct bi_world *self)
{
	struct vw_req r = vw_op(VW_GET);
	struct impl_vtty_info info;
	struct impl_state st;
	struct winsize ws;

	CHECK0(vw_remote(&self->victim, &r));
	EXPECT_EQ(0, memcmp(&r.var, &self->vsnap.var, sizeof(r.var))) TH_LOG("victim's var");
	EXPECT_EQ(0, memcmp(r.cmap, self->vsnap.cmap, sizeof(r.cmap))) TH_LOG("victim's cmap");
	r = (struct vw_req){ .op = VW_HASH };
	CHECK0(vw_remote(&self->victim, &r));
	EXPECT_EQ(self->vhash, r.hash) TH_LOG("the victim's picture changed");
	r = (struct vw_req){ .op = VW_HASH };
	CHECK0(vw_do(self->host_vfb, &r));
	EXPECT_EQ(self->hhash, r.hash) TH_LOG("the host's picture changed");
	CHECK0(vtty_info(self->vterm, &info));
	EXPECT_EQ(self->vinfo.written, info.written) TH_LOG("output reached the victim's terminal");
	EXPECT_EQ(self->vinfo.buffered, info.buffered);
	ASSERT_EQ(0, ioctl(self->vterm, TIOCGWINSZ, &ws));
	EXPECT_EQ(0, memcmp(&ws, &self->vws, sizeof(ws))) TH_LOG("victim's window size");
	CHECK0(impl()->get_state(self->ctl, &st));
	EXPECT_EQ(self->state.active_id, st.active_id);
	EXPECT_EQ(self->state.generation, st.generation) TH_LOG("a switch happened");
}

/* With the victim active: the panel shows its var, picture and blank level. */
static void panel_is_victims(struct __test_metadata *_metadata, struct bi_world *self)
{
	struct fb_var_screeninfo var;
	struct impl_report rep;
	uint16_t cmap[3][256];
	uint8_t *buf = malloc(self->smem);

	ASSERT_NE(NULL, buf);
	CHECK0(vw_panel_var(&var));
	EXPECT_EQ(self->vsnap.var.xres_virtual, var.xres_virtual);
	EXPECT_EQ(self->vsnap.var.yres_virtual, var.yres_virtual);
	EXPECT_EQ(self->vsnap.var.yoffset, var.yoffset);
	CHECK0(vw_panel_cmap(cmap));
	EXPECT_EQ(0, memcmp(cmap, self->vsnap.cmap, sizeof(cmap))) TH_LOG("the panel's cmap");
	CHECK0(vw_panel_read(buf, self->smem, 0));
	EXPECT_EQ(self->vhash, fb_hash(buf, self->smem)) TH_LOG("the panel is not the victim's picture");
	free(buf);
	if (impl_has(IMPL_CAP_PANEL_STATE)) {
		CHECK0(impl()->report(&rep));
		EXPECT_EQ(pidns_id(self->victim.pid), rep.panel_owner);
		EXPECT_EQ(FB_BLANK_NORMAL, rep.panel_blank);
	}
}

/* Stop both containers, close what the test holds: the counters go back to the baseline. */
static void world_stop(struct __test_metadata *_metadata, struct bi_world *self)
{
	struct hold_counts now;
	char a[96], b[96];
	int ret;

	ASSERT_EQ(0, impl()->activate(self->ctl, getpid(), 0));
	for (int i = 0; i < 4; i++) {
		if (self->fds[i] >= 0)
			close(self->fds[i]);
		self->fds[i] = -1;
	}
	close(self->vterm);
	self->vterm = -1;
	ct_stop(&self->attacker);
	self->have_attacker = false;
	ct_stop(&self->victim);
	self->have_victim = false;
	ret = hold_wait_counts(&self->base, deadline_ms(3000), &now);
	EXPECT_EQ(0, ret) TH_LOG("counters %s, before the containers %s",
				 hold_counts_str(&now, a, sizeof(a)),
				 hold_counts_str(&self->base, b, sizeof(b)));
}

#define REQUIRE_WORLD()								\
	do {									\
		REQUIRE_CAP(IMPL_CAP_UAPI | IMPL_CAP_VFB | IMPL_CAP_VTTY |	\
			    IMPL_CAP_COUNTERS);					\
		world_start(_metadata, &self->w);				\
	} while (0)

/* ---- the tests ------------------------------------------------------------------- */

/*
 * A table of the attacker container: one variant per device, and for the
 * vfb one with the attacker passive (the victim active) and one with it
 * active.  Afterwards, with the victim active, the panel shows the
 * victim's state.
 */
enum bi_active { ACTIVE_HOST, ACTIVE_VICTIM, ACTIVE_ATTACKER };

FIXTURE(unprivileged_container) {
	struct bi_world w;
};

FIXTURE_VARIANT(unprivileged_container) {
	int dev;		/* the table: OPS_CTL, OPS_VFB or OPS_TTY */
	enum bi_active active;	/* whose namespace is on the panel meanwhile */
};

FIXTURE_VARIANT_ADD(unprivileged_container, devns_control) {
	.dev = OPS_CTL, .active = ACTIVE_HOST,
};

FIXTURE_VARIANT_ADD(unprivileged_container, vfb_passive) {
	.dev = OPS_VFB, .active = ACTIVE_VICTIM,
};

FIXTURE_VARIANT_ADD(unprivileged_container, vfb_active) {
	.dev = OPS_VFB, .active = ACTIVE_ATTACKER,
};

FIXTURE_VARIANT_ADD(unprivileged_container, own_terminal) {
	.dev = OPS_TTY, .active = ACTIVE_HOST,
};

FIXTURE_SETUP(unprivileged_container)
{
	bi_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(unprivileged_container)
{
	bi_teardown(&self->w);
}

TEST_F_TIMEOUT(unprivileged_container, every_bad_call_fails_cleanly, deadline_s(40))
{
	struct bi_world *w = &self->w;
	const struct ct *active = NULL;

	REQ("SEC-2");
	REQUIRE_WORLD();
	if (variant->active == ACTIVE_VICTIM)
		active = &w->victim;
	else if (variant->active == ACTIVE_ATTACKER)
		active = &w->attacker;
	if (active) {
		ASSERT_EQ(0, impl()->activate(w->ctl, active->pid, 0));
		CHECK0(impl()->get_state(w->ctl, &w->state));
	}
	attack_with(_metadata, w, variant->dev);
	world_check(_metadata, w);
	ASSERT_EQ(0, impl()->activate(w->ctl, w->victim.pid, 0));
	panel_is_victims(_metadata, w);
	world_stop(_metadata, w);
}

/* A host table: the host (root) runs it in this process. */
static void host_table(struct __test_metadata *_metadata, struct bi_world *self, int dev,
		       int fd)
{
	struct ops_env e;
	struct ops_log *log = &plan->log;

	CHECK0(ops_env_init(&e, self->smem, self->modes, self->nmodes, 0));
	e.fd[dev] = fd;
	e.host_id = pidns_id(self->attacker.pid);
	e.host_index = 1;
	CHECK0(ops_env_sync(&e));
	ops_table(&e, dev, SEED, REPS, log);
	ops_env_free(&e);
	report_log(_metadata, ops_dev_name(dev), log);
}

/* The tables the host (root) runs: the panel, and a host attach fd. */
FIXTURE(host) {
	struct bi_world w;
};

FIXTURE_SETUP(host)
{
	bi_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(host)
{
	bi_teardown(&self->w);
}

TEST_F_TIMEOUT(host, panel_bad_calls_fail_cleanly, deadline_s(30))
{
	struct bi_world *w = &self->w;
	int fd;

	REQ("SEC-2");
	REQUIRE_WORLD();
	ASSERT_EQ(0, impl()->activate(w->ctl, w->victim.pid, 0));
	CHECK0(impl()->get_state(w->ctl, &w->state));
	fd = fb_open(FB_PANEL);
	ASSERT_LE(0, fd);
	keep_fd(w, fd);
	host_table(_metadata, w, OPS_PANEL, fd);
	world_check(_metadata, w);
	/*
	 * The fbdev core lets the host's hostile calls through to the panel in
	 * places (a cmap range clipped to its 256 entries; 6.1 clamps a blank
	 * level): a switch puts the victim's state back on it.
	 */
	ASSERT_EQ(0, impl()->activate(w->ctl, getpid(), 0));
	ASSERT_EQ(0, impl()->activate(w->ctl, w->victim.pid, 0));
	panel_is_victims(_metadata, w);
	world_stop(_metadata, w);
}

TEST_F_TIMEOUT(host, attach_fd_bad_calls_fail_cleanly, deadline_s(30))
{
	struct bi_world *w = &self->w;
	int hfd, tty;

	REQ("SEC-2");
	REQUIRE_WORLD();
	/* the attacker's terminal 1 open in the container: host writes reach its input */
	tty = ct_open(&w->attacker, "/dev/tty2", O_RDWR | O_NOCTTY | O_NONBLOCK);
	ASSERT_LE(0, tty);
	keep_fd(w, tty);
	hfd = vtty_attach(w->attacker.pid, 1, IMPL_VTTY_NONBLOCK);
	ASSERT_LE(0, hfd);
	keep_fd(w, hfd);
	host_table(_metadata, w, OPS_HOST, hfd);
	world_check(_metadata, w);
	world_stop(_metadata, w);
}

TEST_HARNESS_MAIN
