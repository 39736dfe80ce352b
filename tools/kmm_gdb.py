# SPDX-License-Identifier: MIT
"""gdb commands that read kmm's allocators from a stopped kernel, in the
formats the kernel's own shell prints (the way Linux's lx-* scripts do):

    kmm-buddyinfo            free blocks per zone and order (/proc/buddyinfo)
    kmm-slabinfo             slab caches (/proc/slabinfo 2.1)
    kmm-page PFN|ADDRESS     what a page is: zone, block, order, owner, flags
    kmm-vtop ADDRESS         the page-table walk, level by level
    kmm-layout               the address-space map from the live page tables

Loaded by tools/kmm.gdb (`make debug`), or `source tools/kmm_gdb.py`. Every
kernel symbol, type and layout constant the commands use is named in the
tables just below, so a renamed global needs one edit here. The commands
only read memory, so they are correct wherever the kernel stopped, as long
as no CPU was half-way through changing the structure being read.
"""

import struct

import gdb

# ---- the kernel's names and constants (adapt here when mm/ renames things) ----
SYM = {
    "zones": "kmm_zones",                    # struct zone[MAX_ZONEIDS], by zone id
    "slab_caches": "kmm_slab_caches",        # list_head of struct kmem_cache.list
    "kmem_cache": "struct kmem_cache",
    "kmem_cache_list": "list",           # its list_head member
    "pml4_phys": "kernel_pml4_phys",     # phys_addr_t of the kernel's top table
    "min_pfn": "kmm_min_pfn_mapped",
    "max_pfn": "kmm_max_pfn_mapped",
    "memmap_present": "kmm_memmap_present",  # u8 per 2^MEMMAP_BLOCK_ORDER pages
    # arch/x86_64/layout.h: this boot's layout (Linux's names), set by layout_init()
    "l5": "__pgtable_l5_enabled",        # bool; if absent, CR4.LA57 decides
    "page_offset_base": "page_offset_base",
    "direct_map_size": "direct_map_size",
    "vmalloc_base": "vmalloc_base",
    "vmalloc_size": "vmalloc_size",
    "vmemmap_base": "vmemmap_base",
    "vmemmap_size": "vmemmap_size",
    "kaslr": "kaslr_memory_enabled",     # bool: the three bases were randomised
    "paging_mode_reason": "paging_mode_reason",  # const char *
}
CONST = {
    # arch/x86_64/layout.h (Linux's Documentation/arch/x86/x86_64/mm.rst): the
    # fixed addresses, per paging depth (L4: 48-bit, L5: 57-bit) ...
    "USER_SPACE_END_L4": 0x00007ffffffff000,
    "KERNEL_SPACE_START_L4": 0xffff800000000000,
    "LDT_REMAP_START_L4": 0xffff880000000000,
    "PAGE_OFFSET_BASE_L4": 0xffff888000000000,
    "KASAN_SHADOW_START_L4": 0xffffec0000000000,
    "USER_SPACE_END_L5": 0x00fffffffffff000,
    "KERNEL_SPACE_START_L5": 0xff00000000000000,
    "LDT_REMAP_START_L5": 0xff10000000000000,
    "PAGE_OFFSET_BASE_L5": 0xff11000000000000,
    "KASAN_SHADOW_START_L5": 0xffdf000000000000,
    # ... and those both depths share, from -4 TB up.
    "KASAN_SHADOW_END": 0xfffffc0000000000,
    "CPU_ENTRY_AREA_BASE": 0xfffffe0000000000,
    "CPU_ENTRY_AREA_END": 0xfffffe8000000000,
    "KFENCE_POOL_START": 0xfffffe8000000000,   # its own, after cpu_entry_area
    "KFENCE_POOL_SIZE": 0x200000,
    "ESPFIX_BASE": 0xffffff0000000000,
    "ESPFIX_END": 0xffffff8000000000,
    "EFI_VA_START": 0xffffffef00000000,
    "EFI_VA_END": 0xffffffff00000000,
    "START_KERNEL_map": 0xffffffff80000000,
    "KERNEL_IMAGE_SIZE": 0x20000000,
    "MODULES_VADDR": 0xffffffffa0000000,
    "MODULES_END": 0xffffffffff000000,
    "FIXADDR_START": 0xffffffffff5f0000,
    "VSYSCALL_ADDR": 0xffffffffff600000,
    # The direct map, vmalloc and vmemmap bases are NOT here: KASLR (the
    # default) picks them at each boot; layout() reads the variables above.
    # mm/mm_types.h, mm/internal.h, mm/gfp.h
    "PAGE_SHIFT": 12,
    "STRUCT_PAGE_SIZE": 64,
    "PAGE_ORDER_SHIFT": 52,
    "PAGE_ZONE_SHIFT": 56,   # the zone id: node (bits 58..63) * 4 + zone type
    "MAX_PAGE_ORDER": 10,
    "MEMMAP_BLOCK_ORDER": 10,
}
CR4_LA57 = 1 << 12
# enum pageflags bit numbers, by name (read from the kernel's debug info).
PAGEFLAGS = ["PG_reserved", "PG_buddy", "PG_pcp", "PG_head", "PG_slab",
             "PG_large_kmalloc", "PG_poisoned", "PG_vmalloc", "PG_ptable"]


