// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-1 and VTTY-2: every dev_ns has its own terminals, with distinct and
 * stable device numbers; a container's /dev/console, /dev/tty1 and
 * /dev/ttyK reach the host attached to terminal 0, 0 and K-1 and nothing
 * else; only the namespace itself can open its terminals, and a file stays
 * bound to the terminal it opened wherever it goes.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "vtty_fixture.h"

#define MAX_TERMS	32	/* more terminals than this per namespace: only the first are checked */

/* Shared with processes in containers (ct_shared(): one page). */
struct paths {
	int n;
	char path[MAX_TERMS + 1][24];
	int err[MAX_TERMS + 1];		/* open: 0 or errno */
	dev_t rdev[MAX_TERMS + 1];	/* stat: st_rdev */
	int step, fail_err;		/* say_everywhere: first failure */
	char tag;			/* say_everywhere: the namespace's letter */
};

static unsigned int terms(const struct impl_vtty_devs *d)
{
	return d->count < MAX_TERMS ? d->count : MAX_TERMS;
}

/* The text the namespace @tag writes to the container path @path. */
static void tag_of(char *buf, size_t len, char tag, const char *path)
{
	snprintf(buf, len, "[%c:%s]", tag, path);
}

/* In a container: every path of struct paths gets its tag; the first failure is reported. */
static int say_everywhere(long unused)
{
	struct paths *p = ct_shared();
	char text[64];
	int i;

	(void)unused;
	for (i = 0; i < p->n; i++) {
		struct vt_write w;

		tag_of(text, sizeof(text), p->tag, p->path[i]);
		w = vt_write_text(p->path[i], text);
		if (vt_write_here(&w)) {
			p->step = w.step;
			p->fail_err = w.err;
			return 1;
		}
	}
	return 0;
}

