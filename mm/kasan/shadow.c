// SPDX-License-Identifier: MIT
/*
 * KASAN, generic mode: shadow memory and the checks the compiler calls.
 *
 * Theory of operation
 * -------------------
 * `make KASAN=1` builds mm/, kernel/ and tests/kernel with GCC's
 * -fsanitize=kernel-address in outline mode: before every load and store
 * of N bytes at a the compiler calls __asan_loadN_noabort(a) or
 * __asan_storeN_noabort(a). Each 8-byte granule of memory has one shadow
 * byte at (a >> 3) + KASAN_SHADOW_OFFSET (Linux's offset; the kernel half's
 * shadow is the 16 TB KASAN shadow region of the layout):
 *
 *   memory   | granule 0 | granule 1 | granule 2 | ...
 *   shadow   |    00     |    04     |    fc     |
 *               8 bytes    first 4     none: a slab red zone
 *               usable     usable
 *
 * Which memory has shadow, and when:
 *   direct map   every RAM range memblock knows, mapped by kasan_init()
 *                right after paging_init(), from memblock, reading 00;
 *                the buddy allocator's free memory is then marked free
 *   vmalloc      shadow pages are mapped as areas come to exist
 *                (kasan_populate_vmalloc()), reading f8 (invalid) until an
 *                area's bytes are unpoisoned; they are never unmapped, so
 *                a freed area's shadow keeps saying f8. When no page is
 *                left for an area's shadow, vmalloc fails: the area is never
 *                handed out with a stale or missing shadow
 *   the image    mapped before kmain by the arch (static, reading 00):
 *                GCC's stack instrumentation puts red zones around stack
 *                arrays (f1 f2 f3) from the first function on, and the
 *                boot CPU's stack is in the image's .bss
 *   the rest     (vmemmap, fixmap) has none and is not checked
 * The allocators' hooks (mm/kasan.h, hooks.c) write the shadow: objects are
 * accessible up to the size the caller asked for, everything else in their
 * slot, block or area is a red zone, and freed memory is marked free.
 *
 * Until kasan_init() has run (the boot code before it is instrumented too)
 * and while a CPU prints a report, the checks return at once.
 *
 * The instrumented string functions (memset, memcpy, memmove) are here:
 * they check their whole range, then call kernel/string.c's raw routines
 * (__memset ...), which uninstrumented files call directly
 * (include/kmm/string.h).
 *
 * Nothing in mm/kasan/ is instrumented.
 */
#include "mm/kasan/kasan.h"
#include "mm/memblock.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "kmm/string.h"

bool kasan_ready;
/* Shadow exists below these: [PAGE_OFFSET, ..) and [VMALLOC_START, ..). */
static unsigned long kasan_direct_end;
static unsigned long kasan_vmalloc_end;
static unsigned int kasan_depth[MM_NR_CPUS];
static mm_spinlock_t kasan_shadow_lock = MM_SPINLOCK_INIT;

static void kasan_register_all_globals(void);

void kasan_disable_current(void)
{
	kasan_depth[mm_cpu_id()]++;
}

void kasan_enable_current(void)
{
	kasan_depth[mm_cpu_id()]--;
}

bool kasan_current_disabled(void)
{
	return kasan_depth[mm_cpu_id()];
}

bool kasan_has_shadow(unsigned long addr)
{
	if (addr >= PAGE_OFFSET && addr < kasan_direct_end)
		return true;
	if (addr >= (unsigned long)_kernel_start && addr < kasan_image_shadow_end)
		return true;
	return addr >= VMALLOC_START && addr < READ_ONCE(kasan_vmalloc_end);
}

void kasan_poison(unsigned long addr, size_t size, u8 value)
{
	DEBUG_ASSERT(!(addr & KASAN_GRANULE_MASK) && !(size & KASAN_GRANULE_MASK));
	if (!kasan_ready || !size)
		return;
	__memset(kasan_mem_to_shadow(addr), value, size >> KASAN_GRANULE_SHIFT);
}

void kasan_unpoison(unsigned long addr, size_t size)
{
	if (!kasan_ready || !size)
		return;
	__memset(kasan_mem_to_shadow(addr), 0, size >> KASAN_GRANULE_SHIFT);
	if (size & KASAN_GRANULE_MASK)
		*kasan_mem_to_shadow(addr + size) = size & KASAN_GRANULE_MASK;
}

/* Map zeroed shadow pages for [start, end) of memory, from memblock. Boot only. */
static void kasan_map_early(unsigned long start, unsigned long end)
{
	unsigned long s = (unsigned long)kasan_mem_to_shadow(start) & PAGE_MASK;
	unsigned long e = ALIGN_UP((unsigned long)kasan_mem_to_shadow(end), PAGE_SIZE);
	phys_addr_t pa = memblock_phys_alloc(e - s, PAGE_SIZE);
	unsigned long va;
	int err;

	if (!pa)
		panic("kasan: no memory for the shadow of %016lx-%016lx", start, end);
	__memset(__va(pa), 0, e - s);
	for (va = s; va < e; va += PAGE_SIZE, pa += PAGE_SIZE) {
		err = mm_map_kernel_page(va, pa, MM_PROT_READ | MM_PROT_WRITE);
		/* A page shared with the previous range is mapped already. */
		if (err && err != -EINVAL)
			panic("kasan: mapping shadow %016lx failed (%d)", va, err);
	}
}

