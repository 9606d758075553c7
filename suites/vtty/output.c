// SPDX-License-Identifier: GPL-2.0
/*
 * VTTY-3, VTTY-4, VTTY-5: container output never blocks and never fails,
 * whether a host is attached or not; the buffer keeps exactly the newest B
 * bytes and counts the rest as dropped; a host that is attached and reads
 * loses nothing.
 */
#include <poll.h>
#include <stdlib.h>

#include "vtty_fixture.h"

#define MiB (1024 * 1024)

/* ---- VTTY-3: output never blocks ---------------------------------------- */

/*
 * Write @len bytes to @path in @ct in write() calls of @chunk bytes (0: one
 * call), with @oflags: the process must finish before the deadline, every
 * call must take its full count, and afterwards poll() must report POLLOUT
 * at once and tcdrain() and TCSETSW must return at once.
 */
static void expect_write_never_blocks(struct __test_metadata *_metadata, struct ct *ct,
				      const char *path, uint64_t len, uint32_t chunk, int oflags)
{
	struct vt_write w = vt_write_pattern(path, 0x3000 + (unsigned int)len, len, chunk);

	char what[96];
	int r;

	snprintf(what, sizeof(what), "%s: %llu bytes in calls of %u%s", path,
		 (unsigned long long)len, chunk, oflags & O_NONBLOCK ? ", O_NONBLOCK" : "");
	w.oflags = oflags;
	w.drain_checks = true;
	/* The deadline proves it: a writer waiting for a host never gets there. */
	r = vt_ct_write(ct, &w, deadline_ms(3000));
	ASSERT_EQ(0, r) TH_LOG("%s: %s", what, r == -ETIMEDOUT ?
			       "did not finish before the deadline (blocked?)" : strerror(-r));
	ASSERT_EQ(VT_W_OK, w.step) TH_LOG("%s: %s failed: %s after %llu bytes", what,
					   vt_write_step_name(w.step), strerror(w.err),
					   (unsigned long long)w.done);
	EXPECT_EQ(len, w.done) TH_LOG("%s", what);
	EXPECT_EQ(0, w.short_calls) TH_LOG("%s: %u of %u write() calls returned less than asked",
					   what, w.short_calls, w.calls);
	EXPECT_TRUE(w.revents & POLLOUT) TH_LOG("%s: no POLLOUT", what);
	/* Returning at once means not waiting: no call slept, however slow the machine. */
	EXPECT_EQ(0, w.slept)
		TH_LOG("%s: %u write, tcdrain or TCSETSW calls slept (the slowest took %lld ms)",
		       what, w.slept, (long long)w.slowest_ms);
}

/* Everything expect_write_never_blocks checks, in blocking and non-blocking mode, many sizes. */
static void expect_output_never_blocks(struct __test_metadata *_metadata, struct ct *ct,
				       const char *path, unsigned int b)
{
	expect_write_never_blocks(_metadata, ct, path, 16ull * b, 0, 0);
	expect_write_never_blocks(_metadata, ct, path, 16ull * b, 0, O_NONBLOCK);
	expect_write_never_blocks(_metadata, ct, path, MiB, 0, 0);
	expect_write_never_blocks(_metadata, ct, path, 4ull * b, 100, O_NONBLOCK);
	expect_write_never_blocks(_metadata, ct, path, 4ull * b, 4096, 0);
}

TEST_F_TIMEOUT(vt, output_never_blocks_without_host, VT_TIMEOUT(40))
{
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	struct ct *a;
	int h;

	REQ("VTTY-3");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	expect_output_never_blocks(_metadata, a, "/dev/console", d.buffer_size);
	expect_output_never_blocks(_metadata, a, "/dev/tty5", d.buffer_size);
	/* It was all output, and the newest B bytes wait. */
	VT_ATTACH(&h, a->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_INFO(h, &info);
	EXPECT_EQ(d.buffer_size, info.buffered);
	EXPECT_EQ(info.written - d.buffer_size, info.dropped);
}

TEST_F_TIMEOUT(vt, output_never_blocks_host_attached_not_reading, VT_TIMEOUT(40))
{
	struct impl_vtty_devs d;
	struct impl_vtty_info info;
	struct pollfd p[2];
	struct ct *a;
	int h0, h2;

	REQ("VTTY-3");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h0, a->pid, 0, 0);				/* blocking fd */
	VT_ATTACH(&h2, a->pid, 2, IMPL_VTTY_NONBLOCK);
	expect_output_never_blocks(_metadata, a, "/dev/console", d.buffer_size);
	expect_output_never_blocks(_metadata, a, "/dev/tty3", d.buffer_size);
	/* The host has a full buffer waiting for it. */
	VT_INFO(h0, &info);
	EXPECT_EQ(d.buffer_size, info.buffered);
	VT_INFO(h2, &info);
	EXPECT_EQ(d.buffer_size, info.buffered);
	p[0] = (struct pollfd){ .fd = h0, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = h2, .events = POLLIN };
	EXPECT_EQ(2, poll(p, 2, 0));
}

