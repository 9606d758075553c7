// SPDX-License-Identifier: GPL-2.0
/*
 * SEC-1: root in a user namespace stays in its dev_ns.
 *
 * A "runtime" (a forked host root process with a private mount namespace
 * and a tmpfs on /tmp) starts a process in new user, PID and mount
 * namespaces whose uid and gid 0 are host uid and gid 100000: it holds every
 * capability in its user namespace and none on the host.  The runtime
 * writes its uid_map and gid_map (setgroups denied), creates its terminals
 * and makes their nodes on the runtime's tmpfs, owned by the namespace's
 * root.  The process then mounts a procfs of its PID namespace on /proc,
 * and builds its /dev on a tmpfs of its own with only what a runtime gives
 * a container: the vfb as /dev/fb0, /dev/devns, its terminals as
 * /dev/console, /dev/tty1, /dev/tty2...  For the tests it also gets what a
 * runtime would not give: a node of another container's terminal
 * (/dev/other-tty1) and the host's panel node (/dev/host-panel).  Then it
 * tries to get out of its dev_ns, and the test checks that nothing of the
 * other dev_ns changed: the active namespace, the generation, the other
 * container's picture and the panel.
 */
#include <grp.h>
#include <linux/input.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "vfb_fixture.h"
#include "vtty.h"

#define UNS_ID		100000u		/* host uid and gid of the namespace's root */
#define UNS_LEN		(64 * 1024)	/* bytes of each picture the tests compare */
#define SEED_OTHER	0x5ec10b
#define SEED_OWN	0x5ec10a
#define UNS_TERMS	3		/* terminals of its own the process gets */

/* Set-up steps, for the failure message (struct uns_report.step). */
enum uns_step {
	UNS_OK,
	UNS_R_MOUNTS,	/* runtime: no groups, private mount namespace, tmpfs on /tmp */
	UNS_R_CLONE,	/* runtime: clone(NEWUSER | NEWPID | NEWNS) */
	UNS_R_MAP,	/* runtime: setgroups, uid_map, gid_map */
	UNS_R_NODES,	/* runtime: the terminals and their nodes */
	UNS_NO_GO,	/* process: the runtime never said go */
	UNS_IDS,	/* process: not uid/gid 0 or not pid 1 */
	UNS_PROC,	/* process: mount proc on /proc */
	UNS_DEV,	/* process: its /dev */
	UNS_STEPS,
};

static const char *const step_name[UNS_STEPS] = {
	"none", "runtime mounts", "clone", "uid/gid maps", "terminal nodes",
	"wait for the runtime", "ids in the namespace", "mount proc", "build /dev",
};

/* Targets of the control requests. */
enum uns_target {
	T_OWN_0,	/* pid 0: the caller's own namespace */
	T_OWN,		/* its own pid (1) */
	T_CHILD,	/* a process of a PID namespace it made inside its own */
	T_OTHER,	/* the other container's init by its host pid (not in its namespace) */
	T_COUNT,
};

static const char *const target_name[T_COUNT] = {
	"own namespace (pid 0)", "own namespace (pid 1)",
	"a namespace it made", "the other container (host pid)",
};

#define NOT_TRIED	1

/* What the process saw: 0 or -errno for each attempt. */
struct uns_report {
	int step;		/* enum uns_step that failed, UNS_OK if none */
	int err;		/* its errno */
	int ran;		/* the attempts ran */
	int child_err;		/* making the nested PID namespace */
	/* [handle opened by host root, handle opened by the process][target] */
	int activate[2][T_COUNT];
	int devices[2][T_COUNT];
	int attach[2][T_COUNT];
	int view[2][T_COUNT];	/* DEVNS_IOC_VFB_VIEW */
	int inject[2][T_COUNT];	/* DEVNS_IOC_INPUT_INJECT */
	int proc_devns;		/* open /proc/devns */
	int proc_self;		/* open /proc/self/status (control) */
	int proc_pid;		/* what /proc/self names: its pid in its namespace */
	int own_tty;		/* open its own /dev/tty2 (control) */
	int other_tty[2];	/* open /dev/other-tty1 O_RDWR, O_RDONLY */
	int vfb_err;		/* the first failing vfb operation */
	/* VW_CHECK .where: new state (read, mmap), its drawing (by write, by mmap) */
	uint64_t fresh_rw, fresh_mmap, own_rw, own_mmap;
	int mknod_dev;		/* mknod of the panel's number in its /dev */
	int mknod_open;		/* opening it, if mknod worked */
	int panel_open[2];	/* /dev/host-panel O_RDWR, O_RDONLY */
};

