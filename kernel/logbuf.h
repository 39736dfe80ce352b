/* SPDX-License-Identifier: MIT */
/*
 * The console's memory: the last LOGBUF bytes printed, with a position that
 * only grows, so a test can ask "was this printed since then?". Shared by the
 * kernel's printk (kernel/printk.c) and the host tests' (tests/host/port.c);
 * each serialises calls with its own lock.
 */
#ifndef KERNEL_LOGBUF_H
#define KERNEL_LOGBUF_H

#include "kmm/types.h"

struct logbuf {
	char *buf;
	unsigned long size;
	unsigned long pos; /* bytes ever stored */
};

#define LOGBUF_INIT(storage) { (storage), sizeof(storage), 0 }

/*
 * Split the KERN_* marker off a formatted message: advances *@text and
 * shortens *@len past it, and returns its level, or @dflt when it has none
 * (*@marked then false).
 */
int printk_strip_level(const char **text, int *len, int dflt, bool *marked);

/* Record @n bytes of @s. */
void logbuf_store(struct logbuf *lb, const char *s, size_t n);

/* How often @text was stored since @mark (as far as the ring still holds). */
unsigned int logbuf_count(const struct logbuf *lb, unsigned long mark,
			  const char *text);

#endif /* KERNEL_LOGBUF_H */
