// SPDX-License-Identifier: MIT
/*
 * vmalloc: virtually contiguous memory built from order-0 pages.
 *
 * Theory of operation
 * -------------------
 *
 *   VMALLOC_START                                                 VMALLOC_END
 *   |[ area A ][g]   [ area B .......... ][g][ C ][g]                      |
 *        ^                  ^                  ^
 *   vmap_areas: A ------> B --------------> C      (sorted by address)
 *
 *   struct vm_struct (one per area)
 *     addr, size     the mapped range; the guard page g after it is never
 *                    mapped, so running off the end faults
 *     pages[]        the order-0 pages mapped there, in address order;
 *                    inline for small areas, else a buddy block
 *
 * Address space is handed out first fit along the sorted list. Descriptors
 * come from pool pages taken from the buddy (VM_PER_POOL_PAGE per page); a
 * pool page counts its descriptors in use (its struct page's private) and
 * goes back to the buddy when the last one is freed, so that vfree() of
 * every area returns every page vmalloc took: nothing is held for good.
 *
 * vmalloc() allocates the pages first, then reserves the range, then maps
 * it; failure at any step unwinds the ones before. vfree() unlinks the area,
 * unmaps it, flushes the TLB for the range and only then frees the pages, so
 * no CPU can reach a page after it is back in the allocator. vfree() of an
 * address that is not the start of a live area is reported and refused.
 *
 * Locking: vmap_lock (with interrupts off) guards the area list and the
 * descriptor pool. It is never held while calling the page allocator or the
 * port's mapping functions, so it nests inside nothing and nothing inside it.
 * Context: any that may allocate pages; mapping may need page-table pages.
 */
#define pr_fmt(fmt) "vmalloc: " fmt
#include "mm/vmalloc.h"
#include "mm/internal.h"
#include "mm/inspect.h"
#include "mm/kasan.h"
#include "kmm/string.h"

#define VM_INLINE_PAGES 8

struct vm_struct {
	struct list_head list; /* vmap_areas, or the descriptor free list */
	unsigned long addr;
	unsigned long size;    /* mapped bytes, guard page not included */
	unsigned long nr_pages;
	unsigned long caller;
	struct page **pages;
	unsigned int array_order; /* pages[] is a block of this order, if not inline */
	bool array_inline;
	struct page *inline_pages[VM_INLINE_PAGES];
};

#define VM_PER_POOL_PAGE (PAGE_SIZE / sizeof(struct vm_struct))
_Static_assert(sizeof(struct vm_struct) <= 128, "keep descriptors small");

static mm_spinlock_t vmap_lock = MM_SPINLOCK_INIT;
static LIST_HEAD(vmap_areas);
static LIST_HEAD(vm_free_descs);
static unsigned long vm_pool_pages; /* pool pages held */

/* Forget every area and descriptor: mem_init() starts a fresh machine. */
void vmalloc_init(void)
{
	mm_spin_lock_init(&vmap_lock);
	INIT_LIST_HEAD(&vmap_areas);
	INIT_LIST_HEAD(&vm_free_descs);
	vm_pool_pages = 0;
}

/* Descriptors in use on @vm's pool page; vmap_lock held. */
static unsigned long *vm_pool_used(const struct vm_struct *vm)
{
	return &virt_to_page(vm)->private;
}

static struct vm_struct *vm_desc_alloc(void)
{
	struct vm_struct *vm = NULL;
	struct page *page;
	unsigned long irq;
	unsigned int i;

	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	if (!list_empty(&vm_free_descs)) {
		vm = list_first_entry(&vm_free_descs, struct vm_struct, list);
		list_del(&vm->list);
		(*vm_pool_used(vm))++;
	}
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	if (!vm) {
		/* A new pool page: the first descriptor is ours, the rest spare. */
		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return NULL;
		vm = page_address(page);
		page->private = 1;
		irq = mm_irq_save();
		mm_spin_lock(&vmap_lock);
		for (i = 1; i < VM_PER_POOL_PAGE; i++)
			list_add_tail(&vm[i].list, &vm_free_descs);
		vm_pool_pages++;
		mm_spin_unlock(&vmap_lock);
		mm_irq_restore(irq);
	}
	memset(vm, 0, sizeof(*vm));
	return vm;
}

static void vm_desc_free(struct vm_struct *vm)
{
	struct vm_struct *pool = NULL;
	unsigned long irq = mm_irq_save();
	unsigned int i;

	mm_spin_lock(&vmap_lock);
	list_add(&vm->list, &vm_free_descs);
	if (--*vm_pool_used(vm) == 0) {
		/* The page's last descriptor: take them all off the list. */
		pool = (struct vm_struct *)ALIGN_DOWN((unsigned long)vm, PAGE_SIZE);
		for (i = 0; i < VM_PER_POOL_PAGE; i++)
			list_del(&pool[i].list);
		vm_pool_pages--;
	}
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	if (pool)
		free_page((unsigned long)pool);
}