_Static_assert(sizeof(struct uns_report) <= 4096, "the report lives in ct_shared()");

/* What the runtime gives the process; set before forking, so both have it. */
static struct {
	int (*attempts)(struct uns_report *rep);
	pid_t other;				/* the other container's init (host pid) */
	struct impl_vtty_devs other_devs;	/* its terminals */
	bool vtty, vfb, view, input;
	int host_ctl;				/* opened by host root, inherited */
	char panel[32];				/* the panel's node on the host */
	dev_t panel_dev;			/* and its device number */
} plan;

static int fail(struct uns_report *rep, int step, int err)
{
	rep->step = step;
	rep->err = err;
	return 1;
}

/* ---- the process in the new namespaces --------------------------------- */

/* Its /dev: a tmpfs of its own with the nodes bound on it, over /dev. */
static int make_dev(void)
{
	char src[64], dst[64];
	int ret;

	if (mount("tmpfs", "/tmp/dev", "tmpfs", MS_NOSUID, "mode=0755"))
		return -errno;
	ret = bind_node(impl()->device("ctl"), "/tmp/dev/devns");
	if (!ret && plan.vfb)
		ret = bind_node(impl()->device("vfb"), "/tmp/dev/fb0");
	if (!ret && plan.vfb)
		ret = bind_node(plan.panel, "/tmp/dev/host-panel");
	for (unsigned int n = 0; plan.vtty && !ret && n < UNS_TERMS; n++) {
		snprintf(src, sizeof(src), "/tmp/nodes/own%u", n);
		if (n == 0)
			ret = bind_node(src, "/tmp/dev/console");
		snprintf(dst, sizeof(dst), "/tmp/dev/tty%u", n + 1);
		if (!ret)
			ret = bind_node(src, dst);
	}
	if (!ret && plan.vtty)
		ret = bind_node("/tmp/nodes/other1", "/tmp/dev/other-tty1");
	if (!ret && mount("/tmp/dev", "/dev", NULL, MS_BIND | MS_REC, NULL))
		ret = -errno;
	return ret;
}

/* The process: pid 1 of its PID namespace, root of its user namespace. */
static int uns_entry(void *arg)
{
	struct uns_report *rep = ct_shared();
	int *go = arg, ret;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(go[1]);
	if (read(go[0], &c, 1) != 1)
		return fail(rep, UNS_NO_GO, EPIPE);
	close(go[0]);
	/*
	 * Still host root's kuid (unmapped here): become the namespace's
	 * root, host uid 100000.  A credential change clears the death
	 * signal and dumpability (/proc/self would stay root's).
	 */
	if (setresgid(0, 0, 0) || setresuid(0, 0, 0) || prctl(PR_SET_PDEATHSIG, SIGKILL) ||
	    prctl(PR_SET_DUMPABLE, 1))
		return fail(rep, UNS_IDS, errno);
	if (getuid() != 0 || getgid() != 0 || getpid() != 1 || getppid() != 0)
		return fail(rep, UNS_IDS, EPERM);
	/* These mounts prove CAP_SYS_ADMIN in its user namespace. */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return fail(rep, UNS_PROC, errno);
	ret = make_dev();
	if (ret)
		return fail(rep, UNS_DEV, -ret);
	rep->ran = 1;
	return plan.attempts(rep);
}

/* ---- the runtime (host root, in a forked process) ----------------------- */

/* A node of terminal @n of @d at @path, owned by the namespace's root. */
static int term_node(const struct impl_vtty_devs *d, unsigned int n, const char *path)
{
	if (mknod(path, S_IFCHR | 0600, makedev(d->major, d->first_minor + n)) ||
	    chown(path, UNS_ID, UNS_ID))
		return -errno;
	return 0;
}

