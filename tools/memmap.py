#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Draw kmm's physical memory as a PNG from the shell's `memmap` output.

    tools/memmap.py LOG OUT.png [--block N] [--summary]

LOG is a console log holding one or more `memmap` outputs (lines starting
"memmap: ", see kernel/shell_memmap.c); --block picks one (0 = the first,
-1 = the last, the default). Each page is a square cell, 256 pages (1 MiB)
to a row, coloured by its state; the zones are marked in the left margin
and a legend on the right names every state with its page count.
--summary prints those counts ("K 102 kernel image"), one per line.

Only the Python standard library is used (zlib for the PNG); the legend's
text comes from a small bitmap font below, rasterised once from DejaVu
Sans Mono (Bitstream Vera licence).
"""

import argparse
import colorsys
import re
import struct
import sys
import zlib

PAGES_PER_ROW = 256
BACKGROUND = (255, 255, 255)
INK = (0, 0, 0)
ZONE_COLOURS = [(90, 90, 200), (200, 120, 40), (60, 150, 60), (160, 60, 160)]

FIXED_COLOURS = {
    ".": (48, 48, 48),        # hole
    "R": (150, 150, 150),     # reserved
    "K": (200, 30, 30),       # kernel image
    "p": (0, 205, 205),       # per-CPU free lists
    "T": (255, 140, 0),       # page tables
    "V": (150, 60, 200),      # vmalloc
    "L": (255, 105, 180),     # large kmalloc
    "A": (230, 200, 0),       # alloc_pages, no owner
    "?": (255, 0, 255),       # in no block
    "*": (20, 20, 110),       # slab, caches beyond the letters
}
FREE_ORDERS = "0123456789a"
SLAB_LETTERS = "bcdefghijklmnoqrstuvwxyzBCDEFGHIJMNOQSUWXYZ"   # as the kernel assigns them

# 7x13 glyphs for ASCII 32..126: 13 rows of 7 bits, two hex digits a row.
FONT_W, FONT_H = 7, 13
FONT = [
    "00000000000000000000000000", "00000808080808080008000000", "00001414140000000000000000", "00000a123f14147e2828000000",
    "0000081e28281c0a0a3c080800", "000030483204102e0a0e000000", "00001c2030302a46663e000000", "00000808080000000000000000",
    "00040808181010180808040000", "00101808080808080818100000", "0000082a1c1c2a080000000000", "0000000008087e080800000000",
    "00000000000000000808100000", "0000000000001c000000000000", "00000000000000000808000000", "00000604040808101020200000",
    "00001c3622222a22361c000000", "0000380808080808083e000000", "00003c2606040818303e000000", "00001c26061c0602263c000000",
    "00000c0c1424247e0404000000", "00003c20203c0602063c000000", "00001c30203c2622261c000000", "00003e04040408081810000000",
    "00001c26261c2622261c000000", "00001c2622261e02043c000000", "00000000080800000808000000", "00000000080800000808100000",
    "00000000021c601c0200000000", "00000000007e007e0000000000", "00000000601c061c6000000000", "00003c06040808080008000000",
    "00001c22224e52524e20301c00", "000018181414243e2262000000", "00003c26263c2222223c000000", "00001c3220202020321c000000",
    "00003824222222222438000000", "00003e20203e2020203e000000", "00003e20203e20202020000000", "00001c3220202622321c000000",
    "00002222223e22222222000000", "00003e0808080808083e000000", "00001c04040404040438000000", "00002224283828242622000000",
    "0000202020202020203e000000", "00006676767a6a626262000000", "00002232322a2a2e2626000000", "00001c2622222222261c000000",
    "00003c2622263c202020000000", "00001c2622222222261c040000", "00003c2626263c242222000000", "00001c2020300c02263c000000",
    "00007e08080808080808000000", "0000222222222222261c000000", "00006222262414141818000000", "000043424a7a32363626000000",
    "00002234140818142662000000", "00006226141808080808000000", "00003e0204080810203e000000", "001c18181818181818181c0000",
    "00002020101008080404060000", "00180808080808080808180000", "00001814220000000000000000", "0000000000000000000000007f",
    "00100800000000000000000000", "000000003c063e22263e000000", "002020203c362222363c000000", "000000001e302020301e000000",
    "000202021e262626261e000000", "000000001c223e20201e000000", "000e08083e0808080808000000", "000000001e262626261e043c00",
    "002020203c3622222222000000", "0008000038080808083e000000", "00080000380808080808083800", "00202020262c383c2422000000",
    "0038181818181818180e000000", "000000003e2a2a2a2a2a000000", "000000003c3622222222000000", "000000001c262222261c000000",
    "000000003c362222363c202000", "000000001e262222261e020200", "000000001e1810101010000000", "000000001c20380c063c000000",
    "000010103e101010180e000000", "0000000022222222261e000000", "00000000222634141c18000000", "0000000043422a3a3634000000",
    "00000000261418183422000000", "00000000222214141808183000", "000000003e040810103e000000", "000e08080830180808080e0000",
    "00080808080808080808080800", "00300808080e08080808300000", "000000000000380e0000000000",
]
assert len(FONT) == 95


def colour_of(ch):
    """The colour of a state character (fixed for everything but slabs)."""
    if ch in FIXED_COLOURS:
        return FIXED_COLOURS[ch]
    if ch in FREE_ORDERS:
        # Free blocks: pale green for order 0 to deep green for order 10.
        t = FREE_ORDERS.index(ch) / 10
        return (int(190 - 180 * t), int(245 - 125 * t), int(190 - 180 * t))
    if ch in SLAB_LETTERS:
        # Slabs: blues and violets, each cache its own shade.
        i = SLAB_LETTERS.index(ch)
        h = (0.52 + 0.2 * ((i * 7) % 43) / 43) % 1.0
        l = 0.35 + 0.3 * ((i * 5) % 11) / 11
        r, g, b = colorsys.hls_to_rgb(h, l, 0.75)
        return (int(r * 255), int(g * 255), int(b * 255))
    raise ValueError(f"unknown memmap state {ch!r}")


class MemMap:
    def __init__(self):
        self.start_pfn = self.end_pfn = 0
        self.row = 128
        self.zones = []       # (name, start_pfn, end_pfn)
        self.keys = {}        # char -> description
        self.pages = {}       # pfn -> char (holes omitted)

    def state(self, pfn):
        return self.pages.get(pfn, ".")

    def counts(self):
        c = {}
        for pfn in range(self.start_pfn, self.end_pfn):
            ch = self.state(pfn)
            c[ch] = c.get(ch, 0) + 1
        return c


def parse(text, block=-1):
    """The BLOCK'th complete memmap output in TEXT."""
    blocks, cur = [], None
    for raw in text.splitlines():
        k = raw.find("memmap: ")
        if k < 0:
            continue
        line = raw[k + len("memmap: "):].rstrip("\r")
        if line.startswith("begin "):
            cur = MemMap()
            f = dict(w.split("=", 1) for w in line.split()[1:])
            cur.start_pfn, cur.end_pfn = int(f["start_pfn"], 16), int(f["end_pfn"], 16)
            cur.row = int(f["row"])
        elif cur is None:
            continue
        elif line.startswith("zone "):
            _, name, span = line.split()
            a, b = span.split("-")
            cur.zones.append((name, int(a, 16), int(b, 16)))
        elif line.startswith("key "):
            cur.keys[line[4]] = line[6:]
        elif line.startswith("end"):
            blocks.append(cur)
            cur = None
        else:
            m = re.match(r"0x([0-9a-f]+) (\S+)$", line)
            if not m:
                raise ValueError(f"bad memmap line: {raw!r}")
            base = int(m.group(1), 16)
            for i, ch in enumerate(m.group(2)):
                if ch != ".":
                    cur.pages[base + i] = ch
    if not blocks:
        raise ValueError("no complete memmap output (memmap: begin ... memmap: end) in the log")
    return blocks[block]


