// SPDX-License-Identifier: GPL-2.0
/*
 * damage: what damage tracking (SPEC 3.3) costs a host viewer.
 *
 *   damage_latency (us, lower): a writer in a container draws a 64x64
 *     rectangle 60 times a second and then stamps the time into the first
 *     bytes of its picture, through its mapping (method "mmap") or pwrite
 *     ("write"); the host sleeps in poll() on a damage view, fetches, reads
 *     the stamp through the view and records now - stamp: the time from a
 *     store to a viewer that has seen it.  Variants vfb-fg (the container
 *     is active) and vfb-bg (passive); one sample per frame (p99 in
 *     bench.json).
 *   damage_fetch (us, lower): one fetch after stores into N pages of a
 *     passive container's picture (N = 1, 64, every page): the fetch's own
 *     cost, re-arm included; variant vfb-bg, param pages.
 *   vnc_updates (updates/s, higher) and vnc_update_bytes (KB per update,
 *     lower): `devnsctl vnc` serving a passive container that draws a
 *     64x64 rectangle (variant rect64) or a whole frame (full) at 60 Hz to
 *     a libvncclient client on a unix socket (raw encoding, so bytes are
 *     the pixels sent); one sample per second.
 *
 * The blit benchmark measures what the watched namespace pays (its
 * -viewed variants).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <rfb/rfbclient.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "container.h"
#include "fb.h"
#include "impl.h"
#include "job.h"

#define PAGE		4096u
#define RECT		64
#define FRAME_NS	16666667ull	/* 60 Hz */
#define FRAMES_PER_SAMPLE 20

enum method { M_MMAP, M_WRITE, NR_METHODS };
#define W_FULL		0x10	/* writer: whole frames, no stamp */
static const char *const method_name[NR_METHODS] = { "mmap", "write" };

static struct bench_opts o;
static uint64_t *bits;
static size_t npages;

static const char usage[] =
	"Usage: damage [options]\n"
	"Damage tracking seen from the host (SPEC 3.3).  damage_latency (us, lower):\n"
	"a container draws a 64x64 rectangle at 60 Hz and stamps the time into its\n"
	"picture through its mapping (method mmap) or pwrite (write); the host\n"
	"waits in poll() on a damage view, fetches and reads the stamp: one sample\n"
	"per frame, variants vfb-fg (active) and vfb-bg (passive).  damage_fetch\n"
	"(us, lower): one fetch after stores into 1, 64 or every page of a passive\n"
	"container's picture.  vnc_updates (updates/s) and vnc_update_bytes (KB per\n"
	"update): devnsctl vnc (next to this program in build/) serving a passive\n"
	"container drawing a 64x64 rectangle or a whole frame at 60 Hz to a\n"
	"libvncclient client (raw encoding).  Runs as root in the guest with\n"
	"devns.ko loaded.\n";

/*
 * In the container: @arg = method | W_FULL | frames << 8; 0, or an error
 * code.  Each frame a 64x64 rectangle then a time stamp at byte 0, or
 * (W_FULL) the whole frame.
 */
static int writer(long arg)
{
	enum method m = (enum method)(arg & 0xf);
	bool full = arg & W_FULL;
	long frames = arg >> 8, i;
	struct fb_info_pair info;
	int fd = fb_open(FB_VFB);
	uint64_t next;
	uint8_t *map;

	if (fd < 0 || fb_get(fd, &info))
		return 100;
	map = fb_map(fd, info.fix.smem_len);
	if (!map)
		return 101;
	next = bench_now_ns();
	for (i = 0; i < frames; i++) {
		unsigned int x = (unsigned int)(i * 263 % (info.var.xres - RECT));
		unsigned int y = (unsigned int)(i * 151 % (info.var.yres - RECT - 1)) + 1;
		uint64_t stamp[2];

		if (full) {
			memset(map, (int)i, info.fix.smem_len);
			goto next;
		}
		for (unsigned int r = 0; r < RECT; r++)
			memset(map + (size_t)(y + r) * info.fix.line_length + x * 4, (int)i, RECT * 4);
		stamp[0] = bench_now_ns();
		stamp[1] = (uint64_t)i;
		if (m == M_MMAP)
			memcpy(map, stamp, sizeof(stamp));
		else if (pwrite(fd, stamp, sizeof(stamp), 0) != sizeof(stamp))
			return 102;
next:
		next += FRAME_NS;
		while (bench_now_ns() < next) {
			uint64_t left = next - bench_now_ns();
			struct timespec ts = { 0, (long)(left < FRAME_NS ? left : FRAME_NS) };

			nanosleep(&ts, NULL);
		}
	}
	munmap(map, info.fix.smem_len);
	close(fd);
	return 0;
}

/* One fetch from @view into bits: 0 or -errno. */
static int fetch(int view, struct impl_damage *d)
{
	*d = (struct impl_damage){ .bitmap = bits, .nbits = (uint32_t)npages };
	return impl()->vfb_damage(view, d);
}

