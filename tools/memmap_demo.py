#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make memmap`: boot kmm at its shell, picture physical memory, fragment
it, picture it again.

    tools/memmap_demo.py [--mem 128M] [--out build]

Writes OUT/memmap-before.png and OUT/memmap.png (after the workload), from
the console log build/logs/memmap.log. The workload, typed at the shell:
2048 single pages, then every other one freed (free order-0 holes between
allocated pages: what the buddy allocator cannot merge); 512 kmalloc(2048)
objects, every other one freed (half-empty slabs); a few vmalloc areas.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from shell_session import ShellSession, ShellError  # noqa: E402


def addr(lines):
    for l in lines:
        m = re.search(r" = (0x[0-9a-f]+)", l)
        if m:
            return m.group(1)
    raise ShellError("no address in: " + " | ".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mem", default="128M")
    ap.add_argument("--out", default=str(ROOT / "build"))
    a = ap.parse_args()
    try:
        with ShellSession(name="memmap", mem=a.mem, smp=1) as sh:
            sh.cmd("memmap")
            pages = [addr(sh.cmd("alloc_pages 0")) for _ in range(2048)]
            for p in pages[::2]:
                sh.cmd(f"free_pages {p} 0")
            objs = [addr(sh.cmd("kmalloc 2048")) for _ in range(512)]
            for o in objs[::2]:
                sh.cmd(f"kfree {o}")
            for size in ("64K", "256K", "1M"):
                sh.cmd(f"vmalloc {size}")
            sh.cmd("memmap")
            check = sh.cmd("check")
            sh.send("poweroff\r")
            sh.wait_exit(30)
    except ShellError as e:
        print(f"memmap_demo: {e}", file=sys.stderr)
        return 1
    print("\n".join(check))
    log = ROOT / "build" / "logs" / "memmap.log"
    tool = ROOT / "tools" / "memmap.py"
    out = Path(a.out)
    for block, name, what in ((0, "memmap-before.png", "after boot"),
                              (1, "memmap.png", "after the fragmenting workload")):
        title = f"kmm physical memory, {a.mem}, {what}; 1 MiB per row"
        r = subprocess.run([sys.executable, str(tool), str(log), str(out / name),
                            "--block", str(block), "--title", title])
        if r.returncode:
            return r.returncode
        print(f"memmap_demo: wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
