/* SPDX-License-Identifier: MIT */
/*
 * libkmm: kmm's allocators as a library. This umbrella header is all a
 * kernel that links build/libkmm.a needs: setup, the early allocator
 * (memblock), the page allocator, slab caches and kmalloc, vmalloc, the
 * reports and the checkers, with Linux's names and semantics.
 *
 * It defines no generic name: no u64, PAGE_SIZE, min, ALIGN, list_head,
 * BUG_ON, bool or size_t, and includes no other header, so it can follow
 * any kernel's own headers. Its own types and constants are kmm_/KMM_
 * prefixed; the Linux API names (alloc_pages, kmalloc, GFP_*, ...) are not.
 * The hooks a kernel provides are in kmm/port.h; docs/porting.md walks
 * through a port. These two are libkmm's whole public interface and all
 * that `make lib` installs in build/include/kmm/; the other headers beside
 * them in the source tree are kmm's own kernel's, not the library's.
 */
#ifndef KMM_KMM_H
#define KMM_KMM_H

/* A physical address: a number, never a pointer. */
typedef unsigned long kmm_phys_addr_t;

#define KMM_PAGE_SHIFT 12
#define KMM_PAGE_SIZE  (1UL << KMM_PAGE_SHIFT)
/* Protection bits for the map hooks (kmm/port.h). */
#define KMM_PROT_READ  0x1u
#define KMM_PROT_WRITE 0x2u
#define KMM_PROT_EXEC  0x4u
/* The size of struct page: the vmemmap needs this much per 4 KiB of RAM. */
#define KMM_STRUCT_PAGE_SIZE 64UL
/* The KFENCE pool: object pages between guard pages (kmm_layout.kfence_pool_start). */
#define KMM_KFENCE_POOL_SIZE (2UL << 20)

/*
 * The kernel's virtual layout and machine limits, handed to kmm_setup()
 * before any other call. All addresses are virtual unless named _pa. Zero
 * for an optional field picks its default.
 */
struct kmm_layout {
	/* Required. */
	unsigned long direct_map_base;  /* VA of physical 0; all RAM mapped */
	unsigned long direct_map_size;  /* bytes; RAM above is ignored */
	unsigned long vmemmap_base;     /* VA for struct page of pfn 0; nothing
					   mapped: kmm maps what it needs */
	unsigned long vmalloc_start;    /* [start, end): kmm's alone */
	unsigned long vmalloc_end;
	/* Optional. */
	unsigned long image_base;       /* VA of the kernel image, so that __pa */
	kmm_phys_addr_t image_base_pa;  /*   of a static object works (0: none) */
	unsigned long image_size;
	kmm_phys_addr_t zone_dma_end;   /* GFP_DMA below this (16 MiB) */
	kmm_phys_addr_t zone_dma32_end; /* GFP_DMA32 below this (4 GiB) */
	unsigned long kfence_pool_start; /* KMM_KFENCE_POOL_SIZE bytes of
					   virtual space of its own, nothing
					   mapped, for KFENCE; 0: no KFENCE */
	unsigned int nr_cpus;           /* CPUs that call in (1; at most
					   kmm_max_cpus(); more than 1 needs
					   KMM_HOOK_CPU_ID) */
};

/*
 * Check and adopt @layout. Returns 0, or -22 (-EINVAL) after printing what
 * is wrong (overlapping or unaligned ranges, too many CPUs, several CPUs
 * without KMM_HOOK_CPU_ID, a call after mem_init()) and keeping the layout
 * in force, at first none. Call once, before memblock_add().
 */
int kmm_setup(const struct kmm_layout *layout);
/* The most CPUs this build of the library keeps per-CPU state for. */
unsigned int kmm_max_cpus(void);

/* ---- memblock: the boot-time allocator ---------------------------------- */

/*
 * Register RAM (edges trimmed inward to pages), mark a range taken (edges
 * widened outward), forget RAM. 0 or a negative errno.
 */
int memblock_add(kmm_phys_addr_t base, kmm_phys_addr_t size);
int memblock_reserve(kmm_phys_addr_t base, kmm_phys_addr_t size);
int memblock_remove(kmm_phys_addr_t base, kmm_phys_addr_t size);
int memblock_free(kmm_phys_addr_t base, kmm_phys_addr_t size);
/*
 * @size bytes aligned to @align (a power of two), top-down, NOT zeroed (it
 * works before the direct map is complete): the physical address, or 0
 * when nothing fits or memblock has retired.
 */
