/* SPDX-License-Identifier: MIT */
/*
 * The few string functions kmm needs. The kernel implements them in
 * kernel/string.c; host builds get them from the C library, and strlcpy
 * (missing from glibc 2.36) from tests/host/compat.c.
 */
#ifndef KMM_STRING_H
#define KMM_STRING_H

#include <stddef.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

/* Copy at most size-1 bytes of @src and NUL-terminate; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * The KASAN build (make KASAN=1): memset, memcpy and memmove check their
 * ranges (mm/kasan/shadow.c); these are the raw routines beneath, which
 * files built without instrumentation (the allocators, the KASAN runtime)
 * call instead, as Linux's do.
 */
#ifdef KMM_KASAN
void *__memset(void *s, int c, size_t n);
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
#ifndef __SANITIZE_ADDRESS__
#define memset(s, c, n) __memset(s, c, n)
#define memcpy(d, s, n) __memcpy(d, s, n)
#define memmove(d, s, n) __memmove(d, s, n)
#endif
#endif

#endif /* KMM_STRING_H */
