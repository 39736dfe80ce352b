// SPDX-License-Identifier: MIT
/*
 * KASAN reports, in Linux's shape:
 *
 *   ==================================================================
 *   BUG: KASAN: slab-out-of-bounds in f+0x4d/0x90
 *   Write of size 1 at addr ffff888003a4c07c by task swapper/0
 *   call trace, the object and its cache, where the address lies, the
 *   allocation and free call chains, the shadow around the address
 *   ==================================================================
 *
 * kmm has no tasks: "task swapper/N" names what runs on CPU N, as Linux's
 * idle task does. The kernel carries on after a report (Linux's default
 * without panic_on_warn); every bad access is reported, so a test can
 * check one report per case.
 */
#include "mm/kasan/kasan.h"
#include "mm/slab_internal.h"
#include "mm/internal.h"
#include "mm/vmalloc.h"

static mm_spinlock_t kasan_report_lock = MM_SPINLOCK_INIT;
static unsigned long kasan_reports;

unsigned long kasan_report_count(void)
{
	return READ_ONCE(kasan_reports);
}

static bool kasan_byte_bad(unsigned long a)
{
	s8 v = *(s8 *)kasan_mem_to_shadow(a);

	return v && (s8)(a & KASAN_GRANULE_MASK) >= v;
}

/* Linux's names for what the first bad byte's shadow says. */
static const char *kasan_bug_type(unsigned long bad)
{
	u8 v = *kasan_mem_to_shadow(bad);

	/*
	 * A partial granule: past the end of what is accessible, in a slab
	 * object or a vmalloc area; elsewhere (a stack array, a global, a
	 * large kmalloc) the next granule says what lies there, as Linux
	 * reads it. A slab slot may have no red zone after its object, so
	 * its next granule may be another object's.
	 */
	if (v < KASAN_GRANULE_SIZE) {
		if (bad >= VMALLOC_START && bad < VMALLOC_END)
			return "vmalloc-out-of-bounds";
		if (slab_lookup((void *)bad))
			return "slab-out-of-bounds";
		v = *kasan_mem_to_shadow(bad + KASAN_GRANULE_SIZE);
		if (v < KASAN_GRANULE_SIZE)
			return "out-of-bounds";
	}
	switch (v) {
	case KASAN_PAGE_REDZONE:
	case KASAN_SLAB_REDZONE:
		return "slab-out-of-bounds";
	case KASAN_SLAB_FREE:
		return "slab-use-after-free";
	case KASAN_PAGE_FREE:
		return "use-after-free";
	case KASAN_VMALLOC_INVALID: /* == KASAN_STACK_SCOPE */
		return bad >= VMALLOC_START && bad < VMALLOC_END ?
			"vmalloc-out-of-bounds" : "stack-use-after-scope";
	case KASAN_STACK_LEFT:
	case KASAN_STACK_MID:
	case KASAN_STACK_RIGHT:
		return "stack-out-of-bounds";
	case KASAN_STACK_RETURN:
		return "stack-use-after-return";
	case KASAN_GLOBAL_REDZONE:
		return "global-out-of-bounds";
	default:
		return "unknown-crash";
	}
}

static void kasan_print_frames(const unsigned long *frames, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		pr_err(" %pS\n", (void *)frames[i]);
}

static void kasan_print_trace(unsigned long fp)
{
	unsigned long frames[16];

	pr_err("CPU: %u\n", (unsigned int)mm_cpu_id());
	pr_err("Call Trace:\n");
	kasan_print_frames(frames, kasan_save_stack(frames, 16, fp));
}

static void kasan_print_tracks(const struct kasan_meta *m)
{
	if (!m) {
		pr_err("(no allocation record left for this object)\n");
		return;
	}
	pr_err("\n");
	pr_err("Allocated by task swapper/%u:\n", m->alloc.cpu);
	kasan_print_frames(m->alloc.frames, m->alloc.nr);
	if (m->freed) {
		pr_err("\n");
		pr_err("Freed by task swapper/%u:\n", m->free.cpu);
		kasan_print_frames(m->free.frames, m->free.nr);
	}
}