static int make_nodes(pid_t pid)
{
	struct impl_vtty_devs d;
	char path[64];
	int ret = vtty_devices(pid, &d);

	if (!ret && d.count < UNS_TERMS)
		ret = -ERANGE;
	for (unsigned int n = 0; !ret && n < UNS_TERMS; n++) {
		snprintf(path, sizeof(path), "/tmp/nodes/own%u", n);
		ret = term_node(&d, n, path);
	}
	if (!ret)
		ret = term_node(&plan.other_devs, 0, "/tmp/nodes/other1");
	return ret;
}

static char uns_stack[256 * 1024] __attribute__((aligned(16)));

/* Start the process, set it up, wait for it; 0 if its attempts ran. */
static int uns_runtime(long unused)
{
	struct uns_report *rep = ct_shared();
	int go[2], status, ret;
	pid_t pid;

	(void)unused;
	/* The process inherits no supplementary group (host root's gid 0). */
	if (setgroups(0, NULL))
		return fail(rep, UNS_R_MOUNTS, errno);
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", "/tmp", "tmpfs", 0, "mode=0755") ||
	    mkdir("/tmp/nodes", 0755) || mkdir("/tmp/dev", 0755) || pipe2(go, O_CLOEXEC))
		return fail(rep, UNS_R_MOUNTS, errno);
	pid = clone(uns_entry, uns_stack + sizeof(uns_stack),
		    CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | SIGCHLD, go);
	if (pid < 0)
		return fail(rep, UNS_R_CLONE, errno);
	close(go[0]);
	ret = userns_map_root(pid, UNS_ID);
	if (ret)
		fail(rep, UNS_R_MAP, -ret);
	if (!ret && plan.vtty) {
		ret = make_nodes(pid);
		if (ret)
			fail(rep, UNS_R_NODES, -ret);
	}
	if (!ret && write(go[1], "g", 1) != 1)
		ret = -errno;
	close(go[1]);		/* without "g" first, the process gives up */
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	return ret || !WIFEXITED(status) || WEXITSTATUS(status) ? 1 : 0;
}

/* ---- the test side ---------------------------------------------------- */

/* The other container, whose state nothing may change. */
struct uns_world {
	struct ct *other;
	struct impl_state before;
};

/*
 * The world of these tests (vfb_fixture.h's struct vw_world): the other
 * container, the host made active again, the vfb reset.
 */
FIXTURE(userns_root) {
	struct vw_world vw;
};

FIXTURE_SETUP(userns_root)
{
	vw_world_setup(_metadata, &self->vw);
}

FIXTURE_TEARDOWN(userns_root)
{
	vw_world_teardown(&self->vw);
}

/*
 * The other container, its picture drawn at both ends of its vfb, made
 * active (so its picture is the panel's); its terminals exist.
 */
static void world_setup(struct __test_metadata *_metadata, struct vw_fixture *self,
			struct uns_world *w, int (*attempts)(struct uns_report *))
{
	struct vw_req fill;
	struct stat st;
	int ret;

	memset(&plan, 0, sizeof(plan));
	plan.attempts = attempts;
	plan.host_ctl = self->vw.fd;
	plan.vfb = impl_has(IMPL_CAP_VFB);
	plan.vtty = impl_has(IMPL_CAP_VTTY);
	plan.view = impl_has(IMPL_CAP_VIEW);
	plan.input = impl_has(IMPL_CAP_INPUT);
	memset(ct_shared(), 0, sizeof(struct uns_report));
	VW_NEW_CT(&w->other);
	plan.other = w->other->pid;
	if (plan.vfb) {
		fill = vw_fill(SEED_OTHER, VW_VIA_RW, 0, UNS_LEN);
		VW_REMOTE(w->other, &fill);
		fill = vw_fill(SEED_OTHER, VW_VIA_RW, self->vw.smem - UNS_LEN, UNS_LEN);
		VW_REMOTE(w->other, &fill);
		ASSERT_NE(NULL, impl()->device("panel"));
		snprintf(plan.panel, sizeof(plan.panel), "%s", impl()->device("panel"));
		ASSERT_EQ(0, stat(plan.panel, &st));
		plan.panel_dev = st.st_rdev;
	}
	if (plan.vtty) {
		ret = vtty_devices(w->other->pid, &plan.other_devs);
		ASSERT_EQ(0, ret) TH_LOG("terminals of the other container: %s", strerror(-ret));
	}
	VW_ACTIVATE(w->other->pid);
	VW_STATE(&w->before);
}

