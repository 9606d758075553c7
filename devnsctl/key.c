// SPDX-License-Identifier: GPL-2.0
/*
 * devnsctl key <pid>|host KEY [down|up] and devnsctl type <pid>|host TEXT:
 * key events into a namespace's virtual input (SPEC 8), active or passive,
 * through the host's injection, as if its keyboard had typed them.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <linux/input.h>
#include <string.h>
#include <unistd.h>

#include "devnsctl.h"
#include "impl.h"
#include "keys.h"

static void key_help(FILE *out)
{
	fprintf(out,
		"Presses KEY in the device namespace of <pid> (a process of the container,\n"
		"as the host sees it; \"host\" for the host's own): its readers of\n"
		"/dev/vinput0 get the key's press and release, whether the namespace is\n"
		"active or passive.  With \"down\" or \"up\", only that half: a key held\n"
		"down is released in the namespace when it is switched away.  KEY is one\n"
		"character or one of shift, ctrl, alt, rightshift, rightctrl, rightalt,\n"
		"enter, esc, tab, space, backspace, delete, left, right, up, down, home,\n"
		"end, pageup, pagedown.\n");
}

static void type_help(FILE *out)
{
	fprintf(out,
		"Types TEXT (letters, digits, space and , . / ; - =) into the device\n"
		"namespace of <pid> (\"host\": the host's own), key by key, with shift for\n"
		"capital letters.\n");
}

/* The command's control handle and target, or an error status (> 0). */
static int open_target(const struct devnsctl_cmd *cmd, const char *target, pid_t *pid, int *ctl)
{
	if (parse_target(target, pid))
		return cmd_usage_error(cmd, "bad pid '%s'", target);
	if (!impl()->input_inject)
		return cmd_error("the %s implementation has no virtual input", impl()->name);
	*ctl = impl()->open_ctl();
	if (*ctl < 0)
		return cmd_error("opening the control device: %s", ctl_strerror(-*ctl));
	return 0;
}

/* Send @code @down (1), up (0) or both (-1): 0, or an error status. */
static int send(int ctl, pid_t pid, uint16_t code, int down)
{
	int ret = down ? key_send(ctl, pid, code, 1) : 0;

	if (!ret && down != 1)
		ret = key_send(ctl, pid, code, 0);
	return ret ? cmd_error("pid %d: %s", (int)pid, ctl_strerror(-ret)) : 0;
}

static int key(int argc, char **argv)
{
	int ctl, ret, down = -1;
	uint16_t code;
	pid_t pid;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_usage(&devnsctl_key, stdout);
		return 0;
	}
	if (argc < 3 || argc > 4)
		return cmd_usage_error(&devnsctl_key, "expected <pid>|host KEY [down|up]");
	code = keycode_named(argv[2]);
	if (!code)
		return cmd_usage_error(&devnsctl_key, "unknown key '%s'", argv[2]);
	if (argc == 4 && strcmp(argv[3], "down") && strcmp(argv[3], "up"))
		return cmd_usage_error(&devnsctl_key, "'%s': down or up", argv[3]);
	if (argc == 4)
		down = !strcmp(argv[3], "down");
	ret = open_target(&devnsctl_key, argv[1], &pid, &ctl);
	if (ret)
		return ret;
	ret = send(ctl, pid, code, down);
	close(ctl);
	return ret;
}

static int type(int argc, char **argv)
{
	int ctl, ret = 0;
	const char *c;
	pid_t pid;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		cmd_usage(&devnsctl_type, stdout);
		return 0;
	}
	if (argc != 3)
		return cmd_usage_error(&devnsctl_type, "expected <pid>|host TEXT");
	for (c = argv[2]; *c; c++)
		if (!keycode_of((unsigned char)*c))
			return cmd_usage_error(&devnsctl_type, "cannot type '%c'", *c);
	ret = open_target(&devnsctl_type, argv[1], &pid, &ctl);
	if (ret)
		return ret;
	for (c = argv[2]; *c && !ret; c++) {
		bool upper = isupper((unsigned char)*c);

		if (upper)
			ret = send(ctl, pid, KEY_LEFTSHIFT, 1);
		if (!ret)
			ret = send(ctl, pid, keycode_of((unsigned char)*c), -1);
		if (!ret && upper)
			ret = send(ctl, pid, KEY_LEFTSHIFT, 0);
	}
	close(ctl);
	return ret;
}

const struct devnsctl_cmd devnsctl_key = {
	.name = "key",
	.args = "<pid>|host KEY [down|up]",
	.summary = "press (or hold, or release) a key in a namespace, active or passive",
	.run = key,
	.help = key_help,
};

const struct devnsctl_cmd devnsctl_type = {
	.name = "type",
	.args = "<pid>|host TEXT",
	.summary = "type text into a namespace, active or passive",
	.run = type,
	.help = type_help,
};
