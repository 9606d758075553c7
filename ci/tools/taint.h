/* taint.h - decoding of the kernel taint mask (/proc/sys/kernel/tainted).
 * Bit order and letters follow the taint_flags table of kernel/panic.c in
 * Linux 6.12 (bits 0..18: P F S R M B U D A W C I O E L K X T N). */
#ifndef DEVNS_CI_TAINT_H
#define DEVNS_CI_TAINT_H

#define TAINT_BIT_DIE  7 /* D: the kernel oopsed */
#define TAINT_BIT_WARN 9 /* W: the kernel issued a warning */
#define TAINT_BIT_BAD_PAGE 5 /* B: bad page; KASAN reports set it */
#define TAINT_NR_BITS  19

/* Letter of a taint bit, '?' for a bit the table does not know. */
char taint_letter(unsigned bit);
/* Short description of a taint bit ("unknown" past the table). */
const char *taint_meaning(unsigned bit);
/* Writes the letters of every set bit (lowest bit first) into buf, which
 * must hold 65 bytes. Returns buf. */
char *taint_letters(unsigned long mask, char *buf);
/* Non-zero when mask contains W or D: a failure for the suite. */
int taint_is_bad(unsigned long mask);

#endif
