// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl vnc <pid>|host [--unix PATH | --listen [ADDR:]PORT]: serves a
 * namespace's picture, active or passive, over VNC (libvncserver), read
 * through the host's view (SPEC 3.2).  With damage tracking (SPEC 3.3) each
 * frame fetches the pages that changed and reads and sends only the rows
 * they cover; a frame without damage reads nothing.  A whole-picture change
 * (and every frame of an implementation without damage tracking) reads the
 * picture and sends the 64x64 tiles that differ; a mode change is a new
 * framebuffer size for the clients.  Keys and the pointer of the clients go
 * to the namespace's virtual input (SPEC 8), active or passive, through the
 * host's injection.  One thread: the library's events and the frames
 * alternate in the loop below.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/input.h>
#include <poll.h>
#include <rfb/rfb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"
#include "keys.h"
#include "picture.h"

#define TILE		64
#define PAGE_BYTES	((size_t)sysconf(_SC_PAGESIZE))
#define DEFAULT_PORT	5900

static void vnc_help(FILE *out)
{
	fprintf(out,
		"Serves the picture of the device namespace of <pid> (a process of the\n"
		"container, as the host sees it; \"host\" for the host's own) to VNC\n"
		"clients, whether it is active (on the panel) or passive (drawing in the\n"
		"background): exactly its pixels, at most --fps times a second, sending\n"
		"only the rows the namespace changed (its damage) or, after a change of\n"
		"the whole picture, the 64x64 tiles that differ; a mode change resizes\n"
		"the clients' screen.\n"
		"No authentication: it listens on loopback (127.0.0.1:5900 by default) or\n"
		"on a unix socket only.  Prints \"serving <pid> <w>x<h> on <where>\" once\n"
		"clients can connect; ends on ^C (SIGINT) or SIGTERM, or when the namespace\n"
		"dies, printing what it sent.  The clients' keys and pointer reach the\n"
		"namespace's virtual input (/dev/vinput0 there), active or passive, unless\n"
		"--view-only.\n"
		"\n"
		"Options:\n"
		"  -u, --unix PATH           listen on a unix socket (libvncclient connects to\n"
		"                            a socket path; vncsnapshot needs TCP)\n"
		"  -l, --listen [ADDR:]PORT  listen on TCP, ADDR a numeric IPv4 address\n"
		"                            (default 127.0.0.1), PORT 1..65535\n"
		"  -f, --fps N               frames read per second, 1..100 (default 20)\n"
		"  -n, --view-only           ignore the clients' keys and pointer\n"
		"  -h, --help                this text\n");
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

struct server {
	rfbScreenInfoPtr screen;
	unsigned char *fb;		/* what the clients are sent: R, G, B, 0 */
	int width, height;
	uint64_t *damage;		/* page bitmap of a damage view, or NULL */
	int ctl;			/* the control device, for input; -1: view only */
	pid_t pid;			/* the namespace's process */
	int px, py, buttons;		/* the pointer as the clients last moved it */
	unsigned long inputs;		/* events injected */
	size_t damage_pages;
	unsigned long frames, idle, tiles, bands, resizes;
};

static unsigned char *copy_of(const struct picture *p)
{
	size_t len = (size_t)p->var.xres * p->var.yres * 4;
	unsigned char *fb = malloc(len);

	if (fb)
		memcpy(fb, p->px, len);
	return fb;
}

/* Send the tiles of @p that differ from what the clients have. */
static void send_changes(struct server *s, const struct picture *p)
{
	size_t stride = (size_t)s->width * 4;

	for (int ty = 0; ty < s->height; ty += TILE) {
		int th = s->height - ty < TILE ? s->height - ty : TILE;

		for (int tx = 0; tx < s->width; tx += TILE) {
			int tw = s->width - tx < TILE ? s->width - tx : TILE;
			size_t off = (size_t)ty * stride + (size_t)tx * 4;
			bool changed = false;

			for (int y = 0; y < th && !changed; y++)
				changed = memcmp(s->fb + off + y * stride, p->px + off + y * stride,
						 (size_t)tw * 4);
			if (!changed)
				continue;
			for (int y = 0; y < th; y++)
				memcpy(s->fb + off + y * stride, p->px + off + y * stride, (size_t)tw * 4);
			rfbMarkRectAsModified(s->screen, tx, ty, tx + tw, ty + th);
			s->tiles++;
		}
	}
}

/*
 * Damage of pages only: read the visible rows they cover and send them as
 * full-width bands.
 */
static int send_bands(struct server *s, int view, struct picture *p)
{
	size_t stride = (size_t)s->width * 4, page = PAGE_BYTES;
	unsigned int y = 0, y1;
	int ret;

	while (y < p->var.yres) {
		if (!picture_row_in_pages(p, y, s->damage, page)) {
			y++;
			continue;
		}
		for (y1 = y + 1; y1 < p->var.yres &&
		     picture_row_in_pages(p, y1, s->damage, page); y1++)
			;
		ret = picture_read_rows(view, p, y, y1);
		if (ret)
			return ret;
		memcpy(s->fb + y * stride, p->px + y * stride, (y1 - y) * stride);
		rfbMarkRectAsModified(s->screen, 0, (int)y, s->width, (int)y1);
		s->bands++;
		y = y1;
	}
	return 0;
}

/* The picture in another mode: a new framebuffer for every client. */
static int resize(struct server *s, const struct picture *p)
{
	unsigned char *fb = copy_of(p);

	if (!fb)
		return -ENOMEM;
	rfbNewFramebuffer(s->screen, (char *)fb, (int)p->var.xres, (int)p->var.yres, 8, 3, 4);
	free(s->fb);
	s->fb = fb;
	s->width = (int)p->var.xres;
	s->height = (int)p->var.yres;
	s->resizes++;
	return 0;
}

/* A unix socket listening at @path (replaced if it exists): fd or -errno. */
static int listen_unix(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* [ADDR:]PORT: 0, or -EINVAL. */
static int parse_listen(const char *s, in_addr_t *addr, int *port)
{
	const char *colon = strrchr(s, ':');
	unsigned long p;
	char host[64];

	*addr = htonl(INADDR_LOOPBACK);
	if (colon) {
		struct in_addr in;

		if ((size_t)(colon - s) >= sizeof(host))
			return -EINVAL;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		if (inet_pton(AF_INET, host, &in) != 1)
			return -EINVAL;
		*addr = in.s_addr;
		s = colon + 1;
	}
	if (parse_uint(s, 1, 65535, &p))
		return -EINVAL;
	*port = (int)p;
	return 0;
}

/* Give @n events to the namespace (a client's input). */
static void inject(struct server *s, const struct impl_input_event *ev, unsigned int n)
{
	if (s->ctl >= 0 && n && !impl()->input_inject(s->ctl, s->pid, ev, n))
		s->inputs += n;
}

static void on_key(rfbBool down, rfbKeySym sym, rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	uint16_t code = keycode_of(sym);

	if (code && s->ctl >= 0 && !key_send(s->ctl, s->pid, code, down ? 1 : 0))
		s->inputs += 2;
}

static void on_pointer(int mask, int x, int y, rfbClientPtr cl)
{
	static const uint16_t button[] = { BTN_LEFT, BTN_MIDDLE, BTN_RIGHT };
	struct server *s = cl->screen->screenData;
	struct impl_input_event ev[8];
	unsigned int n = 0, b;

	if (x != s->px)
		ev[n++] = (struct impl_input_event){ EV_REL, REL_X, x - s->px };
	if (y != s->py)
		ev[n++] = (struct impl_input_event){ EV_REL, REL_Y, y - s->py };
	for (b = 0; b < 3; b++)
		if ((mask ^ s->buttons) & (1 << b))
			ev[n++] = (struct impl_input_event){ EV_KEY, button[b], !!(mask & (1 << b)) };
	if (mask & 8)		/* wheel up and down: one notch per press */
		ev[n++] = (struct impl_input_event){ EV_REL, REL_WHEEL, 1 };
	if (mask & 16)
		ev[n++] = (struct impl_input_event){ EV_REL, REL_WHEEL, -1 };
	if (n)
		ev[n++] = (struct impl_input_event){ EV_SYN, SYN_REPORT, 0 };
	inject(s, ev, n);
	s->px = x;
	s->py = y;
	s->buttons = mask & 7;
	rfbDefaultPtrAddEvent(mask, x, y, cl);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The whole picture again: a new size, or the tiles that differ. */
static int send_picture(struct server *s, int view, struct picture *p)
{
	int ret = picture_read(view, p);

	if (ret)
		return ret;
	if ((int)p->var.xres != s->width || (int)p->var.yres != s->height)
		return resize(s, p);
	send_changes(s, p);
	return 0;
}

/* One frame: what changed since the last one goes to the clients. */
static int frame(struct server *s, int view, struct picture *p)
{
	struct impl_damage d = { .bitmap = s->damage, .nbits = (uint32_t)s->damage_pages };
	int ret;

	s->frames++;
	if (!s->damage)
		return send_picture(s, view, p);
	ret = impl()->vfb_damage(view, &d);
	if (ret)
		return ret;
	if (d.flags & IMPL_DAMAGE_FULL)
		ret = send_picture(s, view, p);
	else if (d.first != d.last)
		ret = send_bands(s, view, p);
	else
		s->idle++;
	if (!ret && (d.flags & IMPL_DAMAGE_DEAD))
		ret = -ESRCH;
	return ret;
}

/* Serve until a signal or the namespace's death: 0, or -errno. */
static int serve(struct server *s, int view, int lsock, struct picture *p, unsigned long fps)
{
	int64_t period = 1000000 / (int64_t)fps, next = now_us() + period;
	int ret = 0;

	while (!stopping) {
		int64_t left = next - now_us();
		struct pollfd pl = { .fd = lsock, .events = POLLIN };

		rfbProcessEvents(s->screen, left > 0 ? (long)left : 0);
		if (lsock >= 0 && poll(&pl, 1, 0) == 1) {
			int c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0 && !rfbNewClient(s->screen, c))
				close(c);
		}
		if (now_us() < next)
			continue;
		next += period;
		ret = frame(s, view, p);
		if (ret)
			break;
	}
	return ret;
}

static int vnc(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "unix", required_argument, NULL, 'u' },
		{ "listen", required_argument, NULL, 'l' },
		{ "fps", required_argument, NULL, 'f' },
		{ "view-only", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct picture p = { .bytes = 4 };
	struct server s = { .ctl = -1 };
	bool view_only = false;
	const char *unix_path = NULL, *listen_arg = NULL;
	unsigned long fps = 20;
	in_addr_t addr = htonl(INADDR_LOOPBACK);
	int port = DEFAULT_PORT, lsock = -1, view, c, ret;
	char where[128], name[64];
	pid_t pid;

	while ((c = getopt_long(argc, argv, "u:l:f:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'u':
			unix_path = optarg;
			break;
		case 'l':
			listen_arg = optarg;
			break;
		case 'f':
			if (parse_uint(optarg, 1, 100, &fps))
				return cmd_usage_error(&devnsctl_vnc, "bad --fps '%s' (1..100)", optarg);
			break;
		case 'n':
			view_only = true;
			break;
		case 'h':
			cmd_usage(&devnsctl_vnc, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_vnc, "bad option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(&devnsctl_vnc, "expected one <pid> or \"host\"");
	if (parse_target(argv[optind], &pid))
		return cmd_usage_error(&devnsctl_vnc, "bad pid '%s'", argv[optind]);
	if (unix_path && listen_arg)
		return cmd_usage_error(&devnsctl_vnc, "--unix and --listen exclude each other");
	if (listen_arg && parse_listen(listen_arg, &addr, &port))
		return cmd_usage_error(&devnsctl_vnc, "bad --listen '%s' ([ADDR:]PORT)", listen_arg);

	view = picture_view(pid, impl_has(IMPL_CAP_DAMAGE) ? IMPL_VIEW_DAMAGE : 0);
	if (view < 0)
		return 1;
	ret = picture_read(view, &p);
	if (ret) {
		close(view);
		picture_free(&p);
		return cmd_error("reading pid %d's picture: %s", (int)pid, ctl_strerror(-ret));
	}
	if (unix_path) {
		lsock = listen_unix(unix_path);
		if (lsock < 0) {
			close(view);
			picture_free(&p);
			return cmd_error("%s: %s", unix_path, strerror(-lsock));
		}
		snprintf(where, sizeof(where), "unix:%s", unix_path);
	} else {
		struct in_addr in = { .s_addr = addr };

		snprintf(where, sizeof(where), "%s:%d", inet_ntoa(in), port);
	}

	if (impl_has(IMPL_CAP_DAMAGE)) {
		s.damage_pages = p.fix.smem_len / PAGE_BYTES + 1;
		s.damage = calloc((s.damage_pages + 63) / 64, 8);
		if (!s.damage) {
			ret = -ENOMEM;
			goto out;
		}
	}
	rfbLogEnable(0);
	s.width = (int)p.var.xres;
	s.height = (int)p.var.yres;
	s.fb = copy_of(&p);
	s.screen = s.fb ? rfbGetScreen(NULL, NULL, s.width, s.height, 8, 3, 4) : NULL;
	if (!s.screen) {
		ret = -ENOMEM;
		goto out;
	}
	snprintf(name, sizeof(name), "devns %s", argv[optind]);
	s.screen->desktopName = name;
	s.screen->frameBuffer = (char *)s.fb;
	rfbSetCursor(s.screen, NULL);	/* no cursor drawn over the picture */
	s.screen->screenData = &s;
	if (!view_only && impl_has(IMPL_CAP_INPUT)) {
		s.ctl = impl()->open_ctl();
		s.pid = pid;
		s.screen->kbdAddEvent = on_key;
		s.screen->ptrAddEvent = on_pointer;
	}
	s.screen->alwaysShared = TRUE;
	s.screen->autoPort = FALSE;
	s.screen->ipv6port = 0;		/* never [::] */
	s.screen->listenInterface = addr;
	s.screen->port = unix_path ? 0 : port;	/* 0: no TCP listener */
	rfbInitServer(s.screen);
	if (!unix_path && s.screen->listenSock == RFB_INVALID_SOCKET) {
		ret = cmd_error("cannot listen on %s", where);
		goto out_screen;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("serving %s %dx%d on %s\n", argv[optind], s.width, s.height, where);
	fflush(stdout);
	ret = serve(&s, view, lsock, &p, fps);
	printf("%s after %lu frames (%lu without damage): %lu bands and %lu tiles sent, "
	       "%lu mode changes, %lu input events\n",
	       ret == -ESRCH ? "the namespace died" : ret ? "stopped" : "stopped by a signal",
	       s.frames, s.idle, s.bands, s.tiles, s.resizes, s.inputs);
	if (ret == -ESRCH)
		ret = 0;
	else if (ret)
		ret = cmd_error("reading pid %d's picture: %s", (int)pid, ctl_strerror(-ret));
out_screen:
	rfbShutdownServer(s.screen, TRUE);
	rfbScreenCleanup(s.screen);
out:
	if (ret == -ENOMEM)
		ret = cmd_error("out of memory");
	free(s.fb);
	free(s.damage);
	if (s.ctl >= 0)
		close(s.ctl);
	picture_free(&p);
	close(view);
	if (lsock >= 0) {
		close(lsock);
		unlink(unix_path);
	}
	return ret;
}

const struct devnsctl_cmd devnsctl_vnc = {
	.name = "vnc",
	.args = "<pid>|host [--unix PATH | --listen [ADDR:]PORT] [--fps N] [--view-only]",
	.summary = "serve a namespace's picture, active or passive, over VNC",
	.run = vnc,
	.help = vnc_help,
};