/* Latency samples of @ct's writer with method @m, seen through @view. */
static int latency(struct ct *ct, int view, const char *variant, enum method m)
{
	long frames = (long)(o.warmup + o.samples) * FRAMES_PER_SAMPLE;
	struct bench_point *p = bench_point("damage_latency", variant, "us", BENCH_LOWER,
					    "\"method\":\"%s\"", method_name[m]);
	struct impl_damage d;
	struct job j = { .fd = -1 };
	uint64_t last = UINT64_MAX;
	int ret, seen = 0;

	while (fetch(view, &d) == 0 && (d.flags || d.first != d.last))
		;	/* start from nothing */
	ret = job_start(&j, ct, writer, (long)m | frames << 8);
	if (ret)
		return ret;
	for (;;) {
		struct pollfd pl = { .fd = view, .events = POLLIN };
		uint64_t stamp[2];

		if (poll(&pl, 1, 2000) != 1)
			break;	/* the writer ended */
		ret = fetch(view, &d);
		if (ret)
			break;
		if (!(bits[0] & 1))
			continue;
		if (pread(view, stamp, sizeof(stamp), 0) != sizeof(stamp)) {
			ret = -EIO;
			break;
		}
		if (stamp[1] == last)
			continue;
		last = stamp[1];
		bench_add(p, (double)(bench_now_ns() - stamp[0]) / 1e3);
		seen++;
	}
	if (!ret)
		ret = job_join(&j, 10000);
	job_kill(&j);
	bench_progress("damage_latency %s %s: %d of %ld frames seen", variant, method_name[m],
		       seen, frames);
	return ret;
}

/* Fetch cost after stores into @n pages of the picture mapped at @map. */
static int fetch_cost(int view, uint8_t *map, size_t n)
{
	struct bench_point *p = bench_point("damage_fetch", "vfb-bg", "us", BENCH_LOWER,
					    "\"pages\":%zu", n);
	unsigned int s;
	struct impl_damage d;

	for (s = 0; s < o.warmup + o.samples; s++) {
		uint64_t t0;
		int ret;

		for (size_t i = 0; i < n; i++)
			((volatile uint32_t *)(map + (i * (npages / n)) * PAGE))[1] = s;
		t0 = bench_now_ns();
		ret = fetch(view, &d);
		if (ret)
			return ret;
		bench_add(p, (double)(bench_now_ns() - t0) / 1e3);
	}
	return 0;
}

/* What the VNC client received. */
static unsigned long vnc_updates, vnc_bytes;

static void vnc_rect(rfbClient *c, int x, int y, int w, int h)
{
	(void)c, (void)x, (void)y;
	vnc_bytes += (unsigned long)w * (unsigned long)h * 4;
}

static void vnc_update_done(rfbClient *c)
{
	(void)c;
	vnc_updates++;
}

static void vnc_quiet(const char *fmt, ...)
{
	(void)fmt;
}

/* `devnsctl vnc @pid --unix @sock` started: its pid, or -errno. */
static pid_t vnc_server(pid_t pid, const char *sock)
{
	char exe[512], tool[600], target[16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat sb;
	pid_t child;

	if (n <= 0)
		return -errno;
	exe[n] = 0;
	*strrchr(exe, '/') = 0;		/* build/bench/fb */
	snprintf(tool, sizeof(tool), "%s/../../bin/devnsctl", exe);
	snprintf(target, sizeof(target), "%d", (int)pid);
	child = fork();
	if (child < 0)
		return -errno;
	if (!child) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execl(tool, "devnsctl", "vnc", target, "--unix", sock, "--fps", "60", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && stat(sock, &sb); i++)
		usleep(10000);
	if (stat(sock, &sb)) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return -ETIMEDOUT;
	}
	return child;
}

/* Samples of what @c receives while @ct draws (@full frames or rectangles) at 60 Hz. */
static int vnc_samples(rfbClient *c, struct ct *ct, bool full)
{
	const char *variant = full ? "full" : "rect64";
	struct bench_point *up = bench_point("vnc_updates", variant, "updates/s", BENCH_HIGHER,
					      "\"fps\":%d", 60);
	struct bench_point *kb = bench_point("vnc_update_bytes", variant, "KB", BENCH_LOWER,
					      "\"fps\":%d", 60);
	unsigned int s, total = o.warmup + o.samples;
	struct job j = { .fd = -1 };
	int ret;

	ret = job_start(&j, ct, writer, (long)M_MMAP | (full ? W_FULL : 0) | (long)(total * 60 + 30) << 8);
	if (ret)
		return ret;
	for (s = 0; s < total && !ret; s++) {
		uint64_t t0 = bench_now_ns(), end = t0 + 1000000000ull;

		vnc_updates = vnc_bytes = 0;
		while (bench_now_ns() < end) {
			int n = WaitForMessage(c, 20000);

			if (n < 0 || (n > 0 && !HandleRFBServerMessage(c))) {
				ret = -EPIPE;
				break;
			}
		}
		bench_add(up, (double)vnc_updates * 1e9 / (double)(bench_now_ns() - t0));
		bench_add(kb, vnc_updates ? (double)vnc_bytes / 1024.0 / (double)vnc_updates : 0);
	}
	job_kill(&j);
	bench_progress("vnc %s: %s", variant, ret ? strerror(-ret) : "done");
	return ret;
}

