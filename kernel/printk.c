// SPDX-License-Identifier: MIT
/*
 * printk: format, filter by level, write to the serial console.
 *
 * Every line printed also goes into a ring buffer (the last CONSOLE_LOG_SIZE
 * bytes) with a monotonic byte position, so self-tests can check that a
 * misuse report was printed (ktest_console_mark/ktest_console_contains).
 * One lock serialises output so lines from different CPUs do not interleave.
 */
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kernel/ktest.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/spinlock.h"

#define CONSOLE_LOG_SIZE 65536

int console_loglevel = LOGLEVEL_DEFAULT;

static spinlock_t printk_lock = SPINLOCK_INIT;
static char log_buf[CONSOLE_LOG_SIZE];
static unsigned long log_pos; /* bytes ever logged */

static void log_store(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		log_buf[(log_pos + i) % CONSOLE_LOG_SIZE] = s[i];
	log_pos += n;
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[1024];
	const char *text = buf;
	int level = LOGLEVEL_DEFAULT - 1; /* default message level: KERN_WARNING-ish */
	unsigned long flags;
	int len;

	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	if (text[0] == KERN_SOH[0] && text[1]) {
		if (text[1] >= '0' && text[1] <= '7')
			level = text[1] - '0';
		text += 2;
		len -= 2;
	}
	if (level > console_loglevel)
		return 0;
	spin_lock_irqsave(&printk_lock, flags);
	log_store(text, (size_t)len);
	serial_write(text, (size_t)len);
	spin_unlock_irqrestore(&printk_lock, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

unsigned long ktest_console_mark(void)
{
	return log_pos;
}

bool ktest_console_contains(unsigned long mark, const char *text)
{
	size_t tlen = strlen(text);
	unsigned long start = mark, end = log_pos, p;
	size_t i;

	if (end - start > CONSOLE_LOG_SIZE)
		start = end - CONSOLE_LOG_SIZE;
	for (p = start; p + tlen <= end; p++) {
		for (i = 0; i < tlen; i++)
			if (log_buf[(p + i) % CONSOLE_LOG_SIZE] != text[i])
				break;
		if (i == tlen)
			return true;
	}
	return false;
}
