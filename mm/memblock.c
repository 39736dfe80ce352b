// SPDX-License-Identifier: MIT
/*
 * memblock: the boot-time memory allocator.
 *
 * Theory of operation
 * -------------------
 * Two tables of page-aligned [base, base + size) ranges, each sorted by base,
 * never overlapping and never touching (adjacent ranges are merged):
 *
 *   memblock.memory    RAM that exists        |#####|   |##########|  |###|
 *   memblock.reserved  what is taken            |#|        |##|  |#######|
 *   free = memory - reserved                  |#| |#|   |##|  |##|
 *
 * memory edges are trimmed inward to whole pages (a partial page is not RAM
 * we can use); reserved edges are widened outward (a partial reservation
 * still takes its page). memblock_phys_alloc() is a bump allocator done the
 * way kernels do it: it searches free space top-down below memblock.limit,
 * takes the highest fit, and records it in reserved; nothing is ever freed
 * back by ordinary users. Top-down keeps low memory, which DMA-limited
 * devices need, free for as long as possible.
 *
 * memblock_add_map() turns a firmware memory map into the memory table. Maps
 * are untrusted: entries may be unsorted, overlapping, empty, unaligned,
 * wrapping around 2^64, beyond the physical address limit, or too many.
 * Each anomaly is survived and warned about exactly once.
 *
 * When mem_init() has handed free memory to the buddy allocator, memblock
 * retires: later allocations are refused with a warning (the memory belongs
 * to the buddy). The tables stay readable for reports.
 *
 * Contexts and locking: boot only, one CPU, no interrupts; no lock.
 */
#define pr_fmt(fmt) "memblock: " fmt
#include "mm/memblock.h"
#include "mm/internal.h"
#include "kmm/memmap.h"
#include "kmm/string.h"

struct memblock memblock = {
	.memory.name = "memory",
	.reserved.name = "reserved",
};

static bool retired;

static inline phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Insert [base, end) into @t, merging with whatever it overlaps or touches. */
static int type_add(struct memblock_type *t, phys_addr_t base, phys_addr_t end)
{
	struct memblock_region *r = t->regions;
	unsigned int i, j;

	for (i = 0; i < t->cnt && region_end(&r[i]) < base; i++)
		;
	for (j = i; j < t->cnt && r[j].base <= end; j++) {
		base = min(base, r[j].base);
		end = max(end, region_end(&r[j]));
	}
	if (j == i) {
		if (t->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOSPC;
		memmove(&r[i + 1], &r[i], (t->cnt - i) * sizeof(*r));
		t->cnt++;
	} else {
		memmove(&r[i + 1], &r[j], (t->cnt - j) * sizeof(*r));
		t->cnt -= j - i - 1;
	}
	r[i].base = base;
	r[i].size = end - base;
	r[i].nid = 0;
	return 0;
}

/*
 * Cut [base, end) out of @t; a cut in the middle of a range splits it. When
 * the table is full and a split is needed, @lose_tail says what is safe:
 * for memory, dropping the part above the cut (RAM lost, never RAM invented);
 * for reservations, nothing (-ENOSPC, the range stays reserved).
 */
static int type_remove(struct memblock_type *t, phys_addr_t base, phys_addr_t end,
		       bool lose_tail)
{
	struct memblock_region *r = t->regions;
	unsigned int i;

	for (i = 0; i < t->cnt; i++) {
		phys_addr_t rb = r[i].base, re = region_end(&r[i]);

		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) {
			if (t->cnt == MEMBLOCK_MAX_REGIONS) {
				if (!lose_tail)
					return -ENOSPC;
				pr_warn("%s table full: dropping [%#018lx-%#018lx] to cut out [%#018lx-%#018lx]\n",
					t->name, end, re - 1, base, end - 1);
				r[i].size = base - rb;
				return -ENOSPC;
			}
			memmove(&r[i + 2], &r[i + 1], (t->cnt - i - 1) * sizeof(*r));
			t->cnt++;
			r[i].size = base - rb;
			r[i + 1].base = end;
			r[i + 1].size = re - end;
			return 0;
		}
		if (rb < base) {
			r[i].size = base - rb;
		} else if (re > end) {
			r[i].base = end;
			r[i].size = re - end;
		} else {
			memmove(&r[i], &r[i + 1], (t->cnt - i - 1) * sizeof(*r));
			t->cnt--;
			i--;
		}
	}
	return 0;
}