class Canvas:
    def __init__(self, w, h):
        self.w, self.h = w, h
        self.px = bytearray(bytes(BACKGROUND) * (w * h))

    def rect(self, x, y, w, h, rgb):
        row = bytes(rgb) * w
        for yy in range(max(0, y), min(self.h, y + h)):
            o = (yy * self.w + x) * 3
            self.px[o:o + 3 * w] = row

    def text(self, x, y, s, rgb=INK):
        for ch in s:
            code = ord(ch) if 32 <= ord(ch) <= 126 else ord("?")
            g = FONT[code - 32]
            for r in range(FONT_H):
                bits = int(g[2 * r:2 * r + 2], 16)
                for c in range(FONT_W):
                    if bits >> (FONT_W - 1 - c) & 1:
                        o = ((y + r) * self.w + x + c) * 3
                        self.px[o:o + 3] = bytes(rgb)
            x += FONT_W

    def png(self):
        raw = b"".join(b"\0" + bytes(self.px[y * self.w * 3:(y + 1) * self.w * 3])
                       for y in range(self.h))

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
        return (b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def geometry(mm):
    """(cell, rows, map_x, map_y, legend_x, width, height)."""
    pages = mm.end_pfn - mm.start_pfn
    cell = 3 if pages <= (1 << 16) else 2 if pages <= (1 << 18) else 1
    rows = (pages + PAGES_PER_ROW - 1) // PAGES_PER_ROW
    map_x, map_y = 16 * FONT_W, 2 * FONT_H + 8
    legend_x = map_x + PAGES_PER_ROW * cell + 24
    legend_rows = len(legend_entries(mm)) + 2
    width = legend_x + 40 * FONT_W
    height = max(map_y + rows * cell, map_y + legend_rows * (FONT_H + 3)) + 10
    return cell, rows, map_x, map_y, legend_x, width, height


def legend_entries(mm):
    """(char, description, count) for every state present, in key order."""
    counts = mm.counts()
    order = ".RK" + FREE_ORDERS + "pTVLA?*" + SLAB_LETTERS
    out = []
    for ch in order:
        if counts.get(ch):
            out.append((ch, mm.keys.get(ch, "hole" if ch == "." else ch), counts[ch]))
    return out


def draw(mm, title):
    cell, rows, map_x, map_y, legend_x, width, height = geometry(mm)
    cv = Canvas(width, height)
    cv.text(4, 4, title)
    for pfn in range(mm.start_pfn, mm.end_pfn):
        i = pfn - mm.start_pfn
        cv.rect(map_x + (i % PAGES_PER_ROW) * cell, map_y + (i // PAGES_PER_ROW) * cell,
                cell, cell, colour_of(mm.state(pfn)))
    # Zones: a bar beside the map for each zone's rows, its name at its start.
    for k, (name, a, b) in enumerate(mm.zones):
        y0 = map_y + (max(a, mm.start_pfn) - mm.start_pfn) // PAGES_PER_ROW * cell
        y1 = map_y + ((min(b, mm.end_pfn) - mm.start_pfn + PAGES_PER_ROW - 1) //
                      PAGES_PER_ROW) * cell
        colour = ZONE_COLOURS[k % len(ZONE_COLOURS)]
        cv.rect(map_x - 8, y0, 5, max(1, y1 - y0), colour)
        cv.rect(2, y0, map_x - 12, 1, colour)
        cv.text(2, y0 + 2, name[:8], colour)
        cv.text(2, y0 + 2 + FONT_H, f"{(a << 12) >> 20}M", colour)
    cv.text(legend_x, map_y - FONT_H - 4, "legend (pages)")
    for k, (ch, what, n) in enumerate(legend_entries(mm)):
        y = map_y + k * (FONT_H + 3)
        cv.rect(legend_x, y + 1, 10, 10, colour_of(ch))
        cv.text(legend_x + 16, y, f"{ch} {what[:24]:<24} {n:>7}")
    return cv


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--block", type=int, default=-1)
    ap.add_argument("--title", default=None)
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args(argv)
    try:
        with open(a.log, errors="replace") as f:
            mm = parse(f.read(), a.block)
    except (OSError, ValueError, IndexError) as e:
        print(f"memmap.py: {a.log}: {e}", file=sys.stderr)
        return 1
    if a.summary:
        for ch, what, n in legend_entries(mm):
            print(f"{ch} {n} {what}")
    if a.out:
        pages = mm.end_pfn - mm.start_pfn
        title = a.title or f"kmm physical memory: {pages} pages ({pages >> 8} MiB), 1 MiB per row"
        with open(a.out, "wb") as f:
            f.write(draw(mm, title).png())
    return 0


if __name__ == "__main__":
    sys.exit(main())
