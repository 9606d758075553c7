// SPDX-License-Identifier: GPL-2.0
/* Helpers for the vtty suite's behaviour tests (see vtty_world.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vtty_world.h"

struct vt_shm {
	struct vt_write req;		/* vt_ct_write's request and answer */
	struct vt_job job[VT_MAX_JOBS];
};

static struct vt_shm *shm;
static struct vt_job *self_job;
/* The jobs of vt_spawn(), in the test's own memory (their fds are its). */
static struct job jobs[VT_MAX_JOBS];

/* Mapped before main(), so that forks and containers started later share it. */
static void __attribute__((constructor)) vt_map_shm(void)
{
	shm = ct_shared_map(sizeof(*shm));
}

/* ---- test data ------------------------------------------------------- */

/* A byte of every value in every 256-byte stretch, scrambled by @seed. */
static uint8_t binary_byte(unsigned int seed, uint64_t i)
{
	uint64_t x = (i + seed * 0x9e3779b97f4a7c15ULL) * 0xff51afd7ed558ccdULL;

	return (uint8_t)(i ^ (x >> 56) ^ (i >> 8) * 0x3b);
}

void vt_binary(void *buf, size_t len, unsigned int seed, uint64_t offset)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = binary_byte(seed, offset + i);
}

void vt_fill(int data, void *buf, size_t len, unsigned int seed, uint64_t offset)
{
	if (data == VT_BINARY)
		vt_binary(buf, len, seed, offset);
	else
		vtty_pattern(buf, len, seed, offset);
}

long vt_check(int data, const void *buf, size_t len, unsigned int seed, uint64_t offset)
{
	const uint8_t *p = buf;
	size_t i;

	if (data != VT_BINARY)
		return vtty_pattern_check(buf, len, seed, offset);
	for (i = 0; i < len; i++) {
		if (p[i] != binary_byte(seed, offset + i))
			return (long)i;
	}
	return -1;
}

/* ---- output written in a container ------------------------------------ */

struct vt_write vt_write_pattern(const char *path, unsigned int seed, uint64_t len, uint32_t chunk)
{
	struct vt_write w;

	memset(&w, 0, sizeof(w));
	snprintf(w.path, sizeof(w.path), "%s", path);
	w.data = VT_PATTERN;
	w.seed = seed;
	w.len = len;
	w.chunk = chunk;
	return w;
}

struct vt_write vt_write_text(const char *path, const char *text)
{
	struct vt_write w;

	memset(&w, 0, sizeof(w));
	snprintf(w.path, sizeof(w.path), "%s", path);
	snprintf(w.text, sizeof(w.text), "%s", text);
	w.data = VT_TEXT;
	return w;
}

const char *vt_write_step_name(int step)
{
	static const char *const names[] = {
		[VT_W_OK] = "ok", [VT_W_OPEN] = "open", [VT_W_RAW] = "cfmakeraw",
		[VT_W_ALLOC] = "malloc", [VT_W_WRITE] = "write", [VT_W_POLL] = "poll",
		[VT_W_TCDRAIN] = "tcdrain", [VT_W_TCSETSW] = "TCSETSW", [VT_W_CLOSE] = "close",
		[VT_W_STOPPED] = "stopped",
	};

	return step >= 0 && step <= VT_W_STOPPED ? names[step] : "?";
}

static int fail(struct vt_write *w, int step, int err)
{
	w->step = step;
	w->err = err;
	return -err;
}

/* When a call started: for how long it took and whether it slept. */
struct call_start {
	int64_t ms;
	long sleeps;
};

static struct call_start call_start(void)
{
	return (struct call_start){ .ms = now_ms(), .sleeps = voluntary_switches() };
}

static void note_call(struct vt_write *w, struct call_start start)
{
	int64_t ms = now_ms() - start.ms;

	if (ms > w->slowest_ms)
		w->slowest_ms = ms;
	if (voluntary_switches() != start.sleeps)
		w->slept++;
}

static int make_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -errno;
	cfmakeraw(&t);
	return tcsetattr(fd, TCSANOW, &t) ? -errno : 0;
}

/* The size of the next write() call of @w, @left bytes to go. */
static size_t next_chunk(const struct vt_write *w, uint64_t left)
{
	uint64_t n = w->chunk ? w->chunk : left;

	if (w->chunk && w->vary)
		n = w->calls % w->chunk + 1;
	return (size_t)(n < left ? n : left);
}

