/* SPDX-License-Identifier: MIT */
/*
 * What a hobby kernel's own headers usually define, all in one place, for
 * the clash test (tests/lib/clash.sh): libkmm's public headers must compile
 * before and after it without a single diagnostic.
 */
#ifndef HOBBY_H
#define HOBBY_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed long long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;
typedef unsigned long long phys_addr_t;
typedef unsigned long long paddr_t;
typedef unsigned long vaddr_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define KERNEL_BASE 0xffffffff80000000ULL
#define PHYS_BASE 0xffff800000000000ULL
#define MAX_ORDER 11
#define NR_CPUS 4

#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN(x, a) (((x) + (a) - 1) & ~((a) - 1))
#define ALIGN_UP(x, a) ALIGN(x, a)
#define ALIGN_DOWN(x, a) ((x) & ~((a) - 1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define container_of(p, t, m) ((t *)((char *)(p) - __builtin_offsetof(t, m)))
#define offsetof(t, m) __builtin_offsetof(t, m)
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __noreturn __attribute__((noreturn))
#define __always_inline inline __attribute__((always_inline))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define BUG() __builtin_trap()
#define BUG_ON(c) do { if (c) BUG(); } while (0)
#define ASSERT(c) BUG_ON(!(c))
#define PANIC(msg) BUG()
#define EINVAL 22
#define ENOMEM 12

struct list_head {
	struct list_head *next, *prev;
};
struct spinlock {
	volatile int locked;
};
typedef struct spinlock spinlock_t;
struct zone {
	int id;
};
struct memblock {
	int unused;
};

extern int printk(const char *fmt, ...);
extern void panic(const char *fmt, ...) __attribute__((noreturn));
extern void *memset(void *s, int c, size_t n);
extern void *memcpy(void *d, const void *s, size_t n);
extern size_t strlen(const char *s);
extern int snprintf(char *buf, size_t n, const char *fmt, ...);
extern struct zone zones[4];
extern int memblock;

#endif /* HOBBY_H */