/* Where @addr lies relative to [start, start + size). */
static void kasan_print_where(unsigned long addr, unsigned long start,
			      unsigned long size, bool freed)
{
	const char *rel;
	unsigned long off;

	if (addr < start) {
		rel = "to the left of";
		off = start - addr;
	} else if (addr >= start + size) {
		rel = "to the right of";
		off = addr - (start + size);
	} else {
		rel = "inside of";
		off = addr - start;
	}
	pr_err("The buggy address is located %lu bytes %s\n", off, rel);
	pr_err(" %s %lu-byte region [%016lx, %016lx)\n",
	       freed ? "freed" : "allocated", size, start, start + size);
}

static bool kasan_describe_slab(unsigned long addr)
{
	struct page *head = slab_lookup((void *)addr);
	const struct kasan_meta *m;
	struct kmem_cache *s;
	unsigned long base, obj, idx = 0, size;
	bool freed;

	if (!head)
		return false;
	s = head->slab_cache;
	base = (unsigned long)slab_base(head) + s->offset;
	if (addr >= base)
		idx = (addr - base) / s->size;
	if (idx >= s->objects)
		idx = s->objects - 1;
	obj = base + idx * s->size;
	/*
	 * Just past an object that fills its slot, in a slot never allocated:
	 * the object before is the one overrun (Linux's red zone would be its).
	 */
	if (*kasan_mem_to_shadow(obj) == KASAN_SLAB_REDZONE && idx &&
	    *(s8 *)kasan_mem_to_shadow(obj - s->size) >= 0)
		obj -= s->size;
	m = kasan_meta_find(obj);
	freed = (m && m->freed) || *kasan_mem_to_shadow(obj) == KASAN_SLAB_FREE;
	size = m && !freed ? m->size : s->object_size;
	pr_err("The buggy address belongs to the object at %016lx\n", obj);
	pr_err(" which belongs to the cache %s of size %u\n", s->name, s->object_size);
	kasan_print_where(addr, obj, size, freed);
	kasan_print_tracks(m);
	return true;
}

/* A page-aligned allocation (vmalloc area, large kmalloc) at or below @addr. */
static const struct kasan_meta *kasan_find_block(unsigned long addr)
{
	unsigned long a = addr & PAGE_MASK;
	unsigned int i;

	for (i = 0; i < 1024 && a >= PAGE_SIZE; i++, a -= PAGE_SIZE) {
		const struct kasan_meta *m = kasan_meta_find(a);

		if (m && addr <= ALIGN_UP(a + m->size, PAGE_SIZE) + PAGE_SIZE)
			return m;
	}
	return NULL;
}

static void kasan_describe(unsigned long addr)
{
	const struct kasan_meta *m;

	if (addr >= VMALLOC_START && addr < VMALLOC_END) {
		m = kasan_find_block(addr);
		if (!m) {
			pr_err("The buggy address %016lx is in no vmalloc area kasan knows\n",
			       addr);
			return;
		}
		pr_err("The buggy address belongs to the virtual mapping at\n");
		pr_err(" [%016lx, %016lx) created by:\n", m->addr,
		       ALIGN_UP(m->addr + m->size, PAGE_SIZE));
		kasan_print_frames(m->alloc.frames, m->alloc.nr);
		kasan_print_where(addr, m->addr, m->size, m->freed);
		if (m->freed) {
			pr_err("\n");
			pr_err("Freed by task swapper/%u:\n", m->free.cpu);
			kasan_print_frames(m->free.frames, m->free.nr);
		}
		return;
	}
	if (kasan_describe_slab(addr))
		return;
	if (addr >= PAGE_OFFSET && pfn_valid(PHYS_PFN(__pa((void *)addr)))) {
		struct page *page = virt_to_page((void *)addr);

		m = kasan_find_block(addr);
		if (m && !m->freed) {
			pr_err("The buggy address belongs to the object at %016lx\n", m->addr);
			pr_err(" which belongs to a large kmalloc\n");
			kasan_print_where(addr, m->addr, m->size, false);
			kasan_print_tracks(m);
		}
		pr_err("\n");
		pr_err("The buggy address belongs to the physical page:\n");
		pr_err("page: %p pfn:%#lx flags: %#lx%s\n", (void *)page,
		       page_to_pfn(page), page->flags,
		       page->flags & (BIT(PG_buddy) | BIT(PG_pcp)) ? " (free)" : "");
	}
}