/* ---- VTTY-4: the newest bytes are kept ---------------------------------- */

/*
 * Terminal @n of @ct gets @w_len bytes (in calls of @chunk, raw mode and
 * every byte value if @raw) with nobody attached; then a host attaches and
 * must read exactly the last min(W, B) bytes, with written and dropped
 * grown by exactly W and max(0, W - B) since before the writes.
 */
static void expect_newest_kept(struct __test_metadata *_metadata, FIXTURE_DATA(vt) *self,
			       struct ct *ct, const struct impl_vtty_devs *d, unsigned int n,
			       uint64_t w_len, uint32_t chunk, bool raw, unsigned int seed)
{
	uint64_t b = d->buffer_size, keep = w_len < b ? w_len : b;
	struct impl_vtty_info before, after;
	char path[32], what[128], *buf;
	struct vt_write w;
	ssize_t got, more;
	long where;
	int h;

	snprintf(what, sizeof(what), "W = %llu bytes (B = %llu) in calls of %u%s",
		 (unsigned long long)w_len, (unsigned long long)b, chunk,
		 raw ? ", raw, every byte value" : "");
	/* The counters before, from an attach that reads nothing. */
	VT_ATTACH(&h, ct->pid, n, IMPL_VTTY_NONBLOCK);
	VT_INFO(h, &before);
	EXPECT_EQ(0, before.buffered) TH_LOG("%s: output before the test", what);
	VT_CLOSE(&h);

	w = vt_write_pattern(vtty_ct_path(n, path, sizeof(path)), seed, w_len, chunk);
	w.raw = raw;
	w.data = raw ? VT_BINARY : VT_PATTERN;
	VT_CT_WRITE(ct, &w, deadline_ms(3000));
	ASSERT_EQ(w_len, w.done) TH_LOG("%s", what);

	VT_ATTACH(&h, ct->pid, n, IMPL_VTTY_NONBLOCK);
	VT_INFO(h, &after);
	EXPECT_EQ(before.written + w_len, after.written) TH_LOG("%s: written", what);
	EXPECT_EQ(before.dropped + (w_len - keep), after.dropped) TH_LOG("%s: dropped", what);
	EXPECT_EQ(keep, after.buffered) TH_LOG("%s: buffered", what);

	buf = malloc(b + 4096);
	ASSERT_NE(NULL, buf);
	got = vtty_read_for(h, buf, keep, deadline_ms(2000));
	more = vtty_drain(h, buf + (got > 0 ? got : 0), 4096);
	EXPECT_EQ((ssize_t)keep, got) TH_LOG("%s: bytes read", what);
	EXPECT_EQ(0, more) TH_LOG("%s: %zd bytes more than the newest %llu", what, more,
				  (unsigned long long)keep);
	if (got > 0) {
		/* byte i of what is read is byte W - keep + i of what was written */
		where = vt_check(w.data, buf, (size_t)got, seed, w_len - keep);
		EXPECT_EQ(-1, where) TH_LOG("%s: byte %ld read is not byte %llu of the output",
					    what, where, (unsigned long long)(w_len - keep + where));
	}
	free(buf);
	/* Reading changes neither counter. */
	VT_INFO(h, &before);
	EXPECT_EQ(0, before.buffered) TH_LOG("%s: buffered after reading", what);
	EXPECT_EQ(after.written, before.written) TH_LOG("%s: written changed by reading", what);
	EXPECT_EQ(after.dropped, before.dropped) TH_LOG("%s: dropped changed by reading", what);
	VT_CLOSE(&h);
}

