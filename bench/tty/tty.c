// SPDX-License-Identifier: GPL-2.0
/*
 * Terminal benchmarks (issue 6, part 5): a container's console (vtty
 * terminal 0, the container's /dev/console) against a native pty pair, both
 * between the same container process and the same host process.
 *
 *   tty_throughput  MB/s  the container writes --bytes in --chunk writes, the
 *                         host reads them all (vtty: the attach fd; pty: the
 *                         master); from the host's "go" to its last byte.
 *   tty_roundtrip   us    the host writes 1 byte, the container reads it from
 *                         its terminal and writes it back, the host reads it;
 *                         the mean of --trips round trips.
 *   tty_nohost      MB/s  the same writes as tty_throughput to the console
 *                         with no host attached (the vtty drops them, never
 *                         blocks); from "go" to the writer's "done".
 *
 * Both terminals are raw on the container side (cfmakeraw + tcsetattr by
 * the container process: no echo, no output processing, byte-wise reads);
 * the pty master is made raw by the host too.  The vtty has no termios on
 * the host side.  The vtty keeps only the newest vtty_buffer bytes when
 * the host lags (in a TCG guest the writer usually fills 16 KiB before the
 * host reader even runs), so by default a sample is at most vtty_buffer
 * bytes; a sample in which the vtty dropped bytes anyway (--bytes larger,
 * DEVNS_VTTY_IOC_INFO "dropped" grew) is discarded and retried, and the
 * discarded samples and bytes are in the vtty device record (tty_nohost
 * is not capped: with no host, dropping is the point).  Every point
 * has the module's vtty_buffer in its parameters.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bench.h"
#include "container.h"
#include "impl.h"
#include "job.h"
#include "vtty.h"

static const char usage[] =
	"Usage: tty [options]\n"
	"Terminal throughput and round-trip latency, container <-> host: the container's\n"
	"console (vtty terminal 0) against a native pty pair, and vtty writes with no host\n"
	"attached.  Runs as root with devns.ko loaded; raw JSON lines go to --out.\n"
	"  --chunk N     bytes per write() of the container's writer (default 4096)\n"
	"  --bytes N     bytes per throughput sample (default 1048576, --smoke 262144, or the\n"
	"                vtty's buffer if smaller).  The vtty drops output its host has not\n"
	"                read yet when its buffer (module parameter vtty_buffer, default\n"
	"                16384) is full, and a slow host is the rule in an emulator: load\n"
	"                devns.ko with vtty_buffer=1048576 or more for 1 MiB samples.\n"
	"                tty_nohost writes --bytes or the default, never capped\n"
	"  --trips N     round trips per latency sample (default 200; --smoke: 50)\n"
	"  --retries N   attempts more per throughput sample with vtty drops (default 3)\n";

enum { OPT_CHUNK = 256, OPT_BYTES, OPT_TRIPS, OPT_RETRIES };

static const struct option options[] = {
	{ "chunk", required_argument, NULL, OPT_CHUNK },
	{ "bytes", required_argument, NULL, OPT_BYTES },
	{ "trips", required_argument, NULL, OPT_TRIPS },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ NULL, 0, NULL, 0 },
};

static unsigned long opt_chunk = 4096, opt_bytes, opt_trips, opt_retries = 3;
/* tty_nohost's amount: --bytes or the default, where the vtty's buffer caps opt_bytes. */
static unsigned long nohost_bytes;
/* The module's vtty_buffer, in every point's parameters (0: unknown). */
static unsigned long vtty_buffer;

static int take_option(int val, const char *arg)
{
	unsigned long max = val == OPT_BYTES ? 1ul << 30 : val == OPT_RETRIES ? 100 : 1ul << 24;
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || v > max || (!v && val != OPT_RETRIES))
		return -1;
	if (val == OPT_CHUNK)
		opt_chunk = v;
	else if (val == OPT_BYTES)
		opt_bytes = v;
	else if (val == OPT_TRIPS)
		opt_trips = v;
	else
		opt_retries = v;
	return 0;
}

/*
 * The container process ("agent") takes requests from the host on a
 * SOCK_SEQPACKET pair made before the container, so the agent inherits its
 * end.  Terminal 0 is the console, 1 the pty slave.
 */
enum { TERM_VTTY, TERM_PTY, NTERMS };
static const char *const term_name[NTERMS] = { "vtty", "pty" };