/*
 * Shadow for every RAM range memblock knows; memblock still allocates and
 * __va() reaches all RAM, so this runs between paging_init() and mem_init().
 */
void kasan_init(void)
{
	unsigned long shadow_bytes = 0;
	unsigned int i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		phys_addr_t base = memblock.memory.regions[i].base;
		phys_addr_t end = base + memblock.memory.regions[i].size;

		kasan_map_early(PAGE_OFFSET + base, PAGE_OFFSET + end);
		shadow_bytes += (end - base) >> KASAN_SHADOW_SCALE_SHIFT;
		if (PAGE_OFFSET + end > kasan_direct_end)
			kasan_direct_end = PAGE_OFFSET + end;
	}
	kasan_vmalloc_end = VMALLOC_START;
	WRITE_ONCE(kasan_ready, true);
	kasan_register_all_globals();
	pr_info("kasan: KernelAddressSanitizer initialized (generic, outline), "
		"shadow at %#lx, %lu KiB for the direct map\n",
		(unsigned long)KASAN_SHADOW_START, shadow_bytes >> 10);
}

/*
 * Shadow pages for [start, end) of vmalloc space, each reading f8 (invalid)
 * when new. Pages already there are kept. 0 or -ENOMEM.
 */
int kasan_populate_vmalloc(unsigned long start, unsigned long end)
{
	unsigned long s = (unsigned long)kasan_mem_to_shadow(start) & PAGE_MASK;
	unsigned long e = ALIGN_UP((unsigned long)kasan_mem_to_shadow(end), PAGE_SIZE);
	unsigned long va, irq;
	struct page *page;
	int err;

	for (va = s; va < e; va += PAGE_SIZE) {
		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return -ENOMEM;
		__memset(page_address(page), KASAN_VMALLOC_INVALID, PAGE_SIZE);
		err = mm_map_kernel_page(va, page_to_phys(page),
					 MM_PROT_READ | MM_PROT_WRITE);
		if (err) {
			__free_pages(page, 0);
			if (err != -EINVAL) /* -EINVAL: populated before */
				return err;
		}
	}
	irq = mm_irq_save();
	mm_spin_lock(&kasan_shadow_lock);
	if (end > kasan_vmalloc_end)
		WRITE_ONCE(kasan_vmalloc_end, end);
	mm_spin_unlock(&kasan_shadow_lock);
	mm_irq_restore(irq);
	return 0;
}

/*
 * GCC's description of one instrumented global (asan-globals=1): the
 * variable, then its red zone, size_with_redzone bytes in all.
 */
struct kasan_global {
	unsigned long beg;
	unsigned long size;
	unsigned long size_with_redzone;
	const char *name;
	const char *module_name;
	unsigned long has_dynamic_init;
	void *location;
	unsigned long odr_indicator;
};

/* Every registration, so a report can name the variable (kallsyms has only code). */
#define KASAN_MAX_GLOBAL_SETS 256
static struct {
	const struct kasan_global *g;
	size_t n;
} kasan_global_sets[KASAN_MAX_GLOBAL_SETS];
static unsigned int kasan_nr_global_sets;

const char *kasan_global_name(unsigned long addr, unsigned long *off, unsigned long *size)
{
	unsigned int s;
	size_t i;

	for (s = 0; s < kasan_nr_global_sets; s++)
		for (i = 0; i < kasan_global_sets[s].n; i++) {
			const struct kasan_global *g = &kasan_global_sets[s].g[i];

			if (addr >= g->beg && addr < g->beg + g->size_with_redzone) {
				*off = addr - g->beg;
				*size = g->size;
				return g->name;
			}
		}
	return NULL;
}

void __asan_register_globals(struct kasan_global *globals, size_t n);
void __asan_register_globals(struct kasan_global *globals, size_t n)
{
	size_t i;

	if (kasan_nr_global_sets < KASAN_MAX_GLOBAL_SETS) {
		kasan_global_sets[kasan_nr_global_sets].g = globals;
		kasan_global_sets[kasan_nr_global_sets++].n = n;
	}

	for (i = 0; i < n; i++) {
		unsigned long beg = globals[i].beg;
		unsigned long rz = ALIGN_UP(beg + globals[i].size, KASAN_GRANULE_SIZE);

		if (!kasan_has_shadow(beg))
			continue;
		kasan_unpoison(beg, globals[i].size);
		kasan_poison(rz, beg + globals[i].size_with_redzone - rz,
			     KASAN_GLOBAL_REDZONE);
	}
}