/* In a container: open (and close) every path of struct paths, errno into err[]. */
static int open_each(long flags)
{
	struct paths *p = ct_shared();
	int i;

	for (i = 0; i < p->n; i++) {
		int fd = open(p->path[i], (int)flags);

		p->err[i] = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/* In a container: stat every path of struct paths, st_rdev into rdev[] (errno into err[]). */
static int stat_each(long unused)
{
	struct paths *p = ct_shared();
	struct stat st;
	int i;

	(void)unused;
	for (i = 0; i < p->n; i++) {
		p->err[i] = stat(p->path[i], &st) ? errno : 0;
		p->rdev[i] = p->err[i] ? 0 : st.st_rdev;
	}
	return 0;
}

/* The container's paths: /dev/console, /dev/tty1, /dev/tty2 .. /dev/tty<count>. */
static void container_paths(struct paths *p, const struct impl_vtty_devs *d)
{
	unsigned int n;

	memset(p, 0, sizeof(*p));
	snprintf(p->path[0], sizeof(p->path[0]), "/dev/console");
	for (n = 0; n < terms(d); n++)
		snprintf(p->path[n + 1], sizeof(p->path[0]), "/dev/tty%u", n + 1);
	p->n = (int)terms(d) + 1;
}

/* The host's nodes of @d's terminals. */
static void node_paths(struct paths *p, const struct impl_vtty_devs *d)
{
	unsigned int n;

	memset(p, 0, sizeof(*p));
	for (n = 0; n < terms(d); n++)
		vtty_node(d, n, p->path[n], sizeof(p->path[0]));
	p->n = (int)terms(d);
}

/* The terminal a container path reaches: /dev/console and /dev/tty1 -> 0, /dev/ttyK -> K-1. */
static unsigned int terminal_of(int i)
{
	return i == 0 ? 0 : (unsigned int)i - 1;
}

static bool same_devs(const struct impl_vtty_devs *a, const struct impl_vtty_devs *b)
{
	return a->major == b->major && a->first_minor == b->first_minor &&
	       a->first_index == b->first_index && a->count == b->count &&
	       a->buffer_size == b->buffer_size;
}

/* Neither the device numbers nor the tty indexes of two namespaces overlap. */
static bool disjoint_devs(const struct impl_vtty_devs *a, const struct impl_vtty_devs *b)
{
	bool minors = a->major != b->major || a->first_minor + a->count <= b->first_minor ||
		      b->first_minor + b->count <= a->first_minor;
	bool indexes = a->first_index + a->count <= b->first_index ||
		       b->first_index + b->count <= a->first_index;

	return minors && indexes;
}

/* Attach to every terminal of @pid's namespace (non-blocking): fds[n]. */
static void attach_all(struct __test_metadata *_metadata, FIXTURE_DATA(vt) *self, pid_t pid,
		       const struct impl_vtty_devs *d, int *fds)
{
	unsigned int n;

	for (n = 0; n < terms(d); n++)
		VT_ATTACH(&fds[n], pid, n, IMPL_VTTY_NONBLOCK);
}

/*
 * What terminal @n of a namespace tagged @tag must have received from
 * say_everywhere: the tags of the paths that reach it, in order.
 */
static void expected_on(char *buf, size_t len, const struct paths *p, char tag, unsigned int n)
{
	char text[64];
	int i;

	buf[0] = '\0';
	for (i = 0; i < p->n; i++) {
		if (terminal_of(i) != n)
			continue;
		tag_of(text, sizeof(text), tag, p->path[i]);
		snprintf(buf + strlen(buf), len - strlen(buf), "%s", text);
	}
}

/*
 * @fd (non-blocking) has exactly @want (and then nothing): read it until
 * @end (now_ms(); one deadline for a whole set of terminals, so that a
 * missing text costs it once), then take what else is there at once.
 */
static void expect_exactly(struct __test_metadata *_metadata, int fd, const char *want,
			   const char *what, int64_t end)
{
	int64_t left = end - now_ms();
	size_t len = strlen(want);
	char got[512];
	ssize_t n, more;

	memset(got, 0, sizeof(got));
	n = len ? vtty_read_for(fd, got, len, left > 0 ? (int)left : 0) : 0;
	more = vtty_drain(fd, n > 0 ? got + n : got, sizeof(got) - 1 - (n > 0 ? (size_t)n : 0));
	EXPECT_EQ((ssize_t)len, n) TH_LOG("%s: expected \"%s\", got \"%s\"", what, want, got);
	EXPECT_EQ(0, more) TH_LOG("%s: expected \"%s\" only, got \"%s\"", what, want, got);
	if (n == (ssize_t)len) {
		EXPECT_EQ(0, memcmp(got, want, len)) TH_LOG("%s: expected \"%s\", got \"%s\"",
							    what, want, got);
	}
}

/* Every container path gets its tag (say_everywhere in @ct), or the test fails. */
static void say_in(struct __test_metadata *_metadata, struct ct *ct, const struct impl_vtty_devs *d,
		   char tag)
{
	struct paths *p = ct_shared();
	int r;

	container_paths(p, d);
	p->tag = tag;
	r = ct_call(ct, say_everywhere, 0);
	ASSERT_EQ(0, r) TH_LOG("container %c: %s failed: %s", tag, vt_write_step_name(p->step),
			       strerror(p->fail_err));
}

/* Each of @fds (terminals of the namespace tagged @tag) has exactly its own tags. */
static void expect_tags(struct __test_metadata *_metadata, const struct impl_vtty_devs *d,
			const int *fds, char tag)
{
	struct paths p;
	char want[512], what[64];
	unsigned int n;

	int64_t end = now_ms() + deadline_ms(1000);

	container_paths(&p, d);
	for (n = 0; n < terms(d); n++) {
		expected_on(want, sizeof(want), &p, tag, n);
		snprintf(what, sizeof(what), "namespace %c, terminal %u", tag, n);
		expect_exactly(_metadata, fds[n], want, what, end);
	}
}

TEST_F_TIMEOUT(vt, devices_distinct_and_stable, VT_TIMEOUT(20))
{
	struct impl_vtty_devs a1, a2, b1, b2, h1, h2;
	const struct impl_vtty_devs *all[] = { &a1, &b1, &h1 };
	struct paths *p = ct_shared();
	struct ct *a, *b;
	unsigned int n, i;
	char node[64];

	REQ("VTTY-1");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &a1);
	VT_NEW_CT(&b, &b1);
	ASSERT_EQ(0, vtty_devices(0, &h1));
	ASSERT_EQ(0, vtty_devices(a->pid, &a2));
	ASSERT_EQ(0, vtty_devices(b->pid, &b2));
	ASSERT_EQ(0, vtty_devices(0, &h2));

	for (i = 0; i < 3; i++) {
		EXPECT_LE(1, all[i]->count);
		EXPECT_LT(0, all[i]->buffer_size);
		EXPECT_EQ(a1.count, all[i]->count) TH_LOG("namespaces have different counts");
	}
	EXPECT_TRUE(same_devs(&a1, &a2)) TH_LOG("A's terminals changed between calls");
	EXPECT_TRUE(same_devs(&b1, &b2)) TH_LOG("B's terminals changed between calls");
	EXPECT_TRUE(same_devs(&h1, &h2)) TH_LOG("the host's terminals changed between calls");
	EXPECT_TRUE(disjoint_devs(&a1, &b1)) TH_LOG("A and B share terminals");
	EXPECT_TRUE(disjoint_devs(&a1, &h1)) TH_LOG("A and the host share terminals");
	EXPECT_TRUE(disjoint_devs(&b1, &h1)) TH_LOG("B and the host share terminals");

	/* The host's nodes are the terminals' device numbers. */
	for (i = 0; i < 3; i++) {
		for (n = 0; n < terms(all[i]); n++) {
			struct stat st;

			vtty_node(all[i], n, node, sizeof(node));
			ASSERT_EQ(0, stat(node, &st)) TH_LOG("%s: %s", node, strerror(errno));
			EXPECT_TRUE(S_ISCHR(st.st_mode)) TH_LOG("%s is not a character device", node);
			EXPECT_EQ(makedev(all[i]->major, all[i]->first_minor + n), st.st_rdev)
				TH_LOG("%s has the wrong device number", node);
		}
	}
	/* Inside A, the paths are A's terminals (not the host's console or VTs). */
	container_paths(p, &a1);
	ASSERT_EQ(0, ct_call(a, stat_each, 0));
	for (i = 0; i < (unsigned int)p->n; i++) {
		EXPECT_EQ(0, p->err[i]) TH_LOG("stat %s in A: %s", p->path[i], strerror(p->err[i]));
		EXPECT_EQ(makedev(a1.major, a1.first_minor + terminal_of((int)i)), p->rdev[i])
			TH_LOG("%s in A is not its terminal %u", p->path[i], terminal_of((int)i));
	}
}

/*
 * /dev/console and /dev/tty1 reach terminal 0, /dev/ttyK terminal K-1, each
 * only that one: every path gets a different tag, and every terminal's host
 * fd must read exactly the tags of its paths.
 */
TEST_F_TIMEOUT(vt, each_path_reaches_its_terminal_only, VT_TIMEOUT(20))
{
	struct impl_vtty_devs d;
	int fds[MAX_TERMS];
	struct impl_vtty_info info;
	struct ct *a;

	REQ("VTTY-1");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	attach_all(_metadata, self, a->pid, &d, fds);
	for (unsigned int n = 0; n < terms(&d); n++) {
		VT_INFO(fds[n], &info);
		EXPECT_EQ(n, info.index) TH_LOG("the attach to terminal %u is to terminal %u",
						 n, info.index);
	}
	say_in(_metadata, a, &d, 'A');
	expect_tags(_metadata, &d, fds, 'A');
}

/*
 * Two containers write to every one of their terminals at once: each
 * namespace's terminals get only their own output, the host's own
 * terminals nothing.
 */
TEST_F_TIMEOUT(vt, output_stays_in_its_namespace, VT_TIMEOUT(30))
{
	struct impl_vtty_devs da, db, dh;
	int fa[MAX_TERMS], fb[MAX_TERMS], fh[MAX_TERMS];
	struct impl_vtty_info before[MAX_TERMS], after;
	char junk[4096];
	struct ct *a, *b;
	unsigned int n;

	REQ("VTTY-1");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &da);
	VT_NEW_CT(&b, &db);
	ASSERT_EQ(0, vtty_devices(0, &dh));
	attach_all(_metadata, self, a->pid, &da, fa);
	attach_all(_metadata, self, b->pid, &db, fb);
	attach_all(_metadata, self, 0, &dh, fh);
	for (n = 0; n < terms(&dh); n++) {
		while (vtty_drain(fh[n], junk, sizeof(junk)) > 0)
			;	/* whatever the host's own terminals had before */
		VT_INFO(fh[n], &before[n]);
	}

	say_in(_metadata, a, &da, 'A');
	say_in(_metadata, b, &db, 'B');
	expect_tags(_metadata, &da, fa, 'A');
	expect_tags(_metadata, &db, fb, 'B');
	for (n = 0; n < terms(&dh); n++) {
		char what[64];

		snprintf(what, sizeof(what), "the host's terminal %u", n);
		expect_exactly(_metadata, fh[n], "", what, 0);
		VT_INFO(fh[n], &after);
		EXPECT_EQ(before[n].written, after.written) TH_LOG("%s got output", what);
	}
}

