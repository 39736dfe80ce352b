// SPDX-License-Identifier: MIT
/*
 * Multiboot2 boot information -> struct boot_info.
 *
 * The information comes from a boot loader we do not control, so it is
 * validated before anything is read from it, in two passes:
 *
 *   1. Structure: alignment, a sane total_size, every tag at least a header
 *      long and inside total_size, an end tag { 0, 8 }, and no second copy
 *      of a tag we read. The tags we use are remembered by type.
 *   2. Content, tag by tag. What the kernel cannot run without (the memory
 *      map) or what must not be half-read (strings) is an error; optional
 *      extras that look wrong (RSDP, framebuffer, EFI map) are dropped with
 *      a warning, since booting without them is safe.
 *
 * On an error the caller panics with the message in err: the kernel must
 * never guess at a memory map.
 */
#define pr_fmt(fmt) "multiboot2: " fmt

#include "boot/multiboot2.h"
#include "boot/efi_map.h"
#include "kmm/compiler.h"
#include "kmm/errno.h"
#include "kmm/printk.h"
#include "kmm/string.h"

/* Tag types we read, each at most once: where they are in the information. */
struct mb2_tags {
	const struct mb2_tag *tag[MB2_TAG_LOAD_BASE_ADDR + 1];
	u32 offset[MB2_TAG_LOAD_BASE_ADDR + 1];
};

static bool tag_is_used(u32 type)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
	case MB2_TAG_LOADER_NAME:
	case MB2_TAG_MMAP:
	case MB2_TAG_FRAMEBUFFER:
	case MB2_TAG_EFI32:
	case MB2_TAG_EFI64:
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
	case MB2_TAG_EFI_MMAP:
	case MB2_TAG_EFI_BS:
		return true;
	default:
		return false;
	}
}


/* Pass 1: check the tag list and remember the tags we use. */
static int walk_tags(const u8 *info, u32 total, struct mb2_tags *tags,
		     char *err, size_t errlen)
{
	u32 off = sizeof(struct mb2_info_header);

	while (total - off >= sizeof(struct mb2_tag)) {
		const struct mb2_tag *tag = (const void *)(info + off);

		if (tag->size < sizeof(struct mb2_tag))
			return boot_fail(err, errlen, -EINVAL,
				    "tag type %u at offset %u has size %u, below 8",
				    tag->type, off, tag->size);
		if (tag->size > total - off)
			return boot_fail(err, errlen, -EINVAL,
				    "tag type %u at offset %u (size %u) overruns total_size %u",
				    tag->type, off, tag->size, total);
		if (tag->type == MB2_TAG_END) {
			if (tag->size != sizeof(struct mb2_tag))
				return boot_fail(err, errlen, -EINVAL,
					    "end tag at offset %u has size %u, not 8",
					    off, tag->size);
			return 0;
		}
		if (tag_is_used(tag->type)) {
			if (tags->tag[tag->type])
				return boot_fail(err, errlen, -EINVAL,
					    "tag type %u appears twice (offsets %u and %u)",
					    tag->type, tags->offset[tag->type], off);
			tags->tag[tag->type] = tag;
			tags->offset[tag->type] = off;
		}
		off += ALIGN_UP(tag->size, 8u);
		if (off > total)
			break;
	}
	return boot_fail(err, errlen, -EINVAL, "no end tag within total_size %u",
		    total);
}

/* Tags 1 and 2: the string must end inside the tag; it is cut to fit @dst. */
static int copy_string(const struct mb2_tag *tag, u32 off, const char *what,
		       char *dst, size_t dst_size, char *err, size_t errlen)
{
	const struct mb2_tag_string *s = (const void *)tag;
	size_t room = tag->size - sizeof(struct mb2_tag);

	if (strnlen(s->string, room) == room)
		return boot_fail(err, errlen, -EINVAL,
			    "%s tag at offset %u has no NUL within its %u bytes",
			    what, off, tag->size);
	strlcpy(dst, s->string, dst_size);
	return 0;
}

static u32 mmap_type(u32 mb2_type)
{
	switch (mb2_type) {
	case MB2_MEMORY_AVAILABLE:        return BOOT_MEM_USABLE;
	case MB2_MEMORY_ACPI_RECLAIMABLE: return BOOT_MEM_ACPI_RECLAIM;
	case MB2_MEMORY_NVS:              return BOOT_MEM_ACPI_NVS;
	case MB2_MEMORY_BADRAM:           return BOOT_MEM_BAD;
	default:                          return BOOT_MEM_RESERVED;
	}
}

/*
 * Tag 6. Entries are entry_size apart and must exactly fill the tag.
 * Zero-length entries say nothing and are skipped; overlapping or unsorted
 * entries are resolved by boot_info_add_range() (most restrictive type wins).
 */
