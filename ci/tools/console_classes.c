/* console_classes.c - see console_classes.h. */
#include "console_classes.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

enum where { AT_START, ANYWHERE };

struct pattern {
	const char *class;
	enum where where;
	const char *text;
};

/* First match wins, so specific patterns come before generic ones. */
static const struct pattern patterns[] = {
	{ "panic", ANYWHERE, "Kernel panic - not syncing" },
	{ "panic", ANYWHERE, "PANIC: double fault" },
	{ "kasan", AT_START, "BUG: KASAN:" },
	{ "kfence", AT_START, "BUG: KFENCE:" },
	{ "kcsan", AT_START, "BUG: KCSAN:" },
	{ "kmsan", AT_START, "BUG: KMSAN:" },
	{ "ubsan", ANYWHERE, "UBSAN:" },
	{ "soft-lockup", ANYWHERE, "BUG: soft lockup" },
	{ "hard-lockup", ANYWHERE, "Watchdog detected hard LOCKUP" },
	{ "lockup", ANYWHERE, "BUG: workqueue lockup" },
	{ "lockdep", AT_START, "WARNING: possible circular locking dependency" },
	{ "lockdep", AT_START, "WARNING: possible recursive locking" },
	{ "lockdep", AT_START, "INFO: possible recursive locking" },
	{ "lockdep", AT_START, "INFO: possible circular locking dependency" },
	{ "lockdep", AT_START, "WARNING: inconsistent lock state" },
	{ "lockdep", AT_START, "WARNING: possible irq lock inversion" },
	{ "lockdep", AT_START, "WARNING: bad unlock balance" },
	{ "lockdep", AT_START, "WARNING: held lock freed" },
	{ "lockdep", AT_START, "WARNING: lock held when returning to user space" },
	{ "lockdep", AT_START, "WARNING: suspicious RCU usage" },
	{ "lockdep", AT_START, "WARNING: Nested lock was not taken" },
	{ "lockdep", ANYWHERE, "-unsafe lock order detected" },
	{ "lockdep", ANYWHERE, "still has locks held!" },
	{ "lockdep", AT_START, "INFO: trying to register non-static key" },
	{ "lockdep", AT_START, "BUG: MAX_LOCKDEP" },
	{ "rcu-stall", ANYWHERE, "self-detected stall on CPU" },
	{ "rcu-stall", ANYWHERE, "detected stalls on CPUs/tasks" },
	{ "rcu-stall", ANYWHERE, "detected expedited stalls on CPUs/tasks" },
	{ "rcu-stall", ANYWHERE, "detected stall, but suppressed" },
	{ "rcu-stall", ANYWHERE, "kthread starved for" },
	{ "hung-task", ANYWHERE, "blocked for more than" },
	{ "gpf", ANYWHERE, "general protection fault" },
	{ "bug", ANYWHERE, "kernel BUG at" },
	{ "oops", ANYWHERE, "Unable to handle kernel" },
	{ "oops", ANYWHERE, "Oops:" },
	{ "bug", AT_START, "BUG:" },
	{ "bug", ANYWHERE, "BUG kmalloc-" },
	{ "warning", AT_START, "WARNING:" },
	{ "fault", AT_START, "invalid opcode:" },
	{ "fault", AT_START, "divide error:" },
	{ "fault", AT_START, "stack segment:" },
	{ "refcount", ANYWHERE, "unregister_netdevice: waiting for" },
};

/* Messages after which a "Call Trace:" is an on-request dump. */
static const char *const benign_dumps[] = {
	"sysrq: ",
	"Showing busy workqueues",
	"Showing all locks held",
};

static const char marker[] = "devns-suite: running ";
static const char end_marker[] = "devns-suite: finished ";

static const char *skip_bracket(const char *p)
{
	const char *q = p;

	while (*q == ' ')
		q++;
	if (*q != '[')
		return p;
	q = strchr(q, ']');
	if (!q)
		return p;
	q++;
	while (*q == ' ')
		q++;
	return q;
}

/* Returns what follows "[...]" at p when the text inside the brackets starts
 * with a digit (timestamp) or with T/C and a digit (caller id). */
static const char *skip_prefix(const char *p, int caller_id)
{
	const char *q = p;

	while (*q == ' ')
		q++;
	if (*q++ != '[')
		return p;
	while (*q == ' ')
		q++;
	if (caller_id) {
		if (*q != 'T' && *q != 'C')
			return p;
		q++;
	}
	if (!isdigit((unsigned char)*q))
		return p;
	return skip_bracket(p);
}

const char *console_message(const char *line)
{
	const char *p = line;

	if (p[0] == '<' && isdigit((unsigned char)p[1])) {
		const char *q = strchr(p, '>');

		if (q && q - p <= 4)
			p = q + 1;
	}
	p = skip_prefix(p, 0);
	return skip_prefix(p, 1);
}

static int contains_any(const char *msg, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(msg, list[i]))
			return 1;
	return 0;
}

const char *console_classify(const char *msg)
{
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
		const struct pattern *p = &patterns[i];
		int hit = p->where == AT_START ?
			!strncmp(msg, p->text, strlen(p->text)) :
			strstr(msg, p->text) != NULL;

		if (hit)
			return p->class;
	}
	return NULL;
}

int console_is_call_trace(const char *msg)
{
	return strstr(msg, "Call Trace:") != NULL;
}

int console_is_benign_dump(const char *msg)
{
	return contains_any(msg, benign_dumps,
			    sizeof(benign_dumps) / sizeof(benign_dumps[0]));
}

const char *console_suite_marker(const char *msg)
{
	const char *p = strstr(msg, marker);

	return p ? p + sizeof(marker) - 1 : NULL;
}

int console_is_end_marker(const char *msg)
{
	return strstr(msg, end_marker) != NULL;
}

int console_is_boot_banner(const char *msg)
{
	return !strncmp(msg, "Linux version ", 14);
}
