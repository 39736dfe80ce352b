// SPDX-License-Identifier: MIT
/*
 * The monitor shell's commands: reports, allocations by hand, checks.
 *
 * Allocations made here are remembered in a small table (shell_allocs) so
 * that a free command can be checked before it reaches the allocator:
 *
 *   - an address the shell never handed out (or a random number, or memory
 *     outside RAM) is refused by the shell with one line: the shell frees
 *     only what it allocated, so nothing typed can free the kernel's own
 *     memory;
 *   - an address the shell did hand out -- live, or freed since and not yet
 *     forgotten, or inside a live allocation -- goes to the API as typed,
 *     so its misuse (double free, interior pointer, wrong order, the wrong
 *     free function) is reported and refused by the API's own checks, in
 *     the API's own words.
 *
 * A freed address is remembered only until the next command that allocates
 * anything (kmalloc, alloc_pages, vmalloc, cache create/alloc, stress,
 * ktest): after that its memory may belong to someone else, and freeing it
 * again would no longer be a double free but a free of a stranger's memory.
 */
#include "kernel/shell.h"
#include "kernel/shell_internal.h"
#include "kernel/ktest.h"
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/errno.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ptdump.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/smp.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/inspect.h"

/* ---- what the shell allocated --------------------------------------------- */

enum shell_alloc_kind { SA_KMALLOC, SA_PAGES, SA_VMALLOC, SA_CACHE };

struct shell_alloc {
	bool used, live;
	enum shell_alloc_kind kind;
	unsigned long addr, size;
	unsigned int order;          /* SA_PAGES */
	struct kmem_cache *cache;    /* SA_CACHE */
};

#define SHELL_MAX_ALLOCS 4096
static struct shell_alloc shell_allocs[SHELL_MAX_ALLOCS];

#define SHELL_MAX_CACHES 8
struct shell_cache {
	struct kmem_cache *s;
	char name[32];
};
static struct shell_cache shell_caches[SHELL_MAX_CACHES];

/* Forget freed addresses: something is about to allocate. */
void shell_forget_freed(void)
{
	unsigned int i;

	for (i = 0; i < SHELL_MAX_ALLOCS; i++)
		if (shell_allocs[i].used && !shell_allocs[i].live)
			shell_allocs[i].used = false;
}

static struct shell_alloc *record_slot(const char *cmd)
{
	unsigned int i;

	for (i = 0; i < SHELL_MAX_ALLOCS; i++)
		if (!shell_allocs[i].used)
			return &shell_allocs[i];
	printk(KERN_INFO "%s: the shell keeps at most %u allocations: free some first\n",
	       cmd, SHELL_MAX_ALLOCS);
	return NULL;
}

static void record(struct shell_alloc *r, enum shell_alloc_kind kind,
		   unsigned long addr, unsigned long size, unsigned int order,
		   struct kmem_cache *cache)
{
	*r = (struct shell_alloc){ .used = true, .live = true, .kind = kind,
				   .addr = addr, .size = size, .order = order,
				   .cache = cache };
}

/*
 * The record @addr belongs to: one that starts there, or a live one that
 * contains it. NULL, after printing the refusal, when there is none.
 */
static struct shell_alloc *lookup(const char *cmd, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < SHELL_MAX_ALLOCS; i++)
		if (shell_allocs[i].used && shell_allocs[i].addr == addr)
			return &shell_allocs[i];
	for (i = 0; i < SHELL_MAX_ALLOCS; i++) {
		struct shell_alloc *r = &shell_allocs[i];

		if (r->used && r->live && addr > r->addr && addr - r->addr < r->size)
			return r;
	}
	printk(KERN_INFO "%s: %#lx was not allocated from this shell: refused\n",
	       cmd, addr);
	return NULL;
}

/* After the API call: mark @r freed when the call was a legitimate free. */
static void settle(struct shell_alloc *r, unsigned long addr, bool legit)
{
	if (legit && r->live && r->addr == addr)
		r->live = false;
}

/* ---- reports ---------------------------------------------------------------- */

static int cmd_buddyinfo(int argc, char **argv)
{
	show_buddyinfo();
	return 0;
}