/* Split @t's region holding @pa (not at its start) in two at @pa. */
static int type_split(struct memblock_type *t, phys_addr_t pa)
{
	struct memblock_region *r = t->regions;
	unsigned int i;

	for (i = 0; i < t->cnt; i++) {
		if (pa <= r[i].base || pa >= region_end(&r[i]))
			continue;
		if (t->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOSPC;
		memmove(&r[i + 1], &r[i], (t->cnt - i) * sizeof(*r));
		t->cnt++;
		r[i].size = pa - r[i].base;
		r[i + 1].base = pa;
		r[i + 1].size -= r[i].size;
		return 0;
	}
	return 0;
}

int memblock_set_node(phys_addr_t base, phys_addr_t size, int nid)
{
	struct memblock_type *t = &memblock.memory;
	phys_addr_t end = base + size;
	unsigned int i;

	if (type_split(t, base) || type_split(t, end)) {
		pr_warn("memblock: no room to split memory at node %d's edges [%#018lx-%#018lx]\n",
			nid, base, end - 1);
		return -ENOSPC;
	}
	for (i = 0; i < t->cnt; i++)
		if (t->regions[i].base >= base && region_end(&t->regions[i]) <= end)
			t->regions[i].nid = nid;
	return 0;
}

/* Clip [base, base + size) to the physical address limit; false if empty. */
static bool clip_range(phys_addr_t base, phys_addr_t size, phys_addr_t *end)
{
	if (base >= MM_MAX_PHYS_ADDR || size == 0)
		return false;
	*end = size > MM_MAX_PHYS_ADDR - base ? MM_MAX_PHYS_ADDR : base + size;
	return true;
}

static void debug_log(const char *what, phys_addr_t base, phys_addr_t end,
		      unsigned long caller)
{
	if (memblock.debug)
		pr_debug("%s: [%#018lx-%#018lx] %pS\n", what, base, end - 1,
			 (void *)caller);
}

static int add_range(phys_addr_t base, phys_addr_t size, unsigned long caller)
{
	phys_addr_t end;

	if (!clip_range(base, size, &end))
		return size ? -ERANGE : 0;
	base = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (base >= end)
		return 0;
	debug_log("memblock_add", base, end, caller);
	return type_add(&memblock.memory, base, end);
}

/* Register RAM. Unaligned edges are trimmed inward. 0, -ERANGE or -ENOSPC. */
int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return add_range(base, size, _RET_IP_);
}

/* Mark a range taken, widened to whole pages. 0, -ERANGE or -ENOSPC. */
int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	phys_addr_t end;

	if (!clip_range(base, size, &end))
		return size ? -ERANGE : 0;
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	debug_log("memblock_reserve", base, end, _RET_IP_);
	return type_add(&memblock.reserved, base, end);
}

static int remove_range(struct memblock_type *t, phys_addr_t base,
			phys_addr_t size, const char *what, unsigned long caller)
{
	phys_addr_t end;

	if (!clip_range(base, size, &end))
		return 0;
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	debug_log(what, base, end, caller);
	return type_remove(t, base, end, t == &memblock.memory);
}

/*
 * Forget RAM (whole pages touched by the range). 0, or -ENOSPC when the
 * table was full: then RAM above the range was forgotten too, never less.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.memory, base, size, "memblock_remove",
			    _RET_IP_);
}

/* Drop a reservation (whole pages touched by the range). 0 or -ENOSPC. */
int memblock_free(phys_addr_t base, phys_addr_t size)
{
	return remove_range(&memblock.reserved, base, size, "memblock_free",
			    _RET_IP_);
}

/*
 * The highest @align-aligned address of @size free bytes below @limit, or 0.
 * Walks memory ranges from the top; inside each, the gaps between
 * reservations from the top. Page 0 is never handed out (0 means failure).
 */
