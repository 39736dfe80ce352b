// SPDX-License-Identifier: MIT
/*
 * kmain: from the boot loader's hand-off to a running memory manager, then
 * the self-tests. The order matters:
 *
 *   console, traps, CPU   so that anything after can report a failure
 *   boot_info             firmware facts, normalised (boot/)
 *   command line          options that steer what follows
 *   layout_init           paging depth (LA57) and region bases (KASLR)
 *   memblock              RAM and reservations, the boot-time allocator
 *   paging_init           the kernel's own page tables (arch/x86_64)
 *   x86_numa_init         NUMA nodes from ACPI SRAT/SLIT or numa= (arch/x86_64/numa.c)
 *   mem_init              struct pages in vmemmap, RAM into the buddy
 *   kmem_cache_init       the slab allocator and kmalloc
 *   smp_init              the other CPUs, waiting for work (arch/x86_64/smp.c)
 *   self-tests            KTAP on the console, then leave QEMU with a verdict
 *                         (or, with init=shell, the monitor shell: kernel/shell.c)
 */
#include "kmm/printk.h"
#include "kmm/string.h"
#include "kmm/assert.h"
#include "boot/boot_info.h"
#include "boot/multiboot2.h"
#include "boot/efi_map.h"
#include "boot/efi_handoff.h"
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/kmm.h"
#include "kernel/shell.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/traps.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/mem_layout.h"
#include "arch/x86_64/numa.h"
#include "mm/memblock.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/fault_inject.h"
#include "mm/kfence.h"
#include "mm/kasan.h"

struct kernel_options kernel_options = {
	.ktest = "all",
};

extern char _kernel_start[], _kernel_end[];

static int opt_ktest(const char *v)
{
	if (!v)
		return -EINVAL;
	if (strlen(v) >= sizeof(kernel_options.ktest))
		return -E2BIG;
	strlcpy(kernel_options.ktest, v, sizeof(kernel_options.ktest));
	return 0;
}

static int opt_loglevel(const char *v)
{
	if (!v || v[0] < '0' || v[0] > '9' || v[1])
		return -EINVAL;
	console_loglevel = v[0] - '0';
	return 0;
}

static int opt_memblock(const char *v)
{
	if (!v || strcmp(v, "debug"))
		return -EINVAL;
	memblock.debug = true;
	return 0;
}

static int opt_page_poison(const char *v)
{
	if (!v || (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "on") && strcmp(v, "off")))
		return -EINVAL;
	page_poisoning_enabled = !strcmp(v, "1") || !strcmp(v, "on");
	return 0;
}

static int opt_slab_debug(const char *v)
{
	return slab_debug_setup(v ? v : "");
}

static int opt_slab_random(const char *v)
{
	if (!v || (strcmp(v, "0") && strcmp(v, "1")))
		return -EINVAL;
	slab_freelist_random = v[0] == '1';
	return 0;
}

static int opt_kfence_sample_interval(const char *v)
{
	return kfence_sample_interval_setup(v);
}

/* Switches take no value: "nosmp=0" is refused (with a warning), not taken as nosmp. */
static int opt_ptdump(const char *v)
{
	if (v)
		return -EINVAL;
	kernel_options.ptdump = true;
	return 0;
}

/*
 * init=shell: end at the monitor shell instead of leaving QEMU with the
 * self-tests' verdict (Linux's init= names the first program to run).
 */
static int opt_init(const char *v)
{
	if (!v || strcmp(v, "shell"))
		return -EINVAL;
	kernel_options.shell = true;
	return 0;
}

static int opt_nosmp(const char *v)
{
	if (v)
		return -EINVAL;
	smp_disabled = true;
	return 0;
}

static int opt_failslab(const char *v)
{
	return setup_fault_attr(&failslab_attr, v);
}

static int opt_fail_page_alloc(const char *v)
{
	return setup_fault_attr(&fail_page_alloc_attr, v);
}

static int opt_fail_page_alloc_min_order(const char *v)
{
	return setup_fail_page_alloc_min_order(v);
}

static int opt_no5lvl(const char *v)
{
	layout_no5lvl = true;
	return 0;
}

static int opt_numa(const char *v)
{
	return x86_numa_setup(v);
}

static int opt_nokaslr(const char *v)
{
	layout_nokaslr = true;
	return 0;
}

/* Options read by the self-tests themselves; accepted here so none warns. */
static int opt_for_tests(const char *v)
{
	return 0;
}

static const struct cmdline_option kernel_cmdline_options[] = {
	{ "ktest", opt_ktest },
	{ "loglevel", opt_loglevel },
	{ "memblock", opt_memblock },
	{ "page_poison", opt_page_poison },
	{ "slab_debug", opt_slab_debug },
	{ "slab_random", opt_slab_random },
	{ "kfence.sample_interval", opt_kfence_sample_interval },
	{ "ptdump", opt_ptdump },
	{ "nosmp", opt_nosmp },
	{ "failslab", opt_failslab },
	{ "fail_page_alloc", opt_fail_page_alloc },
	{ "fail_page_alloc_min_order", opt_fail_page_alloc_min_order },
	{ "no5lvl", opt_no5lvl },
	{ "nokaslr", opt_nokaslr },
	{ "numa", opt_numa },
	{ "init", opt_init },
	{ "expect_mem", opt_for_tests },
	{ "ktest_roundtrip", opt_for_tests },
	{ "expect_gbpages", opt_for_tests },
	{ "expect_boot", opt_for_tests },
	{ "expect_la57", opt_for_tests },
	{ "expect_nx", opt_for_tests },
	{ "expect_nodes", opt_for_tests },
	{ "expect_node_cpus", opt_for_tests },
	{ "expect_node_mem", opt_for_tests },
	{ "expect_distance", opt_for_tests },
};

