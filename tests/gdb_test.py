#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb's kmm-* commands (tools/kmm_gdb.py) against the kernel's own word.

Two boots at the shell (4-level paging on qemu64, 5-level on
`-cpu max,+la57`, both with KASLR) with a gdb stub on a free local port:
the shell prints buddyinfo, slabinfo, layout, page and vtop for a few pages
and addresses (an allocated block, a kmalloc object, a free page, the kernel
image, a vmalloc area, the direct map's base, all at the addresses the boot
log names); then gdb, in batch mode, attaches (which halts the machine at the
prompt, where nothing changes) and runs the same kmm-* commands. Their
output must equal the kernel's, line for line. Prints KTAP.
"""

import re
import socket
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from shell_session import ShellSession, ShellError, boot_layout  # noqa: E402
import harness  # noqa: E402

GDB_TIMEOUT = 120
results = []


def check(name, ok, *diag):
    results.append((name, bool(ok), [str(d) for d in diag]))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_gdb(port, commands):
    """Run COMMANDS in one gdb batch; return {command: output lines}."""
    argv = ["gdb", "-q", "-nx", "-batch", "-ex", "set pagination off",
            "-ex", "set architecture i386:x86-64", "-ex", f"file {ROOT / 'build' / 'kernel.elf'}",
            "-ex", f"target remote 127.0.0.1:{port}",
            "-ex", f"source {ROOT / 'tools' / 'kmm_gdb.py'}"]
    for c in commands:
        argv += ["-ex", f"echo @@@ {c}\\n", "-ex", c]
    argv += ["-ex", "echo @@@ end\\n", "-ex", "detach"]
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=GDB_TIMEOUT, stdin=subprocess.DEVNULL)
    out, cur = {}, None
    for line in r.stdout.splitlines():
        if line.startswith("@@@ "):
            cur = line[4:]
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out, r


# (tag, QEMU -cpu, command line): 4-level paging, then 5-level (LA57) so
# kmm-vtop and kmm-layout walk five levels too, with KASLR (every address
# comes from what the kernel printed); then 5-level under nokaslr, whose
# layout has the KASAN shadow row and Linux's fixed 5-level bases.
VARIANTS = [("4-level", "qemu64", ""), ("5-level", "max,+la57", ""),
            ("5-level nokaslr", "max,+la57", "nokaslr")]
KERNEL_SPACE_START = {4: 0xffff800000000000, 5: 0xff00000000000000}


def run_variant(tag, cpu, cmdline):
    port = free_port()
    t = lambda name: f"[{tag}] {name}"
    try:
        with ShellSession(name="gdb-test-" + tag.replace(" ", "-"), mem="128M", smp=2,
                          cpu=cpu, cmdline=cmdline,
                          qemu_args=("-gdb", f"tcp:127.0.0.1:{port}")) as sh:
            lay = boot_layout(sh.banner)
            levels = int(tag[0])
            check(t("the kernel chose the paging depth asked for"), lay["levels"] == levels, lay)
            if "nokaslr" in cmdline:
                check(t("nokaslr: Linux's fixed bases"),
                      all(lay[k][0] == v for k, v in harness.FIXED_BASES[5].items()), lay)
            # A section header for a range, before any whole dump ran.
            out = sh.cmd("ptdump %#x %#x" % (lay["direct map"][0], lay["direct map"][0] + (2 << 20)))
            check(t("shell ptdump of the direct map's base: its section"),
                  out[:1] == ["---[ Low Kernel Mapping ]---"] and len(out) >= 2
                  and out[1].startswith("0x%016x-" % lay["direct map"][0]), *out)
            out = sh.cmd("ptdump 0xffffffffff5f0000 0xffffffffff600000")
            check(t("shell ptdump of the fixmap: its section"),
                  out[:1] == ["---[ Fixmap Area ]---"], *out)
            pages = re.search(r"= (0x[0-9a-f]+)", sh.cmd("alloc_pages 2")[0]).group(1)
            obj = re.search(r"= (0x[0-9a-f]+)", sh.cmd("kmalloc 200")[0]).group(1)
            vm = re.match(r"^(0x[0-9a-f]+)-", sh.cmd("vmallocinfo")[0]).group(1)
            vmalloc_base = "%#x" % lay["vmalloc"][0]
            page_offset = "%#x" % lay["direct map"][0]
            guard = "%#x" % KERNEL_SPACE_START[levels]
            kernel = {}
            queries = {
                "buddyinfo": "kmm-buddyinfo", "slabinfo": "kmm-slabinfo",
                "layout": "kmm-layout",
                f"page {pages}": f"kmm-page {pages}",
                f"page {obj}": f"kmm-page {obj}",
                "page 0x200": "kmm-page 0x200",
                "page 0x7000": "kmm-page 0x7000",
                f"page {vm}": f"kmm-page {vm}",
                f"vtop {obj}": f"kmm-vtop {obj}",
                f"vtop {page_offset}": f"kmm-vtop {page_offset}",
                "vtop 0xffffffff80201000": "kmm-vtop 0xffffffff80201000",
                f"vtop {vmalloc_base}": f"kmm-vtop {vmalloc_base}",
                f"vtop {vm}": f"kmm-vtop {vm}",
                f"vtop {guard}": f"kmm-vtop {guard}",
            }
            for shell_cmd in queries:
                kernel[shell_cmd] = sh.cmd(shell_cmd)
            # The shell's own view of this depth (the gdb comparison below
            # only proves the two agree).
            names = ["PML5", "PML4", "PDPT", "PD", "PT"][5 - levels:]
            out = kernel["vtop 0xffffffff80201000"]
            check(t("shell vtop walks every level"), [l.split()[0] for l in out[1:1 + levels]] == names
                  and out[-1].strip().startswith("0xffffffff80201000 -> phys 0x201000"), *out)
            out = kernel[f"vtop {obj}"]
            check(t("shell vtop of a kmalloc object reaches its page"),
                  [l.split()[0] for l in out[1:3]] == names[:2] and " -> phys " in out[-1], *out)
            out = kernel[f"vtop {guard}"]
            check(t("shell vtop of the guard hole: no pgd entry"),
                  out[-1].strip() == f"{guard} is not mapped (no pgd entry)", *out)
            out = kernel["layout"]
            nokaslr = "nokaslr" in cmdline
            check(t("shell layout names the depth and KASLR"),
                  f"({levels}-level, {9 * levels + 12}-bit: " in out[0]
                  and out[0].endswith("; nokaslr):" if nokaslr else "; KASLR):")
                  and any("KASAN shadow" in l for l in out) == nokaslr, *out[:3])
            pd = sh.cmd("ptdump")
            runs = [l for l in pd if l.startswith("0x")]
            check(t("shell ptdump starts at the kernel half"), pd[:1] == ["---[ Kernel Space ]---"]
                  and runs and runs[0].startswith("0x%016x-" % KERNEL_SPACE_START[levels])
                  and "---[ Low Kernel Mapping ]---" in pd
                  and any(l.startswith("0x%016x-" % lay["direct map"][0]) for l in runs), *pd[:6])
            try:
                got, r = run_gdb(port, list(queries.values()) + ["kmm-page 0xffffffffffff0000",
                                                                  f"kmm-page {guard}",
                                                                  "kmm-page zz"])
            except subprocess.TimeoutExpired:
                got, r = {}, None
            check(t("gdb ran and detached"), r is not None and "@@@ end" in r.stdout,
                  *((r.stdout.splitlines()[-15:]) if r else ["timed out"]))
            for shell_cmd, gdb_cmd in queries.items():
                want = kernel[shell_cmd]
                if shell_cmd.startswith("page"):
                    want = [l for l in want if not l.startswith(("page dumped because", "slab: object"))]
                have = got.get(gdb_cmd, ["(no output)"])
                diff = [f"kernel: {a!r}\n#   gdb: {b!r}" for a, b in zip(want, have) if a != b]
                if len(want) != len(have):
                    diff.append(f"{len(want)} kernel lines, {len(have)} gdb lines")
                check(t(f"{gdb_cmd} equals the shell's {shell_cmd}"), want and not diff, *diff[:6],
                      *(have[-3:] if diff else []))
            bad = "is not a direct-map, vmalloc or kernel-image address"
            check(t("kmm-page refuses an address outside RAM and garbage"),
                  any(bad in l for l in got.get("kmm-page 0xffffffffffff0000", [])) and
                  any(bad in l for l in got.get(f"kmm-page {guard}", [])) and
                  any("kmm-page" in l for l in got.get("kmm-page zz", [])),
                  got.get("kmm-page 0xffffffffffff0000"), got.get(f"kmm-page {guard}"),
                  got.get("kmm-page zz"))
            # The machine runs on after gdb detached.
            check(t("the shell answers after gdb detached"),
                  sh.cmd("check", timeout=30)[-1] == "check: passed")
            sh.send("poweroff\r")
            sh.wait_exit(30)
    except ShellError as e:
        check(t("the shell answered"), False, *str(e).splitlines())


def main():
    for tag, cpu, cmdline in VARIANTS:
        run_variant(tag, cpu, cmdline)

    print("KTAP version 1")
    print(f"1..{len(results)}")
    for i, (name, ok, diag) in enumerate(results, 1):
        if not ok:
            for d in diag[:20]:
                print(f"# {d}")
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