/* Run the process with plan.attempts; its report, asserted complete. */
static struct uns_report *world_run(struct __test_metadata *_metadata, struct vw_fixture *self)
{
	struct uns_report *rep = ct_shared();
	struct job *job;
	int ret;

	VW_NEW_JOB(&job);
	ASSERT_EQ(0, job_start(job, NULL, uns_runtime, 0));
	ret = job_join(job, deadline_ms(10000));
	ASSERT_EQ(0, rep->step) TH_LOG("set-up step '%s' failed: %s", step_name[rep->step],
				       strerror(rep->err));
	ASSERT_EQ(0, ret) TH_LOG("the runtime: %d%s", ret,
				 ret == -ETIMEDOUT ? " (timed out)" : "");
	ASSERT_TRUE(rep->ran);
	return rep;
}

/* Nothing of the other dev_ns changed: active, generation, picture, panel. */
static void world_unchanged(struct __test_metadata *_metadata, struct vw_fixture *self,
			    const struct uns_world *w)
{
	struct impl_state st;
	int panel;

	VW_STATE(&st);
	EXPECT_EQ(w->before.active_id, st.active_id) TH_LOG("the active namespace changed");
	EXPECT_EQ(w->before.generation, st.generation) TH_LOG("a switch happened");
	if (!plan.vfb)
		return;
	VW_EXPECT_REMOTE_CONTENT(w->other, SEED_OTHER, 0, UNS_LEN, "the other's picture");
	VW_EXPECT_REMOTE_CONTENT(w->other, SEED_OTHER, self->vw.smem - UNS_LEN, UNS_LEN,
				 "the other's picture (end)");
	VW_PANEL_FD(&panel);
	VW_EXPECT_CONTENT(panel, SEED_OTHER, 0, UNS_LEN, "the panel");
	VW_EXPECT_CONTENT(panel, SEED_OTHER, self->vw.smem - UNS_LEN, UNS_LEN, "the panel (end)");
	close(panel);
}

/* ---- control requests ------------------------------------------------- */

/* A process in a new PID namespace inside the caller's: its pid, or -errno. */
static pid_t nested_child(int *hold)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe2(p, O_CLOEXEC) || unshare(CLONE_NEWPID))
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		_exit(read(p[0], &c, 1) < 0);	/* until the caller is done */
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return -errno;
	}
	*hold = p[1];
	return pid;
}

/* Every control request on every target through @ctl. */
static void try_ctl(struct uns_report *rep, int h, int ctl, const pid_t *pid)
{
	static const struct impl_input_event key[] = {
		{ EV_KEY, KEY_B, 1 }, { EV_SYN, SYN_REPORT, 0 },
	};
	struct impl_vtty_devs d;
	int fd;

	for (int t = 0; t < T_COUNT; t++) {
		/* pid 0 names no process to activate */
		rep->activate[h][t] = pid[t] ? impl()->activate(ctl, pid[t], 0) : NOT_TRIED;
		rep->view[h][t] = rep->inject[h][t] = NOT_TRIED;
		if (plan.input)
			rep->inject[h][t] = impl()->input_inject(ctl, pid[t], key, 2);
		if (plan.view) {
			fd = impl()->vfb_view(ctl, pid[t], 0);
			rep->view[h][t] = fd < 0 ? fd : 0;
			if (fd >= 0)
				close(fd);
		}
		if (!plan.vtty)
			continue;
		rep->devices[h][t] = impl()->vtty_devices(ctl, pid[t], &d);
		fd = impl()->vtty_attach(ctl, pid[t], 0, IMPL_VTTY_NONBLOCK);
		rep->attach[h][t] = fd < 0 ? fd : 0;
		if (fd >= 0)
			close(fd);
	}
}

