#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/memmap.py on a recorded console log (tests/traces/memmap-128M.log,
two `memmap` outputs of a 128M boot: after boot, after fragmenting): the
PNG's size, that every state's colour covers exactly its page count (plus
its legend swatch), the legend's counts, the zone marks, and bad logs.
Prints KTAP.
"""

import re
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.dont_write_bytecode = True
ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "memmap.py"
LOG = ROOT / "tests" / "traces" / "memmap-128M.log"
sys.path.insert(0, str(ROOT / "tools"))
import memmap  # noqa: E402  (for the colour table only)

SWATCH = 10 * 10
results = []


def check(name, ok, *diag):
    results.append((name, bool(ok), [str(d) for d in diag]))


def read_png(path):
    """(width, height, pixel bytes RGB) of an 8-bit RGB, filter-0 PNG."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w, h = 8, b"", 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert (depth, ctype) == (8, 2), "expected 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    rows = [raw[y * (3 * w + 1):(y + 1) * (3 * w + 1)] for y in range(h)]
    assert all(r[0] == 0 for r in rows), "unexpected PNG filter"
    return w, h, b"".join(r[1:] for r in rows)


def log_counts(text, block):
    """Page states counted straight from the log (independently of the tool)."""
    blocks, cur = [], None
    for line in text.splitlines():
        if line.startswith("memmap: begin "):
            f = dict(w.split("=") for w in line.split()[2:])
            cur = {"span": (int(f["start_pfn"], 16), int(f["end_pfn"], 16)), "rows": {},
                   "keys": {}, "zones": []}
        elif cur is None or not line.startswith("memmap: "):
            continue
        elif line.startswith("memmap: end"):
            blocks.append(cur)
            cur = None
        elif line.startswith("memmap: key "):
            cur["keys"][line[12]] = line[14:]
        elif line.startswith("memmap: zone "):
            cur["zones"].append(line.split()[2])
        else:
            m = re.match(r"memmap: 0x([0-9a-f]+) (\S+)$", line)
            cur["rows"][int(m.group(1), 16)] = m.group(2)
    b = blocks[block]
    start, end = b["span"]
    counts = {}
    for pfn in range(start, end, 128):
        row = b["rows"].get(pfn, "." * 128)
        for i, ch in enumerate(row):
            if pfn + i < end:
                counts[ch] = counts.get(ch, 0) + 1
    return counts, b["keys"], b["zones"], end - start


def colour_pixels(px):
    hist = {}
    for i in range(0, len(px), 3):
        c = px[i:i + 3]
        hist[c] = hist.get(c, 0) + 1
    return hist


def run_tool(*args):
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def main():
    text = LOG.read_text()
    with tempfile.TemporaryDirectory() as tmp:
        for block, label in ((0, "after boot"), (-1, "after fragmenting")):
            png = Path(tmp) / f"m{block}.png"
            r = run_tool(LOG, png, "--block", block, "--summary")
            check(f"{label}: the tool runs", r.returncode == 0, r.stderr)
            if r.returncode:
                continue
            counts, keys, zones, pages = log_counts(text, block)
            w, h, px = read_png(png)
            cell = 3 if pages <= 1 << 16 else 2 if pages <= 1 << 18 else 1
            rows = (pages + 255) // 256
            check(f"{label}: image size holds the map and the legend",
                  w >= 256 * cell + 40 * 7 and h >= rows * cell and w < 2000 and h < 2000,
                  f"{w}x{h}")
            hist = colour_pixels(px)
            bad = []
            for ch, n in counts.items():
                got = hist.get(bytes(memmap.colour_of(ch)), 0)
                if got != n * cell * cell + SWATCH:
                    bad.append(f"{ch}: {got} pixels for {n} pages")
            check(f"{label}: each state's pixels are its pages plus a legend swatch", not bad, *bad)
            summary = {l.split()[0]: (int(l.split()[1]), l.split(None, 2)[2])
                       for l in r.stdout.splitlines()}
            want = {ch: (n, keys.get(ch, "hole")) for ch, n in counts.items()}
            check(f"{label}: legend counts and names match the log", summary == want,
                  sorted(set(summary.items()) ^ set(want.items())))
            marks = [hist.get(bytes(memmap.ZONE_COLOURS[k]), 0) for k in range(len(zones))]
            check(f"{label}: every zone is marked", zones and all(m > 0 for m in marks), zones, marks)
        before, _, _, _ = log_counts(text, 0)
        after, _, _, _ = log_counts(text, -1)
        check("the workload shows: more allocated pages after", after.get("A", 0) > before.get("A", 0) + 512,
              before.get("A"), after.get("A"))

        empty = Path(tmp) / "empty.log"
        empty.write_text("kmm: nothing here\nmemmap:             2048 kB\n")
        r = run_tool(empty, Path(tmp) / "x.png")
        check("a log without memmap output is an error", r.returncode == 1 and
              "no complete memmap output" in r.stderr, r.stderr)
        cut = Path(tmp) / "cut.log"
        cut.write_text("\n".join(text.splitlines()[:40]))
        r = run_tool(cut, Path(tmp) / "x.png", "--block", 0)
        check("a truncated memmap output is an error", r.returncode == 1, r.stderr)
        bad = Path(tmp) / "bad.log"
        bad.write_text("memmap: begin start_pfn=0x0 end_pfn=0x80 row=128\nmemmap: 0x00000000 RR$R\nmemmap: end pages=128\n")
        r = run_tool(bad, Path(tmp) / "x.png")
        check("an unknown state character is an error", r.returncode == 1 and "unknown memmap state" in r.stderr,
              r.stderr)

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
