/* SPDX-License-Identifier: MIT */
/*
 * Private declarations of the KASAN runtime (the files of mm/kasan). None of these
 * files is instrumented: they are the instrumentation's other half.
 */
#ifndef MM_KASAN_INTERNAL_H
#define MM_KASAN_INTERNAL_H

#include "mm/port.h"
#include "mm/kasan.h"
/*
 * The runtime is built into kmm's kernel only (not libkmm): it places the
 * shadow by the kernel's own layout.
 */
#include "arch/x86_64/layout.h"

#define KASAN_GRANULE_SHIFT KASAN_SHADOW_SCALE_SHIFT
#define KASAN_GRANULE_SIZE  (1UL << KASAN_GRANULE_SHIFT)
#define KASAN_GRANULE_MASK  (KASAN_GRANULE_SIZE - 1)

/*
 * Shadow byte values: 0 = the whole granule is accessible, 1..7 = only
 * that many leading bytes are, and a negative value (as a signed byte) =
 * none is, saying why. Linux's values, so shadow dumps read the same.
 */
#define KASAN_PAGE_FREE       0xff /* a free page */
#define KASAN_PAGE_REDZONE    0xfe /* a large kmalloc's tail */
#define KASAN_SLAB_REDZONE    0xfc /* a slab slot outside its object */
#define KASAN_SLAB_FREE       0xfb /* a freed slab object */
#define KASAN_VMALLOC_INVALID 0xf8 /* vmalloc space outside a live area */
/* Written by GCC's stack instrumentation (asan-stack=1) around stack arrays. */
#define KASAN_STACK_LEFT      0xf1
#define KASAN_STACK_MID       0xf2
#define KASAN_STACK_RIGHT     0xf3
#define KASAN_STACK_RETURN    0xf5
#define KASAN_STACK_SCOPE     0xf8 /* GCC's use-after-scope, the vmalloc value */
#define KASAN_GLOBAL_REDZONE  0xf9 /* after a global (asan-globals=1) */

_Static_assert((KERNEL_SPACE_START_L4 >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET ==
	       KASAN_SHADOW_START_L4, "the kernel half's shadow starts the shadow region");
_Static_assert(((~0UL) >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET <
	       KASAN_SHADOW_END, "the kernel half's shadow ends inside the shadow region");

/* Call chains kept per object: this many return addresses. */
#define KASAN_STACK_DEPTH 8

struct kasan_track {
	unsigned int cpu;
	unsigned int nr;
	unsigned long frames[KASAN_STACK_DEPTH];
};

/* What the runtime remembers of one allocation (slab object, vmalloc area). */
struct kasan_meta {
	unsigned long addr;   /* the object's start; 0 = unused entry */
	unsigned long size;   /* as requested */
	bool freed;
	struct kasan_track alloc, free;
};

extern bool kasan_ready;
/*
 * The kernel image has shadow from its start to here, mapped by the arch
 * before kmain (arch/x86_64/kasan/early.c): its .bss holds the boot stack.
 */
extern char _kernel_start[];
extern unsigned long kasan_image_shadow_end;

static inline u8 *kasan_mem_to_shadow(unsigned long addr)
{
	return (u8 *)((addr >> KASAN_SHADOW_SCALE_SHIFT) + KASAN_SHADOW_OFFSET);
}

static inline unsigned long kasan_shadow_to_mem(const u8 *shadow)
{
	return ((unsigned long)shadow - KASAN_SHADOW_OFFSET) << KASAN_SHADOW_SCALE_SHIFT;
}

/* shadow.c */
bool kasan_has_shadow(unsigned long addr);
/* Mark [addr, addr+size) with @value; both granule aligned. */
void kasan_poison(unsigned long addr, size_t size, u8 value);
/* Make [addr, addr+size) accessible; addr granule aligned, size any. */
void kasan_unpoison(unsigned long addr, size_t size);
/* The instrumented global holding @addr (its red zone included), or NULL. */
const char *kasan_global_name(unsigned long addr, unsigned long *off, unsigned long *size);
/* Map real shadow for [start, end) of vmalloc space. 0 or -ENOMEM. */
int kasan_populate_vmalloc(unsigned long start, unsigned long end);
/* Has kasan_disable_current() suspended checking on this CPU? */
bool kasan_current_disabled(void);

/* hooks.c */
const struct kasan_meta *kasan_meta_find(unsigned long addr);
unsigned int kasan_save_stack(unsigned long *frames, unsigned int max,
			      unsigned long fp);

/* report.c */
void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip,
		  unsigned long fp);
void kasan_report_bad_free(const void *obj, unsigned long ip, const char *bug);

#endif /* MM_KASAN_INTERNAL_H */
