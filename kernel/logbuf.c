// SPDX-License-Identifier: MIT
/* The console's ring of recent output (see logbuf.h). */
#include "kernel/logbuf.h"
#include "kmm/printk.h"
#include "kmm/string.h"

int printk_strip_level(const char **text, int *len, int dflt, bool *marked)
{
	const char *t = *text;
	int level = dflt;

	*marked = false;
	if (*len >= 2 && t[0] == KERN_SOH[0] && t[1]) {
		if (t[1] >= '0' && t[1] <= '7')
			level = t[1] - '0';
		*marked = true;
		*text += 2;
		*len -= 2;
	}
	return level;
}

void logbuf_store(struct logbuf *lb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		lb->buf[(lb->pos + i) % lb->size] = s[i];
	lb->pos += n;
}

unsigned int logbuf_count(const struct logbuf *lb, unsigned long mark,
			  const char *text)
{
	size_t tlen = strlen(text), i;
	unsigned long p, end = lb->pos;
	unsigned int n = 0;

	if (!tlen)
		return 0;
	if (mark > end || end - mark > lb->size)
		mark = end > lb->size ? end - lb->size : 0;
	for (p = mark; p + tlen <= end;) {
		for (i = 0; i < tlen; i++)
			if (lb->buf[(p + i) % lb->size] != text[i])
				break;
		if (i == tlen) {
			n++;
			p += tlen;
		} else {
			p++;
		}
	}
	return n;
}
