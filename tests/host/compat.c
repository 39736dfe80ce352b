// SPDX-License-Identifier: MIT
/* What include/kmm/string.h promises that Debian 12's glibc (2.36) lacks. */
#include <string.h>
#include "kmm/string.h"

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len >= size ? size - 1 : len;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