enum agent_op {
	OP_READY,	/* agent -> host: terminals open (status, rdev of each) */
	OP_PREPARE,	/* fill the write buffer: a = bytes, b = seed; answer OP_READY */
	OP_WRITE,	/* term, a = bytes, b = chunk: write, answer OP_DONE */
	OP_ECHO,	/* term, a = trips: answer OP_READY, echo, answer OP_DONE */
	OP_DONE,
	OP_EXIT,
};

struct msg {
	uint32_t op, term;
	int32_t status;		/* 0 or an errno */
	uint32_t pad;
	uint64_t a, b;
	uint64_t rdev[NTERMS];	/* OP_READY after start: what the agent opened */
};

static int agent_sock = -1, host_sock = -1;

/* What the host is doing, for the watchdog's message. */
static const char *volatile phase = "starting";
static volatile pid_t watched_ct;

static void watchdog(int sig)
{
	static const char msg[] = "tty: watchdog: no end in sight, stuck in: ";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) > 0 && write(2, phase, strlen(phase)) > 0)
		(void)write(2, "\n", 1);
	if (watched_ct > 0)
		kill(watched_ct, SIGKILL);
	_exit(3);
}

static int msg_send(int sock, struct msg *m)
{
	ssize_t n;

	do {
		n = send(sock, m, sizeof(*m), MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*m) ? 0 : n < 0 ? -errno : -EIO;
}

/* Receive one message within @timeout_ms (-1: forever). */
static int msg_recv(int sock, struct msg *m, int timeout_ms)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };
	ssize_t n;
	int r;

	do {
		r = poll(&p, 1, timeout_ms);
	} while (r < 0 && errno == EINTR);
	if (r <= 0)
		return r < 0 ? -errno : -ETIMEDOUT;
	do {
		n = recv(sock, m, sizeof(*m), 0);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*m) ? 0 : n < 0 ? -errno : -EPIPE;
}

static int make_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -errno;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSANOW, &t) ? -errno : 0;
}

/* Write all of @len bytes in @chunk writes. */
static int write_chunks(int fd, const char *buf, size_t len, size_t chunk)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < chunk ? len - done : chunk;
		ssize_t w = write(fd, buf + done, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		done += (size_t)w;
	}
	return 0;
}

static int echo_trips(int fd, uint64_t trips)
{
	char c;

	while (trips) {
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			return n < 0 ? errno : EPIPE;
		n = write(fd, &c, 1);
		if (n != 1)
			return n < 0 ? errno : EIO;
		trips--;
	}
	return 0;
}

/* Open terminal @path raw; its fd or -errno, and its device number in *@rdev. */
static int agent_open(const char *path, uint64_t *rdev)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = make_raw(fd);
	if (!ret && fstat(fd, &st))
		ret = -errno;
	if (ret) {
		close(fd);
		return ret;
	}
	*rdev = st.st_rdev;
	return fd;
}

/*
 * The agent, in the container: @arg = pty number << 1 | (open the console),
 * pty number -1 for none.  Returns 0 or an errno.
 */
static int agent(long arg)
{
	struct msg m = { .op = OP_READY };
	int fd[NTERMS] = { -1, -1 };
	char path[64], *buf = NULL;
	size_t len = 0;
	int ret = 0;

	if (arg & 1) {
		fd[TERM_VTTY] = agent_open(vtty_ct_path(0, path, sizeof(path)), &m.rdev[TERM_VTTY]);
		if (fd[TERM_VTTY] < 0)
			ret = -fd[TERM_VTTY];
	}
	if (!ret && arg >> 1 >= 0) {
		snprintf(path, sizeof(path), "/dev/pts/%ld", arg >> 1);
		fd[TERM_PTY] = agent_open(path, &m.rdev[TERM_PTY]);
		if (fd[TERM_PTY] < 0)
			ret = -fd[TERM_PTY];
	}
	m.status = ret;
	if (msg_send(agent_sock, &m) || ret)
		return ret ? ret : EPIPE;
	while (msg_recv(agent_sock, &m, -1) == 0 && m.op != OP_EXIT) {
		int t = m.term < NTERMS ? fd[m.term] : -1;

		switch (m.op) {
		case OP_PREPARE:
			free(buf);
			len = m.a;
			buf = malloc(len ? len : 1);
			if (buf)
				vtty_pattern(buf, len, (unsigned int)m.b, 0);
			m.status = buf ? 0 : ENOMEM;
			m.op = OP_READY;
			break;
		case OP_WRITE:
			m.status = t < 0 ? EBADF : m.a > len ? EINVAL :
				   write_chunks(t, buf, m.a, m.b);
			m.op = OP_DONE;
			break;
		case OP_ECHO:
			m.status = t < 0 ? EBADF : 0;
			m.op = OP_READY;
			if (msg_send(agent_sock, &m))
				return EPIPE;
			if (m.status)
				continue;
			m.status = echo_trips(t, m.a);
			m.op = OP_DONE;
			break;
		default:
			m.status = EINVAL;
			m.op = OP_DONE;
		}
		if (msg_send(agent_sock, &m))
			return EPIPE;
	}
	free(buf);
	return 0;
}