static void kasan_describe_global(unsigned long addr)
{
	unsigned long off, size;
	const char *name = kasan_global_name(addr, &off, &size);

	if (!name) {
		pr_err("The buggy address %016lx is in no global kasan knows\n", addr);
		return;
	}
	pr_err("The buggy address belongs to the variable:\n");
	pr_err(" %s+0x%lx/0x%lx\n", name, off, size);
}

#define KASAN_ROW 16 /* shadow bytes per row of the dump */

static void kasan_print_shadow(unsigned long addr)
{
	const u8 *sh = kasan_mem_to_shadow(addr);
	const u8 *row0 = (const u8 *)((unsigned long)sh & ~(KASAN_ROW - 1UL));
	char line[1 + 16 + 2 + KASAN_ROW * 3 + 1];
	int r;

	pr_err("Memory state around the buggy address:\n");
	for (r = -2; r <= 2; r++) {
		const u8 *row = row0 + r * KASAN_ROW;
		unsigned long mem = kasan_shadow_to_mem(row);
		unsigned int i;

		if (!kasan_has_shadow(mem) ||
		    !kasan_has_shadow(mem + KASAN_ROW * KASAN_GRANULE_SIZE - 1))
			continue;
		for (i = 0; i < KASAN_ROW; i++)
			snprintf(line + i * 3, 4, "%02x ", row[i]);
		line[KASAN_ROW * 3 - 1] = '\0';
		pr_err("%c%016lx: %s\n", r ? ' ' : '>', mem, line);
		if (!r) {
			unsigned int col = 1 + 16 + 2 + (unsigned int)(sh - row) * 3;

			__memset(line, ' ', col);
			line[col] = '^';
			line[col + 1] = '\0';
			pr_err("%s\n", line);
		}
	}
}

static unsigned long kasan_report_begin(void)
{
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&kasan_report_lock);
	kasan_disable_current();
	kasan_reports++;
	pr_err("==================================================================\n");
	return irq;
}

static void kasan_report_end(unsigned long irq)
{
	pr_err("==================================================================\n");
	kasan_enable_current();
	mm_spin_unlock(&kasan_report_lock);
	mm_irq_restore(irq);
}

void kasan_report(unsigned long addr, size_t size, bool write, unsigned long ip,
		  unsigned long fp)
{
	unsigned long irq, bad = addr;
	const char *type;

	while (bad < addr + size - 1 && !kasan_byte_bad(bad))
		bad++;
	type = kasan_bug_type(bad);
	irq = kasan_report_begin();
	pr_err("BUG: KASAN: %s in %pS\n", type, (void *)ip);
	pr_err("%s of size %zu at addr %016lx by task swapper/%u\n",
	       write ? "Write" : "Read", size, addr, (unsigned int)mm_cpu_id());
	pr_err("\n");
	kasan_print_trace(fp);
	pr_err("\n");
	if (!strncmp(type, "stack-", 6))
		pr_err("The buggy address belongs to the stack of task swapper/%u\n",
		       (unsigned int)mm_cpu_id());
	else if (!strncmp(type, "global-", 7))
		kasan_describe_global(addr);
	else
		kasan_describe(addr);
	pr_err("\n");
	kasan_print_shadow(bad);
	kasan_report_end(irq);
}

void kasan_report_bad_free(const void *obj, unsigned long ip, const char *bug)
{
	unsigned long irq = kasan_report_begin();

	pr_err("BUG: KASAN: %s in %pS\n", bug, (void *)ip);
	pr_err("Free of addr %016lx by task swapper/%u\n", (unsigned long)obj,
	       (unsigned int)mm_cpu_id());
	pr_err("\n");
	kasan_print_trace((unsigned long)__builtin_frame_address(0));
	pr_err("\n");
	kasan_describe((unsigned long)obj);
	kasan_report_end(irq);
}