static unsigned int order_for_bytes(unsigned long bytes)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

/* Find a gap of @size + a guard page and link @vm there; false if none. */
static bool vm_reserve_range(struct vm_struct *vm, unsigned long size)
{
	unsigned long need = size + PAGE_SIZE, start = VMALLOC_START, irq;
	struct list_head *pos;
	bool found = false;

	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	list_for_each(pos, &vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		if (a->addr - start >= need) {
			found = true;
			break;
		}
		start = a->addr + a->size + PAGE_SIZE;
	}
	if (!found && start < VMALLOC_END && VMALLOC_END - start >= need)
		found = true;
	if (found) {
		vm->addr = start;
		vm->size = size;
		list_add_tail(&vm->list, pos);
	}
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	return found;
}

static void vm_unlink(struct vm_struct *vm)
{
	unsigned long irq = mm_irq_save();

	mm_spin_lock(&vmap_lock);
	list_del(&vm->list);
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
}

static void vm_unmap(unsigned long addr, unsigned long nr_pages)
{
	unsigned long i;

	for (i = 0; i < nr_pages; i++)
		mm_unmap_kernel_page(addr + i * PAGE_SIZE);
	mm_flush_tlb_kernel_range(addr, addr + nr_pages * PAGE_SIZE);
}

static void vm_free_pages(struct vm_struct *vm, unsigned long nr)
{
	while (nr--) {
		page_clear_flag(vm->pages[nr], PG_vmalloc);
		__free_page(vm->pages[nr]);
	}
}

static void vm_free_array(struct vm_struct *vm)
{
	if (!vm->array_inline)
		free_pages((unsigned long)vm->pages, vm->array_order);
}

static void *vmalloc_caller(unsigned long size, gfp_t gfp, unsigned long caller)
{
	unsigned long nr = PFN_UP(size), i;
	struct vm_struct *vm;

	if (!size || size > VMALLOC_END - VMALLOC_START)
		goto err_warn;
	vm = vm_desc_alloc();
	if (!vm)
		goto err_warn;
	vm->nr_pages = nr;
	vm->caller = caller;
	if (nr <= VM_INLINE_PAGES) {
		vm->pages = vm->inline_pages;
		vm->array_inline = true;
	} else {
		vm->array_order = order_for_bytes(nr * sizeof(struct page *));
		vm->pages = (struct page **)__get_free_pages(GFP_KERNEL | __GFP_NOWARN,
							      vm->array_order);
		if (!vm->pages)
			goto err_free_desc;
	}
	for (i = 0; i < nr; i++) {
		vm->pages[i] = alloc_page(gfp | __GFP_NOWARN);
		if (!vm->pages[i])
			goto err_free_pages;
		page_set_flag(vm->pages[i], PG_vmalloc);
	}
	if (!vm_reserve_range(vm, nr * PAGE_SIZE))
		goto err_free_pages;
	for (i = 0; i < nr; i++)
		if (mm_map_kernel_page(vm->addr + i * PAGE_SIZE,
				       page_to_phys(vm->pages[i]),
				       MM_PROT_READ | MM_PROT_WRITE))
			goto err_unmap;
	/* NULL only with KASAN, when no page is left for the area's shadow. */
	if (kasan_vmalloc((void *)vm->addr, size, vm->size, caller))
		return (void *)vm->addr;

err_unmap:
	vm_unmap(vm->addr, i);
	vm_unlink(vm);
	i = nr;
err_free_pages:
	vm_free_pages(vm, i);
	vm_free_array(vm);
err_free_desc:
	vm_desc_free(vm);
err_warn:
	if (!(gfp & __GFP_NOWARN))
		pr_warn("allocation of %lu bytes failed, caller %pS\n", size,
			(void *)caller);
	return NULL;
}

/* @size bytes (whole pages) of virtually contiguous memory; NULL on failure. */
void *vmalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL, _RET_IP_);
}

/*
 * The same with @gfp for the pages: __GFP_NOWARN keeps a failure quiet,
 * __GFP_ZERO zeroes, __GFP_NOFAIL exempts them from fault injection.
 */
void *__vmalloc(unsigned long size, gfp_t gfp)
{
	return vmalloc_caller(size, gfp, _RET_IP_);
}