static int attempt_ctl(struct uns_report *rep)
{
	pid_t pid[T_COUNT] = { 0, getpid(), 0, plan.other };
	int own, hold = -1, status;

	pid[T_CHILD] = nested_child(&hold);
	if (pid[T_CHILD] < 0) {
		rep->child_err = pid[T_CHILD];
		return 0;
	}
	own = open("/dev/devns", O_RDWR | O_CLOEXEC);
	try_ctl(rep, 0, plan.host_ctl, pid);
	if (own < 0) {
		for (int t = 0; t < T_COUNT; t++)
			rep->activate[1][t] = rep->devices[1][t] = rep->attach[1][t] =
				rep->view[1][t] = rep->inject[1][t] = -errno;
	} else {
		try_ctl(rep, 1, own, pid);
		close(own);
	}
	close(hold);
	waitpid(pid[T_CHILD], &status, 0);
	return 0;
}

enum ctl_kind { K_ACTIVATE, K_DEVICES, K_ATTACH, K_VIEW, K_INJECT };

/*
 * Run attempt_ctl: every request of @kind was refused with EPERM (the other
 * container's pid may also be unknown to it: ESRCH), and nothing changed.
 */
static void ctl_denied(struct __test_metadata *_metadata, struct vw_fixture *self, int kind)
{
	static const char *const what[] = {
		"ACTIVATE", "VTTY_DEVICES", "VTTY_ATTACH", "VFB_VIEW", "INPUT_INJECT",
	};
	struct uns_report *rep;
	struct uns_world w;
	int (*ret)[T_COUNT];

	world_setup(_metadata, VW_FIXTURE(self), &w, attempt_ctl);
	rep = world_run(_metadata, VW_FIXTURE(self));
	ASSERT_EQ(0, rep->child_err) TH_LOG("nested PID namespace: %s", strerror(-rep->child_err));
	ret = kind == K_ACTIVATE ? rep->activate : kind == K_DEVICES ? rep->devices :
	      kind == K_ATTACH ? rep->attach : kind == K_VIEW ? rep->view : rep->inject;
	for (int h = 0; h < 2; h++) {
		for (int t = 0; t < T_COUNT; t++) {
			int r = ret[h][t];
			bool ok = r == -EPERM || (t == T_OTHER && r == -ESRCH);

			if (r == NOT_TRIED)
				continue;
			EXPECT_TRUE(ok) TH_LOG("%s of %s, handle opened by %s: %s (want EPERM)",
					       what[kind], target_name[t],
					       h ? "the process" : "host root",
					       r ? strerror(-r) : "success");
		}
	}
	world_unchanged(_metadata, VW_FIXTURE(self), &w);
}

/* The control requests, one variant each. */
FIXTURE(userns_root_request) {
	struct vw_world vw;
};

FIXTURE_VARIANT(userns_root_request) {
	enum ctl_kind kind;
	unsigned int caps;	/* what the implementation needs to have it */
};

FIXTURE_VARIANT_ADD(userns_root_request, activate) {
	.kind = K_ACTIVATE, .caps = 0,
};

FIXTURE_VARIANT_ADD(userns_root_request, vtty_devices) {
	.kind = K_DEVICES, .caps = IMPL_CAP_VTTY,
};

FIXTURE_VARIANT_ADD(userns_root_request, vtty_attach) {
	.kind = K_ATTACH, .caps = IMPL_CAP_VTTY,
};

FIXTURE_VARIANT_ADD(userns_root_request, vfb_view) {
	.kind = K_VIEW, .caps = IMPL_CAP_VIEW,
};

FIXTURE_VARIANT_ADD(userns_root_request, input_inject) {
	.kind = K_INJECT, .caps = IMPL_CAP_INPUT,
};

FIXTURE_SETUP(userns_root_request)
{
	vw_world_setup(_metadata, &self->vw);
}

FIXTURE_TEARDOWN(userns_root_request)
{
	vw_world_teardown(&self->vw);
}

TEST_F(userns_root_request, refused)
{
	REQ("SEC-1");
	REQUIRE_CAP(variant->caps);
	ctl_denied(_metadata, VW_FIXTURE(self), variant->kind);
}

/* ---- introspection ---------------------------------------------------- */

