/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devns virtual terminals (SPEC.md section 4): the container side is a tty
 * driver, the host side an fd from the control device.
 */
#ifndef DEVNS_VTTY_H
#define DEVNS_VTTY_H

struct seq_file;
struct devns_vtty_devices;
struct devns_vtty_attach;

int devns_vtty_init(void);
void devns_vtty_exit(void);
/* Control device ioctls; the caller checked the privilege. */
int devns_vtty_get_devices(struct devns_vtty_devices *req);
int devns_vtty_attach_fd(const struct devns_vtty_attach *req);
/* /proc/devns lines (the core mutex is held). */
void devns_vtty_show(struct seq_file *m);

#endif /* DEVNS_VTTY_H */