/* devnsctl vnc serving passive container @ct to a local client. */
static int vnc(struct ct *ct)
{
	char sock[64], *argv[3];
	int argc = 2, ret = 0, st;
	rfbClient *c;
	pid_t server;

	snprintf(sock, sizeof(sock), "/tmp/bench-vnc-%d.sock", (int)getpid());
	server = vnc_server(ct->pid, sock);
	if (server < 0) {
		bench_device("devnsctl-vnc", sock, false, "devnsctl vnc: %s", strerror(-server));
		return 0;
	}
	rfbClientLog = rfbClientErr = vnc_quiet;
	c = rfbGetClient(8, 3, 4);
	c->appData.encodingsString = "raw";
	c->GotFrameBufferUpdate = vnc_rect;
	c->FinishedFrameBufferUpdate = vnc_update_done;
	argv[0] = "bench";
	argv[1] = sock;
	argv[2] = NULL;
	if (!rfbInitClient(c, &argc, argv)) {	/* frees c */
		bench_device("devnsctl-vnc", sock, false, "cannot connect");
	} else {
		bench_device("devnsctl-vnc", sock, true, "%dx%d", c->width, c->height);
		ret = vnc_samples(c, ct, false);
		if (!ret)
			ret = vnc_samples(c, ct, true);
		rfbClientCleanup(c);
	}
	kill(server, SIGINT);
	waitpid(server, &st, 0);
	return ret;
}

int main(int argc, char **argv)
{
	struct ct fg = { 0 }, bg = { 0 };
	int ctl, vfg = -1, vbg = -1, fd = -1, ret = 0, m;
	uint8_t *map = NULL;
	long smem;

	bench_parse(argc, argv, &o, usage, NULL, NULL);
	if (!impl_has(IMPL_CAP_VFB | IMPL_CAP_DAMAGE)) {
		bench_device("damage", "", false, "implementation %s tracks no damage", impl()->name);
		return bench_finish();
	}
	ctl = impl()->open_ctl();
	if (ctl < 0 || ct_start(&fg, CT_CLONE, NULL) || ct_start(&bg, CT_CLONE, NULL) ||
	    impl()->activate(ctl, fg.pid, 0)) {
		bench_device("damage", "", false, "control device, containers or activation failed");
		ret = 1;
		goto out;
	}
	vfg = impl()->vfb_view(ctl, fg.pid, IMPL_VIEW_CLOEXEC | IMPL_VIEW_DAMAGE);
	vbg = impl()->vfb_view(ctl, bg.pid, IMPL_VIEW_CLOEXEC | IMPL_VIEW_DAMAGE);
	fd = ct_open(&bg, impl()->device("vfb"), O_RDWR | O_CLOEXEC);
	smem = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	map = smem > 0 ? fb_map(fd, (size_t)smem) : NULL;
	if (vfg < 0 || vbg < 0 || !map) {
		bench_device("damage", "", false, "damage views or the container's vfb: %s",
			     strerror(vfg < 0 ? -vfg : vbg < 0 ? -vbg : errno));
		ret = 1;
		goto out;
	}
	npages = (size_t)smem / PAGE;
	bits = calloc((npages + 63) / 64, 8);
	bench_device("damage", impl()->device("vfb"), bits != NULL, "%zu pages", npages);
	if (!bits) {
		ret = 1;
		goto out;
	}
	for (m = 0; m < NR_METHODS && !ret; m++) {
		ret = latency(&fg, vfg, "vfb-fg", (enum method)m);
		if (!ret)
			ret = latency(&bg, vbg, "vfb-bg", (enum method)m);
	}
	if (!ret)
		ret = fetch_cost(vbg, map, 1);
	if (!ret)
		ret = fetch_cost(vbg, map, 64);
	if (!ret)
		ret = fetch_cost(vbg, map, npages);
	if (!ret)
		ret = vnc(&bg);
	if (ret)
		bench_progress("failed: %d (%s)", ret, ret < 0 ? strerror(-ret) : "in the writer");
out:
	if (map)
		munmap(map, (size_t)smem);
	if (fd >= 0)
		close(fd);
	if (vfg >= 0)
		close(vfg);
	if (vbg >= 0)
		close(vbg);
	if (ctl >= 0) {
		impl()->activate(ctl, getpid(), 0);
		close(ctl);
	}
	ct_stop(&bg);
	ct_stop(&fg);
	free(bits);
	return bench_finish() || ret ? 1 : 0;
}