static int open_err(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int attempt_proc(struct uns_report *rep)
{
	char buf[16] = "";

	rep->proc_self = open_err("/proc/self/status", O_RDONLY);
	rep->proc_pid = readlink("/proc/self", buf, sizeof(buf) - 1) > 0 ? atoi(buf) : -errno;
	rep->proc_devns = open_err("/proc/devns", O_RDONLY);
	return 0;
}

TEST_F(userns_root, cannot_read_proc_devns)
{
	struct uns_world w;
	struct uns_report *rep;

	REQ("SEC-1");
	REQUIRE_CAP(IMPL_CAP_COUNTERS);
	world_setup(_metadata, VW_FIXTURE(self), &w, attempt_proc);
	rep = world_run(_metadata, VW_FIXTURE(self));
	/* The procfs is its own PID namespace's, and usable. */
	ASSERT_EQ(0, rep->proc_self) TH_LOG("/proc/self/status: %s", strerror(-rep->proc_self));
	ASSERT_EQ(1, rep->proc_pid) TH_LOG("/proc/self is not pid 1 of its namespace");
	EXPECT_EQ(-EACCES, rep->proc_devns)
		TH_LOG("open /proc/devns: %s (want EACCES)",
		       rep->proc_devns ? strerror(-rep->proc_devns) : "success");
	world_unchanged(_metadata, VW_FIXTURE(self), &w);
}

/* ---- terminals ------------------------------------------------------- */

static int attempt_terminals(struct uns_report *rep)
{
	rep->own_tty = open_err("/dev/tty2", O_RDWR | O_NOCTTY | O_NONBLOCK);
	rep->other_tty[0] = open_err("/dev/other-tty1", O_RDWR | O_NOCTTY | O_NONBLOCK);
	rep->other_tty[1] = open_err("/dev/other-tty1", O_RDONLY | O_NOCTTY | O_NONBLOCK);
	return 0;
}

TEST_F(userns_root, cannot_open_other_terminals)
{
	struct impl_vtty_info info;
	struct uns_world w;
	struct uns_report *rep;
	int hfd;

	REQ("SEC-1");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	world_setup(_metadata, VW_FIXTURE(self), &w, attempt_terminals);
	rep = world_run(_metadata, VW_FIXTURE(self));
	/* Its own terminal opens through the same kind of node. */
	ASSERT_EQ(0, rep->own_tty) TH_LOG("its own /dev/tty2: %s", strerror(-rep->own_tty));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(-ENXIO, rep->other_tty[i])
			TH_LOG("the other's terminal (%s): %s (want ENXIO)", i ? "O_RDONLY" : "O_RDWR",
			       rep->other_tty[i] ? strerror(-rep->other_tty[i]) : "opened");
	}
	/* The other's terminal never saw a container file of it. */
	hfd = vtty_attach(w.other->pid, 0, IMPL_VTTY_NONBLOCK);
	ASSERT_LE(0, hfd) TH_LOG("attach to the other's terminal: %s", strerror(-hfd));
	ASSERT_EQ(0, vtty_info(hfd, &info));
	EXPECT_FALSE(info.open);
	EXPECT_EQ(0, info.written);
	close(hfd);
	world_unchanged(_metadata, VW_FIXTURE(self), &w);
}

/* ---- the picture ------------------------------------------------------ */

/* @op of @seed on [off, off+UNS_LEN) of @fd by @via: CHECK gives .where, else 0. */
static uint64_t vfb_op(struct uns_report *rep, int fd, int op, uint32_t seed, int via,
		       uint64_t off)
{
	struct vw_req r = { .op = op, .seed = seed, .via = via, .off = off, .len = UNS_LEN };
	int err = vw_do(fd, &r);

	if (err && !rep->vfb_err)
		rep->vfb_err = err;
	return err ? 0 : r.where;
}

