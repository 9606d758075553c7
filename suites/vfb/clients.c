// SPDX-License-Identifier: GPL-2.0
/*
 * VFB-15: unmodified fbdev clients inside a container, against the vfb
 * bind-mounted as /dev/fb0 the way a container runtime does it: Debian's
 * fbset -i reports the container's own mode, and fbcat's screenshot is the
 * container's own picture (in its mode and pan position), whether the
 * container is active or passive.
 */
#include <sys/wait.h>

#include <devns.h>

#include "vfb_fixture.h"

#define OUT_MAX (64 * 1024)

struct client_report {
	int step;		/* 0 done, else the failing step */
	int err;
	int status;		/* the client's wait status */
	size_t out_len;
	/* fbcat */
	unsigned int w, h, maxval;
	unsigned int xres, yres, xoffset, yoffset;
	long bad_x, bad_y;	/* first differing pixel, -1 if none */
	uint8_t got[3], want[3];
	char out[OUT_MAX];	/* fbset's output (fbcat: the PPM header) */
};

static const char *find_tool(const char *name)
{
	static const char *const dirs[] = { "/usr/bin", "/bin", "/usr/sbin", "/sbin" };
	static char path[64];

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (!access(path, X_OK))
			return path;
	}
	return NULL;
}

/* Run @argv with stdout into a buffer of up to @max bytes; fills rep->status. */
static uint8_t *run_capture(char *const argv[], size_t max, size_t *len, struct client_report *rep)
{
	uint8_t *buf = malloc(max);
	int p[2], devnull;
	pid_t pid;

	*len = 0;
	if (!buf || pipe(p))
		return NULL;
	pid = fork();
	if (pid == 0) {
		devnull = open("/dev/null", O_RDONLY);
		dup2(p[1], STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDIN_FILENO);
		close(p[0]);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		free(buf);
		return NULL;
	}
	for (;;) {
		ssize_t n = read(p[0], buf + *len, max - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
		if (*len == max)
			break;		/* more than we expect: the status will tell */
	}
	close(p[0]);
	while (waitpid(pid, &rep->status, 0) < 0 && errno == EINTR)
		;
	return buf;
}

/* In the container: /dev/fb0 is our vfb, then fbset -i. */
static int run_fbset(long unused)
{
	struct client_report *rep = vw_scratch();
	char *argv[] = { (char *)find_tool("fbset"), "-i", NULL };
	uint8_t *out;

	(void)unused;
	rep->err = fb_bind_into_container();
	if (rep->err)
		return rep->step = 1;
	out = run_capture(argv, OUT_MAX - 1, &rep->out_len, rep);
	if (!out)
		return rep->step = 2;
	memcpy(rep->out, out, rep->out_len);
	rep->out[rep->out_len] = '\0';
	free(out);
	return 0;
}

/* In the container: fbcat's PPM of /dev/fb0 against our own picture (pattern arg). */
static int run_fbcat(long seed)
{
	struct client_report *rep = vw_scratch();
	char *argv[] = { (char *)find_tool("fbcat"), NULL };
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	uint8_t *out, *px, *row;
	size_t max;
	int fd, hdr = 0;

	rep->bad_x = rep->bad_y = -1;
	rep->err = fb_bind_into_container();
	if (rep->err)
		return rep->step = 1;
	fd = open("/dev/fb0", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, FBIOGET_VSCREENINFO, &var) || ioctl(fd, FBIOGET_FSCREENINFO, &fix)) {
		rep->err = -errno;
		return rep->step = 2;
	}
	close(fd);
	rep->xres = var.xres;
	rep->yres = var.yres;
	rep->xoffset = var.xoffset;
	rep->yoffset = var.yoffset;
	max = 64 + (size_t)var.xres * var.yres * 3;
	out = run_capture(argv, max + 1, &rep->out_len, rep);
	if (!out)
		return rep->step = 3;
	memcpy(rep->out, out, rep->out_len < 63 ? rep->out_len : 63);
	rep->out[rep->out_len < 63 ? rep->out_len : 63] = '\0';
	if (sscanf(rep->out, "P6 %u %u %u%*1[\n]%n", &rep->w, &rep->h, &rep->maxval, &hdr) != 3 ||
	    !hdr) {
		free(out);
		return rep->step = 4;
	}
	if (rep->w != var.xres || rep->h != var.yres || rep->maxval != 255 ||
	    rep->out_len != (size_t)hdr + (size_t)rep->w * rep->h * 3) {
		free(out);
		return rep->step = 5;
	}
	/* Pixel (x, y) of the screenshot is word (y + yoffset, x + xoffset) of our memory. */
	row = malloc((size_t)fix.line_length);
	for (unsigned int y = 0; row && y < var.yres && rep->bad_y < 0; y++) {
		size_t base = (size_t)(y + var.yoffset) * fix.line_length;

		fb_pattern(row, fix.line_length, base, (uint32_t)seed);
		px = out + hdr + (size_t)y * var.xres * 3;
		for (unsigned int x = 0; x < var.xres; x++, px += 3) {
			uint32_t word;
			uint8_t want[3];

			memcpy(&word, row + (size_t)(x + var.xoffset) * 4, 4);
			want[0] = (uint8_t)(word >> var.red.offset);
			want[1] = (uint8_t)(word >> var.green.offset);
			want[2] = (uint8_t)(word >> var.blue.offset);
			if (memcmp(px, want, 3)) {
				rep->bad_x = x;
				rep->bad_y = y;
				memcpy(rep->got, px, 3);
				memcpy(rep->want, want, 3);
				break;
			}
		}
	}
	free(row);
	free(out);
	return row ? 0 : (rep->step = 6);
}