/* Open @p's paths in @ct; each must fail with @err (0: succeed). */
static void expect_opens(struct __test_metadata *_metadata, struct ct *ct, struct paths *p,
			 int err, const char *who)
{
	int i;

	ASSERT_EQ(0, ct_call(ct, open_each, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
	for (i = 0; i < p->n; i++) {
		EXPECT_EQ(err, p->err[i]) TH_LOG("%s opening %s: %s, expected %s", who, p->path[i],
						 p->err[i] ? strerror(p->err[i]) : "success",
						 err ? strerror(err) : "success");
	}
}

TEST_F_TIMEOUT(vt, container_cannot_open_other_namespaces_terminals, VT_TIMEOUT(20))
{
	struct impl_vtty_devs da, db, dh;
	struct paths *p = ct_shared();
	struct ct *a, *b;

	REQ("VTTY-2");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &da);
	VT_NEW_CT(&b, &db);
	ASSERT_EQ(0, vtty_devices(0, &dh));	/* the host's own terminals exist now */

	node_paths(p, &db);
	expect_opens(_metadata, a, p, ENXIO, "container A (B's terminals)");
	node_paths(p, &dh);
	expect_opens(_metadata, a, p, ENXIO, "container A (the host's terminals)");
	node_paths(p, &da);
	expect_opens(_metadata, b, p, ENXIO, "container B (A's terminals)");
	/* Its own terminals, by node and by the bound paths, open fine. */
	expect_opens(_metadata, a, p, 0, "container A (its own terminals)");
	container_paths(p, &da);
	expect_opens(_metadata, a, p, 0, "container A (its own paths)");
}

/* The host opens its own terminals' nodes (@err 0) or a container's (@err ENXIO). */
static void expect_host_opens(struct __test_metadata *_metadata, const struct impl_vtty_devs *d,
			      int err, const char *whose)
{
	unsigned int n;
	char node[64];

	for (n = 0; n < terms(d); n++) {
		int fd = open(vtty_node(d, n, node, sizeof(node)),
			      O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

		EXPECT_EQ(err, fd < 0 ? errno : 0) TH_LOG("the host opening %s (%s): %s", node,
							 whose, fd < 0 ? strerror(errno) : "success");
		if (fd >= 0)
			close(fd);
	}
}

TEST_F_TIMEOUT(vt, host_cannot_open_container_terminals, VT_TIMEOUT(20))
{
	struct impl_vtty_devs da, dh;
	struct ct *a;

	REQ("VTTY-2");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &da);
	ASSERT_EQ(0, vtty_devices(0, &dh));
	expect_host_opens(_metadata, &da, ENXIO, "container A's");
	expect_host_opens(_metadata, &dh, 0, "its own");
}

TEST_F_TIMEOUT(vt, nested_container_cannot_open_parent_terminals, VT_TIMEOUT(20))
{
	struct impl_vtty_devs da, dn;
	struct paths *p = ct_shared();
	struct ct *a, *nested;

	REQ("VTTY-2");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &da);
	ASSERT_GT(VT_MAX_CT, self->vt.nct);
	ASSERT_EQ(0, ct_start(&self->vt.ct[self->vt.nct], CT_CLONE, a));	/* a dev_ns inside A's */
	nested = &self->vt.ct[self->vt.nct++];
	ASSERT_EQ(0, vtty_devices(nested->pid, &dn));
	ASSERT_NE(pidns_id(a->pid), pidns_id(nested->pid));

	node_paths(p, &da);
	expect_opens(_metadata, nested, p, ENXIO, "the nested container (its parent's terminals)");
	node_paths(p, &dn);
	expect_opens(_metadata, a, p, ENXIO, "container A (its child's terminals)");
	expect_opens(_metadata, nested, p, 0, "the nested container (its own terminals)");
}