static phys_addr_t find_top_down(phys_addr_t size, phys_addr_t align,
				 phys_addr_t limit)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *res = &memblock.reserved;
	unsigned int i, j = res->cnt;

	for (i = mem->cnt; i-- > 0;) {
		phys_addr_t floor = max(mem->regions[i].base, (phys_addr_t)PAGE_SIZE);
		phys_addr_t hi = min(region_end(&mem->regions[i]), limit);

		while (hi > floor) {
			phys_addr_t lo = floor, cand;

			while (j > 0 && res->regions[j - 1].base >= hi)
				j--;
			if (j > 0 && region_end(&res->regions[j - 1]) > lo)
				lo = region_end(&res->regions[j - 1]);
			if (lo < hi && hi - lo >= size) {
				cand = ALIGN_DOWN(hi - size, align);
				if (cand >= lo)
					return cand;
			}
			if (j == 0)
				break;
			hi = res->regions[j - 1].base;
		}
	}
	return 0;
}

static phys_addr_t phys_alloc(phys_addr_t size, phys_addr_t align,
			      unsigned long caller, bool quiet)
{
	phys_addr_t limit = memblock.limit ? memblock.limit : MM_MAX_PHYS_ADDR;
	phys_addr_t pa;

	if (retired) {
		pr_warn("allocation of %#lx bytes after mem_init() refused, caller %pS\n",
			size, (void *)caller);
		return 0;
	}
	if (size == 0 || size > MM_MAX_PHYS_ADDR || (align & (align - 1))) {
		pr_warn("bad allocation request size %#lx align %#lx, caller %pS\n",
			size, align, (void *)caller);
		return 0;
	}
	align = max(align, (phys_addr_t)PAGE_SIZE);
	size = ALIGN_UP(size, PAGE_SIZE);
	pa = find_top_down(size, align, limit);
	if (!pa) {
		if (quiet)
			return 0;
		pr_warn("out of memory: %#lx bytes align %#lx below %#lx, caller %pS\n",
			size, align, limit, (void *)caller);
		return 0;
	}
	if (type_add(&memblock.reserved, pa, pa + size)) {
		pr_warn("reserved table full, caller %pS\n", (void *)caller);
		return 0;
	}
	debug_log("memblock_alloc", pa, pa + size, caller);
	return pa;
}

/* Boot memory by physical address, not zeroed (there may be no map yet). 0 on failure. */
phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return phys_alloc(size, align, _RET_IP_, false);
}

phys_addr_t memblock_phys_alloc_try(phys_addr_t size, phys_addr_t align)
{
	return phys_alloc(size, align, _RET_IP_, true);
}

/* Zeroed boot memory through the direct map; NULL on failure. Never freed. */
void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	phys_addr_t pa = phys_alloc(size, align, _RET_IP_, false);
	void *p;

	if (!pa)
		return NULL;
	p = __va(pa);
	memset(p, 0, ALIGN_UP(size, PAGE_SIZE));
	return p;
}