#define REQUIRE_TOOL(name)							\
	do {									\
		if (!find_tool(name))						\
			SKIP(return, "%s is not installed (Debian package %s)", name, name); \
	} while (0)

static void expect_client_ran(struct __test_metadata *_metadata, const struct client_report *rep,
			      const char *tool)
{
	EXPECT_EQ(0, rep->step) TH_LOG("%s: step %d failed: %s", tool, rep->step, strerror(-rep->err));
	EXPECT_TRUE(WIFEXITED(rep->status) && WEXITSTATUS(rep->status) == 0)
		TH_LOG("%s: wait status %#x", tool, rep->status);
}

/* Each client runs in a passive container and in the active one: the variants. */
FIXTURE(client) {
	struct vw_world vw;
};

FIXTURE_VARIANT(client) {
	bool active;
};

FIXTURE_VARIANT_ADD(client, passive) {
	.active = false,
};

FIXTURE_VARIANT_ADD(client, active) {
	.active = true,
};

FIXTURE_SETUP(client)
{
	vw_world_setup(_metadata, &self->vw);
}

FIXTURE_TEARDOWN(client)
{
	vw_world_teardown(&self->vw);
}

/* A has a mode of the list, the host the default one; fbset -i in A reports A's. */
TEST_F(client, fbset_reports_the_containers_mode)
{
	bool active = variant->active;
	struct client_report *rep = vw_scratch();
	struct fb_mode_size mode, *m = &mode;
	unsigned int yv;
	char want[128];
	struct vw_req r;
	struct ct *a;
	int hfd;

	REQ("VFB-15");
	REQUIRE_VFB_MODES();
	REQUIRE_TOOL("fbset");
	vw_pannable_mode(&self->vw, &mode.xres, &mode.yres, &yv);
	VW_HOST_FD(&hfd);
	VW_NEW_CT(&a);
	r = vw_mode(m->xres, m->yres, m->xres, m->yres);
	VW_REMOTE(a, &r);
	if (active)
		VW_ACTIVATE(a->pid);
	ASSERT_EQ(0, ct_call(a, run_fbset, 0)) TH_LOG("step %d: %s", rep->step, strerror(-rep->err));
	expect_client_ran(_metadata, rep, "fbset -i");
	snprintf(want, sizeof(want), "geometry %u %u %u %u 32", m->xres, m->yres, m->xres, m->yres);
	EXPECT_TRUE(strstr(rep->out, want) != NULL) TH_LOG("no \"%s\" in fbset's output:\n%s", want, rep->out);
	EXPECT_TRUE(strstr(rep->out, DEVNS_VFB_ID) != NULL) TH_LOG("no \"%s\" in fbset's output:\n%s",
							       DEVNS_VFB_ID, rep->out);
	close(hfd);
}

/*
 * A draws its picture in a non-default mode, panned down; the host draws
 * another.  fbcat in A shows A's visible part.
 */
TEST_F(client, fbcat_shows_the_containers_picture)
{
	bool active = variant->active;
	struct client_report *rep = vw_scratch();
	struct fb_mode_size mode, *m = &mode;
	unsigned int yv;
	struct vw_req r;
	struct ct *a;
	int hfd;

	REQ("VFB-15");
	REQUIRE_VFB();
	REQUIRE_TOOL("fbcat");
	vw_pannable_mode(&self->vw, &mode.xres, &mode.yres, &yv);
	VW_HOST_FD(&hfd);
	VW_DRAW(hfd, 0xc001);
	VW_NEW_CT(&a);
	r = vw_mode(m->xres, m->yres, m->xres, yv);
	VW_REMOTE(a, &r);
	r = vw_op(VW_PAN);
	r.yoffset = yv - m->yres;
	VW_REMOTE(a, &r);
	r = vw_fill(0xc002, VW_VIA_MMAP, 0, self->vw.smem);
	VW_REMOTE(a, &r);
	if (active)
		VW_ACTIVATE(a->pid);
	ASSERT_EQ(0, ct_call(a, run_fbcat, 0xc002)) TH_LOG("step %d: %s", rep->step, strerror(-rep->err));
	expect_client_ran(_metadata, rep, "fbcat");
	EXPECT_EQ(m->xres, rep->w) TH_LOG("header: %.40s", rep->out);
	EXPECT_EQ(m->yres, rep->h);
	EXPECT_EQ(yv - m->yres, rep->yoffset);
	EXPECT_EQ(-1, rep->bad_y)
		TH_LOG("fbcat pixel (%ld,%ld) is %02x%02x%02x, want %02x%02x%02x", rep->bad_x, rep->bad_y,
		       rep->got[0], rep->got[1], rep->got[2], rep->want[0], rep->want[1], rep->want[2]);
	close(hfd);
}

TEST_HARNESS_MAIN
