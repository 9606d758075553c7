// SPDX-License-Identifier: GPL-2.0
/*
 * The native peer of the vfb switch that an fbdev user would pick instead
 * (issue 18, goal 3): two programs drawing on bochs-drm's fbdev, each on its
 * own virtual console in VT_PROCESS mode, switched cooperatively.  A switch
 * is VT_ACTIVATE to the other console; the kernel asks the owner of the
 * current one to let go (its release signal: it calls VT_RELDISP 1), hands
 * the console over and tells the new owner (its acquire signal), which draws
 * its frame again from its own memory and acknowledges (VT_RELDISP
 * VT_ACKACQ).  A sample ends when the new owner says it has drawn.
 * Benchmark "native_switch", variant "vt-process", microseconds, lower is
 * better, params width and height (the fbdev's mode: ci/vm's
 * video=Virtual-1:1024x768 in make bench).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kd.h>
#include <linux/vt.h>

#include "bench.h"
#include "devices.h"
#include "fb.h"

#define DRAWN_TIMEOUT_MS	5000

static const char usage[] =
	"Usage: vt-process [options]\n"
	"Cooperative VT switching of two fbdev programs (VT_SETMODE VT_PROCESS) on\n"
	"bochs-drm's fbdev (ci/vm --vga std): benchmark native_switch, variant\n"
	"vt-process, microseconds from VT_ACTIVATE until the new console's owner has\n"
	"drawn its frame and acknowledged.  Runs as root in the guest.\n"
	"  --consoles A,B   the two virtual consoles (default 5,6: not those the\n"
	"                   vtswitch benchmark maps fbcon to)\n";

enum { OPT_CONSOLES = 256 };

static struct bench_opts o;
static unsigned int con[2] = { 5, 6 };

static int take_opt(int val, const char *arg)
{
	if (val != OPT_CONSOLES || sscanf(arg, "%u,%u", &con[0], &con[1]) != 2 ||
	    con[0] < 1 || con[1] < 1 || con[0] > 63 || con[1] > 63 || con[0] == con[1])
		return -1;
	return 0;
}

/* A console's owner: its process and the pipe it says "drawn" on. */
struct owner {
	pid_t pid;
	int drawn;		/* read end: one byte per frame drawn */
};

/*
 * The owner of console @vt: draws picture @seed on the fbdev @fb_path when
 * it gets the console and lets it go when asked, until SIGTERM.  Writes one
 * byte to @drawn when ready and one after each frame it drew.
 */
static int owner_run(unsigned int vt, const char *fb_path, uint32_t seed, int drawn)
{
	struct vt_mode mode = { .mode = VT_PROCESS, .relsig = SIGUSR1, .acqsig = SIGUSR2 };
	struct signalfd_siginfo si;
	struct fb_info_pair info;
	char tty[32], *map, *picture;
	size_t len;
	sigset_t set;
	int fd, fb, sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	snprintf(tty, sizeof(tty), "/dev/tty%u", vt);
	fd = open(tty, O_RDWR | O_CLOEXEC);
	fb = open(fb_path, O_RDWR | O_CLOEXEC);
	if (sfd < 0 || fd < 0 || fb < 0 || fb_get(fb, &info)) {
		perror("vt-process: owner");
		return 1;
	}
	len = (size_t)info.fix.line_length * info.var.yres;
	map = fb_map(fb, len);
	picture = map ? bench_map_apart(map, len) : NULL;
	if (!picture || ioctl(fd, KDSETMODE, KD_GRAPHICS) || ioctl(fd, VT_SETMODE, &mode)) {
		perror("vt-process: owner set-up");
		return 1;
	}
	fb_pattern(picture, len, 0, seed);
	if (write(drawn, "r", 1) != 1)
		return 1;
	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			/* its frame stays in @picture: nothing to save */
			ioctl(fd, VT_RELDISP, 1);
		} else if (si.ssi_signo == SIGUSR2) {
			memcpy(map, picture, len);
			ioctl(fd, VT_RELDISP, VT_ACKACQ);
			if (write(drawn, "d", 1) != 1)
				break;
		} else {
			break;
		}
	}
	mode.mode = VT_AUTO;
	ioctl(fd, VT_SETMODE, &mode);
	ioctl(fd, KDSETMODE, KD_TEXT);
	return 0;
}