static int write_all(int fd, struct vt_write *w, const char *buf)
{
	uint64_t len = w->data == VT_TEXT && !w->len ? strlen(w->text) : w->len;

	while (w->done < len) {
		size_t n = next_chunk(w, len - w->done);
		struct call_start start = call_start();
		ssize_t r = write(fd, buf + w->done, n);

		note_call(w, start);
		w->calls++;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fail(w, VT_W_WRITE, errno);
		if ((size_t)r < n)
			w->short_calls++;
		w->done += (uint64_t)r;
	}
	return 0;
}

static int drain_checks(int fd, struct vt_write *w)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	struct termios t;
	struct call_start start;

	if (poll(&p, 1, 0) < 0)
		return fail(w, VT_W_POLL, errno);
	w->revents = p.revents;
	if (!(p.revents & POLLOUT))
		return fail(w, VT_W_POLL, EAGAIN);
	start = call_start();
	if (tcdrain(fd))
		return fail(w, VT_W_TCDRAIN, errno);
	note_call(w, start);
	if (tcgetattr(fd, &t))
		return fail(w, VT_W_TCSETSW, errno);
	start = call_start();
	if (tcsetattr(fd, TCSADRAIN, &t))	/* the TCSETSW ioctl */
		return fail(w, VT_W_TCSETSW, errno);
	note_call(w, start);
	return 0;
}

int vt_write_fd(int fd, struct vt_write *w)
{
	char *buf = w->text;
	int ret;

	w->step = VT_W_OK;
	w->err = 0;
	w->done = 0;
	w->calls = w->short_calls = 0;
	w->slowest_ms = 0;
	w->slept = 0;
	if (w->data != VT_TEXT) {
		buf = malloc(w->len ? w->len : 1);
		if (!buf)
			return fail(w, VT_W_ALLOC, ENOMEM);
		vt_fill(w->data, buf, w->len, w->seed, w->offset);
	}
	ret = write_all(fd, w, buf);
	if (!ret && w->drain_checks)
		ret = drain_checks(fd, w);
	if (buf != w->text)
		free(buf);
	return ret;
}

static int open_for(struct vt_write *w)
{
	int fd = open(w->path, O_RDWR | O_NOCTTY | O_CLOEXEC | w->oflags);

	if (fd < 0)
		return fail(w, VT_W_OPEN, errno);
	if (w->raw) {
		int ret = make_raw(fd);

		if (ret) {
			close(fd);
			return fail(w, VT_W_RAW, -ret);
		}
	}
	return fd;
}

int vt_write_here(struct vt_write *w)
{
	int fd = open_for(w), ret;

	if (fd < 0)
		return fd;
	ret = vt_write_fd(fd, w);
	if (close(fd) && !ret)
		ret = fail(w, VT_W_CLOSE, errno);
	return ret;
}

static int write_in_ct(long unused)
{
	(void)unused;
	vt_write_here(&shm->req);
	return 0;
}

int vt_ct_write(struct ct *ct, struct vt_write *w, int timeout_ms)
{
	struct job a;
	int ret;

	shm->req = *w;
	shm->req.step = VT_W_OPEN;
	shm->req.err = EPROTO;		/* unless the process in the container answers */
	ret = job_start(&a, ct, write_in_ct, 0);
	if (ret)
		return ret;
	ret = job_join(&a, timeout_ms);
	*w = shm->req;
	if (ret == -ETIMEDOUT)
		return ret;
	return ret ? (ret < 0 ? ret : -EPROTO) : 0;
}

/* ---- background jobs ---------------------------------------------------- */

struct vt_job *vt_job(int id)
{
	return id >= 0 && id < VT_MAX_JOBS ? &shm->job[id] : NULL;
}

struct vt_job *vt_self(void)
{
	return self_job;
}

void vt_job_stop(int id)
{
	flag_post(&shm->job[id].stop, 1);
}

/* In the job's process: its slot, then fn; the result is posted for vt_job(). */
static int run_job(long id)
{
	struct vt_job *j = &shm->job[id];

	self_job = j;
	j->result = j->fn(j->arg);
	flag_post(&j->done, 1);
	return j->result;
}

int vt_spawn(struct ct *ct, ct_fn fn, long arg)
{
	struct vt_job *j = NULL;
	int id, ret;

	for (id = 0; id < VT_MAX_JOBS; id++) {
		if (!shm->job[id].fn) {
			j = &shm->job[id];
			break;
		}
	}
	if (!j)
		return -ENOSPC;
	j->fn = fn;
	j->arg = arg;
	ret = job_start(&jobs[id], ct, run_job, id);
	if (ret)
		return ret;
	j->pid = jobs[id].pid;
	return id;
}

int vt_job_wait(int id, int timeout_ms)
{
	return job_join(&jobs[id], timeout_ms);
}