kmm_phys_addr_t memblock_phys_alloc(kmm_phys_addr_t size, kmm_phys_addr_t align);
/* The same, zeroed, as a direct-map pointer; 0 (NULL) on failure. */
void *memblock_alloc(kmm_phys_addr_t size, kmm_phys_addr_t align);
/*
 * Has mem_init() handed memory to the page allocator? From then on the
 * memblock_*alloc calls fail: allocate with alloc_pages() and friends.
 */
_Bool memblock_is_retired(void);
kmm_phys_addr_t memblock_phys_mem_size(void);
kmm_phys_addr_t memblock_reserved_size(void);
kmm_phys_addr_t memblock_start_of_DRAM(void);
kmm_phys_addr_t memblock_end_of_DRAM(void);
_Bool memblock_is_memory(kmm_phys_addr_t addr);
_Bool memblock_is_reserved(kmm_phys_addr_t addr);
/* Free ranges (memory minus reserved) in order; @idx starts at 0; false when done. */
_Bool memblock_next_free_range(unsigned int *idx, kmm_phys_addr_t *start,
			       kmm_phys_addr_t *end);
/* Print both lists in the style of Linux's memblock=debug. */
void memblock_dump(void);

/*
 * struct pages in the vmemmap for all RAM memblock knows, then every free
 * range into the page allocator; memblock retires. Once, at boot.
 */
void mem_init(void);
/* The slab caches and kmalloc; after mem_init(). */
void kmem_cache_init(void);

/* ---- pages -------------------------------------------------------------- */

typedef unsigned int gfp_t;

#define __GFP_DMA     ((gfp_t)0x01u)
#define __GFP_DMA32   ((gfp_t)0x02u)
#define __GFP_HIGH    ((gfp_t)0x04u) /* may dip below the min watermark */
#define __GFP_ZERO    ((gfp_t)0x08u)
#define __GFP_NOWARN  ((gfp_t)0x10u)
#define __GFP_ATOMIC  ((gfp_t)0x20u)
#define __GFP_COMP    ((gfp_t)0x40u)
/*
 * Fault injection never fails such a call. Nothing here sleeps or reclaims,
 * so there is nothing to retry: real exhaustion still returns NULL.
 */
#define __GFP_NOFAIL  ((gfp_t)0x80u)
/* Only the node asked for (or this CPU's): fail rather than fall back. */
#define __GFP_THISNODE ((gfp_t)0x100u)

#define GFP_KERNEL ((gfp_t)0)
#define GFP_NOWAIT ((gfp_t)0)
#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC)
#define GFP_DMA    __GFP_DMA
#define GFP_DMA32  __GFP_DMA32

/* Blocks are 2^order pages, order 0 .. KMM_MAX_PAGE_ORDER. */
#define KMM_MAX_PAGE_ORDER 10

struct page;

/* 2^order contiguous pages, or NULL (0) with one warning unless __GFP_NOWARN. */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
/* Give a block back. Misuse (double free, wrong order) is reported and refused. */
void __free_pages(struct page *page, unsigned int order);
/*
 * The same from node @nid first (NUMA_NO_NODE: this CPU's node), then the
 * other nodes nearest first; with __GFP_THISNODE from @nid only. NULL on
 * failure, or for a node id that does not exist (with a warning).
 */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
/* Linux's core entry; kmm has no memory policies, so @nodemask must be
 * NULL (all nodes): any other is refused with a warning and NULL. */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   const void *nodemask);
/* The same with direct-map addresses; 0 on failure. */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
/* Free pages in all zones, per-CPU lists included. */
unsigned long nr_free_pages(void);
/* Give this CPU's (or every CPU's) per-CPU pages back to the zones. */
void drain_local_pages(void);
void drain_all_pages(void);

/*
 * Conversions between struct page, pfn and direct-map address (the
 * library's own sources use inline versions of the same).
 */
#ifndef KMM_INTERNAL_PAGE_HELPERS
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);
unsigned long page_to_pfn(const struct page *page);
struct page *pfn_to_page(unsigned long pfn);
/* The node whose memory @page is. */
int page_to_nid(const struct page *page);
#endif
/* Does @pfn have a struct page (RAM known at mem_init)? */
_Bool pfn_valid(unsigned long pfn);

/* ---- slab caches and kmalloc -------------------------------------------- */

#define SLAB_HWCACHE_ALIGN 0x0001u /* align objects to the cache line */
#define SLAB_POISON        0x0002u /* P: poison free objects */
#define SLAB_RED_ZONE      0x0004u /* Z: guard bytes around each object */
#define SLAB_STORE_USER    0x0008u /* U: record who allocated and freed */
#define SLAB_PANIC         0x0010u /* panic if creation fails */
#define SLAB_CONSISTENCY_CHECKS 0x0020u /* F: check on every alloc and free */
#define SLAB_NO_RANDOM     0x0040u /* keep free lists in address order */
#define SLAB_SKIP_KFENCE   0x0080u /* never served from the KFENCE pool */

