// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl console <pid> [N]: a terminal of a container on ours, like
 * `vzctl console`.  The host fd of DEVNS_IOC_VTTY_ATTACH is copied to
 * stdout, and stdin to it; on a terminal, in raw mode with the window size
 * forwarded and an escape sequence (ESC . at the start of a line) to
 * detach.  Everything waits in one ppoll(); signals are blocked outside it.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "devnsctl.h"
#include "vtty.h"

#define DEFAULT_LINGER_MS 500
#define DETACH_FLUSH_MS 500	/* how long a detach waits for typed input to go in */
#define ESCAPE_NONE (-1)

static void console_help(FILE *out)
{
	fprintf(out,
		"Attaches to terminal N of the device namespace of <pid> (a process of the\n"
		"container, as the host sees it) and connects it to stdin and stdout.\n"
		"N is 1 (the default) for the container's console (/dev/console, also\n"
		"/dev/tty1), or 2..count for /dev/ttyN ('devnsctl consoles <pid>' lists\n"
		"them).  You first see the output the terminal kept while nobody was\n"
		"attached.  Only one host may attach to a terminal at a time.\n"
		"\n"
		"On a terminal (stdin is a tty): raw mode, restored on exit; the window\n"
		"size is passed on at attach and on every change (SIGWINCH).  To detach,\n"
		"type the escape character then '.' at the start of a line (after Enter,\n"
		"or as the very first input): by default ESC then '.'.  The escape\n"
		"character followed by anything else is sent as typed (at the start of\n"
		"a line it waits for the next key).  The container's programs keep\n"
		"running; attach again to go on.\n"
		"\n"
		"Otherwise (stdin is a pipe or a file): bytes are passed unchanged, no\n"
		"escape, no window size.  At the end of stdin, devnsctl waits until all\n"
		"of it was accepted and the terminal has been idle (no input accepted,\n"
		"no output) for the linger time, then exits; it exits with 1 if the\n"
		"input was not all accepted by then (nobody reads the terminal).\n"
		"With stdin from /dev/null it prints what the terminal kept and exits.\n"
		"\n"
		"When the namespace dies, devnsctl prints the last output, then\n"
		"'[container console closed]' on stderr, and exits with 0.\n"
		"\n"
		"Options:\n"
		"  -e, --escape C   escape character: a character, ^X for a control\n"
		"                   character (e.g. ^] ), or 'none' to disable detaching\n"
		"  -l, --linger MS  idle time before exiting after the end of stdin\n"
		"                   (default %d)\n"
		"  -q, --quiet      no 'attached' and 'detached' messages\n"
		"  -h, --help       this text\n"
		"\n"
		"Exit status: 0 detached, or the namespace died, or stdin ended;\n"
		"1 an error (e.g. the terminal is already attached: EBUSY; not root on\n"
		"the host: EPERM); 2 bad usage.\n",
		DEFAULT_LINGER_MS);
}

struct console {
	pid_t pid;
	unsigned long n;		/* 1-based, as typed */
	int host;			/* host fd, O_NONBLOCK */
	bool tty;			/* stdin is a terminal */
	bool raw;			/* saved holds the terminal's settings */
	bool quiet;
	struct termios saved;
	int escape;			/* character, or ESCAPE_NONE */
	bool line_start;		/* the next input byte starts a line */
	bool escape_held;		/* the escape character came, not sent yet */
	char in[4096];			/* typed input not yet accepted by the host fd */
	size_t in_off, in_len;
	bool stdin_eof;
	bool input_gone;		/* host writes fail: the namespace is dead */
	int linger_ms;
	int64_t last_activity;
	bool winsize_warned;
};

static volatile sig_atomic_t got_winch, got_quit;

static void on_signal(int sig)
{
	if (sig == SIGWINCH)
		got_winch = 1;
	else
		got_quit = sig;
}

/* ESCAPE_NONE for "none", a character, or -2 if @s names none. */
static int parse_escape(const char *s)
{
	if (!strcmp(s, "none"))
		return ESCAPE_NONE;
	if (s[0] && !s[1])
		return (unsigned char)s[0];
	if (s[0] == '^' && s[1] && !s[2]) {
		int c = toupper((unsigned char)s[1]);

		if (c == '?')
			return 0x7f;
		if (c >= '@' && c <= '_')
			return c & 0x1f;
	}
	return -2;
}

static const char *escape_name(int c, char *buf, size_t len)
{
	if (c == 0x1b)
		snprintf(buf, len, "ESC");
	else if (c == 0x7f)
		snprintf(buf, len, "^?");
	else if (c < 0x20)
		snprintf(buf, len, "^%c", c + '@');
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

static void forward_winsize(struct console *c)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) || (!ws.ws_row && !ws.ws_col))
		return;
	if (ioctl(c->host, TIOCSWINSZ, &ws) && !c->winsize_warned) {
		c->winsize_warned = true;
		fprintf(stderr, "devnsctl: cannot pass on the window size: %s%s", strerror(errno),
			c->raw ? "\r\n" : "\n");
	}
}

