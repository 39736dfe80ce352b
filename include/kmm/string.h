/* SPDX-License-Identifier: MIT */
/*
 * The few string functions kmm needs. In the kernel they are libkmm's
 * (lib/string.c), named kmm_* so that they never collide with another
 * kernel's own; the names below map to them. Host builds get them from the
 * C library, and strlcpy (missing from glibc 2.36) from tests/host/compat.c.
 */
#ifndef KMM_STRING_H
#define KMM_STRING_H

#include <stddef.h>

#ifndef KMM_HOST
#if !defined(KMM_KASAN)
#define memset  kmm_memset
#define memcpy  kmm_memcpy
#define memmove kmm_memmove
#elif !defined(__SANITIZE_ADDRESS__)
/* KASAN build, a file left uninstrumented: the raw routines (see below). */
#define memset  __memset
#define memcpy  __memcpy
#define memmove __memmove
#endif
#define memcmp  kmm_memcmp
#define strlen  kmm_strlen
#define strnlen kmm_strnlen
#define strcmp  kmm_strcmp
#define strncmp kmm_strncmp
#define strchr  kmm_strchr
#define strlcpy kmm_strlcpy
#endif

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
 * The KASAN build (make KASAN=1): memset, memcpy and memmove, by those
 * names, check their ranges (mm/kasan/shadow.c); these are the raw routines
 * beneath (lib/string.c), which files built without instrumentation (the
 * allocators, the KASAN runtime) call instead, as Linux's do.
 */
#ifdef KMM_KASAN
void *__memset(void *s, int c, size_t n);
void *__memcpy(void *dst, const void *src, size_t n);
void *__memmove(void *dst, const void *src, size_t n);
#endif

#endif /* KMM_STRING_H */