/* ---- host side ---------------------------------------------------------- */

struct setup {
	struct ct ct;
	struct job agent;	/* the agent, a job in the container */
	int host_fd[NTERMS];	/* vtty attach fd, pty master (O_NONBLOCK) */
	int ptyno;
	struct impl_vtty_devs devs;
	unsigned long drop_samples, drop_bytes, nohost_dropped;
	char *rx;		/* host receive buffer, opt_bytes */
	int timeout;		/* ms per operation */
};

/* Ask the agent @m and wait for the answer of type @want: 0 or -errno. */
static int ask(struct setup *s, struct msg *m, enum agent_op want)
{
	int ret = msg_send(host_sock, m);

	if (!ret)
		ret = msg_recv(host_sock, m, s->timeout);
	if (!ret && m->op != want)
		ret = -EPROTO;
	if (!ret && m->status)
		ret = -m->status;
	return ret;
}

static int vtty_attach_host(struct setup *s)
{
	int fd = vtty_attach(s->ct.pid, 0, IMPL_VTTY_NONBLOCK | IMPL_VTTY_CLOEXEC);

	if (fd >= 0)
		s->host_fd[TERM_VTTY] = fd;
	return fd < 0 ? fd : 0;
}

/* Read and forget whatever the vtty holds (after a no-host sample). */
static void vtty_discard(struct setup *s)
{
	while (vtty_drain(s->host_fd[TERM_VTTY], s->rx, opt_bytes) > 0)
		;
}

static int open_pty(struct setup *s)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (grantpt(fd) || unlockpt(fd) || ioctl(fd, TIOCGPTN, &s->ptyno))
		ret = -errno;
	if (!ret)
		ret = make_raw(fd);
	if (ret) {
		close(fd);
		return ret;
	}
	s->host_fd[TERM_PTY] = fd;
	return 0;
}

/* The container with its consoles, the pty, the agent and the attach. */
static int start(struct setup *s)
{
	char node[64], why[160] = "";
	struct msg m;
	int sv[2], ret;
	bool use_vtty = impl_has(IMPL_CAP_VTTY);
	long arg;

	s->host_fd[TERM_VTTY] = s->host_fd[TERM_PTY] = -1;
	s->ptyno = -1;
	ret = open_pty(s);
	if (ret)
		bench_device("pty", "/dev/ptmx", false, "posix_openpt: %s", strerror(-ret));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	host_sock = sv[0];
	agent_sock = sv[1];
	ret = ct_start(&s->ct, CT_CLONE, NULL);
	close(agent_sock);
	if (ret) {
		fprintf(stderr, "tty: starting a container: %s\n", strerror(-ret));
		return ret;
	}
	watched_ct = s->ct.pid;
	if (!use_vtty) {
		snprintf(why, sizeof(why), "the %s adapter has no vtty", impl()->name);
	} else {
		ret = vtty_setup(&s->ct, &s->devs);
		if (ret) {
			snprintf(why, sizeof(why), "vtty_setup: %s", strerror(-ret));
			use_vtty = false;
		}
	}
	arg = (long)s->ptyno * 2 + use_vtty;
	ret = job_start(&s->agent, &s->ct, agent, arg);
	if (ret) {
		fprintf(stderr, "tty: starting the container process: %s\n", strerror(-ret));
		return ret;
	}
	ret = msg_recv(host_sock, &m, s->timeout);
	if (!ret && m.op != OP_READY)
		ret = -EPROTO;
	if (!ret && m.status)
		ret = -m.status;
	if (ret) {
		fprintf(stderr, "tty: the container process did not start: %s\n", strerror(-ret));
		return ret;
	}
	if (use_vtty && (major(m.rdev[TERM_VTTY]) != s->devs.major ||
			 minor(m.rdev[TERM_VTTY]) != s->devs.first_minor)) {
		snprintf(why, sizeof(why), "the container's /dev/console is %u:%u, not %u:%u",
			 major(m.rdev[TERM_VTTY]), minor(m.rdev[TERM_VTTY]),
			 s->devs.major, s->devs.first_minor);
		use_vtty = false;
	}
	if (use_vtty) {
		ret = vtty_attach_host(s);
		if (ret) {
			snprintf(why, sizeof(why), "vtty_attach: %s", strerror(-ret));
			use_vtty = false;
		}
	}
	if (!use_vtty)
		bench_device("vtty", impl()->device("ctl"), false, "%s", why);
	else
		bench_progress("vtty: %s (container /dev/console), vtty_buffer %u",
			       vtty_node(&s->devs, 0, node, sizeof(node)), s->devs.buffer_size);
	if (s->host_fd[TERM_PTY] >= 0)
		bench_device("pty", "/dev/ptmx", true,
			     "/dev/pts/%d opened in the container, raw (cfmakeraw) on both sides",
			     s->ptyno);
	return 0;
}

