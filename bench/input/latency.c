// SPDX-License-Identifier: GPL-2.0
/*
 * latency: what routing the host's keyboard to a namespace costs (SPEC 8).
 *
 *   input_latency (us, lower): a uinput device on the host sends an event
 *     every millisecond (1 kHz); a reader blocked in read() records the
 *     time from just before the uinput write() to its read's return.
 *     Variants: native-evdev (the device's own event node read on the
 *     host, the host active) and vinput (a container's /dev/vinput0, the
 *     container active).  One sample per event (p99 in bench.json).
 *   input_write (us, lower): the uinput write() itself, which returns once
 *     every handler had the event: host-active (passed through) and
 *     ns-active (routed to the namespace's readers).
 *
 *   input_latency_over_native, input_write_over_host (x, lower): the
 *     median of each vinput (ns-active) batch of events over that of the
 *     native (host-active) batch sent just before it: paired ratios, which
 *     the guest's speed of the moment under TCG does not move.
 *
 * The event is a relative move whose value is its sequence number; the
 * writer keeps each one's start time in memory shared with the reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "container.h"
#include "impl.h"
#include "input.h"
#include "job.h"

#define SLOTS		1024		/* start times kept, by sequence number */
#define EVENTS_PER_SAMPLE 50

struct shared {
	volatile uint64_t start[SLOTS];	/* CLOCK_MONOTONIC ns of event seq % SLOTS */
	volatile uint64_t seen[SLOTS];	/* latency the reader measured, ns (0: none) */
	volatile int ready;
};

static struct bench_opts o;
static struct shared *sh;

static const char usage[] =
	"Usage: latency [options]\n"
	"Input routing (SPEC 8).  input_latency (us, lower): a uinput device on the\n"
	"host sends an event every millisecond; a reader blocked in read() records\n"
	"the time from just before the uinput write() to its read's return:\n"
	"native-evdev (the device's event node, the host active) and vinput (a\n"
	"container's /dev/vinput0, the container active).  input_write (us,\n"
	"lower): the uinput write() itself, host-active and ns-active.  Runs as\n"
	"root in the guest with devns.ko loaded (modprobe uinput and evdev).\n";

/* A reader of @arg's device node (a host path or the container's vinput): until 2 s of silence. */
static int reader(long path)
{
	int fd = open((const char *)path, O_RDONLY | O_CLOEXEC);
	struct input_event ev[16];

	if (fd < 0)
		return 100;
	sh->ready = 1;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 2000) != 1)
			break;
		n = read(fd, ev, sizeof(ev));
		if (n < 0)
			return 101;
		for (ssize_t i = 0; i < n / (ssize_t)sizeof(ev[0]); i++)
			if (ev[i].type == EV_REL && ev[i].value > 0) {
				int s = ev[i].value % SLOTS;

				sh->seen[s] = bench_now_ns() - sh->start[s];
			}
	}
	close(fd);
	return 0;
}

/* The medians of one batch of events. */
struct batch {
	double lat_us, write_us;
};

/* @n events at 1 kHz; latency and write samples into the points. */
static int send_events(struct uinput_dev *u, const char *variant, const char *mode, int n,
		       struct batch *b)
{
	struct bench_point *lat = bench_point("input_latency", variant, "us", BENCH_LOWER,
					      "\"rate_hz\":%d", 1000);
	struct bench_point *wr = bench_point("input_write", mode, "us", BENCH_LOWER,
					     "\"rate_hz\":%d", 1000);
	size_t lat0 = bench_count(lat), wr0 = bench_count(wr);
	static int seq = 1;
	int i, first = seq, got = 0;
	struct timespec gap = { 0, 1000000 }, settle = { 0, 100000000 };

