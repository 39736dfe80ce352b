// SPDX-License-Identifier: MIT
/*
 * printk: format, filter by level, write to the serial console.
 *
 * Every line printed also goes into a ring buffer (the last CONSOLE_LOG_SIZE
 * bytes) with a monotonic byte position, so self-tests can check that a
 * misuse report was printed (ktest_console_mark/ktest_console_contains).
 * The console log level decides only what is written to the serial port:
 * the ring and the self-tests' report accounting (ktest_console_text) see
 * every message, and the runner's KTAP lines are always written.
 * One lock serialises output so lines from different CPUs do not interleave.
 */
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kernel/ktest.h"
#include "kernel/logbuf.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/spinlock.h"

#define CONSOLE_LOG_SIZE 65536

int console_loglevel = LOGLEVEL_DEFAULT;

static spinlock_t printk_lock = SPINLOCK_INIT;
static char log_storage[CONSOLE_LOG_SIZE];
static struct logbuf console_log = LOGBUF_INIT(log_storage);

/*
 * Store one message of level @level (-1: it had no KERN_* marker, which
 * counts as LOGLEVEL_DEFAULT - 1, as in Linux) in the ring, show it to the
 * self-tests' report accounting, and print it if @always_shown or the
 * console level lets it through: the level decides only what is shown.
 */
static void console_emit(bool always_shown, int level, const char *text, size_t len)
{
	unsigned long flags;

	if (level < 0)
		level = LOGLEVEL_DEFAULT - 1;
	spin_lock_irqsave(&printk_lock, flags);
	logbuf_store(&console_log, text, len);
	ktest_console_text(text, len);
	if (always_shown || level <= console_loglevel)
		serial_write(text, len);
	spin_unlock_irqrestore(&printk_lock, flags);
}

/* libkmm's console hook (arch/x86_64/mm_port.c): its messages, as printk's. */
void printk_emit(int level, const char *text, unsigned long len)
{
	console_emit(false, level, text, (size_t)len);
}

static int vprintk_console(bool always_shown, const char *fmt, va_list ap)
{
	char buf[1024];
	const char *text = buf;
	bool marked;
	int level, len;

	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	level = printk_strip_level(&text, &len, -1, &marked);
	console_emit(always_shown, level, text, (size_t)len);
	return len;
}

int vprintk(const char *fmt, va_list ap)
{
	return vprintk_console(false, fmt, ap);
}

int ktest_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk_console(true, fmt, ap);
	va_end(ap);
	return n;
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
	return READ_ONCE(console_log.pos);
}

bool ktest_console_contains(unsigned long mark, const char *text)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&printk_lock, flags);
	n = logbuf_count(&console_log, mark, text);
	spin_unlock_irqrestore(&printk_lock, flags);
	return n > 0;
}