/* Turn whatever the loader handed over into boot_info, or stop. */
static void boot_parse(u64 magic, u64 info_phys)
{
	char err[160] = "";
	int ret;

	if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
		if (info_phys >= (4ULL << 30))
			panic("boot: Multiboot2 information at %#llx, above 4 GiB",
			      (unsigned long long)info_phys);
		ret = mb2_parse(__va(info_phys), info_phys, &boot_info, err,
				sizeof(err));
	} else if (magic == KMM_EFI_HANDOFF_MAGIC) {
		if (info_phys >= (4ULL << 30))
			panic("boot: EFI hand-off at %#llx, above 4 GiB",
			      (unsigned long long)info_phys);
		ret = efi_handoff_to_boot_info(__va(info_phys), &boot_info,
					       err, sizeof(err));
	} else {
		panic("boot: unknown boot protocol (magic %#llx)",
		      (unsigned long long)magic);
	}
	if (ret)
		panic("boot: bad boot information: %s (%d)", err, ret);
}

static void print_memory_map(void)
{
	unsigned int i;

	size_t len = strlen(boot_info.cmdline);

	/* printk's line holds 1 KiB: say so rather than cut a long line silently. */
	pr_info("boot: %s via %s, command line (%zu bytes): \"%.800s%s\n",
		boot_method_name(boot_info.method),
		boot_info.loader_name[0] ? boot_info.loader_name : "(unnamed loader)",
		len, boot_info.cmdline, len > 800 ? " ...\" (the rest not shown)" : "\"");
	pr_info("boot: physical memory map (%u ranges):\n", boot_info.nr_mem);
	for (i = 0; i < boot_info.nr_mem; i++) {
		const struct boot_mem_range *r = &boot_info.mem[i];

		pr_info("  [mem 0x%016llx-0x%016llx] %s\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1),
			boot_mem_type_name(r->type));
	}
	if (boot_info.rsdp_phys)
		pr_info("boot: ACPI RSDP at %#llx (revision %u)\n",
			(unsigned long long)boot_info.rsdp_phys,
			boot_info.rsdp_revision);
}

/*
 * Feed memblock: RAM (usable and loader memory, clipped by
 * boot_info_sanitize() to what the CPU can address), then the reservations:
 * the first MiB (BIOS data, real-mode leftovers), the image, and the
 * Multiboot2 information (the RSDP copy lives there).
 */
static void memblock_setup(u64 magic, u64 info_phys)
{
	phys_addr_t kstart = __pa(_kernel_start), kend = __pa(_kernel_end);
	unsigned int i;

	boot_info_sanitize(&boot_info, 1ULL << boot_cpu.phys_addr_bits, kstart,
			   kend);
	/*
	 * Loader memory holds the kernel image (reserved below) and the
	 * hand-off, which boot_info has copied: the rest is RAM to use.
	 */
	for (i = 0; i < boot_info.nr_mem; i++)
		if (boot_mem_is_ram(boot_info.mem[i].type))
			memblock_add(boot_info.mem[i].base, boot_info.mem[i].size);
	memblock_reserve(0, 1ULL << 20);
	memblock_reserve(kstart, kend - kstart);
	/* boot_info.rsdp_phys points into the Multiboot2 information: keep it. */
	if (magic == MULTIBOOT2_BOOTLOADER_MAGIC)
		memblock_reserve(info_phys, *(const u32 *)__va(info_phys));
	/* Until paging_init(), only the low 4 GiB is reachable through __va(). */
	memblock.limit = 4ULL << 30;
	if (memblock.debug)
		memblock_dump();
}

static void show_banner(void)
{
	pr_info("kmm: kernel memory management, done right\n");
	pr_info("kmm: image %#lx-%#lx (phys %#llx-%#llx)\n",
		(unsigned long)_kernel_start, (unsigned long)_kernel_end,
		(unsigned long long)__pa(_kernel_start),
		(unsigned long long)__pa(_kernel_end));
}

void kmain(u64 magic, u64 info_phys);

void kmain(u64 magic, u64 info_phys)
{
	u64 tests_start;
	int failed;

	serial_init();
	smp_prepare_boot_cpu(); /* mm_cpu_id() and the trap handler read %gs */
	traps_init();
	cpu_detect();
	boot_parse(magic, info_phys);
	cmdline_parse(boot_info.cmdline, kernel_cmdline_options,
		      ARRAY_SIZE(kernel_cmdline_options));
	print_memory_map();
	layout_init();
	arch_mm_setup(); /* libkmm's __va() and friends take the chosen layout */
	show_banner();

	memblock_setup(magic, info_phys);
	paging_init();
	kasan_init();
	cpu_enable_protections();
	x86_numa_init(); /* mem_init() needs the node of each range */
	mem_init();
	pgtable_use_buddy();
	kmem_cache_init();
	kfence_init();
	slab_debug_check_names();
	smp_init();

	mm_report_boot();
	fault_inject_start(); /* failslab=, fail_page_alloc=: boot is exempt */

	tests_start = rdtsc();
	failed = ktest_run_all(kernel_options.ktest);
	/* Under QEMU -icount one TSC tick is one instruction (docs/bench-kernel.md). */
	pr_info("kmm: self-tests took %llu TSC ticks\n",
		(unsigned long long)(rdtsc() - tests_start));
	pr_info("kmm: self-tests finished: %s\n",
		failed ? "FAILED" : "all selected suites passed");
	if (kernel_options.shell)
		shell_run(failed);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
}
