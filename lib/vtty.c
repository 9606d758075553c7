// SPDX-License-Identifier: GPL-2.0
/* Virtual terminal helpers (see vtty.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtty.h"

int vtty_devices(pid_t pid, struct impl_vtty_devs *d)
{
	int ctl, ret;

	if (!impl()->vtty_devices)
		return -EOPNOTSUPP;
	ctl = impl()->open_ctl();
	if (ctl < 0)
		return ctl;
	ret = impl()->vtty_devices(ctl, pid, d);
	close(ctl);
	return ret;
}

int vtty_attach(pid_t pid, unsigned int index, unsigned int flags)
{
	int ctl, ret;

	if (!impl()->vtty_attach)
		return -EOPNOTSUPP;
	ctl = impl()->open_ctl();
	if (ctl < 0)
		return ctl;
	ret = impl()->vtty_attach(ctl, pid, index, flags);
	close(ctl);
	return ret;
}

int vtty_info(int host_fd, struct impl_vtty_info *info)
{
	if (!impl()->vtty_info)
		return -EOPNOTSUPP;
	return impl()->vtty_info(host_fd, info);
}

const char *vtty_node(const struct impl_vtty_devs *d, unsigned int n, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/vtty%u", d->first_index + n);
	return buf;
}

const char *vtty_ct_path(unsigned int n, char *buf, size_t len)
{
	if (n == 0)
		snprintf(buf, len, "/dev/console");
	else
		snprintf(buf, len, "/dev/tty%u", n + 1);
	return buf;
}

/* In the forked child: enter @pid's mount namespace and bind every node. */
static int bind_all(pid_t pid, const struct impl_vtty_devs *d)
{
	char src[64], dst[64];
	unsigned int n;
	int ret = ns_enter(pid, CLONE_NEWNS);

	for (n = 0; !ret && n < d->count; n++) {
		vtty_node(d, n, src, sizeof(src));
		ret = bind_node(src, vtty_ct_path(n, dst, sizeof(dst)));
		if (!ret && n == 0)
			ret = bind_node(src, "/dev/tty1");
	}
	return ret;
}

