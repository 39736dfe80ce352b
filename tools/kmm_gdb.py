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
    "zones": "kmm_zones",                    # struct zone[MAX_NR_ZONES]
    "slab_caches": "kmm_slab_caches",        # list_head of struct kmem_cache.list
    "kmem_cache": "struct kmem_cache",
    "kmem_cache_list": "list",           # its list_head member
    "pml4_phys": "kernel_pml4_phys",     # phys_addr_t of the kernel PML4
    "min_pfn": "kmm_min_pfn_mapped",
    "max_pfn": "kmm_max_pfn_mapped",
    "memmap_present": "kmm_memmap_present",  # u8 per 2^MEMMAP_BLOCK_ORDER pages
}
CONST = {
    # arch/x86_64/layout.h (Linux's Documentation/arch/x86/x86_64/mm.rst)
    "PAGE_OFFSET": 0xffff888000000000,
    "DIRECT_MAP_END": 0xffffc88000000000,
    "VMALLOC_BASE": 0xffffc90000000000,
    "VMALLOC_END": 0xffffe90000000000,
    "VMEMMAP_BASE": 0xffffea0000000000,
    "START_KERNEL_map": 0xffffffff80000000,
    "KERNEL_IMAGE_END": 0xffffffffa0000000,
    "USER_SPACE_END": 0x00007ffffffff000,
    "KERNEL_SPACE_START": 0xffff800000000000,
    # mm/mm_types.h, mm/internal.h, mm/gfp.h
    "PAGE_SHIFT": 12,
    "STRUCT_PAGE_SIZE": 64,
    "PAGE_ORDER_SHIFT": 52,
    "PAGE_ZONE_SHIFT": 60,
    "MAX_PAGE_ORDER": 10,
    "MEMMAP_BLOCK_ORDER": 10,
}
# enum pageflags bit numbers, by name (read from the kernel's debug info).
PAGEFLAGS = ["PG_reserved", "PG_buddy", "PG_pcp", "PG_head", "PG_slab",
             "PG_large_kmalloc", "PG_poisoned", "PG_vmalloc", "PG_ptable"]
# The regions of layout_map_show() (arch/x86_64/ptdump.c), in address order.
REGIONS = [
    ("guard hole", 0xffff800000000000, 0xffff880000000000),
    ("LDT remap", 0xffff880000000000, 0xffff888000000000),
    ("direct map", 0xffff888000000000, 0xffffc88000000000),
    ("vmalloc", 0xffffc90000000000, 0xffffe90000000000),
    ("vmemmap", 0xffffea0000000000, 0xffffeb0000000000),
    ("KASAN shadow", 0xffffec0000000000, 0xfffffc0000000000),
    ("cpu_entry_area", 0xfffffe0000000000, 0xfffffe8000000000),
    ("ESPfix stacks", 0xffffff0000000000, 0xffffff8000000000),
    ("EFI runtime", 0xffffffef00000000, 0xffffffff00000000),
    ("kernel image", 0xffffffff80000000, 0xffffffffa0000000),
    ("modules", 0xffffffffa0000000, 0xffffffffff000000),
    ("fixmap", 0xffffffffff5f0000, 0xffffffffff600000),
    ("vsyscall", 0xffffffffff600000, 0xffffffffff601000),
]

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
    return read_u64s(CONST["PAGE_OFFSET"] + pa, n)


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
            gdb.write("Node 0, zone %8s %s\n" % (c_string(z["name"]), counts))


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


