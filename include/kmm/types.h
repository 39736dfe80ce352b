/* SPDX-License-Identifier: MIT */
/* Fixed-width and address types used across kmm. */
#ifndef KMM_TYPES_H
#define KMM_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

/*
 * A physical address is a number, never a pointer: it cannot be dereferenced.
 * __va() and __pa() (from the mm port) are the only bridges to pointers.
 */
typedef uint64_t phys_addr_t;

#endif /* KMM_TYPES_H */
