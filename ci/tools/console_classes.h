/* console_classes.h - which kernel console lines are "badness", and of which
 * class. The classes follow rcutorture's console-badness.sh and syzkaller's
 * Linux report types; the strings are the ones printed by Linux 6.1/6.12.
 *
 * A line is first reduced to its message (console_message()): a leading
 * "<N>" syslog level, a "[ 12.345678]" timestamp and a "[ T123]"/"[ C1]"
 * caller id are skipped. */
#ifndef DEVNS_CI_CONSOLE_CLASSES_H
#define DEVNS_CI_CONSOLE_CLASSES_H

/* Start of the message text inside a console line. */
const char *console_message(const char *line);
/* Class name of a badness line ("warning", "oops", ...) or NULL when the
 * message is clean. "Call Trace:" lines are not
 * classified here (see console_is_call_trace()). */
const char *console_classify(const char *msg);
int console_is_call_trace(const char *msg);
/* A message that starts a benign stack dump (sysrq, workqueue dump, ...):
 * the Call Trace lines after it are not badness. */
int console_is_benign_dump(const char *msg);
/* The suite's kmsg marker "devns-suite: running <prog>": returns <prog>. */
const char *console_suite_marker(const char *msg);
/* The marker "devns-suite: finished <prog>: <result>" after a program. */
int console_is_end_marker(const char *msg);
/* The banner printed once per boot ("Linux version ..."). */
int console_is_boot_banner(const char *msg);

#endif