TEST_F_TIMEOUT(vt, keeps_everything_below_buffer_size, VT_TIMEOUT(20))
{
	struct impl_vtty_devs d;
	struct ct *a;

	REQ("VTTY-4");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	expect_newest_kept(_metadata, self, a, &d, 0, d.buffer_size / 2 + 7, 0, false, 0x4001);
	expect_newest_kept(_metadata, self, a, &d, 0, 1, 0, false, 0x4002);
	expect_newest_kept(_metadata, self, a, &d, 0, d.buffer_size - 1, 1000, false, 0x4003);
}

TEST_F_TIMEOUT(vt, keeps_exactly_buffer_size, VT_TIMEOUT(20))
{
	struct impl_vtty_devs d;
	struct ct *a;

	REQ("VTTY-4");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	expect_newest_kept(_metadata, self, a, &d, 1, d.buffer_size, 0, false, 0x4101);
	expect_newest_kept(_metadata, self, a, &d, 1, d.buffer_size, 512, false, 0x4102);
}

/* W = B + k in one write, then again on the same terminal: the counters add up. */
TEST_F_TIMEOUT(vt, keeps_newest_when_over_buffer_size, VT_TIMEOUT(20))
{
	struct impl_vtty_devs d;
	struct ct *a;

	REQ("VTTY-4");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	expect_newest_kept(_metadata, self, a, &d, 0, d.buffer_size + 1237, 0, false, 0x4201);
	expect_newest_kept(_metadata, self, a, &d, 0, d.buffer_size + 1, 0, false, 0x4202);
	expect_newest_kept(_metadata, self, a, &d, 3, 3ull * d.buffer_size + 5, 4096, false,
			   0x4203);
}

/* W = 5 B in many small writes, raw mode, every byte value (also '\n', ^S, NUL). */
TEST_F_TIMEOUT(vt, keeps_newest_of_many_small_raw_writes, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct ct *a;

	REQ("VTTY-4");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	expect_newest_kept(_metadata, self, a, &d, 5, 5ull * d.buffer_size, 333, true, 0x4301);
}

/* ---- VTTY-5: an attached reader loses nothing --------------------------- */

/*
 * A host attached before the output reads it only afterwards: B - 1 bytes
 * written by three processes, each in many writes of 1 to 97 bytes, all
 * back to back, must all be there, in order.
 */
TEST_F_TIMEOUT(vt, attached_reader_gets_every_write, VT_TIMEOUT(30))
{
	struct impl_vtty_devs d;
	struct impl_vtty_info before, after;
	uint64_t total, part, off = 0;
	struct ct *a;
	ssize_t got;
	char *buf;
	long where;
	int h, i;

	REQ("VTTY-5");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 0, IMPL_VTTY_NONBLOCK);
	VT_INFO(h, &before);
	total = d.buffer_size - 1;
	for (i = 0; i < 3; i++) {
		struct vt_write w;

		part = i < 2 ? total / 3 : total - off;
		w = vt_write_pattern(i == 1 ? "/dev/tty1" : "/dev/console", 0x5001, part, 97);
		w.vary = true;
		w.offset = off;
		VT_CT_WRITE(a, &w, deadline_ms(6000));
		ASSERT_EQ(part, w.done);
		off += part;
	}
	VT_INFO(h, &after);
	EXPECT_EQ(before.dropped, after.dropped) TH_LOG("output was dropped below B bytes");
	EXPECT_EQ(total, after.buffered);

	buf = malloc(total + 4096);
	ASSERT_NE(NULL, buf);
	got = vtty_read_for(h, buf, total, deadline_ms(2000));
	EXPECT_EQ((ssize_t)total, got);
	EXPECT_EQ(0, vtty_drain(h, buf + (got > 0 ? got : 0), 4096));
	if (got > 0) {
		where = vt_check(VT_PATTERN, buf, (size_t)got, 0x5001, 0);
		EXPECT_EQ(-1, where) TH_LOG("byte %ld differs", where);
	}
	free(buf);
}

/* The paced writer's request and results, and the test's reading progress. */
struct pace {
	struct vt_write w;	/* path, seed, len, chunk; results: step, err, done, short_calls */
	uint32_t window;	/* the writer keeps at most this much unread */
	uint32_t host_read;	/* bytes the host has read (posted) */
	uint32_t written;	/* bytes written (posted) */
};