/* ---- a file stays bound to the terminal it opened ----------------------- */

struct bound {
	int step, err;
	int own_open_err;	/* the nested child's open of /dev/console */
};

/* In B: write through the fd received on @sock, then through our own /dev/console. */
static int write_received_and_own(long sock)
{
	struct bound *r = ct_shared();
	struct vt_write w = vt_write_text("/dev/console", "[B:own]");
	int val, fd, ret = recv_fd((int)sock, &val, &fd);

	if (ret || fd < 0) {
		r->err = ret ? -ret : EPROTO;
		return r->step = 1;
	}
	if (write(fd, "[B:via A's fd]", 14) != 14) {
		r->err = errno;
		return r->step = 2;
	}
	close(fd);
	if (vt_write_here(&w)) {
		r->err = w.err;
		return r->step = 3;
	}
	return 0;
}

/*
 * In A: open /dev/console, then move to a new dev_ns (unshare + fork): the
 * child writes through the inherited file; its own open of the same path
 * (still A's node) must fail.
 */
static int open_then_nest(long unused)
{
	struct bound *r = ct_shared();
	int fd, status, own;
	pid_t child;

	(void)unused;
	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		r->err = errno;
		return r->step = 10;
	}
	if (unshare(CLONE_NEWPID)) {
		r->err = errno;
		return r->step = 11;
	}
	child = fork();
	if (child == 0) {
		own = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
		r->own_open_err = own < 0 ? errno : 0;
		_exit(write(fd, "[A:nested child]", 16) == 16 ? 0 : 12);
	}
	if (child < 0 || waitpid(child, &status, 0) != child) {
		r->err = errno;
		return r->step = 13;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 14;
}