static int owner_start(struct owner *w, unsigned int vt, const char *fb_path, uint32_t seed)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	w->pid = fork();
	if (w->pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (!w->pid) {
		close(p[0]);
		_exit(owner_run(vt, fb_path, seed, p[1]));
	}
	close(p[1]);
	w->drawn = p[0];
	return 0;
}

/* Wait for one byte from @w (ready or drawn); -ETIMEDOUT after the deadline. */
static int owner_wait(struct owner *w)
{
	struct pollfd pfd = { .fd = w->drawn, .events = POLLIN };
	char c;
	int n = poll(&pfd, 1, DRAWN_TIMEOUT_MS);

	if (n < 0)
		return -errno;
	if (!n)
		return -ETIMEDOUT;
	return read(w->drawn, &c, 1) == 1 ? 0 : -EPIPE;
}

static void owner_stop(struct owner *w)
{
	if (w->pid > 0) {
		kill(w->pid, SIGTERM);
		waitpid(w->pid, NULL, 0);
	}
	if (w->drawn >= 0)
		close(w->drawn);
	w->pid = -1;
	w->drawn = -1;
}

int main(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "consoles", required_argument, NULL, OPT_CONSOLES },
		{ NULL, 0, NULL, 0 },
	};
	struct owner w[2] = { { -1, -1 }, { -1, -1 } };
	struct fb_info_pair info;
	struct vt_stat state;
	struct bench_point *p = NULL;
	char path[64], why[200];
	unsigned int s, total, cur = 0;
	int fb, tty0 = -1, ret = 0;

	bench_parse(argc, argv, &o, usage, extra, take_opt);
	total = o.warmup + o.samples;
	fb = bench_bochs_fb_open(path, sizeof(path), why, sizeof(why));
	if (fb < 0) {
		bench_device("vt-process", "", false, "%s", why);
		return bench_finish();
	}
	ret = fb_get(fb, &info);
	close(fb);
	tty0 = open("/dev/tty0", O_RDWR | O_CLOEXEC);
	if (ret || tty0 < 0 || ioctl(tty0, VT_GETSTATE, &state)) {
		bench_device("vt-process", path, false, "no fbdev mode or no /dev/tty0: %s",
			     strerror(ret ? -ret : errno));
		return bench_finish();
	}
	for (int i = 0; i < 2 && !ret; i++) {
		ret = owner_start(&w[i], con[i], path, 0xc0 + (uint32_t)i);
		if (!ret)
			ret = owner_wait(&w[i]);
	}
	/* the first owner gets its console (the one active now is not ours) */
	if (!ret)
		ret = ioctl(tty0, VT_ACTIVATE, con[0]) ? -errno : owner_wait(&w[0]);
	if (ret) {
		bench_device("vt-process", path, false, "consoles %u and %u: %s", con[0], con[1],
			     strerror(-ret));
		goto out;
	}
	bench_device("vt-process", path, true, "%ux%u, consoles %u and %u", info.var.xres,
		     info.var.yres, con[0], con[1]);
	p = bench_point("native_switch", "vt-process", "us", BENCH_LOWER,
			"\"width\":%u,\"height\":%u", info.var.xres, info.var.yres);
	for (s = 0; s < total && !ret; s++) {
		struct bench_counters k;
		uint64_t t0, t1;

		if (s >= o.warmup)
			bench_counters_start(&k);
		t0 = bench_now_ns();
		ret = ioctl(tty0, VT_ACTIVATE, con[!cur]) ? -errno : owner_wait(&w[!cur]);
		t1 = bench_now_ns();
		if (s >= o.warmup)
			bench_counters_stop(&k, p, ret ? 0 : 1);
		if (ret) {
			bench_progress("switch to console %u: %s; not measured further", con[!cur],
				       strerror(-ret));
			break;
		}
		cur = !cur;
		bench_add(p, (double)(t1 - t0) / 1000.0);
		bench_progress("sample %u/%u: %.0f us", s + 1, total, (double)(t1 - t0) / 1000.0);
	}
out:
	owner_stop(&w[0]);
	owner_stop(&w[1]);
	ioctl(tty0, VT_ACTIVATE, state.v_active);
	close(tty0);
	return bench_finish() || ret;
}