def layout():
    """This boot's layout, from the live variables, as arch/x86_64/layout.h
    derives it: {l5, page_offset, direct_map_end, vmalloc_base, vmalloc_end,
    vmemmap_base, vmemmap_end, user_space_end, kernel_space_start, kaslr,
    reason, regions}. regions is the list of layout_map_show()
    (arch/x86_64/ptdump.c kernel_regions()), in address order."""
    try:
        l5 = bool(int(val("l5")))
    except gdb.error:
        l5 = bool(int(gdb.parse_and_eval("$cr4")) & CR4_LA57)
    sfx = "_L5" if l5 else "_L4"
    c = CONST
    v = lambda n: int(val(n)) & MASK64
    L = {
        "l5": l5,
        "page_offset": v("page_offset_base"),
        "vmalloc_base": v("vmalloc_base"),
        "vmemmap_base": v("vmemmap_base"),
        "user_space_end": c["USER_SPACE_END" + sfx],
        "kernel_space_start": c["KERNEL_SPACE_START" + sfx],
        "kaslr": bool(int(val("kaslr"))),
        "reason": c_string(val("paging_mode_reason")),
    }
    L["direct_map_end"] = L["page_offset"] + v("direct_map_size")
    L["vmalloc_end"] = L["vmalloc_base"] + v("vmalloc_size")
    L["vmemmap_end"] = L["vmemmap_base"] + v("vmemmap_size")
    regions = [
        ("guard hole", c["KERNEL_SPACE_START" + sfx], c["LDT_REMAP_START" + sfx]),
        ("LDT remap", c["LDT_REMAP_START" + sfx], c["PAGE_OFFSET_BASE" + sfx]),
        ("direct map", L["page_offset"], L["direct_map_end"]),
        ("vmalloc", L["vmalloc_base"], L["vmalloc_end"]),
        ("vmemmap", L["vmemmap_base"], L["vmemmap_end"]),
    ]
    if not L["kaslr"]:   # under KASLR its place may hold vmalloc or vmemmap
        regions.append(("KASAN shadow", c["KASAN_SHADOW_START" + sfx], c["KASAN_SHADOW_END"]))
    regions += [
        ("cpu_entry_area", c["CPU_ENTRY_AREA_BASE"], c["CPU_ENTRY_AREA_END"]),
        ("KFENCE pool", c["KFENCE_POOL_START"], c["KFENCE_POOL_START"] + c["KFENCE_POOL_SIZE"]),
        ("ESPfix stacks", c["ESPFIX_BASE"], c["ESPFIX_END"]),
        ("EFI runtime", c["EFI_VA_START"], c["EFI_VA_END"]),
        ("kernel image", c["START_KERNEL_map"], c["START_KERNEL_map"] + c["KERNEL_IMAGE_SIZE"]),
        ("modules", c["MODULES_VADDR"], c["MODULES_END"]),
        ("fixmap", c["FIXADDR_START"], c["VSYSCALL_ADDR"]),
        ("vsyscall", c["VSYSCALL_ADDR"], c["VSYSCALL_ADDR"] + 4096),
    ]
    L["regions"] = regions
    return L


MASK64 = (1 << 64) - 1
PTE_ADDR_MASK = 0x000ffffffffff000
P_PRESENT, P_RW, P_USER, P_PWT, P_PCD, P_PSE, P_GLOBAL = 1, 2, 4, 8, 16, 128, 256
P_PAT_LARGE, P_NX = 1 << 12, 1 << 63