static int attempt_picture(struct uns_report *rep)
{
	struct fb_info_pair info;
	uint64_t end;
	int fd = open("/dev/fb0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		rep->vfb_err = -errno;
		return 0;
	}
	rep->vfb_err = fb_get(fd, &info);
	end = info.fix.smem_len - UNS_LEN;
	/* A new state is all zero, by read and through a mapping, at both ends. */
	rep->fresh_rw = vfb_op(rep, fd, VW_CHECK, 0, VW_VIA_RW, 0);
	rep->fresh_mmap = vfb_op(rep, fd, VW_CHECK, 0, VW_VIA_MMAP, end);
	/* What it draws is what it reads back. */
	vfb_op(rep, fd, VW_FILL, SEED_OWN, VW_VIA_RW, 0);
	vfb_op(rep, fd, VW_FILL, SEED_OWN, VW_VIA_MMAP, end);
	rep->own_rw = vfb_op(rep, fd, VW_CHECK, SEED_OWN, VW_VIA_MMAP, 0);
	rep->own_mmap = vfb_op(rep, fd, VW_CHECK, SEED_OWN, VW_VIA_RW, end);
	close(fd);
	return 0;
}

TEST_F(userns_root, sees_only_its_own_picture)
{
	struct uns_world w;
	struct uns_report *rep;

	REQ("SEC-1");
	REQUIRE_VFB();
	world_setup(_metadata, VW_FIXTURE(self), &w, attempt_picture);
	rep = world_run(_metadata, VW_FIXTURE(self));
	ASSERT_EQ(0, rep->vfb_err) TH_LOG("its /dev/fb0: %s", strerror(-rep->vfb_err));
	EXPECT_EQ(UNS_LEN, rep->fresh_rw)
		TH_LOG("its new picture is not black at byte %llu (read)",
		       (unsigned long long)rep->fresh_rw);
	EXPECT_EQ(UNS_LEN, rep->fresh_mmap)
		TH_LOG("its new picture is not black at byte %llu from the end (mmap)",
		       (unsigned long long)rep->fresh_mmap);
	EXPECT_EQ(UNS_LEN, rep->own_rw) TH_LOG("what it wrote, read through a mapping");
	EXPECT_EQ(UNS_LEN, rep->own_mmap) TH_LOG("what it drew through a mapping, read by read()");
	world_unchanged(_metadata, VW_FIXTURE(self), &w);
}

/* ---- the panel -------------------------------------------------------- */

static int attempt_panel(struct uns_report *rep)
{
	rep->mknod_dev = mknod("/dev/fb1", S_IFCHR | 0666, plan.panel_dev) ? -errno : 0;
	rep->mknod_open = rep->mknod_dev ? 0 : open_err("/dev/fb1", O_RDWR);
	rep->panel_open[0] = open_err("/dev/host-panel", O_RDWR);
	rep->panel_open[1] = open_err("/dev/host-panel", O_RDONLY);
	return 0;
}

static bool denied(int err)
{
	return err == -EACCES || err == -EPERM;
}

TEST_F(userns_root, cannot_reach_the_panel)
{
	struct uns_world w;
	struct uns_report *rep;

	REQ("SEC-1");
	REQUIRE_VFB();
	world_setup(_metadata, VW_FIXTURE(self), &w, attempt_panel);
	rep = world_run(_metadata, VW_FIXTURE(self));
	TH_LOG("mknod of the panel's number: %s; the host's panel node: %s",
	       rep->mknod_dev ? strerror(-rep->mknod_dev) : "made",
	       rep->panel_open[0] ? strerror(-rep->panel_open[0]) : "opened");
	/* Its own node of the panel's number: not made, or not opened. */
	EXPECT_TRUE(rep->mknod_dev ? denied(rep->mknod_dev) : denied(rep->mknod_open))
		TH_LOG("mknod of the panel's number: %s, open: %s", strerror(-rep->mknod_dev),
		       rep->mknod_open ? strerror(-rep->mknod_open) : "opened");
	/* The host's node (root's, 0600), were it bind-mounted: uid 100000 is not its owner. */
	for (int i = 0; i < 2; i++) {
		EXPECT_TRUE(denied(rep->panel_open[i]))
			TH_LOG("the host's panel node (%s): %s (want EACCES)",
			       i ? "O_RDONLY" : "O_RDWR",
			       rep->panel_open[i] ? strerror(-rep->panel_open[i]) : "opened");
	}
	world_unchanged(_metadata, VW_FIXTURE(self), &w);
}

TEST_HARNESS_MAIN