/* The same, zeroed. */
void *vzalloc(unsigned long size)
{
	return vmalloc_caller(size, GFP_KERNEL | __GFP_ZERO, _RET_IP_);
}

/* The area starting at or (if @inside) containing @addr; vmap_lock held. */
static struct vm_struct *find_area_locked(unsigned long addr, bool inside)
{
	struct vm_struct *vm;

	list_for_each_entry(vm, &vmap_areas, list) {
		if (addr == vm->addr)
			return vm;
		if (inside && addr > vm->addr && addr < vm->addr + vm->size)
			return vm;
		if (vm->addr > addr)
			break;
	}
	return NULL;
}

/*
 * Free an area from vmalloc(); NULL is ignored. Any other address (inside
 * an area, already freed, not vmalloc) is reported and refused.
 */
void vfree(const void *p)
{
	unsigned long addr = (unsigned long)p, irq;
	struct vm_struct *vm, *around;

	if (!p)
		return;
	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	vm = find_area_locked(addr, false);
	around = vm ? NULL : find_area_locked(addr, true);
	if (vm)
		list_del(&vm->list);
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	if (!vm) {
		if (!is_vmalloc_addr(p))
			pr_err("BUG: vfree of %p refused: not a vmalloc address, caller %pS\n",
			       p, (void *)_RET_IP_);
		else if (around)
			pr_err("BUG: vfree of %p refused: inside the area at %#lx, caller %pS\n",
			       p, around->addr, (void *)_RET_IP_);
		else
			pr_err("BUG: vfree of %p refused: no area there (double free?), caller %pS\n",
			       p, (void *)_RET_IP_);
		return;
	}
	kasan_vfree(p, vm->size, _RET_IP_);
	vm_unmap(vm->addr, vm->nr_pages);
	vm_free_pages(vm, vm->nr_pages);
	vm_free_array(vm);
	vm_desc_free(vm);
}

/* Pages vmalloc holds for its descriptors: 0 when no area is live. */
unsigned long vmalloc_pool_pages(void)
{
	return READ_ONCE(vm_pool_pages);
}

bool is_vmalloc_addr(const void *p)
{
	unsigned long addr = (unsigned long)p;

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}

/* The page mapped at @p in a vmalloc area; NULL outside areas and in guards. */
struct page *vmalloc_to_page(const void *p)
{
	unsigned long addr = (unsigned long)p, irq;
	struct page *page = NULL;
	struct vm_struct *vm;

	if (!is_vmalloc_addr(p))
		return NULL;
	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	vm = find_area_locked(addr, true);
	if (vm)
		page = vm->pages[(addr - vm->addr) >> PAGE_SHIFT];
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	return page;
}

/*
 * Count inconsistencies of the area list: areas inside the vmalloc range,
 * sorted, page aligned, a guard page apart, backed by allocated pages.
 */
int vmalloc_check(void)
{
	unsigned long prev_end = VMALLOC_START, irq, i;
	struct vm_struct *vm;
	int errors = 0;

	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	list_for_each_entry(vm, &vmap_areas, list) {
		if (vm->addr < prev_end || !IS_ALIGNED(vm->addr, PAGE_SIZE) ||
		    vm->size != vm->nr_pages * PAGE_SIZE ||
		    vm->addr + vm->size + PAGE_SIZE > VMALLOC_END) {
			pr_err("area %#lx size %#lx misplaced (previous ends %#lx)\n",
			       vm->addr, vm->size, prev_end);
			errors++;
		}
		for (i = 0; i < vm->nr_pages; i++) {
			const struct page *page = vm->pages[i];

			if (!PageHead(page) || !page_test_flag(page, PG_vmalloc) ||
			    page_order(page)) {
				pr_err("area %#lx page %lu: flags %#lx\n", vm->addr, i,
				       page->flags);
				errors++;
			}
		}
		prev_end = vm->addr + vm->size + PAGE_SIZE;
	}
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
	return errors;
}

/*
 * /proc/vmallocinfo: one line per area, "start-end size caller pages=N
 * vmalloc"; the size and end include the guard page, as Linux's do.
 */
void show_vmallocinfo(void)
{
	unsigned long irq;
	struct vm_struct *vm;

	irq = mm_irq_save();
	mm_spin_lock(&vmap_lock);
	list_for_each_entry(vm, &vmap_areas, list)
		printk(KERN_INFO "0x%016lx-0x%016lx %8lu %pS pages=%lu vmalloc\n",
		       vm->addr, vm->addr + vm->size + PAGE_SIZE,
		       vm->size + PAGE_SIZE, (void *)vm->caller, vm->nr_pages);
	mm_spin_unlock(&vmap_lock);
	mm_irq_restore(irq);
}