void vt_jobs_reset(void)
{
	int id;

	for (id = 0; id < VT_MAX_JOBS; id++)
		job_kill(&jobs[id]);
	memset(shm->job, 0, sizeof(shm->job));
}

/* ---- the agent ---------------------------------------------------------- */

static void count_signal(int sig)
{
	if (self_job && sig > 0 && sig < 65)
		__atomic_add_fetch(&self_job->agent.sigs[sig], 1, __ATOMIC_SEQ_CST);
}

static int catch_signals(void)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGWINCH, SIGCONT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	}
	/* A background process group must still be able to read and write. */
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	return 0;
}

static int agent_open(struct vt_agent *a)
{
	int fd, ret;

	ret = catch_signals();
	if (ret)
		return ret;
	if (a->ctty && setsid() < 0)
		return -errno;
	fd = open(a->path, O_RDWR | O_CLOEXEC | (a->ctty ? 0 : O_NOCTTY));
	if (fd < 0)
		return -errno;
	if (a->raw) {
		ret = make_raw(fd);
		if (ret) {
			close(fd);
			return ret;
		}
	}
	return fd;
}

static pid_t pgrp_of(int fd, bool ctty)
{
	pid_t p;

	if (!ctty)
		return 0;
	p = tcgetpgrp(fd);
	return p < 0 ? -errno : p;
}

/* read() @fd into a->data until a->want bytes (0: one read), end of file or an error. */
static void read_into(int fd, struct vt_agent *a)
{
	do {
		size_t room = sizeof(a->data) - a->got;
		ssize_t n;

		if (!room)
			break;
		if (a->want && a->want - a->got < room)
			room = a->want - a->got;
		n = read(fd, a->data + a->got, room);
		if (n < 0 && errno == EINTR)
			continue;
		a->last = n < 0 ? -errno : (int)n;
		if (n > 0)
			a->got += (uint32_t)n;
		flag_post(&a->reads, a->reads + 1);
		if (n <= 0)
			break;
	} while (a->got < a->want);
}

static int agent_main(long unused)
{
	struct vt_agent *a = &self_job->agent;
	struct pollfd p;
	int fd;

	(void)unused;
	fd = agent_open(a);
	if (fd < 0) {
		a->open_err = fd;
		flag_post(&a->opened, 1);
		return 1;
	}
	a->sid = getsid(0);
	tcgetattr(fd, &a->tio_open);
	a->pgrp_open = pgrp_of(fd, a->ctty);
	ioctl(fd, TIOCGWINSZ, &a->ws_open);
	flag_post(&a->opened, 1);
	if (a->gated)
		flag_wait(&a->go, 1, INT_MAX);

	read_into(fd, a);

	a->tio_end_err = tcgetattr(fd, &a->tio_end) ? -errno : 0;
	a->pgrp_end = pgrp_of(fd, a->ctty);
	ioctl(fd, TIOCGWINSZ, &a->ws_end);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	p.revents = 0;
	poll(&p, 1, 0);
	a->revents_end = p.revents;
	flag_post(&a->finished, 1);
	if (a->hold)
		flag_wait(&self_job->stop, 1, INT_MAX);
	close(fd);
	return 0;
}

/* A free job slot with its agent part cleared, or -ENOSPC. */
static int free_agent_slot(void)
{
	int id;

	for (id = 0; id < VT_MAX_JOBS; id++) {
		if (!shm->job[id].fn) {
			memset(&shm->job[id].agent, 0, sizeof(shm->job[id].agent));
			return id;
		}
	}
	return -ENOSPC;
}

int vt_agent_start(struct ct *ct, const struct vt_agent *in)
{
	struct vt_agent *a;
	int id = free_agent_slot();

	if (id < 0)
		return id;
	a = &shm->job[id].agent;
	memcpy(a->path, in->path, sizeof(a->path));
	a->ctty = in->ctty;
	a->raw = in->raw;
	a->hold = in->hold;
	a->gated = in->gated;
	a->want = in->want;
	return vt_spawn(ct, agent_main, 0);
}

static int host_reader_main(long fd)
{
	struct vt_agent *a = &self_job->agent;

	flag_post(&a->opened, 1);
	read_into((int)fd, a);
	flag_post(&a->finished, 1);
	return 0;
}

int vt_reader_start(int fd, uint32_t want)
{
	int id = free_agent_slot();

	if (id < 0)
		return id;
	shm->job[id].agent.want = want;
	return vt_spawn(NULL, host_reader_main, fd);
}