static int cmd_pagetypeinfo(int argc, char **argv)
{
	show_pagetypeinfo();
	return 0;
}

static int cmd_zoneinfo(int argc, char **argv)
{
	show_zoneinfo(num_online_cpus());
	return 0;
}

static int cmd_meminfo(int argc, char **argv)
{
	show_meminfo();
	return 0;
}

static int cmd_numastat(int argc, char **argv)
{
	show_numastat();
	return 0;
}

static int cmd_slabinfo(int argc, char **argv)
{
	show_slabinfo();
	return 0;
}

static int cmd_vmallocinfo(int argc, char **argv)
{
	show_vmallocinfo();
	return 0;
}

static int cmd_layout(int argc, char **argv)
{
	layout_map_show();
	return 0;
}

static int cmd_ptdump(int argc, char **argv)
{
	unsigned long start, end;

	if (argc == 1) {
		ptdump_show_kernel();
		return 0;
	}
	if (argc != 3)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("ptdump", "start", argv[1], false, &start) ||
	    shell_arg_ulong("ptdump", "end", argv[2], false, &end))
		return -EINVAL;
	if (ptdump_show_range(start, end)) {
		printk(KERN_INFO "ptdump: [%#lx, %#lx) is not a page-aligned range in the kernel half (from %#lx)\n",
		       start, end, (unsigned long)KERNEL_SPACE_START);
		return -EINVAL;
	}
	return 0;
}

/*
 * The pfn an address or pfn argument names: addresses are in the kernel half
 * (direct map, vmalloc, kernel image, at this boot's bases), anything lower
 * is a pfn. Under KASLR the direct map may start far above the kernel half,
 * so PAGE_OFFSET is not the boundary.
 */
static int arg_pfn(const char *cmd, const char *s, unsigned long *pfn,
		   unsigned long *addr)
{
	unsigned long v;

	if (shell_arg_ulong(cmd, "pfn or address", s, false, &v))
		return -EINVAL;
	*addr = 0;
	if (v < KERNEL_SPACE_START) {
		*pfn = v;
	} else if (v >= PAGE_OFFSET && v < DIRECT_MAP_END) {
		*pfn = PHYS_PFN(v - PAGE_OFFSET);
		*addr = v;
	} else if (v >= __START_KERNEL_map && v < __START_KERNEL_map + KERNEL_IMAGE_SIZE) {
		*pfn = PHYS_PFN(v - __START_KERNEL_map);
		*addr = v;
	} else if (is_vmalloc_addr((void *)v)) {
		struct page *page = vmalloc_to_page((void *)v);

		if (!page) {
			printk(KERN_INFO "%s: %#lx is in no vmalloc area\n", cmd, v);
			return -EINVAL;
		}
		*pfn = page_to_pfn(page);
	} else {
		printk(KERN_INFO "%s: %#lx is not a direct-map, vmalloc or kernel-image address\n",
		       cmd, v);
		return -EINVAL;
	}
	if (!pfn_valid(*pfn)) {
		printk(KERN_INFO "%s: pfn %#lx is outside RAM\n", cmd, *pfn);
		return -EINVAL;
	}
	return 0;
}

static int cmd_page(int argc, char **argv)
{
	unsigned long pfn, addr;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (arg_pfn("page", argv[1], &pfn, &addr))
		return -EINVAL;
	dump_page_pfn(pfn, addr, "shell page command");
	return 0;
}

static int cmd_vtop(int argc, char **argv)
{
	unsigned long va;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("vtop", "address", argv[1], false, &va))
		return -EINVAL;
	ptdump_show_walk(va);
	return 0;
}

/* ---- allocations by hand ------------------------------------------------------- */

static int cmd_kmalloc(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long size;
	void *p;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("kmalloc", "size", argv[1], true, &size))
		return -EINVAL;
	shell_forget_freed();
	if (!(r = record_slot("kmalloc")))
		return -ENOMEM;
	p = kmalloc(size, GFP_KERNEL);
	if (!p) {
		printk(KERN_INFO "kmalloc(%lu) = NULL\n", size);
		return -ENOMEM;
	}
	if (p != ZERO_SIZE_PTR)
		record(r, SA_KMALLOC, (unsigned long)p, size, 0, NULL);
	printk(KERN_INFO "kmalloc(%lu) = %p (ksize %zu)\n", size, p, ksize(p));
	return 0;
}

