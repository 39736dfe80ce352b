// SPDX-License-Identifier: MIT
/*
 * struct boot_info: the kernel's single copy and the memory-range table.
 *
 * The range table is kept sorted by base, without overlaps, with touching
 * ranges of one type merged, so every consumer can walk it once in order.
 * Adding a range "paints" it over the table: where it meets an existing
 * range, the point keeps whichever type is more restrictive (see
 * type_rank()), so memory one source calls reserved is never made usable by
 * another. The result is built in a scratch table and copied back only if
 * it fits, which makes a failed add leave the table untouched.
 *
 * Boot-time code: one CPU, no locks. The scratch table is static (too big
 * for an early stack), so boot_info_add_range() is not reentrant.
 */
#define pr_fmt(fmt) "boot: " fmt
#include "boot/boot_info.h"
#include "kmm/printk.h"
#include "kmm/compiler.h"
#include "kmm/errno.h"
#include "kmm/string.h"

struct boot_info boot_info;

/*
 * How restrictive each type is when two sources disagree about a byte.
 * Usable loses to everything. Then what is only temporarily busy (the boot
 * loader's data, then ACPI tables, both reclaimable later), then what is
 * never ours (reserved), then what must be kept intact in a particular way
 * (device windows, firmware runtime services, ACPI NVS), and defective RAM,
 * which nothing may touch, above all.
 */
static int type_rank(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:           return 0;
	case BOOT_MEM_BOOTLOADER:       return 1;
	case BOOT_MEM_ACPI_RECLAIM:     return 2;
	case BOOT_MEM_RESERVED:         return 3;
	case BOOT_MEM_MMIO:             return 4;
	case BOOT_MEM_FIRMWARE_RUNTIME: return 5;
	case BOOT_MEM_ACPI_NVS:         return 6;
	case BOOT_MEM_BAD:              return 7;
	default:                        return -1;
	}
}

static u32 stronger(u32 a, u32 b)
{
	return type_rank(a) >= type_rank(b) ? a : b;
}

struct range_builder {
	struct boot_mem_range *out;
	u32 n;
	bool overflow;
};

/* Append [base, end) to the builder, merging with a touching twin. */
static void emit(struct range_builder *rb, u64 base, u64 end, u32 type)
{
	struct boot_mem_range *last = rb->n ? &rb->out[rb->n - 1] : NULL;

	if (end <= base)
		return;
	if (last && last->base + last->size == base && last->type == type) {
		last->size += end - base;
		return;
	}
	if (rb->n == BOOT_MAX_MEM_RANGES) {
		rb->overflow = true;
		return;
	}
	rb->out[rb->n++] = (struct boot_mem_range){
		.base = base, .size = end - base, .type = type,
	};
}

/*
 * Paint [base, base + size) of @type over @bi's table. Returns 0; -EINVAL for
 * an empty or wrapping range or an unknown type; -ENOSPC when the result
 * would not fit. On an error the table is unchanged.
 */
int boot_info_add_range(struct boot_info *bi, u64 base, u64 size, u32 type)
{
	static struct boot_mem_range scratch[BOOT_MAX_MEM_RANGES];
	struct range_builder rb = { .out = scratch };
	u64 end = base + size, cur = base;
	u32 i;

	if (size == 0 || end < base || type_rank(type) < 0)
		return -EINVAL;

	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];
		u64 r_end = r->base + r->size;

		if (r_end <= base) {
			emit(&rb, r->base, r_end, r->type);
			continue;
		}
		if (r->base >= end) {
			emit(&rb, cur, end, type);
			cur = end;
			emit(&rb, r->base, r_end, r->type);
			continue;
		}
		/* r overlaps [base, end): its head, the gap before it, the overlap, its tail. */
		emit(&rb, r->base, base, r->type);
		emit(&rb, cur, r->base, type);
		emit(&rb, max(r->base, base), min(r_end, end),
		     stronger(r->type, type));
		cur = min(r_end, end);
		emit(&rb, end, r_end, r->type);
	}
	emit(&rb, cur, end, type);

	if (rb.overflow)
		return -ENOSPC;
	memcpy(bi->mem, scratch, rb.n * sizeof(scratch[0]));
	bi->nr_mem = rb.n;
	return 0;
}

/* Bytes of @type in @bi's table. */
u64 boot_info_total(const struct boot_info *bi, u32 type)
{
	u64 total = 0;
	u32 i;

	for (i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == type)
			total += bi->mem[i].size;
	return total;
}

/* A short name for a memory type, for boot logs; "unknown" if it is none. */
const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:           return "usable";
	case BOOT_MEM_RESERVED:         return "reserved";
	case BOOT_MEM_ACPI_RECLAIM:     return "ACPI data";
	case BOOT_MEM_ACPI_NVS:         return "ACPI NVS";
	case BOOT_MEM_BAD:              return "bad RAM";
	case BOOT_MEM_FIRMWARE_RUNTIME: return "firmware runtime";
	case BOOT_MEM_MMIO:             return "MMIO";
	case BOOT_MEM_BOOTLOADER:       return "bootloader";
	default:                        return "unknown";
	}
}

/* A stable one-word name for a boot method, for logs and the test harness. */
const char *boot_method_name(u32 method)
{
	switch (method) {
	case BOOT_METHOD_MULTIBOOT2_BIOS: return "multiboot2-bios";
	case BOOT_METHOD_MULTIBOOT2_EFI:  return "multiboot2-efi";
	case BOOT_METHOD_UEFI_DIRECT:     return "uefi";
	default:                          return "unknown";
	}
}

int boot_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static void drop_range(struct boot_info *bi, unsigned int i)
{
	memmove(&bi->mem[i], &bi->mem[i + 1],
		(bi->nr_mem - i - 1) * sizeof(bi->mem[0]));
	bi->nr_mem--;
}

unsigned int boot_info_sanitize(struct boot_info *bi, u64 max_phys, u64 kstart,
				u64 kend)
{
	unsigned int i, warnings = 0;
	u64 covered = 0;

	for (i = 0; i < bi->nr_mem; i++) {
		struct boot_mem_range *r = &bi->mem[i];
		u64 end = r->base + r->size;

		if (!boot_mem_is_ram(r->type)) {
			if (r->base < kend && end > kstart) {
				pr_warn("%s range [mem %#018llx-%#018llx] overlaps the kernel image [%#llx-%#llx]; the image stays\n",
					boot_mem_type_name(r->type),
					(unsigned long long)r->base,
					(unsigned long long)end - 1,
					(unsigned long long)kstart,
					(unsigned long long)kend - 1);
				warnings++;
			}
			continue;
		}
		if (end > max_phys) {
			pr_warn("%s range [mem %#018llx-%#018llx] lies beyond the CPU's physical address limit %#llx: %s\n",
				boot_mem_type_name(r->type),
				(unsigned long long)r->base,
				(unsigned long long)end - 1,
				(unsigned long long)max_phys,
				r->base >= max_phys ? "dropped" : "clipped");
			warnings++;
			if (r->base >= max_phys) {
				drop_range(bi, i--);
				continue;
			}
			r->size = max_phys - r->base;
			end = max_phys;
		}
		if (r->base < kend && end > kstart)
			covered += min(end, kend) - max(r->base, kstart);
	}
	if (kend > kstart && covered < kend - kstart) {
		pr_warn("the kernel image [%#llx-%#llx] is not all in RAM the map lists\n",
			(unsigned long long)kstart, (unsigned long long)kend - 1);
		warnings++;
	}
	return warnings;
}