def page_words(pfn):
    return read_u64s(CONST["VMEMMAP_BASE"] + pfn * CONST["STRUCT_PAGE_SIZE"],
                     CONST["STRUCT_PAGE_SIZE"] // 8)


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
An argument below PAGE_OFFSET is a pfn; a direct-map, vmalloc or
kernel-image address names the page it is in."""

    def __init__(self):
        super().__init__("kmm-page", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: kmm-page PFN|ADDRESS")
        v = parse_number(arg, "kmm-page")
        if v < CONST["PAGE_OFFSET"]:
            pfn = v
        elif v < CONST["DIRECT_MAP_END"]:
            pfn = (v - CONST["PAGE_OFFSET"]) >> CONST["PAGE_SHIFT"]
        elif CONST["START_KERNEL_map"] <= v < CONST["KERNEL_IMAGE_END"]:
            pfn = (v - CONST["START_KERNEL_map"]) >> CONST["PAGE_SHIFT"]
        elif CONST["VMALLOC_BASE"] <= v < CONST["VMALLOC_END"]:
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
            CONST["VMEMMAP_BASE"] + pfn * CONST["STRUCT_PAGE_SIZE"], hx(pfn),
            hx(pfn << CONST["PAGE_SHIFT"]), zone, kind))
        if kind not in ("reserved", "unknown"):
            gdb.write("head:%016x order:%d head_pfn:%s page %d of %d\n" % (
                CONST["VMEMMAP_BASE"] + head * CONST["STRUCT_PAGE_SIZE"], order, hx(head),
                pfn - head, 1 << order))
        names = [n[3:] for n in PAGEFLAGS if flags >> bits[n] & 1]
        names.append("order=%d" % order_of(flags))
        names.append("zone=%d" % zi)
        gdb.write("flags: %s(%s)\n" % (hx(flags), "|".join(names)))
        if kind == "slab":
            hp = gdb.Value(CONST["VMEMMAP_BASE"] + head * CONST["STRUCT_PAGE_SIZE"])
            hp = hp.cast(gdb.lookup_type("struct page").pointer()).dereference()
            s = hp["slab_cache"].dereference()
            gdb.write("slab: cache:%s objsize:%d size:%d objects:%d inuse:%d\n" % (
                c_string(s["name"]), int(s["object_size"]), int(s["size"]),
                int(hp["objects"]), int(hp["inuse"])))
        gdb.write("raw: %016x %016x %016x %016x\n" % words[0:4])
        gdb.write("raw: %016x %016x %016x %016x\n" % words[4:8])


# ---- kmm-vtop -----------------------------------------------------------------------------

LEVELS = [(4, "PML4", "pgd", 39), (3, "PDPT", "pud", 30), (2, "PD", "pmd", 21), (1, "PT", "pte", 12)]


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


def canonical(va):
    return va if (va >> 47) in (0, 0x1ffff) else None


def translate(va):
    """The physical address @va maps to through the kernel's tables, or None."""
    table = int(val("pml4_phys"))
    for level, _, _, shift in LEVELS:
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
        table = int(val("pml4_phys"))
        gdb.write("vtop %s: cr3 table %s\n" % (hx(va), hx(table)))
        if canonical(va) is None:
            gdb.write("  %#x is not canonical: no translation\n" % va)
            return
        for level, tname, lname, shift in LEVELS:
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


def sign_extend(va):
    return va | (0xffff << 48) if va & (1 << 47) else va


def walk(table_pa, level, base, first, last, visit, stats):
    """Visit present leaves [(va, size, level)] of the tables, in address order."""
    entries = phys_read_u64s(table_pa, 512)
    size = 1 << (12 + 9 * (level - 1))
    for i in range(first, last + 1):
        e = entries[i]
        if not e & P_PRESENT:
            continue
        va = sign_extend(base + i * size)
        if level == 1 or (level <= 3 and e & P_PSE):
            visit(va, size, level)
        else:
            stats["tables"] += 1
            walk(e & PTE_ADDR_MASK, level - 1, va, 0, 511, visit, stats)


class Layout(gdb.Command):
    """The address-space map from the live page tables (the shell's layout)."""

    def __init__(self):
        super().__init__("kmm-layout", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        rows, prev = [], CONST["KERNEL_SPACE_START"]
        for name, a, b in REGIONS:
            if a > prev:
                rows.append(["(unused hole)", prev, a])
            rows.append([name, a, b])
            prev = b
        if prev != 1 << 64:
            rows.append(["(unused hole)", prev, 1 << 64])
        user = ["user space", 0, CONST["USER_SPACE_END"] + 4096]
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
        pml4 = int(val("pml4_phys"))
        walk(pml4, 4, 0, 0, 255, visitor([user]), stats)
        walk(pml4, 4, 0, 256, 511, visitor(rows), stats)
        gdb.write("kmm: virtual address space, from the live page tables (4-level, 48-bit):\n")
        names = {4: "512G", 3: "1G", 2: "2M", 1: "4K"}

        def show(r, empty):
            name, a, b, nbytes, lo, hi, counts = r
            head = "  %016x-%016x %10s  %-15s" % (a, (b - 1) & MASK64, format_size(b - a), name)
            if not nbytes:
                gdb.write(f"{head} {empty}\n")
                return
            c = ", ".join(f"{names[l]} x {counts[l]}" for l in (4, 3, 2, 1) if counts.get(l))
            gdb.write(f"{head} {format_size(nbytes)} mapped, {c}\n")
            gdb.write("  %33s  %-15s at %016x-%016x\n" % ("", "", lo, hi - 1))

        show(user, "empty")
        gdb.write("  %016x-%016x %10s  %-15s %s\n" % (
            user[2], CONST["KERNEL_SPACE_START"] - 1,
            format_size(CONST["KERNEL_SPACE_START"] - user[2]), "non-canonical",
            "cannot be mapped"))
        for r in rows:
            show(r, "-" if r[0].startswith("(") else "reserved, empty")
        tables = 1 + stats["tables"]
        gdb.write("  page tables: %d pages (%d KiB), the PML4 included\n" % (tables, tables * 4))


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