static int parse_mmap(const struct mb2_tag *tag, u32 off, struct boot_info *bi,
		      char *err, size_t errlen)
{
	const struct mb2_tag_mmap *m = (const void *)tag;
	u32 payload, n, i, pass;
	int ret;

	if (tag->size < sizeof(*m))
		return boot_fail(err, errlen, -EINVAL,
			    "memory map tag at offset %u has size %u, below its 16-byte header",
			    off, tag->size);
	if (m->entry_size < sizeof(struct mb2_mmap_entry) ||
	    m->entry_size % 8)
		return boot_fail(err, errlen, -EINVAL,
			    "memory map entry_size %u is invalid (must be >= 24 and a multiple of 8)",
			    m->entry_size);
	payload = tag->size - sizeof(*m);
	if (payload % m->entry_size)
		return boot_fail(err, errlen, -EINVAL,
			    "memory map tag size %u is not 16 + a multiple of entry_size %u",
			    tag->size, m->entry_size);
	n = payload / m->entry_size;
	if (n == 0)
		return boot_fail(err, errlen, -ENOENT, "memory map (tag 6) has no entries");

	/*
	 * Two passes: everything that is not RAM first, then RAM. Where the
	 * table overflows, only RAM can be lost that way, never a reservation
	 * (losing RAM is safe; turning firmware memory into RAM is not).
	 */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			const struct mb2_mmap_entry *e =
				(const void *)(m->entries + (size_t)i * m->entry_size);
			u32 type = mmap_type(e->type);

			if (e->length == 0 || (type == BOOT_MEM_USABLE) != (pass == 1))
				continue;
			if (e->base_addr + e->length < e->base_addr)
				return boot_fail(err, errlen, -EINVAL,
					    "memory map entry %u: base %#llx + length %#llx wraps past 2^64",
					    i, (unsigned long long)e->base_addr,
					    (unsigned long long)e->length);
			ret = boot_info_add_range(bi, e->base_addr, e->length, type);
			if (ret == -ENOSPC && pass == 1) {
				pr_warn("memory map needs more than %d ranges: usable entry %u and later ones dropped\n",
					BOOT_MAX_MEM_RANGES, i);
				break;
			}
			if (ret == -ENOSPC)
				return boot_fail(err, errlen, -ENOSPC,
					    "memory map has more than %d reserved ranges (full at entry %u of %u)",
					    BOOT_MAX_MEM_RANGES, i, n);
			if (ret)
				return boot_fail(err, errlen, ret,
					    "memory map entry %u rejected (error %d)", i, ret);
		}
	}
	if (boot_info_total(bi, BOOT_MEM_USABLE) == 0)
		return boot_fail(err, errlen, -ENOENT, "memory map has no usable RAM");
	return 0;
}

static bool checksum_ok(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum += *p++;
	return sum == 0;
}

/* Tags 14 and 15: is the copy inside a well-formed RSDP (XSDP for 15)? */
static bool rsdp_valid(const struct mb2_tag *tag)
{
	const struct mb2_tag_acpi *a = (const void *)tag;
	u32 room = tag->size - sizeof(struct mb2_tag);
	u32 xlen;

	if (room < ACPI_RSDP_V1_SIZE ||
	    memcmp(a->rsdp, ACPI_RSDP_SIGNATURE, 8) ||
	    !checksum_ok(a->rsdp, ACPI_RSDP_V1_SIZE))
		return false;
	if (tag->type == MB2_TAG_ACPI_OLD)
		return true;
	if (room < ACPI_XSDP_SIZE)
		return false;
	/* XSDP Length (offset 20) covers the extended checksum's bytes. */
	memcpy(&xlen, a->rsdp + 20, sizeof(xlen));
	return xlen >= ACPI_XSDP_SIZE && xlen <= room &&
	       checksum_ok(a->rsdp, xlen);
}

static void parse_rsdp(const struct mb2_tags *tags, u64 info_phys,
		       struct boot_info *bi)
{
	static const u32 order[] = { MB2_TAG_ACPI_NEW, MB2_TAG_ACPI_OLD };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const struct mb2_tag *tag = tags->tag[order[i]];

		if (!tag)
			continue;
		if (!rsdp_valid(tag)) {
			pr_warn("ignoring tag %u: not a valid RSDP copy\n",
				tag->type);
			continue;
		}
		bi->rsdp_phys = info_phys + tags->offset[order[i]] +
				sizeof(struct mb2_tag);
		bi->rsdp_revision = tag->type == MB2_TAG_ACPI_NEW ? 2 : 0;
		return;
	}
}

static void parse_framebuffer(const struct mb2_tag *tag, struct boot_info *bi)
{
	const struct mb2_tag_framebuffer *fb = (const void *)tag;

	if (tag->size < sizeof(*fb)) {
		pr_warn("ignoring framebuffer tag of %u bytes\n", tag->size);
		return;
	}
	if (fb->fb_type != MB2_FRAMEBUFFER_RGB)
		return;
	bi->fb_phys = fb->addr;
	bi->fb_width = fb->width;
	bi->fb_height = fb->height;
	bi->fb_pitch = fb->pitch;
	bi->fb_bpp = fb->bpp;
}

