/* SPDX-License-Identifier: MIT */
/*
 * The two assertion tiers, used everywhere in kmm:
 *
 *   ASSERT(cond)              always compiled in; a failure panics.
 *   ASSERT_MSG(cond, fmt...)  the same, printing the object involved.
 *   DEBUG_ASSERT(cond)        checked only when KMM_DEBUG is defined, but
 *   DEBUG_ASSERT_MSG(...)     always type-checked. Never give it side effects.
 *
 * Assertions are for broken invariants (a bug in kmm). A misuse by a caller
 * (double free, bad pointer) is reported and refused instead, and running out
 * of memory is a normal result (NULL or -ENOMEM), never an assertion.
 *
 * Compile-time layout checks use _Static_assert / BUILD_BUG_ON.
 */
#ifndef KMM_ASSERT_H
#define KMM_ASSERT_H

#include "kmm/compiler.h"

/* Print "Kernel panic - <reason>", diagnostics, and stop. Never returns. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define ASSERT(cond)                                                        \
	do {                                                                \
		if (unlikely(!(cond)))                                      \
			panic("ASSERT failed: %s at %s:%d", #cond, __FILE__, \
			      __LINE__);                                    \
	} while (0)

#define ASSERT_MSG(cond, fmt, ...)                                          \
	do {                                                                \
		if (unlikely(!(cond)))                                      \
			panic("ASSERT failed: %s at %s:%d: " fmt, #cond,     \
			      __FILE__, __LINE__, ##__VA_ARGS__);           \
	} while (0)

#ifdef KMM_DEBUG
#define KMM_DEBUG_ASSERTS 1
#else
#define KMM_DEBUG_ASSERTS 0
#endif

#define DEBUG_ASSERT(cond)                                                  \
	do {                                                                \
		if (KMM_DEBUG_ASSERTS && unlikely(!(cond)))                 \
			panic("DEBUG_ASSERT failed: %s at %s:%d", #cond,     \
			      __FILE__, __LINE__);                          \
	} while (0)

#define DEBUG_ASSERT_MSG(cond, fmt, ...)                                    \
	do {                                                                \
		if (KMM_DEBUG_ASSERTS && unlikely(!(cond)))                 \
			panic("DEBUG_ASSERT failed: %s at %s:%d: " fmt,      \
			      #cond, __FILE__, __LINE__, ##__VA_ARGS__);    \
	} while (0)

#endif /* KMM_ASSERT_H */
