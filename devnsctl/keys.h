/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keys for the commands that type into a namespace (vnc, key, type): X
 * keysyms (what VNC clients send) and key names as Linux key codes, and
 * sending key events to a namespace's virtual input (SPEC 8).
 */
#ifndef DEVNSCTL_KEYS_H
#define DEVNSCTL_KEYS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* X keysym @sym (a letter, a digit, a named key) as a Linux key code, or 0. */
uint16_t keycode_of(uint32_t sym);
/*
 * A key name as a Linux key code, or 0: one character ("a", "7", " ") or
 * a name ("shift", "ctrl", "alt", "enter", "esc", "tab", "space",
 * "backspace", "left", "right", "up", "down").
 */
uint16_t keycode_named(const char *name);
/* Key @code @down (1), up (0), through control handle @ctl into @pid's namespace: 0 or -errno. */
int key_send(int ctl, pid_t pid, uint16_t code, int down);

#endif /* DEVNSCTL_KEYS_H */