static void stop(struct setup *s)
{
	struct msg m = { .op = OP_EXIT };
	int t;

	if (host_sock >= 0 && job_running(&s->agent))
		msg_send(host_sock, &m);
	/* the agent returns; if it does not, it is killed */
	job_join(&s->agent, deadline_ms(1000));
	for (t = 0; t < NTERMS; t++)
		if (s->host_fd[t] >= 0)
			close(s->host_fd[t]);
	ct_stop(&s->ct);
	if (host_sock >= 0)
		close(host_sock);
	host_sock = -1;
}

static int vtty_counts(struct setup *s, struct impl_vtty_info *info)
{
	int ret = vtty_info(s->host_fd[TERM_VTTY], info);

	if (ret)
		fprintf(stderr, "tty: vtty_info: %s\n", strerror(-ret));
	return ret;
}

/*
 * Read @want bytes from the host fd (non-blocking) into s->rx; poll when
 * it is empty.  For the vtty, once the writer said done and the fd is
 * empty, nothing more can come (its writes are synchronous): dropped bytes.
 * Returns the bytes read and sets *@end_ns when the last one arrived;
 * *@done tells whether OP_DONE was received.
 */
static ssize_t host_read(struct setup *s, int term, size_t want, uint64_t *end_ns, bool *done)
{
	struct pollfd p[2] = {
		{ .fd = s->host_fd[term], .events = POLLIN },
		{ .fd = host_sock, .events = POLLIN },
	};
	int64_t deadline = now_ms() + s->timeout;
	size_t got = 0;
	struct msg m;

	while (got < want) {
		ssize_t n = read(p[0].fd, s->rx + got, want - got);

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			return n < 0 ? -errno : -EPIPE;
		if (*done && term == TERM_VTTY)
			break;
		if (now_ms() > deadline)
			return -ETIMEDOUT;
		p[1].events = *done ? 0 : POLLIN;
		if (poll(p, 2, 100) > 0 && (p[1].revents & POLLIN)) {
			if (msg_recv(host_sock, &m, 0) || m.op != OP_DONE || m.status)
				return -EPROTO;
			*done = true;
		}
	}
	*end_ns = bench_now_ns();
	return (ssize_t)got;
}

/*
 * One throughput sample of @term: 0 and the rate in *@mbs, 1 when the vtty
 * dropped bytes (not a sample), -errno on failure.
 */
static int throughput_once(struct setup *s, int term, unsigned int seed,
			   struct bench_point *p, double *mbs)
{
	struct msg m = { .op = OP_PREPARE, .a = opt_bytes, .b = seed };
	struct impl_vtty_info before = { 0 }, after = { 0 };
	struct bench_counters c;
	uint64_t t0, t1 = 0;
	bool done = false;
	ssize_t got;
	long bad;
	int ret;