/* In the container: pace.w's stream, a chunk at a time, at most pace.window ahead of the host. */
static int paced_writer(long unused)
{
	struct pace *p = ct_shared();
	struct vt_write *w = &p->w;
	char *buf = malloc(w->chunk);
	int fd;

	(void)unused;
	fd = open(w->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		w->step = fd < 0 ? VT_W_OPEN : VT_W_ALLOC;
		w->err = fd < 0 ? errno : ENOMEM;
		free(buf);
		return 1;
	}
	while (w->done < w->len) {
		size_t n = w->chunk;
		ssize_t r;

		if (w->len - w->done < n)
			n = (size_t)(w->len - w->done);
		if (w->done + n > p->window &&
		    flag_wait(&p->host_read, (uint32_t)(w->done + n - p->window), deadline_ms(10000))) {
			w->step = VT_W_STOPPED;		/* the host stopped reading */
			break;
		}
		vtty_pattern(buf, n, w->seed, w->done);
		r = write(fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			w->step = VT_W_WRITE;
			w->err = errno;
			break;
		}
		if ((size_t)r < n)
			w->short_calls++;
		w->done += (uint64_t)r;
		flag_post(&p->written, (uint32_t)w->done);
	}
	close(fd);
	free(buf);
	return w->step ? 1 : 0;
}

/*
 * 20 B bytes through one terminal while the host reads with a blocking fd
 * (poll, then read what is there): the writer stays at most B/2 ahead, so
 * nothing may be dropped, and every byte must arrive, in order.
 */
TEST_F_TIMEOUT(vt, paced_long_stream_arrives_complete, VT_TIMEOUT(60))
{
	struct pace *p = ct_shared();
	struct impl_vtty_devs d;
	struct impl_vtty_info before, after;
	struct pollfd pfd;
	uint64_t got = 0;
	int64_t end;
	struct ct *a;
	char *buf;
	int h, id;

	REQ("VTTY-5");
	REQUIRE_CAP(IMPL_CAP_VTTY);
	VT_NEW_CT(&a, &d);
	VT_ATTACH(&h, a->pid, 1, 0);		/* blocking fd */
	VT_INFO(h, &before);
	memset(p, 0, sizeof(*p));
	p->w = vt_write_pattern("/dev/tty2", 0x5101, 20ull * d.buffer_size, d.buffer_size / 8);
	p->window = d.buffer_size / 2;
	buf = malloc(65536);
	ASSERT_NE(NULL, buf);

	id = vt_spawn(a, paced_writer, 0);
	ASSERT_LE(0, id) TH_LOG("starting the writer: %s", strerror(-id));
	end = now_ms() + deadline_ms(30000);
	while (got < p->w.len && now_ms() < end) {
		ssize_t n;
		long where;

		pfd = (struct pollfd){ .fd = h, .events = POLLIN };
		if (poll(&pfd, 1, deadline_ms(200)) <= 0) {
			if (vt_job(id)->done)
				break;		/* the writer ended, nothing more comes */
			continue;
		}
		n = read(h, buf, 65536);
		if (n < 0 && errno == EINTR)
			continue;
		ASSERT_LT(0, n) TH_LOG("host read after %llu bytes: %zd (%s)",
				       (unsigned long long)got, n, n ? strerror(errno) : "end of file");
		where = vt_check(VT_PATTERN, buf, (size_t)n, 0x5101, got);
		ASSERT_EQ(-1, where) TH_LOG("byte %llu of the stream differs (lost output?)",
					    (unsigned long long)(got + where));
		got += (uint64_t)n;
		flag_post(&p->host_read, (uint32_t)got);
	}
	free(buf);
	EXPECT_EQ(p->w.len, got);
	EXPECT_EQ(0, vt_job_wait(id, deadline_ms(5000)))
		TH_LOG("writer: %s failed: %s after %llu bytes", vt_write_step_name(p->w.step),
		       strerror(p->w.err), (unsigned long long)p->w.done);
	EXPECT_EQ(0, p->w.short_calls);
	VT_INFO(h, &after);
	EXPECT_EQ(before.dropped, after.dropped) TH_LOG("output was dropped");
	EXPECT_EQ(before.written + p->w.len, after.written);
	EXPECT_EQ(0, after.buffered);
}

TEST_HARNESS_MAIN