/*
 * Tag 17, the firmware's final map, GRUB passes on UEFI. It is more precise
 * than tag 6, which GRUB derives from it (runtime services, ACPI data and
 * loader memory keep their own types), so when it converts cleanly it
 * replaces tag 6's ranges; otherwise tag 6 stands and we say why.
 */
static void parse_efi_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	static struct boot_info efi; /* scratch; boot runs on one CPU */
	const struct mb2_tag_efi_mmap *m = (const void *)tag;
	u32 payload;

	if (tag->size < sizeof(*m) || m->descr_size < 40 || m->descr_size % 8) {
		pr_warn("ignoring malformed EFI memory map tag (size %u)\n",
			tag->size);
		return;
	}
	payload = tag->size - sizeof(*m);
	if (payload % m->descr_size || payload == 0) {
		pr_warn("ignoring EFI memory map tag: %u bytes is not a whole number of %u-byte descriptors\n",
			payload, m->descr_size);
		return;
	}
	bi->efi_map_entries = payload / m->descr_size;

	memset(&efi, 0, sizeof(efi));
	if (efi_map_to_boot_info(m->descs, payload, m->descr_size,
				 m->descr_version, &efi) != 0 ||
	    boot_info_total(&efi, BOOT_MEM_USABLE) == 0) {
		pr_warn("EFI memory map (tag 17) unusable; using tag 6\n");
		return;
	}
	memcpy(bi->mem, efi.mem, sizeof(bi->mem));
	bi->nr_mem = efi.nr_mem;
}

/*
 * Validate the boot information and fill @bi from it (see multiboot2.h).
 * Returns 0, or a negative errno with the reason in @err; the caller owns
 * both buffers and panics on an error.
 */
int mb2_parse(const void *info, u64 info_phys, struct boot_info *bi,
	      char *err, size_t errlen)
{
	const struct mb2_info_header *hdr = info;
	struct mb2_tags tags = { 0 };
	const struct mb2_tag *tag;
	u32 total;
	int ret;

	memset(bi, 0, sizeof(*bi));
	if (err && errlen)
		err[0] = '\0';
	if (!info)
		return boot_fail(err, errlen, -EINVAL, "no boot information (NULL)");
	if (!IS_ALIGNED((uintptr_t)info, 8) || !IS_ALIGNED(info_phys, 8))
		return boot_fail(err, errlen, -EINVAL,
			    "boot information at %#llx is not 8-byte aligned",
			    (unsigned long long)info_phys);
	total = hdr->total_size;
	if (total < MB2_INFO_MIN_SIZE || total > MB2_INFO_MAX_SIZE)
		return boot_fail(err, errlen, -EINVAL,
			    "total_size %u is outside [%u, %u]", total,
			    MB2_INFO_MIN_SIZE, MB2_INFO_MAX_SIZE);

	ret = walk_tags(info, total, &tags, err, errlen);
	if (ret)
		return ret;

	if (tags.tag[MB2_TAG_EFI_BS])
		return boot_fail(err, errlen, -EINVAL,
			    "EFI boot services were not exited (tag 18 at offset %u)",
			    tags.offset[MB2_TAG_EFI_BS]);

	tag = tags.tag[MB2_TAG_MMAP];
	if (!tag)
		return boot_fail(err, errlen, -ENOENT, "no memory map (tag 6)");
	ret = parse_mmap(tag, tags.offset[MB2_TAG_MMAP], bi, err, errlen);
	if (ret)
		return ret;

	tag = tags.tag[MB2_TAG_CMDLINE];
	if (tag) {
		const struct mb2_tag_string *cs = (const void *)tag;
		size_t len = strnlen(cs->string, tag->size - sizeof(struct mb2_tag));

		/* Never cut short: options after the cut would silently be lost. */
		if (len >= sizeof(bi->cmdline))
			return boot_fail(err, errlen, -E2BIG,
				    "command line of %zu bytes is longer than the %zu-byte limit",
				    len, sizeof(bi->cmdline) - 1);
		ret = copy_string(tag, tags.offset[MB2_TAG_CMDLINE],
				  "command line", bi->cmdline,
				  sizeof(bi->cmdline), err, errlen);
		if (ret)
			return ret;
	}
	tag = tags.tag[MB2_TAG_LOADER_NAME];
	if (tag) {
		ret = copy_string(tag, tags.offset[MB2_TAG_LOADER_NAME],
				  "boot loader name", bi->loader_name,
				  sizeof(bi->loader_name), err, errlen);
		if (ret)
			return ret;
	}

	parse_rsdp(&tags, info_phys, bi);
	if (tags.tag[MB2_TAG_FRAMEBUFFER])
		parse_framebuffer(tags.tag[MB2_TAG_FRAMEBUFFER], bi);
	if (tags.tag[MB2_TAG_EFI_MMAP])
		parse_efi_mmap(tags.tag[MB2_TAG_EFI_MMAP], bi);

	bi->method = tags.tag[MB2_TAG_EFI64] || tags.tag[MB2_TAG_EFI32] ?
		     BOOT_METHOD_MULTIBOOT2_EFI : BOOT_METHOD_MULTIBOOT2_BIOS;
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	return 0;
}