	ret = ask(s, &m, OP_READY);
	if (!ret && term == TERM_VTTY)
		ret = vtty_counts(s, &before);
	if (ret)
		return ret;
	m = (struct msg){ .op = OP_WRITE, .term = term, .a = opt_bytes, .b = opt_chunk };
	phase = term == TERM_VTTY ? "throughput vtty" : "throughput pty";
	bench_counters_start(&c);
	t0 = bench_now_ns();
	ret = msg_send(host_sock, &m);
	got = ret ? ret : host_read(s, term, opt_bytes, &t1, &done);
	bench_counters_stop(&c, p, (opt_bytes + opt_chunk - 1) / opt_chunk);
	if (got < 0)
		return (int)got;
	if (!done && (msg_recv(host_sock, &m, s->timeout) || m.op != OP_DONE || m.status))
		return -EPROTO;
	if (term == TERM_VTTY) {
		ret = vtty_counts(s, &after);
		if (ret)
			return ret;
		if (after.dropped != before.dropped) {
			s->drop_samples++;
			s->drop_bytes += after.dropped - before.dropped;
			bench_progress("vtty dropped %llu bytes (read %zd of %lu): sample retried",
				       (unsigned long long)(after.dropped - before.dropped),
				       got, opt_bytes);
			return 1;
		}
	}
	if ((size_t)got != opt_bytes) {
		fprintf(stderr, "tty: %s: read %zd of %lu bytes\n", term_name[term], got, opt_bytes);
		return -EIO;
	}
	bad = vtty_pattern_check(s->rx, opt_bytes, seed, 0);
	if (bad >= 0) {
		fprintf(stderr, "tty: %s: byte %ld differs from what the container wrote\n",
			term_name[term], bad);
		return -EIO;
	}
	*mbs = (double)opt_bytes * 1e3 / (double)(t1 - t0);
	return 0;
}

static int throughput_sample(struct setup *s, int term, unsigned int *seed)
{
	struct bench_point *p = bench_point("tty_throughput", term_name[term], "MB/s",
					    BENCH_HIGHER, "\"chunk\":%lu,\"bytes\":%lu,\"vtty_buffer\":%lu",
					    opt_chunk, opt_bytes, vtty_buffer);
	unsigned long attempt;
	double mbs = 0;
	int ret = 1;

	for (attempt = 0; ret == 1 && attempt <= opt_retries; attempt++)
		ret = throughput_once(s, term, ++*seed, p, &mbs);
	if (ret == 0)
		bench_add(p, mbs);
	return ret < 0 ? ret : 0;
}

/* The console with no host attached: detach, write, attach again. */
static int nohost_sample(struct setup *s, unsigned int *seed)
{
	struct bench_point *p = bench_point("tty_nohost", "vtty-nohost", "MB/s", BENCH_HIGHER,
					    "\"chunk\":%lu,\"bytes\":%lu,\"vtty_buffer\":%lu",
					    opt_chunk, nohost_bytes, vtty_buffer);
	struct msg m = { .op = OP_PREPARE, .a = nohost_bytes, .b = ++*seed };
	struct impl_vtty_info before, after;
	struct bench_counters c;
	uint64_t t0, t1;
	int ret;

	ret = ask(s, &m, OP_READY);
	if (!ret)
		ret = vtty_counts(s, &before);
	if (ret)
		return ret;
	phase = "nohost";
	close(s->host_fd[TERM_VTTY]);
	s->host_fd[TERM_VTTY] = -1;
	m = (struct msg){ .op = OP_WRITE, .term = TERM_VTTY, .a = nohost_bytes, .b = opt_chunk };
	bench_counters_start(&c);
	t0 = bench_now_ns();
	ret = ask(s, &m, OP_DONE);
	t1 = bench_now_ns();
	bench_counters_stop(&c, p, (nohost_bytes + opt_chunk - 1) / opt_chunk);
	if (!ret)
		ret = vtty_attach_host(s);
	if (!ret)
		ret = vtty_counts(s, &after);
	if (ret)
		return ret;
	s->nohost_dropped += after.dropped - before.dropped;
	vtty_discard(s);
	bench_add(p, (double)nohost_bytes * 1e3 / (double)(t1 - t0));
	return 0;
}