static int set_raw(struct console *c)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &c->saved))
		return cmd_error("reading the terminal's settings: %m");
	raw = c->saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw))
		return cmd_error("setting the terminal to raw mode: %m");
	c->raw = true;
	return 0;
}

static void restore_terminal(struct console *c)
{
	if (c->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &c->saved);
	c->raw = false;
}

/* A message on stderr, with "\r\n" while the terminal is raw. */
static void notice(struct console *c, const char *msg)
{
	if (!c->quiet)
		fprintf(stderr, "%s%s", msg, c->raw ? "\r\n" : "\n");
}

static void queue_input(struct console *c, char ch)
{
	c->in[c->in_off + c->in_len++] = ch;
}

/*
 * Move typed bytes into the pending input, watching for the escape
 * sequence.  Returns true if the user asked to detach (the bytes before
 * the sequence are queued).
 */
static bool filter_input(struct console *c, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = buf[i];

		if (c->escape_held) {
			c->escape_held = false;
			if (ch == '.')
				return true;
			queue_input(c, (char)c->escape);
			c->line_start = false;
		} else if (c->escape != ESCAPE_NONE && c->line_start &&
			   (unsigned char)ch == c->escape) {
			c->escape_held = true;
			continue;
		}
		queue_input(c, ch);
		c->line_start = ch == '\r' || ch == '\n';
	}
	return false;
}

/* 1: go on; 0: the namespace is gone (end of file); -1: an error (reported). */
static int copy_output(struct console *c)
{
	char buf[16384];
	ssize_t n = read(c->host, buf, sizeof(buf));

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 1;
		cmd_error("reading tty %lu of pid %d: %m", c->n, (int)c->pid);
		return -1;
	}
	if (n == 0)
		return 0;
	c->last_activity = now_ms();
	if (vtty_write_for(STDOUT_FILENO, buf, (size_t)n, INT_MAX) != n) {
		cmd_error("writing the output: %m");
		return -1;
	}
	return 1;
}

/* Send what the host fd accepts of the pending input: 0, or -1 on an error. */
static int send_input(struct console *c)
{
	ssize_t n = write(c->host, c->in + c->in_off, c->in_len);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		if (errno == EIO) {	/* the namespace died: its output ends soon */
			c->input_gone = true;
			c->in_off = c->in_len = 0;
			return 0;
		}
		cmd_error("writing to tty %lu of pid %d: %m", c->n, (int)c->pid);
		return -1;
	}
	c->in_off += (size_t)n;
	c->in_len -= (size_t)n;
	if (!c->in_len)
		c->in_off = 0;
	c->last_activity = now_ms();
	return 0;
}

/* 1: go on; 0: detach; -1: an error (reported). */
static int read_input(struct console *c)
{
	char buf[sizeof(c->in)];
	size_t room;
	ssize_t n;

	if (c->in_off) {
		memmove(c->in, c->in + c->in_off, c->in_len);
		c->in_off = 0;
	}
	room = sizeof(c->in) - c->in_len;
	/* A held escape character may come out with the next byte: room for two. */
	n = read(STDIN_FILENO, buf, room - 1);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 1;
		if (errno != EIO) {	/* EIO: our terminal hung up, an end too */
			cmd_error("reading stdin: %m");
			return -1;
		}
		n = 0;
	}
	if (n == 0) {
		c->stdin_eof = true;
		if (c->escape_held)
			queue_input(c, (char)c->escape);
		c->escape_held = false;
		c->last_activity = now_ms();
		return 1;
	}
	if (filter_input(c, buf, (size_t)n))
		return 0;
	if (c->input_gone)
		c->in_len = 0;
	return 1;
}

static struct timespec *ms_to_timespec(int ms, struct timespec *ts)
{
	if (ms < 0)
		return NULL;
	ts->tv_sec = ms / 1000;
	ts->tv_nsec = (long)(ms % 1000) * 1000000;
	return ts;
}

/*
 * Milliseconds ppoll may wait: forever (-1) until stdin ended, then until
 * the linger time after the last activity; 0 when it is over.
 */
static int wait_ms(const struct console *c)
{
	int64_t left;

	if (!c->stdin_eof)
		return -1;
	left = c->last_activity + c->linger_ms - now_ms();
	return left > 0 ? (int)left : 0;
}

/* Act on the signals caught: true if one asks to end. */
static bool handle_signals(struct console *c)
{
	if (got_quit)
		return true;
	if (got_winch) {
		got_winch = 0;
		forward_winsize(c);
	}
	return false;
}

