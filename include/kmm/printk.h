/* SPDX-License-Identifier: MIT */
/*
 * printk and friends, with Linux's log levels.
 *
 * A message may start with a KERN_* level marker ("\001" then a digit).
 * Messages above the console log level (loglevel= on the command line) are
 * dropped. The kernel implements printk() on the serial console; host builds
 * implement it on stdout. Both share the formatter in lib/vsprintf.c.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %% with the l, ll, z and h length
 * modifiers, the '0', '-', '+', ' ' and '#' flags, a field width and a
 * precision (also as '*'). Extensions: %pS prints a code address as
 * symbol+offset/size.
 */
#ifndef KMM_PRINTK_H
#define KMM_PRINTK_H

#include <stdarg.h>
#include <stddef.h>
#include "kmm/compiler.h"

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
#define KERN_CONT    KERN_SOH "c"

#define LOGLEVEL_DEFAULT 7

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)   printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)  printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)  printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...) printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)  printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Print a message to the console; returns the number of bytes printed. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

/*
 * Format into @buf (at most @size bytes, always NUL-terminated when size > 0).
 * Returns the length the full output would have had, like C99 snprintf.
 * libkmm's formatter (lib/vsprintf.c), kmm_ prefixed there so that it never
 * collides with another kernel's; kmm's kernel and host tests use it.
 */
#define vsnprintf kmm_vsnprintf
#define snprintf  kmm_snprintf
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Store and print one formatted message of @level (0..7, -1 for none):
 * printk's back end, and libkmm's console hook in the kernel.
 */
void printk_emit(int level, const char *text, unsigned long len);

/* Messages with a level number above this are not printed. */
extern int console_loglevel;

/*
 * Resolve @addr to a symbol name and offset for %pS. Returns false when
 * unknown. Provided by the kernel (kernel/kallsyms.c) or the host port;
 * the formatter asks the port's KMM_HOOK_SYMBOL, which they point here.
 */
bool kallsyms_lookup(unsigned long addr, const char **name,
		     unsigned long *offset, unsigned long *size);

#endif /* KMM_PRINTK_H */