TEST_F_TIMEOUT(vt, file_stays_bound_to_the_terminal_it_opened, VT_TIMEOUT(20))
{
	struct bound *r = ct_shared();
	struct impl_vtty_devs da, db;
	int sock[2], ha, hb, afd;
	struct ct *a, *b;
	int64_t end;

	REQ("VTTY-2");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock));
	ASSERT_TRUE(vt_keep_fd(&self->vt, sock[0]));
	ASSERT_TRUE(vt_keep_fd(&self->vt, sock[1]));
	VT_NEW_CT(&a, &da);
	VT_NEW_CT(&b, &db);		/* B's processes have sock[1] */
	VT_ATTACH(&ha, a->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_ATTACH(&hb, b->pid, 0, IMPL_VTTY_NONBLOCK);

	/* Opened in A, received by the host over SCM_RIGHTS. */
	VT_CT_OPEN(&afd, a, "/dev/console", O_WRONLY | O_NOCTTY);
	ASSERT_EQ(6, write(afd, "[host]", 6));
	/* ...passed on to a process in B. */
	ASSERT_EQ(0, send_fd(sock[0], 0, afd));
	VT_CLOSE(&afd);
	memset(r, 0, sizeof(*r));
	EXPECT_EQ(0, ct_call(b, write_received_and_own, sock[1]))
		TH_LOG("in B: step %d: %s", r->step, strerror(r->err));
	/* ...and inherited by a child in a dev_ns nested in A. */
	memset(r, 0, sizeof(*r));
	EXPECT_EQ(0, ct_call(a, open_then_nest, 0)) TH_LOG("in A: step %d: %s", r->step,
							  strerror(r->err));
	EXPECT_EQ(ENXIO, r->own_open_err)
		TH_LOG("a nested child opened its parent's /dev/console: %s",
		       r->own_open_err ? strerror(r->own_open_err) : "success");

	end = now_ms() + deadline_ms(1000);
	expect_exactly(_metadata, ha, "[host][B:via A's fd][A:nested child]", "A's terminal 0", end);
	expect_exactly(_metadata, hb, "[B:own]", "B's terminal 0", end);
}

TEST_HARNESS_MAIN