/* The address argument of a free command and the shell's record of it. */
static struct shell_alloc *free_target(const char *cmd, const char *s,
				       unsigned long *addr)
{
	if (shell_arg_ulong(cmd, "address", s, false, addr))
		return NULL;
	return lookup(cmd, *addr);
}

static int cmd_kfree(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long addr;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (!(r = free_target("kfree", argv[1], &addr)))
		return -EINVAL;
	kfree((void *)addr);
	settle(r, addr, r->kind == SA_KMALLOC || r->kind == SA_CACHE);
	printk(KERN_INFO "kfree(%#lx) returned\n", addr);
	return 0;
}

static int cmd_alloc_pages(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long order, addr;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("alloc_pages", "order", argv[1], false, &order))
		return -EINVAL;
	if (order > MAX_PAGE_ORDER) {
		printk(KERN_INFO "alloc_pages: order %lu is above MAX_PAGE_ORDER (%u)\n",
		       order, MAX_PAGE_ORDER);
		return -EINVAL;
	}
	shell_forget_freed();
	if (!(r = record_slot("alloc_pages")))
		return -ENOMEM;
	addr = __get_free_pages(GFP_KERNEL, (unsigned int)order);
	if (!addr) {
		printk(KERN_INFO "alloc_pages(order %lu) = NULL\n", order);
		return -ENOMEM;
	}
	record(r, SA_PAGES, addr, PAGE_SIZE << order, (unsigned int)order, NULL);
	printk(KERN_INFO "alloc_pages(order %lu) = %#lx (pfn %#lx, %lu pages)\n",
	       order, addr, PHYS_PFN(addr - PAGE_OFFSET), 1UL << order);
	return 0;
}

static int cmd_free_pages(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long addr, order;

	if (argc != 3)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("free_pages", "order", argv[2], false, &order))
		return -EINVAL;
	if (order > 31) {
		printk(KERN_INFO "free_pages: order %lu is out of range\n", order);
		return -EINVAL;
	}
	if (!(r = free_target("free_pages", argv[1], &addr)))
		return -EINVAL;
	free_pages(addr, (unsigned int)order);
	settle(r, addr, r->kind == SA_PAGES && r->order == order);
	printk(KERN_INFO "free_pages(%#lx, %lu) returned\n", addr, order);
	return 0;
}

static int cmd_vmalloc(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long size;
	void *p;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (shell_arg_ulong("vmalloc", "size", argv[1], true, &size))
		return -EINVAL;
	shell_forget_freed();
	if (!(r = record_slot("vmalloc")))
		return -ENOMEM;
	p = vmalloc(size);
	if (!p) {
		printk(KERN_INFO "vmalloc(%lu) = NULL\n", size);
		return -ENOMEM;
	}
	record(r, SA_VMALLOC, (unsigned long)p, size, 0, NULL);
	printk(KERN_INFO "vmalloc(%lu) = %p\n", size, p);
	return 0;
}

static int cmd_vfree(int argc, char **argv)
{
	struct shell_alloc *r;
	unsigned long addr;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (!(r = free_target("vfree", argv[1], &addr)))
		return -EINVAL;
	vfree((void *)addr);
	settle(r, addr, r->kind == SA_VMALLOC);
	printk(KERN_INFO "vfree(%#lx) returned\n", addr);
	return 0;
}

/* ---- caches ----------------------------------------------------------------------- */

static struct shell_cache *cache_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < SHELL_MAX_CACHES; i++)
		if (shell_caches[i].s && !strcmp(shell_caches[i].name, name))
			return &shell_caches[i];
	return NULL;
}

