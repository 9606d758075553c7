/* taint.c - see taint.h. */
#include "taint.h"

struct taint_bit {
	char letter;
	const char *meaning;
};

static const struct taint_bit bits[TAINT_NR_BITS] = {
	{ 'P', "proprietary module loaded" },
	{ 'F', "module force-loaded" },
	{ 'S', "CPU out of specification" },
	{ 'R', "module force-unloaded" },
	{ 'M', "machine check exception" },
	{ 'B', "bad page referenced" },
	{ 'U', "tainted on user request" },
	{ 'D', "kernel died (oops or BUG)" },
	{ 'A', "ACPI table overridden" },
	{ 'W', "kernel warning" },
	{ 'C', "staging driver loaded" },
	{ 'I', "firmware bug workaround" },
	{ 'O', "out-of-tree module loaded" },
	{ 'E', "unsigned module loaded" },
	{ 'L', "soft lockup" },
	{ 'K', "kernel live-patched" },
	{ 'X', "auxiliary (distribution) taint" },
	{ 'T', "built with struct randomization" },
	{ 'N', "in-kernel test loaded" },
};

char taint_letter(unsigned bit)
{
	return bit < TAINT_NR_BITS ? bits[bit].letter : '?';
}

const char *taint_meaning(unsigned bit)
{
	return bit < TAINT_NR_BITS ? bits[bit].meaning : "unknown";
}

char *taint_letters(unsigned long mask, char *buf)
{
	unsigned n = 0;

	for (unsigned bit = 0; bit < 64 && bit < 8 * sizeof(mask); bit++)
		if (mask & (1UL << bit))
			buf[n++] = taint_letter(bit);
	buf[n] = '\0';
	return buf;
}

int taint_is_bad(unsigned long mask)
{
	return !!(mask & ((1UL << TAINT_BIT_DIE) | (1UL << TAINT_BIT_WARN) |
		    (1UL << TAINT_BIT_BAD_PAGE)));
}