static int roundtrip_sample(struct setup *s, int term)
{
	struct bench_point *p = bench_point("tty_roundtrip", term_name[term], "us", BENCH_LOWER,
					    "\"bytes\":1,\"trips\":%lu,\"vtty_buffer\":%lu",
					    opt_trips, vtty_buffer);
	struct msg m = { .op = OP_ECHO, .term = term, .a = opt_trips };
	struct pollfd pf = { .fd = s->host_fd[term], .events = POLLIN };
	struct bench_counters c;
	uint64_t t0, t1, i;
	char out = 'x', in;
	int ret;

	ret = ask(s, &m, OP_READY);
	if (ret)
		return ret;
	phase = term == TERM_VTTY ? "roundtrip vtty" : "roundtrip pty";
	bench_counters_start(&c);
	t0 = bench_now_ns();
	for (i = 0; i < opt_trips && !ret; i++) {
		out = (char)('a' + i % 26);
		if (write(pf.fd, &out, 1) != 1)
			ret = -errno;
		else if (poll(&pf, 1, s->timeout) != 1)
			ret = -ETIMEDOUT;
		else if (read(pf.fd, &in, 1) != 1)
			ret = -errno;
		else if (in != out)
			ret = -EIO;
	}
	t1 = bench_now_ns();
	bench_counters_stop(&c, p, opt_trips);
	if (ret) {
		fprintf(stderr, "tty: %s round trip %llu: %s\n", term_name[term],
			(unsigned long long)i, strerror(-ret));
		return ret;
	}
	ret = msg_recv(host_sock, &m, s->timeout);
	if (!ret && (m.op != OP_DONE || m.status))
		ret = -EPROTO;
	if (!ret)
		bench_add(p, (double)(t1 - t0) / 1e3 / (double)opt_trips);
	return ret;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	struct setup s;
	unsigned int round, rounds, seed = 0;
	uint64_t t_round;
	int ret = 0, t;
	char node[64];

	bench_parse(argc, argv, &o, usage, options, take_option);
	if (!opt_trips)
		opt_trips = o.smoke ? 50 : 200;
	signal(SIGPIPE, SIG_IGN);
	memset(&s, 0, sizeof(s));
	s.timeout = deadline_ms(5000);
	signal(SIGALRM, watchdog);
	alarm((unsigned int)deadline_ms(o.smoke ? 12000 : 60000) / 1000);
	ret = start(&s);
	if (ret) {
		bench_device("vtty", impl()->device("ctl"), false, "no container: %s",
			     strerror(-ret));
		stop(&s);
		bench_finish();
		return 1;
	}
	nohost_bytes = opt_bytes ? opt_bytes : o.smoke ? 256 * 1024 : 1024 * 1024;
	if (!opt_bytes) {
		opt_bytes = nohost_bytes;
		/* a sample that fits the vtty's buffer cannot lose bytes */
		if (s.host_fd[TERM_VTTY] >= 0 && s.devs.buffer_size < opt_bytes)
			opt_bytes = s.devs.buffer_size;
	}
	s.rx = malloc(opt_bytes);
	if (!s.rx) {
		perror("malloc");
		stop(&s);
		return 2;
	}
	memset(s.rx, 0, opt_bytes);	/* no first-touch faults in the samples */
	vtty_buffer = strtoul(bench_module_param("vtty_buffer", "0"), NULL, 10);
	rounds = o.warmup + o.samples;
	t_round = bench_now_ns();
	bench_progress("%u rounds (%u warm-up) of %lu bytes (no host: %lu) in %lu-byte writes, "
		       "%lu round trips", rounds, o.warmup, opt_bytes, nohost_bytes, opt_chunk,
		       opt_trips);
	for (round = 0; round < rounds && !ret; round++) {
		for (t = 0; t < NTERMS && !ret; t++)
			if (s.host_fd[t] >= 0)
				ret = throughput_sample(&s, t, &seed);
		for (t = 0; t < NTERMS && !ret; t++)
			if (s.host_fd[t] >= 0)
				ret = roundtrip_sample(&s, t);
		if (!ret && s.host_fd[TERM_VTTY] >= 0)
			ret = nohost_sample(&s, &seed);
		bench_progress("round %u/%u done (%.1f s)", round + 1, rounds,
			       (double)(bench_now_ns() - t_round) / 1e9);
		t_round = bench_now_ns();
		phase = "between samples";
	}
	if (s.host_fd[TERM_VTTY] >= 0)
		bench_device("vtty", vtty_node(&s.devs, 0, node, sizeof(node)), !ret,
			     "terminal 0 = container /dev/console, raw (cfmakeraw) in the container, "
			     "vtty_buffer %u; throughput samples retried for drops: %lu (%lu bytes); "
			     "no-host writes dropped: %lu bytes%s",
			     s.devs.buffer_size, s.drop_samples, s.drop_bytes, s.nohost_dropped,
			     ret ? "; the run failed" : "");
	phase = "stopping";
	stop(&s);
	alarm(0);
	if (ret)
		fprintf(stderr, "tty: stopped: %s\n", strerror(-ret));
	return bench_finish() || ret ? 1 : 0;
}