	if (n > SLOTS)
		n = SLOTS;
	for (i = 0; i < n; i++)
		sh->seen[(first + i) % SLOTS] = 0;
	for (i = 0; i < n; i++, seq++) {
		uint64_t t0 = bench_now_ns();

		sh->start[seq % SLOTS] = t0;
		if (uinput_emit(u, EV_REL, REL_X, seq, 1))
			return -errno;
		bench_add(wr, (double)(bench_now_ns() - t0) / 1e3);
		nanosleep(&gap, NULL);
	}
	nanosleep(&settle, NULL);	/* the last reads */
	for (i = 0; i < n; i++) {
		uint64_t ns = sh->seen[(first + i) % SLOTS];

		if (ns) {
			bench_add(lat, (double)ns / 1e3);
			got++;
		}
	}
	bench_progress("%s: %d of %d events read", variant, got, n);
	b->lat_us = bench_median_since(lat, lat0);
	b->write_us = bench_median_since(wr, wr0);
	return got == n ? 0 : -EIO;
}

/* Run the reader @fn of @path (in @ct, or on the host) while sending. */
static int measure(struct uinput_dev *u, struct ct *ct, const char *path, const char *variant,
		   const char *mode, struct batch *b)
{
	int total = (int)(o.warmup + o.samples) * EVENTS_PER_SAMPLE, ret;
	struct job j = { .fd = -1 };

	sh->ready = 0;
	ret = job_start(&j, ct, reader, (long)path);
	if (ret)
		return ret;
	for (int i = 0; i < 2000 && !sh->ready; i++)
		usleep(1000);
	usleep(20000);	/* the reader reaches its poll() */
	ret = send_events(u, variant, mode, total, b);
	if (!ret)
		ret = job_join(&j, 10000);
	job_kill(&j);
	return ret;
}

int main(int argc, char **argv)
{
	static char node[300];
	static char vinput[64];
	struct uinput_dev u = { .fd = -1 };
	struct ct c = { 0 };
	int ctl = -1, ret;

	bench_parse(argc, argv, &o, usage, NULL, NULL);
	sh = ct_shared_map(sizeof(*sh));
	if (!impl_has(IMPL_CAP_INPUT)) {
		bench_device("vinput", "", false, "implementation %s has no virtual input",
			     impl()->name);
		return bench_finish();
	}
	ret = uinput_create(&u, "devns-bench keyboard");
	if (ret) {
		bench_device("uinput", "/dev/uinput", false, "%s", strerror(-ret));
		bench_finish();
		return 1;
	}
	snprintf(node, sizeof(node), "%s", u.node);
	snprintf(vinput, sizeof(vinput), "%s", impl()->device("input"));
	bench_device("uinput", node, true, "a relative pointer at 1 kHz");
	ctl = impl()->open_ctl();
	ret = ctl < 0 ? ctl : ct_start(&c, CT_CLONE, NULL);
	for (unsigned int round = 0; !ret && round < 2; round++) {
		struct batch native, routed;

		/* interleaved: native, routed, native, routed */
		ret = impl()->activate(ctl, getpid(), 0);
		if (!ret)
			ret = measure(&u, NULL, node, "native-evdev", "host-active", &native);
		if (!ret)
			ret = impl()->activate(ctl, c.pid, 0);
		if (!ret)
			ret = measure(&u, &c, vinput, "vinput", "ns-active", &routed);
		if (!ret && native.lat_us > 0 && native.write_us > 0) {
			bench_add_state(bench_point("input_latency_over_native", "vinput", "x",
						    BENCH_LOWER, "\"rate_hz\":%d", 1000),
					routed.lat_us / native.lat_us);
			bench_add_state(bench_point("input_write_over_host", "ns-active", "x",
						    BENCH_LOWER, "\"rate_hz\":%d", 1000),
					routed.write_us / native.write_us);
		}
	}
	bench_device("vinput", vinput, !ret, "%s", ret ? strerror(-ret) : "read in a container");
	if (ctl >= 0) {
		impl()->activate(ctl, getpid(), 0);
		close(ctl);
	}
	ct_stop(&c);
	uinput_destroy(&u);
	return bench_finish() || ret ? 1 : 0;
}
