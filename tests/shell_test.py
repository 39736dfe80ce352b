#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The monitor shell, driven over the serial port: every command's output
and error messages, line editing, garbage input. Prints KTAP; one boot
(128M, 2 CPUs, init=shell ktest=none). Run by `make test` as a test program.
"""

import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from shell_session import ShellSession, ShellError, boot_layout  # noqa: E402

ADDR = r"0x[0-9a-f]+"
BUDDY_RE = re.compile(r"^Node 0, zone +(\w+) +((?:\d+ +){11})$")

results = []        # (name, ok, diagnostics)
# Report lines the test provokes on purpose: (text, how many).
EXPECTED_REPORTS = []
REPORT_LOG_END = None   # reports are judged in the log up to here


def check(name, ok, *diag):
    results.append((name, bool(ok), [str(d) for d in diag]))
    return ok


def expect_report(text):
    EXPECTED_REPORTS.append(text)


def has(lines, pattern):
    return any(re.search(pattern, l) for l in lines)


def buddy_counts(lines):
    counts = {}
    for l in lines:
        m = BUDDY_RE.match(l)
        if m:
            counts[m.group(1)] = [int(x) for x in m.group(2).split()]
    return counts


def addr_of(lines, call):
    for l in lines:
        m = re.match(re.escape(call) + r"[^=]* = (" + ADDR + ")", l)
        if m:
            return m.group(1)
    return None


def run(sh):
    cmd = sh.cmd
    check("banner", "monitor shell on the serial console" in sh.banner)
    # KASLR moves the direct map, vmalloc and vmemmap at every boot: take
    # their bases from what the kernel printed, never from constants.
    lay = boot_layout(sh.banner)
    check("4-level paging on qemu64", lay["levels"] == 4, lay)
    vmemmap = lay["vmemmap"][0]
    vmalloc_top = "%#x" % (lay["vmalloc"][1] - 0x1000)
    dm_end = "%#x" % lay["direct map"][1]

    # --- help and completion -------------------------------------------------------
    out = cmd("help")
    names = ["help", "buddyinfo", "pagetypeinfo", "zoneinfo", "meminfo", "numastat", "slabinfo",
             "vmallocinfo", "layout", "ptdump", "page", "vtop", "kmalloc", "kfree",
             "alloc_pages", "free_pages", "vmalloc", "vfree", "cache", "check",
             "stress", "memmap", "ktest", "poweroff"]
    listed = {l.split()[0] for l in out if l.strip()}
    check("help lists every command", listed == set(names), sorted(set(names) ^ listed))

    # --- reports in /proc formats ----------------------------------------------------
    bi = cmd("buddyinfo")
    counts = buddy_counts(bi)
    check("buddyinfo format", bi and len(counts) == len(bi) and "DMA32" in counts, bi)
    pt = cmd("pagetypeinfo")
    ok = "Page block order: 10" in pt and "Pages per block:  1024" in pt
    for zone, c in counts.items():
        line = [l for l in pt if re.match(rf"Node +0, zone +{zone}, type +Unmovable", l)]
        ok = ok and line and [int(x) for x in line[0].split()[6:]] == c
    check("pagetypeinfo matches buddyinfo", ok, *pt)
    zi = cmd("zoneinfo")
    check("zoneinfo format", has(zi, r"^Node 0, zone +DMA32$") and has(zi, r"^  pages free +\d+$")
          and has(zi, r"^    cpu: 1$") and has(zi, r"^              high:  \d+$")
          and has(zi, r"^  start_pfn: +\d+$"), *zi)
    mi = cmd("meminfo")
    check("meminfo format", has(mi, r"^MemTotal: +\d+ kB$") and has(mi, r"^MemFree: +\d+ kB$")
          and has(mi, r"^DirectMap2M: +\d+ kB$"), *mi)
    ns = cmd("numastat")
    check("numastat format", has(ns, r"^ +node0$")
          and has(ns, r"^numa_hit +\d+$") and has(ns, r"^other_node +\d+$"), *ns)
    si = cmd("slabinfo")
    check("slabinfo format", si[:1] == ["slabinfo - version: 2.1"]
          and has(si, r"^kmalloc-64 +\d+ +\d+ +64 "), *si[:4])
    vi = cmd("vmallocinfo")
    check("vmallocinfo format", vi and all(re.match(
        r"^0x[0-9a-f]{16}-0x[0-9a-f]{16} +\d+ \S+ pages=\d+ vmalloc$", l) for l in vi), *vi)
    lo = cmd("layout")
    check("layout", has(lo, r"direct map") and has(lo, r"vmalloc") and has(lo, r"kernel image"), *lo[:5])
    pd = cmd("ptdump")
    check("ptdump whole", "---[ High Kernel Mapping ]---" in pd and "---[ Kernel Space ]---" in pd
          and has(pd, r"^0xffffffff80200000-0x[0-9a-f]{16} +\d+K +ro +GLB x  pte$"), len(pd))
    pr = cmd("ptdump 0xffffffff80000000 0xffffffff80400000")
    runs = [l for l in pr if l.startswith("0x")]
    check("ptdump range", pr[0] == "---[ High Kernel Mapping ]---" and runs
          and runs[0].startswith("0xffffffff80000000-") and
          runs[-1].split()[0].endswith("-0xffffffff80400000"), *pr)

    # --- page and vtop -------------------------------------------------------------
    out = cmd("vtop 0xffffffff80200000")
    check("vtop kernel text", out[0].startswith("vtop 0xffffffff80200000: cr3 table")
          and [l.split()[0] for l in out[1:5]] == ["PML4", "PDPT", "PD", "PT"]
          and out[-1].strip().startswith("0xffffffff80200000 -> phys 0x200000"), *out)
    out = cmd("vtop 0xffff800000000000")
    check("vtop unmapped", has(out, r"0xffff800000000000 is not mapped \(no pgd entry\)"), *out)
    out = cmd("vtop 0x0000800000000000")
    check("vtop non-canonical", has(out, r"is not canonical"), *out)
    out = cmd("page 0x200")
    check("page of the kernel image", has(out, r"^page:%016x pfn:0x200 phys:0x200000 " % (vmemmap + 0x200 * 64) +
                                          r"zone:DMA kind:reserved$")
          and has(out, r"^flags: 0x[0-9a-f]+\(reserved\|")
          and out[-1] == "page dumped because: shell page command", *out)

    # --- kmalloc / kfree --------------------------------------------------------------
    out = cmd("kmalloc 100")
    a = addr_of(out, "kmalloc(100)")
    check("kmalloc", a and has(out, r"\(ksize 104\)"), *out)
    out = cmd(f"page {a}")
    check("page of a kmalloc object", has(out, r"kind:slab$") and
          has(out, r"^slab: cache:kmalloc-104 objsize:104 ") and
          has(out, r"^slab: object \d+ at " + a + ", offset 0 into it$"), *out)
    out = cmd(f"kfree {a}")
    check("kfree", out == [f"kfree({a}) returned"], *out)
    expect_report("BUG kmalloc-104: Object already free")
    out = cmd(f"kfree {a}")
    check("kfree twice: the API's double-free report",
          has(out, r"^BUG kmalloc-104: Object already free$"), *out)
    out = cmd("kfree 0xffff888000123450")
    check("kfree of memory the shell did not allocate is refused",
          out == ["kfree: 0xffff888000123450 was not allocated from this shell: refused"], *out)

    # --- the wrong free for a live allocation: refused by the API -------------------------
    b = addr_of(cmd("kmalloc 100"), "kmalloc(100)")
    q = addr_of(cmd("alloc_pages 0"), "alloc_pages(order 0)")
    cmd("cache create wrongcache 32")
    inner = hex(int(b, 16) + 8)
    misuse = [
        (f"kfree {inner}", "BUG kmalloc-104: Invalid pointer (not at an object start)"),
        (f"cache free wrongcache {b}", "BUG wrongcache: Wrong cache: object belongs to kmalloc-104"),
        (f"kfree {q}", "BUG kmalloc: Pointer not in any slab or large kmalloc"),
        (f"vfree {b}", f"vmalloc: BUG: vfree of {b} refused: not a vmalloc address"),
        (f"free_pages {b} 0", "page_alloc: BUG: bad free refused: page still owned by slab"),
    ]
    for line, report in misuse:
        expect_report(report)
        out = cmd(line)
        check(f"'{line.split()[0]}' of the wrong kind: refused by the API",
              any(l.startswith(report) for l in out), *out)
    out = cmd(f"kfree {b}")
    check("the object survived the wrong frees", out == [f"kfree({b}) returned"], *out)
    cmd(f"free_pages {q} 0")
    cmd("cache destroy wrongcache")

    # --- pages ---------------------------------------------------------------------------
    out = cmd("alloc_pages 2")
    p = addr_of(out, "alloc_pages(order 2)")
    check("alloc_pages", p and has(out, r"4 pages\)$"), *out)
    out = cmd(f"page {p}")
    check("page of alloc_pages", has(out, r"kind:allocated$") and has(out, r"order:2 "), *out)
    expect_report("BUG: bad free refused: wrong order (allocated with order 2)")
    out = cmd(f"free_pages {p} 1")
    check("free_pages with the wrong order: refused by the API",
          has(out, r"^page_alloc: BUG: bad free refused: wrong order \(allocated with order 2\)"), *out)
    out = cmd(f"free_pages {p} 2")
    check("free_pages", out == [f"free_pages({p}, 2) returned"], *out)
    expect_report("BUG: bad free refused: double free")
    out = cmd(f"free_pages {p} 2")
    check("free_pages twice: refused by the API", has(out, r"^page_alloc: BUG: bad free refused: double free"), *out)
    out = cmd("alloc_pages 11")
    check("alloc_pages above MAX_PAGE_ORDER",
          out == ["alloc_pages: order 11 is above MAX_PAGE_ORDER (10)"], *out)

    # --- vmalloc --------------------------------------------------------------------------
    out = cmd("vmalloc 8K")
    v = addr_of(out, "vmalloc(8192)")
    check("vmalloc", v is not None, *out)
    out = cmd("vmallocinfo")
    check("vmallocinfo shows the area", has(out, "^" + "0x%016x" % int(v, 16) +
                                            r"-0x[0-9a-f]{16} +12288 cmd_vmalloc\+\S+ pages=2 vmalloc$"), *out)
    inner = hex(int(v, 16) + 4096)
    expect_report("refused: inside the area at")
    out = cmd(f"vfree {inner}")
    check("vfree inside an area: refused by the API", has(out, r"^vmalloc: BUG: vfree of " + inner +
                                                         " refused: inside the area at " + v), *out)
    out = cmd(f"vfree {v}")
    check("vfree", out == [f"vfree({v}) returned"], *out)
    expect_report("refused: no area there (double free?)")
    out = cmd(f"vfree {v}")
    check("vfree twice: refused by the API", has(out, r"refused: no area there \(double free\?\)"), *out)

    # --- caches -------------------------------------------------------------------------
    out = cmd("cache create shelltest 48")
    check("cache create", out == ["cache: created shelltest, object size 48"], *out)
    out = cmd("cache create shelltest 48")
    check("cache create twice", out == ["cache: shelltest exists already"], *out)
    out = cmd("cache alloc shelltest")
    o = addr_of(out, "kmem_cache_alloc(shelltest)")
    check("cache alloc", o is not None, *out)
    out = cmd("slabinfo")
    check("slabinfo shows the cache", has(out, r"^shelltest +1 +\d+ +48 "), *out)
    out = cmd(f"cache free shelltest {o}")
    check("cache free", out == [f"kmem_cache_free(shelltest, {o}) returned"], *out)
    out = cmd("cache destroy shelltest")
    check("cache destroy", out == ["cache: destroyed shelltest"], *out)
    out = cmd("cache alloc shelltest")
    check("cache alloc after destroy", out == ["cache: no cache 'shelltest' made from this shell"], *out)

    # --- garbage ----------------------------------------------------------------------------
    garbage = [
        ("frobnicate", "kmm: unknown command 'frobnicate' (try help)"),
        ("kmalloc", "kmalloc: usage: kmalloc SIZE"),
        ("kmalloc 12abc", "kmalloc: size: '12abc' is not a number"),
        ("kmalloc 0x", "kmalloc: size: '0x' is not a number"),
        ("kmalloc -5", "kmalloc: size: '-5' is not a number"),
        ("kmalloc 18446744073709551616", "kmalloc: size: '18446744073709551616' is out of range"),
        ("kmalloc 17179869184G", "kmalloc: size: '17179869184G' is out of range"),
        ("kfree zz", "kfree: address: 'zz' is not a number"),
        ("free_pages 0x1000", "free_pages: usage: free_pages ADDRESS ORDER"),
        ("page 0x7ffffff", "page: pfn 0x7ffffff is outside RAM"),
        ("page 0xffffffffffffffff", "page: 0xffffffffffffffff is not a direct-map, vmalloc or kernel-image address"),
        (f"page {vmalloc_top}", f"page: {vmalloc_top} is in no vmalloc area"),
        ("page 0xffff800000000000", "page: 0xffff800000000000 is not a direct-map, vmalloc or kernel-image address"),
        (f"page {dm_end}", f"page: {dm_end} is not a direct-map, vmalloc or kernel-image address"),
        ("vtop", "vtop: usage: vtop ADDRESS"),
        ("ptdump 1 2", "ptdump: [0x1, 0x2) is not a page-aligned range in the kernel half (from 0xffff800000000000)"),
        ("ptdump 0xffffffff80000000", "ptdump: usage: ptdump [START END]"),
        ("cache", "cache: usage: cache create|destroy|alloc|free ..."),
        ("cache bogus x", "cache: unknown subcommand 'bogus' (create, destroy, alloc, free)"),
        ("cache create x 0", "cache: object size 0 is out of range"),
        ("stress 0", "stress: seconds must be 1..3600"),
        ("ktest nosuchsuite", "ktest: no suite matches 'nosuchsuite'"),
        ("a b c d e f g h i", "kmm: too many words (at most 8)"),
    ]
    for line, want in garbage:
        out = cmd(line)
        check(f"error for '{line}'", out == [want], *out)
    out = cmd("")
    check("empty line", out == [], *out)
    long_line = "x" * 300
    sh.send(long_line + "\r")
    text = sh.wait_prompt()
    check("an overlong line is refused, not cut", "\a" in text and
          "kmm: unknown command '" + "x" * 159 + "' (try help)" in text, text[-200:])
    sh.send(b"\x01\x02\x1b[C\x1b[3~buddyinfo\r")
    out = sh.wait_prompt().split("\n")[1:-1]
    check("control bytes and unknown escapes are ignored", buddy_counts(out).keys() == counts.keys(), *out)

    # --- line editing ------------------------------------------------------------------------
    sh.send("bu\x7f\x7fmeminfx\x08o\r")
    out = sh.wait_prompt()
    check("backspace (DEL and BS)", "MemTotal:" in out, out[:200])
    sh.send("garbage\x15meminfo\r")
    out = sh.wait_prompt()
    check("Ctrl-U erases the line", "MemTotal:" in out and "unknown command" not in out, out[:200])
    sh.send("frob\x03")
    out = sh.wait_prompt()
    check("Ctrl-C abandons the line", out.endswith("^C\n"), repr(out))
    sh.send("\x1b[A\r")
    out = sh.wait_prompt()
    check("arrow up recalls the last line", "MemTotal:" in out, out[:200])
    sh.send("\x1b[A\x1b[A\x1b[B\r")
    out = sh.wait_prompt()
    check("arrow up, up, down", "MemTotal:" in out and "unknown command" not in out, out[:200])
    sh.send("zonei\t\r")
    out = sh.wait_prompt()
    check("tab completes a unique command", "zoneinfo" in out.split("\n")[0] and "pages free" in out, out[:200])
    sh.send("vm\t")
    sh.send("\x15\r")
    out = sh.wait_prompt()
    check("tab extends to the common prefix", out.startswith("vmalloc"), repr(out[:80]))
    sh.send("v\t")
    listing = sh.wait_prompt()
    sh.send("\x15\r")
    sh.wait_prompt()
    check("tab lists the candidates", sorted(listing.split()[1:]) == ["vfree", "vmalloc", "vmallocinfo", "vtop"],
          repr(listing))

    # --- memmap agrees with buddyinfo ----------------------------------------------------------
    cmd("alloc_pages 3")
    bi = buddy_counts(cmd("buddyinfo"))
    mm = cmd("memmap")
    rows = [l.split()[2] for l in mm if re.match(r"^memmap: 0x[0-9a-f]{8} ", l)]
    text = "".join(rows)
    free = sum(c << o for zc in bi.values() for o, c in enumerate(zc))
    in_map = sum(text.count(ch) for ch in "0123456789a")
    check("memmap frame", mm[0].startswith("memmap: begin start_pfn=0x0 end_pfn=0x")
          and mm[-1].startswith("memmap: end pages=") and has(mm, r"^memmap: zone DMA32 ")
          and has(mm, r"^memmap: key K kernel image$"), mm[0], mm[-1])
    check("memmap free pages equal buddyinfo's", free == in_map, f"buddyinfo {free}, memmap {in_map}")
    check("memmap shows the order-3 block", text.count("A") >= 8, text.count("A"))

    # --- check, stress, ktest ---------------------------------------------------------------------
    out = cmd("check")
    check("check", out[-2:] == ["check: buddy 0 errors, slab 0 errors, vmalloc 0 errors, W+X 0 pages",
                                "check: passed"], *out)
    out = cmd("stress 2", timeout=120)
    cpus = [l for l in out if re.match(r"^stress: CPU\d: [1-9]\d* allocations, \d+ frees, \d+ failed, 0 overwritten$", l)]
    check("stress on both CPUs, then a clean check", len(cpus) == 2 and out[-1] == "check: passed", *out)
    # The suite provokes reports of its own: judge reports before it only.
    global REPORT_LOG_END
    REPORT_LOG_END = len(sh.log)
    out = cmd("ktest vmalloc", timeout=120)
    check("ktest runs a suite", has(out, r"^ok 1 vmalloc$") and out[-1] == "ktest: 0 suites failed", *out[-5:])


def main():
    exit_code = None
    log = ""
    try:
        with ShellSession(name="shell-test", mem="128M", smp=2) as sh:
            try:
                run(sh)
            finally:
                log = sh.log
            sh.send("poweroff\r")
            exit_code = sh.wait_exit(30)
            log = sh.log
    except ShellError as e:
        check("the shell answered", False, *str(e).splitlines())
    check("poweroff leaves QEMU with the self-tests' verdict (33)", exit_code == 33, exit_code)
    if "poweroff" in log:
        check("poweroff message", "kmm: power off (self-tests passed)" in log)
    # Only the reports this test provoked may appear, each once.
    reports = [l for l in log[:REPORT_LOG_END].split("\n") if re.match(r"^(\w+: )?(BUG|WARNING)", l)]
    unexpected = [r for r in reports if not any(e in r for e in EXPECTED_REPORTS)]
    check("no report the test did not ask for", not unexpected, *unexpected)
    check("every provoked report printed once", len(reports) == len(EXPECTED_REPORTS),
          f"{len(reports)} reports, {len(EXPECTED_REPORTS)} expected", *reports)

    print("KTAP version 1")
    print(f"1..{len(results)}")
    for i, (name, ok, diag) in enumerate(results, 1):
        if not ok:
            for d in diag[:40]:
                print(f"# {d}")
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