int vt_agent_opened(int id, int timeout_ms)
{
	struct vt_agent *a = &shm->job[id].agent;

	if (flag_wait(&a->opened, 1, timeout_ms))
		return -ETIMEDOUT;
	return a->open_err;
}

void vt_agent_go(int id)
{
	flag_post(&shm->job[id].agent.go, 1);
}

/* ---- the writer --------------------------------------------------------- */

static int writer_main(long unused)
{
	struct vt_write *w = &self_job->write;
	struct pollfd p;
	char *buf;
	int fd;

	(void)unused;
	fd = open_for(w);
	if (fd < 0)
		return 1;
	buf = malloc(w->chunk ? w->chunk : 1);
	if (!buf) {
		close(fd);
		fail(w, VT_W_ALLOC, ENOMEM);
		return 1;
	}
	while (!w->len || w->done < w->len) {
		size_t n = w->chunk;
		ssize_t r;

		if (__atomic_load_n(&self_job->stop, __ATOMIC_SEQ_CST)) {
			if (w->len)
				fail(w, VT_W_STOPPED, 0);
			break;
		}
		if (w->len && w->len - w->done < n)
			n = (size_t)(w->len - w->done);
		vt_fill(w->data, buf, n, w->seed, w->offset + w->done);
		r = write(fd, buf, n);
		w->calls++;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fail(w, VT_W_WRITE, errno);
			break;
		}
		if ((size_t)r < n)
			w->short_calls++;
		w->done += (uint64_t)r;
		flag_post(&self_job->progress, (uint32_t)w->done);
		p.fd = fd;
		p.events = POLLOUT;
		p.revents = 0;
		if (poll(&p, 1, 0) < 0 || (p.revents & (POLLHUP | POLLERR))) {
			w->revents = p.revents;
			fail(w, VT_W_POLL, EIO);
			break;
		}
		if (w->pause_us)
			usleep(w->pause_us);
	}
	free(buf);
	close(fd);
	return w->step ? 1 : 0;
}

int vt_writer_start(struct ct *ct, const struct vt_write *in)
{
	int id;

	for (id = 0; id < VT_MAX_JOBS; id++) {
		if (!shm->job[id].fn)
			break;
	}
	if (id == VT_MAX_JOBS)
		return -ENOSPC;
	shm->job[id].write = *in;
	shm->job[id].write.step = VT_W_OK;
	shm->job[id].write.err = 0;
	shm->job[id].write.done = 0;
	shm->job[id].write.calls = shm->job[id].write.short_calls = 0;
	if (!shm->job[id].write.chunk)
		shm->job[id].write.chunk = 64;
	return vt_spawn(ct, writer_main, 0);
}

/* ---- counters ------------------------------------------------------------ */

struct vttys_wait {
	long want;
	struct impl_report *r;
};

static int vttys_reached(void *arg)
{
	struct vttys_wait *w = arg;
	int ret = impl()->report(w->r);

	return ret ? ret : w->r->vttys == w->want;
}

int vt_wait_vttys(long want, int timeout_ms, struct impl_report *r)
{
	struct vttys_wait w = { .want = want, .r = r };

	if (!impl()->report)
		return -EOPNOTSUPP;
	return poll_until(vttys_reached, &w, timeout_ms);
}

long vt_vttys_settled(int timeout_ms)
{
	struct impl_vtty_devs d;
	struct impl_report r;
	int ret = vtty_devices(0, &d);

	if (ret)
		return ret;
	ret = vt_wait_vttys(1, timeout_ms, &r);
	if (ret == -ETIMEDOUT)
		return r.vttys;
	return ret ? ret : 1;
}

/* ---- a test's world -------------------------------------------------------- */

void vt_world_setup(struct vt_world *w)
{
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	w->nct = 0;
	for (int i = 0; i < VT_MAX_FD; i++)
		w->fd[i] = -1;
	vt_jobs_reset();
}

void vt_world_teardown(struct vt_world *w)
{
	vt_jobs_reset();
	for (int i = 0; i < VT_MAX_FD; i++) {
		if (w->fd[i] >= 0)
			close(w->fd[i]);
	}
	for (int i = 0; i < w->nct; i++)
		ct_stop(&w->ct[i]);
}

bool vt_keep_fd(struct vt_world *w, int fd)
{
	for (int i = 0; i < VT_MAX_FD; i++) {
		if (w->fd[i] < 0) {
			w->fd[i] = fd;
			return true;
		}
	}
	return false;
}

int vt_close_fd(struct vt_world *w, int fd)
{
	for (int i = 0; i < VT_MAX_FD; i++) {
		if (w->fd[i] == fd)
			w->fd[i] = -1;
	}
	return close(fd) ? -errno : 0;
}
