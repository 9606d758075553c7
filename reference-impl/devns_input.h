/* SPDX-License-Identifier: GPL-2.0 */
/* Virtual input (devns_input.c): the host's keyboards and mice for the active dev_ns. */
#ifndef DEVNS_INPUT_H
#define DEVNS_INPUT_H

struct devns_input_inject;

int devns_input_init(void);
void devns_input_exit(void);
/* DEVNS_IOC_INPUT_INJECT (the caller is the host): 0 or -errno. */
int devns_input_inject(const struct devns_input_inject *req);

#endif /* DEVNS_INPUT_H */
