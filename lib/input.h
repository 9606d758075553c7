/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Input devices for tests and tools: a uinput keyboard and mouse on the
 * host (what a real one would send through the input core), and reading
 * struct input_event records with a deadline.  Every function returns 0 (or
 * a count) or -errno.
 */
#ifndef DEVNS_LIB_INPUT_H
#define DEVNS_LIB_INPUT_H

#include <linux/input.h>
#include <stdint.h>

struct uinput_dev {
	int fd;			/* /dev/uinput, -1: none */
	char node[300];		/* its /dev/input/eventN */
};

/*
 * A keyboard with letters, shift and space, a left button and a relative
 * pointer, named @name (modprobe uinput first if needed).
 */
int uinput_create(struct uinput_dev *u, const char *name);
/* One event, then (@syn) a SYN_REPORT. */
int uinput_emit(struct uinput_dev *u, uint16_t type, uint16_t code, int32_t value, int syn);
void uinput_destroy(struct uinput_dev *u);

/*
 * Read events from @fd (O_NONBLOCK or not) until @max arrived or
 * @timeout_ms passed: the count (0 to @max), or -errno on a read error.
 */
int input_read_events(int fd, struct input_event *ev, int max, int timeout_ms);
/* Whether @fd has nothing to read right now (a non-blocking read: EAGAIN). */
int input_none_pending(int fd);

#endif /* DEVNS_LIB_INPUT_H */
