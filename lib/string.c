// SPDX-License-Identifier: MIT
/*
 * The string functions of include/kmm/string.h, in libkmm: kmm_memset and
 * so on (the header renames them). GCC may also emit calls to plain
 * memset/memcpy/memmove/memcmp on its own, even with -fno-builtin, so those
 * four exist too, as weak aliases: a kernel's own definitions win. Kept
 * simple: rep movsb/stosb are fast on modern x86.
 */
#include "kmm/string.h"
#include "kmm/types.h"

#ifdef KMM_KASAN
/* The checked memset/memcpy/memmove are KASAN's (mm/kasan/shadow.c). */
#undef memset
#undef memcpy
#undef memmove
#define memset __memset
#define memcpy __memcpy
#define memmove __memmove
#endif

void *memset(void *s, int c, size_t n)
{
	void *d = s;

	__asm__ __volatile__("rep stosb"
			     : "+D"(d), "+c"(n)
			     : "a"(c)
			     : "memory");
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(d), "+S"(src), "+c"(n)
			     :
			     : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

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

/* What the compiler may call by these names, if the kernel has none. */
#undef memset
#undef memcpy
#undef memmove
#undef memcmp
#ifndef KMM_KASAN /* the KASAN build's are the checked ones, in mm/kasan/shadow.c */
void *memset(void *s, int c, size_t n) __attribute__((weak, alias("kmm_memset")));
void *memcpy(void *dst, const void *src, size_t n) __attribute__((weak, alias("kmm_memcpy")));
void *memmove(void *dst, const void *src, size_t n) __attribute__((weak, alias("kmm_memmove")));
#endif
int memcmp(const void *a, const void *b, size_t n) __attribute__((weak, alias("kmm_memcmp")));