def val(name):
    return gdb.parse_and_eval(SYM.get(name, name))


def read_u64s(addr, n):
    mem = gdb.selected_inferior().read_memory(addr, 8 * n)
    return struct.unpack(f"<{n}Q", bytes(mem))


def phys_read_u64s(pa, n):
    """Through the direct map (before layout_init(), page_offset_base is 0:
    the boot tables' identity map)."""
    return read_u64s((int(val("page_offset_base")) + pa) & MASK64, n)


def hx(v):
    """C's %#lx: 0 has no 0x."""
    return "%#x" % v if v else "0"


def c_string(v):
    """A char * or a char array, up to its NUL."""
    if v.type.strip_typedefs().code == gdb.TYPE_CODE_ARRAY:
        n = v.type.sizeof
        raw = bytes(gdb.selected_inferior().read_memory(v.address, n))
        return raw.split(b"\0")[0].decode(errors="replace")
    return v.string() if int(v) else "(null)"


def parse_number(arg, what):
    try:
        return int(gdb.parse_and_eval(arg)) & MASK64
    except gdb.error as e:
        raise gdb.GdbError(f"{what}: {e}")


# ---- kmm-buddyinfo ------------------------------------------------------------------

class BuddyInfo(gdb.Command):
    """Free blocks per zone and order, as /proc/buddyinfo (the shell's buddyinfo)."""

    def __init__(self):
        super().__init__("kmm-buddyinfo", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        zones = val("zones")
        lo, hi = zones.type.range()
        for i in range(lo, hi + 1):
            z = zones[i]
            if int(z["present_pages"]) == 0:
                continue
            fa = z["free_area"]
            counts = "".join("%6d " % int(fa[o]["nr_free"])
                             for o in range(CONST["MAX_PAGE_ORDER"] + 1))
            gdb.write("Node %d, zone %8s %s\n" % (int(z["node"]), c_string(z["name"]), counts))


# ---- kmm-slabinfo ---------------------------------------------------------------------

def kmem_caches():
    ctype = gdb.lookup_type(SYM["kmem_cache"])
    off = next(f.bitpos // 8 for f in ctype.fields() if f.name == SYM["kmem_cache_list"])
    head = val("slab_caches")
    head_addr = int(head.address)
    node = int(head["next"])
    while node != head_addr:
        s = gdb.Value(node - off).cast(ctype.pointer()).dereference()
        yield s
        node = int(s[SYM["kmem_cache_list"]]["next"])


class SlabInfo(gdb.Command):
    """Slab caches, as /proc/slabinfo version 2.1 (the shell's slabinfo)."""

    def __init__(self):
        super().__init__("kmm-slabinfo", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write("slabinfo - version: 2.1\n")
        gdb.write("# name            <active_objs> <num_objs> <objsize> <objperslab> "
                  "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
                  "slabdata <active_slabs> <num_slabs> <sharedavail>\n")
        for s in kmem_caches():
            ncpu = s["mag"].type.range()[1] + 1
            slabs = int(s["nr_slabs"])
            objects = int(s["objects"])
            total = slabs * objects
            in_mags = sum(int(s["mag"][c].dereference()["avail"]) for c in range(ncpu))
            active = total - int(s["free_objects"]) - in_mags
            gdb.write("%-17s %6d %6d %6d %4d %4d : tunables %4d %4d %4d : slabdata %6d %6d %6d\n" % (
                c_string(s["name"]), active, total, int(s["size"]), objects,
                1 << int(s["order"]), int(s["mag_limit"]), int(s["mag_batch"]), 0,
                int(s["nr_partial"]) + int(s["nr_full"]), slabs, 0))


# ---- kmm-page ---------------------------------------------------------------------------

def page_flags_bits():
    return {n: int(gdb.parse_and_eval(n)) for n in PAGEFLAGS}


def page_addr(pfn):
    """The struct page of @pfn in vmemmap (at this boot's vmemmap_base)."""
    return (int(val("vmemmap_base")) + pfn * CONST["STRUCT_PAGE_SIZE"]) & MASK64


def page_words(pfn):
    return read_u64s(page_addr(pfn), CONST["STRUCT_PAGE_SIZE"] // 8)


def pfn_valid(pfn):
    if pfn < int(val("min_pfn")) or pfn >= int(val("max_pfn")):
        return False
    present = int(val("memmap_present"))
    if not present:
        raise gdb.GdbError("kmm-page: no struct pages yet (mem_init has not run)")
    blk = pfn >> CONST["MEMMAP_BLOCK_ORDER"]
    return bytes(gdb.selected_inferior().read_memory(present + blk, 1))[0] != 0


def order_of(flags):
    return (flags >> CONST["PAGE_ORDER_SHIFT"]) & 0xf


def classify(pfn, bits):
    """(kind, head_pfn, order, head_flags) as mm/page_inspect.c decides."""
    flags = page_words(pfn)[0]
    b = lambda n: 1 << bits[n]
    state = b("PG_reserved") | b("PG_buddy") | b("PG_pcp") | b("PG_head")
    if flags & b("PG_reserved"):
        return "reserved", pfn, 0, flags
    for o in range(CONST["MAX_PAGE_ORDER"] + 1):
        h = pfn & ~((1 << o) - 1)
        hf = page_words(h)[0]
        if not hf & state or order_of(hf) < o:
            continue
        if hf & b("PG_buddy"):
            kind = "free"
        elif hf & b("PG_pcp"):
            kind = "per-cpu free"
        elif hf & b("PG_slab"):
            kind = "slab"
        elif hf & b("PG_large_kmalloc"):
            kind = "large kmalloc"
        elif hf & b("PG_vmalloc"):
            kind = "vmalloc"
        elif hf & b("PG_ptable"):
            kind = "page table"
        else:
            kind = "allocated"
        return kind, h, order_of(hf), hf
    return "unknown", pfn, 0, flags


class Page(gdb.Command):
    """kmm-page PFN|ADDRESS: what the page is (the shell's page command).
An argument below the kernel half is a pfn; a direct-map, vmalloc or
kernel-image address names the page it is in."""

    def __init__(self):
        super().__init__("kmm-page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: kmm-page PFN|ADDRESS")
        v = parse_number(arg, "kmm-page")
        L = layout()
        image = CONST["START_KERNEL_map"]
        if v < L["kernel_space_start"]:
            pfn = v
        elif L["page_offset"] <= v < L["direct_map_end"]:
            pfn = (v - L["page_offset"]) >> CONST["PAGE_SHIFT"]
        elif image <= v < image + CONST["KERNEL_IMAGE_SIZE"]:
            pfn = (v - image) >> CONST["PAGE_SHIFT"]
        elif L["vmalloc_base"] <= v < L["vmalloc_end"]:
            pa = translate(v)
            if pa is None:
                raise gdb.GdbError(f"kmm-page: {v:#x} is not mapped")
            pfn = pa >> CONST["PAGE_SHIFT"]
        else:
            raise gdb.GdbError(f"kmm-page: {v:#x} is not a direct-map, vmalloc or kernel-image address")
        if not pfn_valid(pfn):
            raise gdb.GdbError(f"kmm-page: pfn {pfn:#x} is outside RAM")
        bits = page_flags_bits()
        kind, head, order, hflags = classify(pfn, bits)
        words = page_words(pfn)
        flags = words[0]
        zi = flags >> CONST["PAGE_ZONE_SHIFT"]
        zone = c_string(val("zones")[zi]["name"])
        gdb.write("page:%016x pfn:%s phys:%s zone:%s kind:%s\n" % (
            page_addr(pfn), hx(pfn),
            hx(pfn << CONST["PAGE_SHIFT"]), zone, kind))
        if kind not in ("reserved", "unknown"):
            gdb.write("head:%016x order:%d head_pfn:%s page %d of %d\n" % (
                page_addr(head), order, hx(head),
                pfn - head, 1 << order))
        names = [n[3:] for n in PAGEFLAGS if flags >> bits[n] & 1]
        names.append("order=%d" % order_of(flags))
        names.append("zone=%d" % (zi & 3))
        gdb.write("flags: %s(%s)\n" % (hx(flags), "|".join(names)))
        if kind == "slab":
            hp = gdb.Value(page_addr(head))
            hp = hp.cast(gdb.lookup_type("struct page").pointer()).dereference()
            s = hp["slab_cache"].dereference()
            gdb.write("slab: cache:%s objsize:%d size:%d objects:%d inuse:%d\n" % (
                c_string(s["name"]), int(s["object_size"]), int(s["size"]),
                int(hp["objects"]), int(hp["inuse"])))
        gdb.write("raw: %016x %016x %016x %016x\n" % words[0:4])
        gdb.write("raw: %016x %016x %016x %016x\n" % words[4:8])


# ---- kmm-vtop -----------------------------------------------------------------------------

# Levels as the kernel's ptdump_show_walk() names them: (level, table name,
# Linux's entry name, address shift). The top table is Linux's pgd at either
# depth; with 5-level paging the PML4 below it is the p4d.
LEVELS_L5 = [(5, "PML5", "pgd", 48), (4, "PML4", "p4d", 39), (3, "PDPT", "pud", 30),
             (2, "PD", "pmd", 21), (1, "PT", "pte", 12)]
LEVELS_L4 = [(4, "PML4", "pgd", 39)] + LEVELS_L5[2:]


def levels(l5):
    return LEVELS_L5 if l5 else LEVELS_L4


def flag_text(e, leaf, level):
    """The ptdump flag columns (arch/x86_64/ptdump.c format_flags)."""
    if not e & P_PRESENT:
        return "not present "
    pse = leaf and level > 1 and e & P_PSE
    pat = leaf and ((level == 1 and e & P_PSE) or (level > 1 and e & P_PAT_LARGE))
    return "".join([
        "USR " if e & P_USER else "    ",
        "RW " if e & P_RW else "ro ",
        "PWT " if e & P_PWT else "    ",
        "PCD " if e & P_PCD else "    ",
        "PSE " if pse else "    ",
        "PAT " if pat else "    ",
        "GLB " if e & P_GLOBAL else "    ",
        "NX " if e & P_NX else "x  ",
    ])


def va_bits(l5):
    return 57 if l5 else 48


def sign_extend(va, l5):
    """The canonical form of @va: bits 63..57 (or 48) copy bit 56 (or 47)."""
    top = va_bits(l5) - 1
    return va | (MASK64 ^ ((1 << (top + 1)) - 1)) if va & (1 << top) else va & ((1 << (top + 1)) - 1)


def canonical(va, l5):
    return va if sign_extend(va, l5) == va else None


def translate(va):
    """The physical address @va maps to through the kernel's tables, or None."""
    l5 = layout()["l5"]
    if canonical(va, l5) is None:
        return None
    table = int(val("pml4_phys"))
    for level, _, _, shift in levels(l5):
        e = phys_read_u64s(table + 8 * ((va >> shift) & 511), 1)[0]
        if not e & P_PRESENT:
            return None
        if level == 1 or (level <= 3 and e & P_PSE):
            size = 1 << shift
            return ((e & PTE_ADDR_MASK) & ~(size - 1)) + (va & (size - 1))
        table = e & PTE_ADDR_MASK
    return None


class Vtop(gdb.Command):
    """kmm-vtop ADDRESS: translate through the kernel's page tables, level by level
(the shell's vtop)."""

    def __init__(self):
        super().__init__("kmm-vtop", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: kmm-vtop ADDRESS")
        va = parse_number(arg, "kmm-vtop")
        l5 = layout()["l5"]
        table = int(val("pml4_phys"))
        gdb.write("vtop %s: cr3 table %s\n" % (hx(va), hx(table)))
        if canonical(va, l5) is None:
            gdb.write("  %#x is not canonical: no translation\n" % va)
            return
        for level, tname, lname, shift in levels(l5):
            i = (va >> shift) & 511
            e = phys_read_u64s(table + 8 * i, 1)[0]
            leaf = level == 1 or (level <= 3 and e & P_PSE)
            gdb.write("  %-4s %s[%3d] = %016x %s%s\n" % (
                tname, hx(table), i, e, flag_text(e, leaf, level), lname))
            if not e & P_PRESENT:
                gdb.write("  %#x is not mapped (no %s entry)\n" % (va, lname))
                return
            if leaf:
                size = 1 << shift
                base = (e & PTE_ADDR_MASK) & ~(size - 1)
                gdb.write("  %s -> phys %s (%d KiB page at %s, offset %s)\n" % (
                    hx(va), hx(base + (va & (size - 1))), size >> 10, hx(base),
                    hx(va & (size - 1))))
                return
            table = e & PTE_ADDR_MASK


# ---- kmm-layout -------------------------------------------------------------------------------

def format_size(n):
    units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    top = 0
    while top + 1 < len(units) and n >> (10 * (top + 1)):
        top += 1
    for u in range(top, -1, -1):
        scale = 1 << (10 * u)
        if n % scale == 0 and n // scale < 10000:
            return f"{n // scale} {units[u]}"
    return "%d.%d %s" % (n >> (10 * top), ((n & ((1 << (10 * top)) - 1)) * 10) >> (10 * top), units[top])


def walk(table_pa, level, base, first, last, visit, stats, l5):
    """Visit present leaves [(va, size, level)] of the tables, in address order."""
    entries = phys_read_u64s(table_pa, 512)
    size = 1 << (12 + 9 * (level - 1))
    for i in range(first, last + 1):
        e = entries[i]
        if not e & P_PRESENT:
            continue
        va = sign_extend(base + i * size, l5)
        if level == 1 or (level <= 3 and e & P_PSE):
            visit(va, size, level)
        else:
            stats["tables"] += 1
            walk(e & PTE_ADDR_MASK, level - 1, va, 0, 511, visit, stats, l5)


class Layout(gdb.Command):
    """The address-space map from the live page tables (the shell's layout)."""

    def __init__(self):
        super().__init__("kmm-layout", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        L = layout()
        l5, kstart = L["l5"], L["kernel_space_start"]
        rows, prev = [], kstart
        for name, a, b in L["regions"]:
            if a > prev:
                rows.append(["(unused hole)", prev, a])
            rows.append([name, a, b])
            prev = b
        if prev != 1 << 64:
            rows.append(["(unused hole)", prev, 1 << 64])
        user = ["user space", 0, L["user_space_end"] + 4096]
        for r in rows + [user]:
            r += [0, None, None, {}]     # bytes, lo, hi, counts by level

        def visitor(table):
            def visit(va, size, level):
                for r in table:
                    if r[1] <= va < r[2]:
                        if not r[3]:
                            r[4] = va
                        r[5] = va + size
                        r[3] += size
                        r[6][level] = r[6].get(level, 0) + 1
                        return
            return visit

        stats = {"tables": 0}
        top, top_level = int(val("pml4_phys")), 5 if l5 else 4
        walk(top, top_level, 0, 0, 255, visitor([user]), stats, l5)
        walk(top, top_level, 0, 256, 511, visitor(rows), stats, l5)
        gdb.write("kmm: virtual address space, from the live page tables (%d-level, %d-bit: %s; %s):\n" % (
            top_level, va_bits(l5), L["reason"], "KASLR" if L["kaslr"] else "nokaslr"))
        names = {5: "256T", 4: "512G", 3: "1G", 2: "2M", 1: "4K"}

        def show(r, empty):
            name, a, b, nbytes, lo, hi, counts = r
            head = "  %016x-%016x %10s  %-15s" % (a, (b - 1) & MASK64, format_size(b - a), name)
            if not nbytes:
                gdb.write(f"{head} {empty}\n")
                return
            c = ", ".join(f"{names[l]} x {counts[l]}" for l in (5, 4, 3, 2, 1) if counts.get(l))
            gdb.write(f"{head} {format_size(nbytes)} mapped, {c}\n")
            gdb.write("  %33s  %-15s at %016x-%016x\n" % ("", "", lo, hi - 1))

        show(user, "empty")
        gdb.write("  %016x-%016x %10s  %-15s %s\n" % (
            user[2], kstart - 1, format_size(kstart - user[2]), "non-canonical",
            "cannot be mapped"))
        for r in rows:
            show(r, "-" if r[0].startswith("(") else "reserved, empty")
        tables = 1 + stats["tables"]
        gdb.write("  page tables: %d pages (%d KiB), the %s included\n" % (
            tables, tables * 4, "PML5" if l5 else "PML4"))


def guarded(cls):
    """Turn a failed memory read (a structure not set up yet, a stale pointer)
    into one clear error line instead of a Python traceback."""
    run = cls.invoke

    def invoke(self, arg, from_tty):
        try:
            run(self, arg, from_tty)
        except gdb.MemoryError as e:
            raise gdb.GdbError(f"{self.name}: {e} (is the kernel far enough into boot?)")
    cls.invoke = invoke
    return cls


for _cls, _name in ((BuddyInfo, "kmm-buddyinfo"), (SlabInfo, "kmm-slabinfo"), (Page, "kmm-page"),
                    (Vtop, "kmm-vtop"), (Layout, "kmm-layout")):
    _cls.name = _name
    guarded(_cls)()