void __asan_unregister_globals(struct kasan_global *globals, size_t n);
void __asan_unregister_globals(struct kasan_global *globals, size_t n)
{
}

/* Each instrumented file has a constructor that registers its globals. */
static void kasan_register_all_globals(void)
{
	extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
	void (**ctor)(void);

	for (ctor = __init_array_start; ctor < __init_array_end; ctor++)
		(*ctor)();
}

/* ---- the checks ----------------------------------------------------------- */

/* Does the access [addr, addr+size) touch a poisoned byte? */
static __always_inline bool kasan_range_bad(unsigned long addr, size_t size)
{
	unsigned long last = addr + size - 1;
	const s8 *sh = (const s8 *)kasan_mem_to_shadow(addr);
	const s8 *se = (const s8 *)kasan_mem_to_shadow(last);

	/* A granule the access runs through must be wholly accessible. */
	for (; sh < se; sh++)
		if (unlikely(*sh))
			return true;
	return unlikely(*se) && (s8)(last & KASAN_GRANULE_MASK) >= *se;
}

static __always_inline void kasan_check(unsigned long addr, size_t size, bool write,
					unsigned long ip, unsigned long fp)
{
	if (unlikely(!READ_ONCE(kasan_ready)) || unlikely(!size))
		return;
	if (!kasan_has_shadow(addr) || addr + size < addr)
		return;
	if (likely(!kasan_range_bad(addr, size)))
		return;
	if (kasan_depth[mm_cpu_id()])
		return;
	kasan_report(addr, size, write, ip, fp);
}

#define KASAN_ENTRY(size)                                                     \
	void __asan_load##size##_noabort(unsigned long addr);                 \
	void __asan_load##size##_noabort(unsigned long addr)                  \
	{                                                                     \
		kasan_check(addr, size, false, _RET_IP_,                      \
			    (unsigned long)__builtin_frame_address(0));       \
	}                                                                     \
	void __asan_store##size##_noabort(unsigned long addr);                \
	void __asan_store##size##_noabort(unsigned long addr)                 \
	{                                                                     \
		kasan_check(addr, size, true, _RET_IP_,                       \
			    (unsigned long)__builtin_frame_address(0));       \
	}                                                                     \
	void __asan_report_load##size##_noabort(unsigned long addr);          \
	void __asan_report_load##size##_noabort(unsigned long addr)           \
	{                                                                     \
		kasan_report(addr, size, false, _RET_IP_,                     \
			     (unsigned long)__builtin_frame_address(0));      \
	}                                                                     \
	void __asan_report_store##size##_noabort(unsigned long addr);         \
	void __asan_report_store##size##_noabort(unsigned long addr)          \
	{                                                                     \
		kasan_report(addr, size, true, _RET_IP_,                      \
			     (unsigned long)__builtin_frame_address(0));      \
	}

KASAN_ENTRY(1)
KASAN_ENTRY(2)
KASAN_ENTRY(4)
KASAN_ENTRY(8)
KASAN_ENTRY(16)

void __asan_loadN_noabort(unsigned long addr, size_t size);
void __asan_loadN_noabort(unsigned long addr, size_t size)
{
	kasan_check(addr, size, false, _RET_IP_, (unsigned long)__builtin_frame_address(0));
}

void __asan_storeN_noabort(unsigned long addr, size_t size);
void __asan_storeN_noabort(unsigned long addr, size_t size)
{
	kasan_check(addr, size, true, _RET_IP_, (unsigned long)__builtin_frame_address(0));
}

void __asan_report_load_n_noabort(unsigned long addr, size_t size);
void __asan_report_load_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, false, _RET_IP_, (unsigned long)__builtin_frame_address(0));
}

void __asan_report_store_n_noabort(unsigned long addr, size_t size);
void __asan_report_store_n_noabort(unsigned long addr, size_t size)
{
	kasan_report(addr, size, true, _RET_IP_, (unsigned long)__builtin_frame_address(0));
}

/* Called before noreturn calls; only stack instrumentation would need it. */
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
}

/* ---- the string functions of the instrumented kernel ---------------------- */

#undef memset
#undef memcpy
#undef memmove
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);

void *memset(void *s, int c, size_t n)
{
	kasan_check((unsigned long)s, n, true, _RET_IP_,
		    (unsigned long)__builtin_frame_address(0));
	return __memset(s, c, n);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	kasan_check((unsigned long)src, n, false, _RET_IP_,
		    (unsigned long)__builtin_frame_address(0));
	kasan_check((unsigned long)dst, n, true, _RET_IP_,
		    (unsigned long)__builtin_frame_address(0));
	return __memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	kasan_check((unsigned long)src, n, false, _RET_IP_,
		    (unsigned long)__builtin_frame_address(0));
	kasan_check((unsigned long)dst, n, true, _RET_IP_,
		    (unsigned long)__builtin_frame_address(0));
	return __memmove(dst, src, n);
}
