#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb's kmm-* commands (tools/kmm_gdb.py) against the kernel's own word.

One boot at the shell with a gdb stub on a free local port: the shell
prints buddyinfo, slabinfo, layout, page and vtop for a few pages and
addresses (an allocated block, a kmalloc object, a free page, the kernel
image); then gdb, in batch mode, attaches (which halts the machine at the
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
from shell_session import ShellSession, ShellError  # noqa: E402

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


def main():
    port = free_port()
    try:
        with ShellSession(name="gdb-test", mem="128M", smp=2,
                          qemu_args=("-gdb", f"tcp:127.0.0.1:{port}")) as sh:
            pages = re.search(r"= (0x[0-9a-f]+)", sh.cmd("alloc_pages 2")[0]).group(1)
            obj = re.search(r"= (0x[0-9a-f]+)", sh.cmd("kmalloc 200")[0]).group(1)
            kernel = {}
            queries = {
                "buddyinfo": "kmm-buddyinfo", "slabinfo": "kmm-slabinfo",
                "layout": "kmm-layout",
                f"page {pages}": f"kmm-page {pages}",
                f"page {obj}": f"kmm-page {obj}",
                "page 0x200": "kmm-page 0x200",
                "page 0x7000": "kmm-page 0x7000",
                "page 0xffffc90000001000": "kmm-page 0xffffc90000001000",
                f"vtop {obj}": f"kmm-vtop {obj}",
                "vtop 0xffffffff80201000": "kmm-vtop 0xffffffff80201000",
                "vtop 0xffffc90000000000": "kmm-vtop 0xffffc90000000000",
                "vtop 0xffff800000000000": "kmm-vtop 0xffff800000000000",
            }
            for shell_cmd in queries:
                kernel[shell_cmd] = sh.cmd(shell_cmd)
            try:
                got, r = run_gdb(port, list(queries.values()) + ["kmm-page 0xffffffffffff0000",
                                                                  "kmm-page zz"])
            except subprocess.TimeoutExpired:
                got, r = {}, None
            check("gdb ran and detached", r is not None and "@@@ end" in r.stdout,
                  *((r.stdout.splitlines()[-15:]) if r else ["timed out"]))
            for shell_cmd, gdb_cmd in queries.items():
                want = kernel[shell_cmd]
                if shell_cmd.startswith("page"):
                    want = [l for l in want if not l.startswith(("page dumped because", "slab: object"))]
                have = got.get(gdb_cmd, ["(no output)"])
                diff = [f"kernel: {a!r}\n#   gdb: {b!r}" for a, b in zip(want, have) if a != b]
                if len(want) != len(have):
                    diff.append(f"{len(want)} kernel lines, {len(have)} gdb lines")
                check(f"{gdb_cmd} equals the shell's {shell_cmd}", want and not diff, *diff[:6],
                      *(have[-3:] if diff else []))
            check("kmm-page refuses an address outside RAM and garbage",
                  any("is not a direct-map, vmalloc or kernel-image address" in l
                      for l in got.get("kmm-page 0xffffffffffff0000", [])) and
                  any("kmm-page" in l for l in got.get("kmm-page zz", [])),
                  got.get("kmm-page 0xffffffffffff0000"), got.get("kmm-page zz"))
            # The machine runs on after gdb detached.
            check("the shell answers after gdb detached", sh.cmd("check", timeout=30)[-1] == "check: passed")
            sh.send("poweroff\r")
            sh.wait_exit(30)
    except ShellError as e:
        check("the shell answered", False, *str(e).splitlines())

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