static phys_addr_t type_total(const struct memblock_type *t)
{
	phys_addr_t sum = 0;
	unsigned int i;

	for (i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	return sum;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return type_total(&memblock.memory);
}

phys_addr_t memblock_reserved_size(void)
{
	return type_total(&memblock.reserved);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM(void)
{
	const struct memblock_type *t = &memblock.memory;

	return t->cnt ? region_end(&t->regions[t->cnt - 1]) : 0;
}

static bool type_contains(const struct memblock_type *t, phys_addr_t addr)
{
	unsigned int lo = 0, hi = t->cnt;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (addr < t->regions[mid].base)
			hi = mid;
		else if (addr >= region_end(&t->regions[mid]))
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

bool memblock_is_memory(phys_addr_t addr)
{
	return type_contains(&memblock.memory, addr);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return type_contains(&memblock.reserved, addr);
}

/*
 * The cursor *@idx packs (memory index << 16 | reserved index): the free
 * range starts at the end of reservation j - 1 (or the memory range's base)
 * and ends at reservation j (or the memory range's end).
 */
bool memblock_next_free_range(unsigned int *idx, phys_addr_t *start,
			      phys_addr_t *end)
{
	const struct memblock_type *mem = &memblock.memory;
	const struct memblock_type *res = &memblock.reserved;
	unsigned int i = *idx >> 16, j = *idx & 0xffff;

	while (i < mem->cnt) {
		phys_addr_t lo = mem->regions[i].base;
		phys_addr_t hi = region_end(&mem->regions[i]);

		if (j > 0)
			lo = max(lo, region_end(&res->regions[j - 1]));
		while (j < res->cnt && region_end(&res->regions[j]) <= lo)
			j++;
		if (j < res->cnt && res->regions[j].base <= lo) {
			j++; /* lo is reserved: resume after this reservation */
			continue;
		}
		if (lo >= hi) {
			i++;
			continue;
		}
		if (j < res->cnt && res->regions[j].base < hi) {
			*start = lo;
			*end = res->regions[j].base;
			*idx = i << 16 | (j + 1);
		} else {
			*start = lo;
			*end = hi;
			*idx = (i + 1) << 16 | j;
		}
		return true;
	}
	return false;
}

static void warn_entry(unsigned int i, const struct boot_mem_range *r,
		       const char *what)
{
	pr_warn("map entry %u [%#018lx+%#lx] %s\n", i, r->base, r->size, what);
}

static bool entries_overlap(const struct boot_mem_range *a,
			    const struct boot_mem_range *b)
{
	phys_addr_t ae, be;

	if (!clip_range(a->base, a->size, &ae) || !clip_range(b->base, b->size, &be))
		return false;
	return a->base < be && b->base < ae;
}

/*
 * Build the memory table from a firmware map (usable entries add RAM; any
 * other type overlapping RAM removes it: the restrictive type wins). Each
 * anomaly is warned about once and survived.
 */
void memblock_add_map(const struct boot_mem_range *map, unsigned int nr)
{
	unsigned int i, k, dropped = 0;

	for (i = 0; i < nr; i++) {
		const struct boot_mem_range *r = &map[i];
		phys_addr_t end;

		if (r->size == 0) {
			warn_entry(i, r, "is empty, ignored");
			continue;
		}
		if (i > 0 && map[i - 1].size && r->base < map[i - 1].base)
			warn_entry(i, r, "is out of order");
		if (!clip_range(r->base, r->size, &end)) {
			warn_entry(i, r, "lies beyond the physical address limit, ignored");
			continue;
		}
		if (end - r->base != r->size)
			warn_entry(i, r, "runs past the physical address limit, clipped");
		for (k = 0; k < i; k++) {
			if (entries_overlap(r, &map[k])) {
				warn_entry(i, r, map[k].type == r->type ?
					   "overlaps an earlier entry, merged" :
					   "overlaps an earlier entry of another type");
				break;
			}
		}
		if (r->type != BOOT_MEM_USABLE)
			continue;
		if (!IS_ALIGNED(r->base | end, PAGE_SIZE))
			warn_entry(i, r, "is not page aligned, trimmed");
		if (add_range(r->base, end - r->base, _RET_IP_) == -ENOSPC)
			dropped++;
	}
	for (i = 0; i < nr; i++) {
		const struct boot_mem_range *r = &map[i];

		if (r->type != BOOT_MEM_USABLE && r->size &&
		    memblock_remove(r->base, r->size) == -ENOSPC)
			dropped++;
	}
	if (dropped)
		pr_warn("memory map has more ranges than the %u we track: %u ignored\n",
			MEMBLOCK_MAX_REGIONS, dropped);
}

static void dump_type(const struct memblock_type *t)
{
	unsigned int i;

	pr_info(" %s.cnt = %#x, total %lu KiB\n", t->name, t->cnt,
		(unsigned long)(type_total(t) >> 10));
	for (i = 0; i < t->cnt; i++) {
		if (t == &memblock.memory)
			pr_info(" %s[%u]\t[%#018lx-%#018lx], %#018lx bytes on node %d\n",
				t->name, i, t->regions[i].base,
				region_end(&t->regions[i]) - 1, t->regions[i].size,
				t->regions[i].nid);
		else
			pr_info(" %s[%u]\t[%#018lx-%#018lx], %#018lx bytes\n", t->name,
				i, t->regions[i].base, region_end(&t->regions[i]) - 1,
				t->regions[i].size);
	}
}

/* Print both tables (memblock=debug does so at mem_init). */
void memblock_dump(void)
{
	pr_info("memory size = %#lx reserved size = %#lx\n",
		memblock_phys_mem_size(), memblock_reserved_size());
	dump_type(&memblock.memory);
	dump_type(&memblock.reserved);
}

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.limit = 0;
	retired = false;
}

void memblock_retire(void)
{
	retired = true;
}

bool memblock_is_retired(void)
{
	return retired;
}