static int cache_create(int argc, char **argv)
{
	struct shell_cache *c = NULL;
	unsigned long size;
	unsigned int i;

	if (argc != 4) {
		printk(KERN_INFO "cache: usage: cache create NAME SIZE\n");
		return -EINVAL;
	}
	if (strlen(argv[2]) >= sizeof(c->name)) {
		printk(KERN_INFO "cache: name '%s' is longer than %zu characters\n",
		       argv[2], sizeof(c->name) - 1);
		return -EINVAL;
	}
	if (cache_named(argv[2])) {
		printk(KERN_INFO "cache: %s exists already\n", argv[2]);
		return -EEXIST;
	}
	if (shell_arg_ulong("cache", "size", argv[3], true, &size))
		return -EINVAL;
	if (size == 0 || size > 0xffffffffUL) {
		printk(KERN_INFO "cache: object size %lu is out of range\n", size);
		return -EINVAL;
	}
	for (i = 0; i < SHELL_MAX_CACHES && !c; i++)
		if (!shell_caches[i].s)
			c = &shell_caches[i];
	if (!c) {
		printk(KERN_INFO "cache: the shell keeps at most %u caches\n",
		       SHELL_MAX_CACHES);
		return -ENOMEM;
	}
	shell_forget_freed();
	c->s = kmem_cache_create(argv[2], (unsigned int)size, 0, 0, NULL);
	if (!c->s) {
		printk(KERN_INFO "cache: kmem_cache_create(%s, %lu) failed\n", argv[2], size);
		return -ENOMEM;
	}
	strlcpy(c->name, argv[2], sizeof(c->name));
	printk(KERN_INFO "cache: created %s, object size %lu\n", c->name, size);
	return 0;
}

static int cmd_cache(int argc, char **argv)
{
	struct shell_cache *c;
	struct shell_alloc *r;
	unsigned long addr;
	unsigned int i;
	void *p;

	if (argc < 2)
		return shell_usage(shell_find(argv[0]));
	if (!strcmp(argv[1], "create"))
		return cache_create(argc, argv);
	if (strcmp(argv[1], "destroy") && strcmp(argv[1], "alloc") &&
	    strcmp(argv[1], "free")) {
		printk(KERN_INFO "cache: unknown subcommand '%s' (create, destroy, alloc, free)\n",
		       argv[1]);
		return -EINVAL;
	}
	if (argc != (strcmp(argv[1], "free") ? 3 : 4)) {
		printk(KERN_INFO "cache: usage: cache %s NAME%s\n", argv[1],
		       strcmp(argv[1], "free") ? "" : " ADDRESS");
		return -EINVAL;
	}
	c = cache_named(argv[2]);
	if (!c) {
		printk(KERN_INFO "cache: no cache '%s' made from this shell\n", argv[2]);
		return -ENOENT;
	}
	if (!strcmp(argv[1], "destroy")) {
		kmem_cache_destroy(c->s);
		for (i = 0; i < SHELL_MAX_ALLOCS; i++)
			if (shell_allocs[i].used && shell_allocs[i].cache == c->s)
				shell_allocs[i].used = false;
		printk(KERN_INFO "cache: destroyed %s\n", c->name);
		c->s = NULL;
		return 0;
	}
	if (!strcmp(argv[1], "alloc")) {
		shell_forget_freed();
		if (!(r = record_slot("cache")))
			return -ENOMEM;
		p = kmem_cache_alloc(c->s, GFP_KERNEL);
		if (!p) {
			printk(KERN_INFO "kmem_cache_alloc(%s) = NULL\n", c->name);
			return -ENOMEM;
		}
		record(r, SA_CACHE, (unsigned long)p, ksize(p), 0, c->s);
		printk(KERN_INFO "kmem_cache_alloc(%s) = %p\n", c->name, p);
		return 0;
	}
	if (!(r = free_target("cache", argv[3], &addr)))
		return -EINVAL;
	kmem_cache_free(c->s, (void *)addr);
	settle(r, addr, r->kind == SA_CACHE && r->cache == c->s);
	printk(KERN_INFO "kmem_cache_free(%s, %#lx) returned\n", c->name, addr);
	return 0;
}

/* ---- checks, tests, power ------------------------------------------------------ */