/* The copy loop.  Returns the exit status, or 128 + a signal that ended it. */
static int run(struct console *c, const sigset_t *waitmask)
{
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = c->host, .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = 0 },
		};
		struct timespec ts;
		int timeout, ret, err;

		if (handle_signals(c))
			return 128 + got_quit;
		if (c->in_len && !c->input_gone)
			p[0].events |= POLLOUT;
		if (!c->stdin_eof && c->in_len + 2 <= sizeof(c->in))
			p[1].events = POLLIN;
		timeout = wait_ms(c);
		if (timeout == 0) {
			if (c->in_len && !c->input_gone)
				return cmd_error("%zu bytes of input were not accepted by tty %lu of "
						 "pid %d (does anything read it?)",
						 c->in_len, c->n, (int)c->pid);
			return 0;
		}
		ret = ppoll(p, p[1].events ? 2 : 1, ms_to_timespec(timeout, &ts), waitmask);
		err = errno;
		/*
		 * A resize reported with input ready is passed on before that
		 * input: what the user types after resizing sees the new size.
		 */
		if (handle_signals(c))
			return 128 + got_quit;
		if (ret < 0) {
			if (err == EINTR)
				continue;
			return cmd_error("poll: %s", strerror(err));
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ret = copy_output(c);
			if (ret <= 0) {
				if (ret == 0)
					notice(c, c->raw ? "\r\n[container console closed]" :
					       "[container console closed]");
				return ret ? 1 : 0;
			}
		}
		if ((p[0].revents & POLLOUT) && c->in_len && send_input(c))
			return 1;
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ret = read_input(c);
			if (ret < 0)
				return 1;
			if (ret == 0) {
				if (c->in_len && !c->input_gone)
					vtty_write_for(c->host, c->in + c->in_off, c->in_len,
						       DETACH_FLUSH_MS);
				notice(c, "\r\n[detached]");
				return 0;
			}
		}
	}
}

/* Block the signals run() handles; @waitmask gets the mask for ppoll. */
static void setup_signals(sigset_t *waitmask)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is an error of write() */
}

static int attach(struct console *c)
{
	struct impl_vtty_devs d;
	int fd;

	if (get_terminals(c->pid, &d))
		return 1;
	if (c->n > d.count)
		return cmd_error("pid %d's namespace has %u terminals (1..%u), no tty %lu",
				 (int)c->pid, d.count, d.count, c->n);
	fd = vtty_attach(c->pid, (unsigned int)c->n - 1, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);
	if (fd == -EBUSY)
		return cmd_error("tty %lu of pid %d is already attached", c->n, (int)c->pid);
	if (fd < 0)
		return cmd_error("attaching to tty %lu of pid %d: %s", c->n, (int)c->pid,
				 ctl_strerror(-fd));
	c->host = fd;
	return 0;
}

static int console(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "escape", required_argument, NULL, 'e' },
		{ "linger", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct console c = {
		.n = 1, .host = -1, .escape = 0x1b, .line_start = true,
		.linger_ms = DEFAULT_LINGER_MS,
	};
	unsigned long v;
	sigset_t waitmask;
	char name[8];
	int opt, status;

	while ((opt = getopt_long(argc, argv, "e:l:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'e':
			c.escape = parse_escape(optarg);
			if (c.escape == -2)
				return cmd_usage_error(&devnsctl_console, "bad escape character '%s'",
						       optarg);
			break;
		case 'l':
			if (parse_uint(optarg, 0, INT_MAX, &v))
				return cmd_usage_error(&devnsctl_console, "bad linger time '%s'",
						       optarg);
			c.linger_ms = (int)v;
			break;
		case 'q':
			c.quiet = true;
			break;
		case 'h':
			cmd_usage(&devnsctl_console, stdout);
			return 0;
		default:
			return cmd_usage_error(&devnsctl_console, "bad option");
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return cmd_usage_error(&devnsctl_console, "expected <pid> [N]");
	if (parse_pid(argv[optind], &c.pid))
		return cmd_usage_error(&devnsctl_console, "bad pid '%s'", argv[optind]);
	if (argc - optind == 2 && parse_uint(argv[optind + 1], 1, UINT_MAX, &c.n))
		return cmd_usage_error(&devnsctl_console, "bad terminal number '%s' (1 is the console)",
				       argv[optind + 1]);
	if (attach(&c))
		return 1;
	c.tty = isatty(STDIN_FILENO);
	if (!c.tty)
		c.escape = ESCAPE_NONE;
	setup_signals(&waitmask);
	if (c.tty) {
		if (set_raw(&c)) {
			close(c.host);
			return 1;
		}
		forward_winsize(&c);
		if (!c.quiet) {
			if (c.escape == ESCAPE_NONE)
				fprintf(stderr, "Attached to tty %lu of pid %d (no escape sequence)\r\n",
					c.n, (int)c.pid);
			else
				fprintf(stderr, "Attached to tty %lu of pid %d (type %s . at the "
					"start of a line to detach)\r\n", c.n, (int)c.pid,
					escape_name(c.escape, name, sizeof(name)));
		}
	}
	status = run(&c, &waitmask);
	restore_terminal(&c);
	close(c.host);
	if (status > 128) {		/* ended by a signal: die of it, as without us */
		signal(status - 128, SIG_DFL);
		sigprocmask(SIG_SETMASK, &waitmask, NULL);
		raise(status - 128);
	}
	return status;
}

const struct devnsctl_cmd devnsctl_console = {
	.name = "console",
	.args = "[-e C] [-l MS] [-q] <pid> [N]",
	.summary = "attach to a container's console or terminal N (like vzctl console)",
	.run = console,
	.help = console_help,
};