int vtty_bind_consoles(pid_t pid, const struct impl_vtty_devs *d)
{
	int status;
	pid_t child = fork();

	if (child < 0)
		return -errno;
	if (child == 0)
		_exit(-bind_all(pid, d) & 0xff);
	while (waitpid(child, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (!WIFEXITED(status))
		return -EINTR;
	return -WEXITSTATUS(status);
}

int vtty_setup(struct ct *ct, struct impl_vtty_devs *d)
{
	struct impl_vtty_devs devs;
	int ret;

	ret = ct_private_mounts(ct);
	if (!ret)
		ret = vtty_devices(ct->pid, &devs);
	if (!ret)
		ret = vtty_bind_consoles(ct->pid, &devs);
	if (!ret && d)
		*d = devs;
	return ret;
}

/* Milliseconds left until @deadline (now_ms() based), at least 0. */
static int left_ms(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/* Wait for @events on @fd until @deadline: 1 ready (or error/hangup), 0 timeout, -errno. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int n = poll(&p, 1, left_ms(deadline));

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return -errno;
	}
}

ssize_t vtty_read_for(int fd, void *buf, size_t want, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	char *p = buf;
	size_t got = 0;

	while (got < want) {
		ssize_t n;
		int ready = wait_fd(fd, POLLIN, deadline);

		if (ready < 0)
			return got ? (ssize_t)got : ready;
		if (ready == 0)
			break;
		n = read(fd, p + got, want - got);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return got ? (ssize_t)got : -errno;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Length of the longest suffix of @text (@len bytes) that is a proper
 * prefix of @needle (@nlen bytes).
 */
static size_t partial_match(const char *text, size_t len, const char *needle, size_t nlen)
{
	size_t k = len < nlen ? len : nlen - 1;

	for (; k > 0; k--) {
		if (!memcmp(text + len - k, needle, k))
			return k;
	}
	return 0;
}

/*
 * Reads never go past the needle: with k bytes of it already matched at
 * the end of what was read, it cannot end before nlen - k more bytes, so
 * that is all we read.  The bytes after it stay for the next caller.
 */
int vtty_expect(int fd, const char *needle, int timeout_ms, char *seen, size_t seen_len)
{
	int64_t deadline = now_ms() + timeout_ms;
	size_t nlen = strlen(needle), tail = 0, shown = 0;
	int ret = -ETIMEDOUT;
	char *win;

	if (seen && seen_len)
		seen[0] = '\0';
	if (nlen == 0)
		return 0;
	win = malloc(2 * nlen);	/* nlen - 1 kept + at most nlen read */
	if (!win)
		return -ENOMEM;
	for (;;) {
		size_t want = nlen - partial_match(win, tail, needle, nlen);
		ssize_t n;
		int ready = wait_fd(fd, POLLIN, deadline);

		if (ready <= 0) {
			ret = ready < 0 ? ready : -ETIMEDOUT;
			break;
		}
		n = read(fd, win + tail, want);
		if (n == 0) {
			ret = -ENODATA;		/* end of file */
			break;
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			ret = -errno;
			break;
		}
		if (seen && shown + 1 < seen_len) {
			size_t c = (size_t)n < seen_len - 1 - shown ? (size_t)n : seen_len - 1 - shown;

			memcpy(seen + shown, win + tail, c);
			shown += c;
			seen[shown] = '\0';
		}
		tail += (size_t)n;
		if (memmem(win, tail, needle, nlen)) {
			ret = 0;
			break;
		}
		/* Keep the last nlen - 1 bytes: a match can start no earlier. */
		if (tail >= nlen) {
			memmove(win, win + tail - (nlen - 1), nlen - 1);
			tail = nlen - 1;
		}
	}
	free(win);
	return ret;
}

ssize_t vtty_drain(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n;
		int ready = wait_fd(fd, POLLIN, now_ms());

		if (ready < 0)
			return got ? (ssize_t)got : ready;
		if (ready == 0)
			break;
		n = read(fd, p + got, len - got);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return got ? (ssize_t)got : -errno;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

ssize_t vtty_write_for(int fd, const void *buf, size_t len, int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n;
		int ready = wait_fd(fd, POLLOUT, deadline);

		if (ready < 0)
			return done ? (ssize_t)done : ready;
		if (ready == 0)
			break;
		n = write(fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

const char *vtty_printable(const void *text, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = text;
	size_t i, o = 0;

	if (!outlen)
		return out;
	for (i = 0; i < len; i++) {
		char esc[8];
		size_t n;

		switch (p[i]) {
		case '\r': strcpy(esc, "\\r"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\t': strcpy(esc, "\\t"); break;
		case 0x1b: strcpy(esc, "\\e"); break;
		case '\\': strcpy(esc, "\\\\"); break;
		default:
			if (p[i] >= ' ' && p[i] <= '~')
				snprintf(esc, sizeof(esc), "%c", p[i]);
			else
				snprintf(esc, sizeof(esc), "\\x%02x", p[i]);
		}
		n = strlen(esc);
		if (o + n >= outlen)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}

/* splitmix64's finalizer: every bit of the input moves every bit of the output. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

char vtty_pattern_byte(unsigned int seed, uint64_t i)
{
	/* '!' .. '~': printable, no space, nothing the line discipline changes. */
	return (char)('!' + mix64(i + 0x9e3779b97f4a7c15ULL * ((uint64_t)seed + 1)) % 94);
}

void vtty_pattern(void *buf, size_t len, unsigned int seed, uint64_t offset)
{
	char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = vtty_pattern_byte(seed, offset + i);
}

long vtty_pattern_check(const void *buf, size_t len, unsigned int seed, uint64_t offset)
{
	const char *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != vtty_pattern_byte(seed, offset + i))
			return (long)i;
	}
	return -1;
}