struct kmem_cache;

/* A cache of @size-byte objects; NULL on failure (or a panic with SLAB_PANIC). */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
/* Live objects are reported and leaked. No other CPU may use @s meanwhile. */
void kmem_cache_destroy(struct kmem_cache *s);
/* An object of @s (NULL when no page can be had); yours until kmem_cache_free. */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp);
/* The same of node @node's memory (NUMA_NO_NODE: this CPU's node); another
 * node's when @node has none, unless __GFP_THISNODE: then NULL. */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node);
/* A pointer that is not a live object of @s is reported and refused. */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* @nr objects into @p: returns nr, or 0 with none kept when memory runs out. */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, unsigned long nr, void **p);
/* Each checked as by kmem_cache_free() (by kfree() when @s is NULL); NULL skipped. */
void kmem_cache_free_bulk(struct kmem_cache *s, unsigned long nr, void **p);
/* kfree() each of @p[0..nr-1] (any caches, large kmallocs; NULL skipped). */
static inline void kfree_bulk(unsigned long nr, void **p)
{
	kmem_cache_free_bulk((struct kmem_cache *)0, nr, p);
}
/* Return empty slabs to the page allocator; pages freed. */
int kmem_cache_shrink(struct kmem_cache *s);

/* kmalloc(0) returns this: not NULL, faults if touched, kfree accepts it. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)
/* Sizes up to this come from slab caches, larger ones from pages. */
#define KMM_KMALLOC_MAX_CACHE_SIZE 16384UL

/* What kmalloc() calls: a size slot ((size - 1) / 8) known at compile time, or any size. */
void *__kmalloc_slot(unsigned long slot, gfp_t gfp, unsigned long size);
void *__kmalloc(unsigned long size, gfp_t gfp);

/*
 * @size bytes, naturally aligned if a power of two, else 8-aligned; NULL
 * when memory runs out or @size is above 4 MiB; ZERO_SIZE_PTR for 0. Yours
 * until kfree(). A size the compiler knows picks its cache here.
 */
static inline __attribute__((always_inline)) void *kmalloc(unsigned long size, gfp_t gfp)
{
#ifndef KMM_KASAN /* KASAN wants the exact size, which __kmalloc has */
	if (__builtin_constant_p(size) && size && size <= KMM_KMALLOC_MAX_CACHE_SIZE &&
	    !(gfp & (__GFP_DMA | __GFP_DMA32)))
		return __kmalloc_slot((size - 1) / 8, gfp, size);
#endif
	return __kmalloc(size, gfp);
}

void *kzalloc(unsigned long size, gfp_t gfp);
/* kmalloc() of node @node's memory, with kmem_cache_alloc_node()'s fallback. */
void *kmalloc_node(unsigned long size, gfp_t gfp, int node);
void *kcalloc(unsigned long n, unsigned long size, gfp_t gfp);
void *krealloc(const void *p, unsigned long new_size, gfp_t gfp);
/* A pointer kmalloc did not return (or one freed already) is reported and refused. */
void kfree(const void *p);
/* The usable size of a kmalloc'd object (>= what was asked for). */
unsigned long ksize(const void *p);
/* Has kmem_cache_init() run? */
_Bool slab_is_available(void);
/* Linux's slab_debug= syntax ("FZPU", "P,kmalloc-64"); 0 or -22. */
int slab_debug_setup(const char *arg);
/* After kmem_cache_init(): warn about each slab_debug= cache name that matches no cache; returns how many. */
int slab_debug_check_names(void);

/* ---- vmalloc ------------------------------------------------------------ */

/* @size bytes (rounded up to pages) of virtually contiguous memory, or NULL. */
void *vmalloc(unsigned long size);
/* vmalloc with the pages' GFP flags (__GFP_NOWARN: no failure warning). */
void *__vmalloc(unsigned long size, gfp_t gfp);
void *vzalloc(unsigned long size);
/* Anything vmalloc did not return is reported and refused. */
void vfree(const void *addr);
_Bool is_vmalloc_addr(const void *addr);
struct page *vmalloc_to_page(const void *addr);

/* ---- NUMA topology (Linux's x86 names) ---------------------------------- */

/*
 * Before mem_init(), a port with several nodes says which node owns each
 * range of RAM and each CPU, and how far apart nodes are (ACPI SLIT units:
 * 10 to itself). Node ids are dense, below MAX_NUMNODES. Nothing registered:
 * one node, 0. numa_reset() forgets it all again (a bad firmware table,
 * numa=off). Each call returns 0, or -EINVAL after a warning naming what is
 * wrong (a node id out of range, an empty or overlapping range, a distance
 * below 11 between two nodes); numa_add_memblk() -ENOSPC past 64 ranges.
 */
