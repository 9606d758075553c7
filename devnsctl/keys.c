// SPDX-License-Identifier: GPL-2.0
/* Keys for the commands that type into a namespace (see keys.h). */
#include <linux/input.h>
#include <rfb/keysym.h>
#include <string.h>
#include <strings.h>

#include "impl.h"
#include "keys.h"

static const struct {
	const char *name;
	uint32_t sym;
	uint16_t code;
} named[] = {
	{ "space", XK_space, KEY_SPACE }, { "enter", XK_Return, KEY_ENTER },
	{ "backspace", XK_BackSpace, KEY_BACKSPACE }, { "tab", XK_Tab, KEY_TAB },
	{ "esc", XK_Escape, KEY_ESC }, { "delete", XK_Delete, KEY_DELETE },
	{ "shift", XK_Shift_L, KEY_LEFTSHIFT }, { "rightshift", XK_Shift_R, KEY_RIGHTSHIFT },
	{ "ctrl", XK_Control_L, KEY_LEFTCTRL }, { "rightctrl", XK_Control_R, KEY_RIGHTCTRL },
	{ "alt", XK_Alt_L, KEY_LEFTALT }, { "rightalt", XK_Alt_R, KEY_RIGHTALT },
	{ "left", XK_Left, KEY_LEFT }, { "up", XK_Up, KEY_UP }, { "right", XK_Right, KEY_RIGHT },
	{ "down", XK_Down, KEY_DOWN }, { "home", XK_Home, KEY_HOME }, { "end", XK_End, KEY_END },
	{ "pageup", XK_Page_Up, KEY_PAGEUP }, { "pagedown", XK_Page_Down, KEY_PAGEDOWN },
	{ "-", XK_minus, KEY_MINUS }, { "=", XK_equal, KEY_EQUAL }, { ",", XK_comma, KEY_COMMA },
	{ ".", XK_period, KEY_DOT }, { "/", XK_slash, KEY_SLASH }, { ";", XK_semicolon, KEY_SEMICOLON },
};

uint16_t keycode_of(uint32_t sym)
{
	static const char *const rows[] = { "qwertyuiop", "asdfghjkl", "zxcvbnm" };
	static const uint16_t row_start[] = { KEY_Q, KEY_A, KEY_Z };
	size_t i;

	if (sym >= XK_A && sym <= XK_Z)
		sym += XK_a - XK_A;	/* the sender sends shift itself */
	for (i = 0; i < 3 && sym && sym < 0x80; i++) {
		const char *at = strchr(rows[i], (int)sym);

		if (at)
			return (uint16_t)(row_start[i] + (at - rows[i]));
	}
	if (sym >= XK_1 && sym <= XK_9)
		return (uint16_t)(KEY_1 + (sym - XK_1));
	if (sym == XK_0)
		return KEY_0;
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].sym == sym)
			return named[i].code;
	return 0;
}

uint16_t keycode_named(const char *name)
{
	size_t i;

	if (strlen(name) == 1)
		return keycode_of((unsigned char)name[0]);
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcasecmp(named[i].name, name))
			return named[i].code;
	return 0;
}

int key_send(int ctl, pid_t pid, uint16_t code, int down)
{
	const struct impl_input_event ev[2] = {
		{ EV_KEY, code, down }, { EV_SYN, SYN_REPORT, 0 },
	};

	return impl()->input_inject(ctl, pid, ev, 2);
}