static int cmd_check(int argc, char **argv)
{
	int buddy = buddy_check(), slab = slab_check_all(), vm = vmalloc_check();
	unsigned long wx = ptdump_check_wx();

	printk(KERN_INFO "check: buddy %d errors, slab %d errors, vmalloc %d errors, W+X %lu pages\n",
	       buddy, slab, vm, wx);
	printk(KERN_INFO "check: %s\n", buddy + slab + vm || wx ? "FAILED" : "passed");
	return 0;
}

static int cmd_ktest(int argc, char **argv)
{
	int failed;

	if (argc != 2)
		return shell_usage(shell_find(argv[0]));
	if (!ktest_nr_selected(argv[1])) {
		printk(KERN_INFO "ktest: no suite matches '%s'\n", argv[1]);
		return -ENOENT;
	}
	shell_forget_freed();
	failed = ktest_run_all(argv[1]);
	printk(KERN_INFO "ktest: %d suite%s failed\n", failed, failed == 1 ? "" : "s");
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	printk(KERN_INFO "kmm: power off (self-tests %s)\n",
	       shell_tests_failed ? "FAILED" : "passed");
	qemu_exit(shell_tests_failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}

static int cmd_help(int argc, char **argv)
{
	unsigned int k;

	for (k = 0; k < shell_nr_cmds; k++) {
		char usage[48];

		snprintf(usage, sizeof(usage), "%s %s", shell_cmds[k].name,
			 shell_cmds[k].args);
		printk(KERN_INFO "  %-36s %s\n", usage, shell_cmds[k].help);
	}
	return 0;
}

const struct shell_cmd shell_cmds[] = {
	{ "help", "", "this list", cmd_help },
	{ "buddyinfo", "", "free blocks per zone and order (/proc/buddyinfo)", cmd_buddyinfo },
	{ "pagetypeinfo", "", "free blocks by type (/proc/pagetypeinfo)", cmd_pagetypeinfo },
	{ "zoneinfo", "", "zones and per-CPU lists (/proc/zoneinfo)", cmd_zoneinfo },
	{ "meminfo", "", "memory summary (/proc/meminfo)", cmd_meminfo },
	{ "numastat", "", "allocations per NUMA node (numastat)", cmd_numastat },
	{ "slabinfo", "", "slab caches (/proc/slabinfo)", cmd_slabinfo },
	{ "vmallocinfo", "", "vmalloc areas (/proc/vmallocinfo)", cmd_vmallocinfo },
	{ "layout", "", "the kernel's address-space map", cmd_layout },
	{ "ptdump", "[START END]", "kernel page tables, Linux's ptdump format", cmd_ptdump },
	{ "page", "PFN|ADDRESS", "what a page is used for (dump_page)", cmd_page },
	{ "vtop", "ADDRESS", "the page-table walk for an address", cmd_vtop },
	{ "kmalloc", "SIZE", "kmalloc(SIZE, GFP_KERNEL); K/M/G suffixes", cmd_kmalloc },
	{ "kfree", "ADDRESS", "kfree() an allocation made here", cmd_kfree },
	{ "alloc_pages", "ORDER", "alloc_pages(GFP_KERNEL, ORDER)", cmd_alloc_pages },
	{ "free_pages", "ADDRESS ORDER", "free_pages() a block allocated here", cmd_free_pages },
	{ "vmalloc", "SIZE", "vmalloc(SIZE)", cmd_vmalloc },
	{ "vfree", "ADDRESS", "vfree() an area allocated here", cmd_vfree },
	{ "cache", "create|destroy|alloc|free ...", "kmem_cache_* on caches made here", cmd_cache },
	{ "check", "", "run every allocator checker, with error counts", cmd_check },
	{ "stress", "SECONDS", "random traffic on all CPUs, then check", shell_cmd_stress },
	{ "memmap", "", "every page's state, for tools/memmap.py", shell_cmd_memmap },
	{ "ktest", "SUITE", "run self-test suites (ktest= syntax)", cmd_ktest },
	{ "poweroff", "", "leave QEMU with the self-tests' verdict", cmd_poweroff },
};
const unsigned int shell_nr_cmds = ARRAY_SIZE(shell_cmds);