#define MAX_NUMNODES    8
#define NUMA_NO_NODE    (-1)
#define LOCAL_DISTANCE  10
#define REMOTE_DISTANCE 20
int numa_add_memblk(int nid, kmm_phys_addr_t start, kmm_phys_addr_t end);
int numa_set_distance(int from, int to, int distance);
int numa_set_node(unsigned int cpu, int nid);
void numa_reset(void);
/* The node of @cpu (NUMA_NO_NODE past kmm_max_cpus()); the distance from
 * node @from to node @to (255 for a node id out of range). */
int cpu_to_node(unsigned int cpu);
int node_distance(int from, int to);
/* This CPU's node. */
int numa_node_id(void);
/* After mem_init(): is node @nid online (it has memory or a CPU), and how
 * many are; before it, node 0 alone. */
_Bool node_online(int nid);
unsigned int num_online_nodes(void);
/* Free pages of node @nid, per-CPU lists included (0 for no such node). */
unsigned long numa_node_free_pages(int nid);
/* numastat's counters of one node, in allocations (Linux's meanings). */
struct kmm_numa_stat {
	unsigned long numa_hit;       /* here, and here was preferred */
	unsigned long numa_miss;      /* here, another node was preferred */
	unsigned long numa_foreign;   /* preferred here, taken elsewhere */
	unsigned long interleave_hit; /* always 0: no interleave policy */
	unsigned long local_node;     /* here, by a CPU of this node */
	unsigned long other_node;     /* here, by a CPU of another node */
};
/* 0, or -22 (-EINVAL) for a node id out of range. */
int numa_node_stat(int nid, struct kmm_numa_stat *st);

/* ---- checkers and reports ----------------------------------------------- */

/*
 * Each walks everything it owns and returns the number of inconsistencies
 * found, printing each: 0 is healthy. slab_check() and slab_check_all()
 * read other CPUs' magazines: no other CPU may use the caches meanwhile.
 */
int buddy_check(void);
int slab_check(struct kmem_cache *s);
int slab_check_all(void);
int vmalloc_check(void);

/* What show_meminfo() asks the port (KMM_HOOK_MEMINFO in kmm/port.h). */
struct kmm_port_meminfo {
	unsigned long direct_map_4k; /* number of 4 KiB direct-map mappings */
	unsigned long direct_map_2m; /* 2 MiB */
	unsigned long direct_map_1g; /* 1 GiB */
	unsigned long pagetable_pages;
};

/* /proc/buddyinfo, /proc/meminfo and /proc/slabinfo (2.1) formats. */
void show_buddyinfo(void);
void show_meminfo(void);
/* numastat(8)'s table of every online node; one node's meminfo
 * (/sys/devices/system/node/nodeN/meminfo: MemTotal, MemFree, MemUsed). */
void show_numastat(void);
void show_node_meminfo(int nid);
void show_slabinfo(void);
/* /proc/pagetypeinfo, /proc/zoneinfo (per-CPU lists of the first nr_cpus
 * CPUs) and /proc/vmallocinfo formats. */
void show_pagetypeinfo(void);
void show_zoneinfo(unsigned int nr_cpus);
void show_vmallocinfo(void);
/* What page @pfn is (zone, order, owner, flags), as Linux's dump_page();
 * @addr, if not 0, is the address asked about, @reason a heading or NULL. */
void dump_page_pfn(unsigned long pfn, unsigned long addr, const char *reason);

/* ---- KFENCE (docs/kfence.md) ---------------------------------------------- */

/* kfence.sample_interval=N: sample 1 in N slab allocations per CPU, 0: off.
 * Before kfence_init(); 0, or -EINVAL for a malformed number. */
int kfence_sample_interval_setup(const char *arg);
/* Set up the pool in kmm_layout.kfence_pool_start; after kmem_cache_init(). */
void kfence_init(void);
/* From the page-fault handler: true if @addr was KFENCE's (reported, and
 * the page made accessible: retry the access), false for any other fault. */
_Bool kfence_handle_page_fault(unsigned long addr, _Bool is_write,
			       unsigned long ip, unsigned long bp);
/* Print /sys/kernel/debug/kfence/stats. */
void kfence_show_stats(void);

/* Switches, set before mem_init(): page_poison=1, slab_random=0. */
extern _Bool page_poisoning_enabled;
extern _Bool slab_freelist_random;

#endif /* KMM_KMM_H */
