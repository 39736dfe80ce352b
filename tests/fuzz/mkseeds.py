#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed corpora under tests/fuzz/corpus/<target>/ (run from anywhere).

The seeds are small, readable starting points: a GRUB-on-SeaBIOS and a
GRUB-on-OVMF Multiboot2 information, an OVMF-like UEFI memory map (bare and
inside a loader hand-off), and short operation programs for the allocator
targets (byte meanings: see the target's source)."""

import random
import struct
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def tag(t, payload):
    body = struct.pack("<II", t, 8 + len(payload)) + payload
    return body + b"\0" * (-len(body) % 8)


def rsdp(xsdp):
    r = bytearray(b"RSD PTR " + b"\0" + b"BOCHS " + bytes([2 if xsdp else 0]) +
                  struct.pack("<I", 0x7fe1000))
    r[8] = -sum(r) & 0xff
    if xsdp:
        r += struct.pack("<IQ", 36, 0x7fe2000) + b"\0\0\0\0"
        r[32] = -sum(r) & 0xff
    return bytes(r)


def mb2(tags):
    body = b"".join(tags) + tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def mmap(entries):
    return tag(6, struct.pack("<II", 24, 0) +
               b"".join(struct.pack("<QQII", b, l, t, 0) for b, l, t in entries))


QEMU_MAP = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
            (0x100000, 0x7ee0000, 1), (0x7fe0000, 0x20000, 2), (0xfffc0000, 0x40000, 2)]

# (type, first page, pages, attribute) as OVMF reports a 128 MiB machine.
OVMF_MAP = [(3, 0x0, 0xa0, 0xf), (7, 0x100, 0x700, 0xf), (10, 0x800, 0x8, 0xf),
            (7, 0x808, 0x3, 0xf), (10, 0x80b, 0x1, 0xf), (7, 0x80c, 0x4, 0xf),
            (10, 0x810, 0xf0, 0xf), (4, 0x900, 0xc00, 0xf), (2, 0x1500, 0x200, 0xf),
            (1, 0x1700, 0x40, 0xf), (7, 0x1740, 0x5000, 0xf), (9, 0x6740, 0x10, 0xf),
            (6, 0x7e00, 0x80, 0x800000000000000f), (5, 0x7e80, 0x80, 0x800000000000000f),
            (0, 0x7f00, 0x100, 0xf), (11, 0xffc00, 0x400, 0x8000000000000001),
            (7, 0x100000, 0x100, 0x4000f)]


def efi_descs(size=48):
    return b"".join(struct.pack("<IIQQQQ", t, 0, p << 12, 0, n, a).ljust(size, b"\0")
                    for t, p, n, a in OVMF_MAP)


def handoff(descs, desc_size):
    h = struct.pack("<QII", 0x6f646e6148696645, 1, 0)
    h += struct.pack("<QQQII", 0, len(descs), desc_size, 1, 0)
    h += struct.pack("<QII", 0x7f77014, 2, 0)
    h += struct.pack("<QIIII", 0x80000000, 1024, 768, 4096, 32)
    h += struct.pack("<QQ", 0x200000, 0x400000)
    h += b"ktest=all".ljust(512, b"\0") + b"kmm-efi".ljust(64, b"\0")
    h = h[:12] + struct.pack("<I", len(h)) + h[16:]
    return h


def acpi_table(sig, rev, body):
    t = bytearray(sig + struct.pack("<IBB", 36 + len(body), rev, 0) + b"BOCHS " +
                  b"BXPC    " + struct.pack("<III", 1, 0x43505842, 1) + body)
    t[9] = -sum(t) & 0xff
    return bytes(t)


def srat(rev, cpus, mems, x2apic=()):
    """cpus: (pxm, apic id, flags); mems: (pxm, base, length, flags)."""
    body = struct.pack("<IQ", 1, 0)
    body += b"".join(struct.pack("<BBBBIB3sI", 0, 16, p & 0xff, a, f, 0,
                                 (p >> 8).to_bytes(3, "little"), 0) for p, a, f in cpus)
    body += b"".join(struct.pack("<BBHIII", 2, 24, 0, p, a, f) + bytes(8)
                     for p, a, f in x2apic)
    body += b"".join(struct.pack("<BBIHQQIIQ", 1, 40, p, 0, b, n, 0, f, 0)
                     for p, b, n, f in mems)
    return acpi_table(b"SRAT", rev, body)


def slit(rows):
    return acpi_table(b"SLIT", 1, struct.pack("<Q", len(rows)) +
                      bytes(d for row in rows for d in row))


def srat_input(flags, s, l=b""):
    return bytes([flags]) + struct.pack("<H", len(s)) + s + l


def programs(name, seed, lengths):
    rng = random.Random(seed)
    return {f"{name}-{i}": bytes([i % 4] + [rng.randrange(256) for _ in range(n)])
            for i, n in enumerate(lengths)}


def main():
    seeds = {
        "mb2": {
            "grub-seabios": mb2([tag(21, struct.pack("<I", 0x100000)),
                                 tag(1, b"ktest=all\0"), tag(2, b"GRUB 2.06-13+deb12u1\0"),
                                 tag(10, bytes(20)), mmap(QEMU_MAP),
                                 tag(9, struct.pack("<IIII", 0, 64, 0, 0)),
                                 tag(4, struct.pack("<II", 639, 130944)),
                                 tag(5, struct.pack("<III", 0xe0, 0xffffffff, 0xffffffff)),
                                 tag(8, struct.pack("<QIIIBBH", 0xb8000, 160, 80, 25, 16, 2, 0)),
                                 tag(14, rsdp(False))]),
            "grub-ovmf": mb2([tag(21, struct.pack("<I", 0x100000)), tag(1, b"\0"),
                              tag(2, b"GRUB 2.06\0"), mmap(QEMU_MAP[3:]),
                              tag(4, struct.pack("<II", 640, 130048)),
                              tag(12, struct.pack("<Q", 0x7f9ee018)),
                              tag(14, rsdp(False)), tag(15, rsdp(True)),
                              tag(17, struct.pack("<II", 48, 1) + efi_descs())]),
            "minimal": mb2([mmap([(0x100000, 0x1000000, 1)])]),
        },
        "efi_map": {
            # ctl 0 (map mode), desc size choice 1 (48), no trim, no ranges, raw size
            "ovmf-map": bytes([0, 1, 0, 0]) + bytes(8) + efi_descs(),
            "ovmf-map-56": bytes([0, 2, 0, 1]) + bytes(8) +
                           struct.pack("<QQB", 0x9f000, 0x1000, 2) + efi_descs(56),
            # ctl 0x87: hand-off mode, map present, magic fixed, strings cut
            "ovmf-handoff": bytes([0x87]) + handoff(efi_descs(), 48) + efi_descs(),
        },
        # [flags: 1 fix SRAT, 2 fix SLIT, >> 2 error buffer length][SRAT size u16]...
        "srat": {
            # QEMU -smp 4 -numa node x2, dist 21: CPUs, node 0 split at 640K,
            # then a disabled (empty) entry as QEMU pads with.
            "qemu-2node": srat_input(0xa0, srat(1, [(0, 0, 1), (0, 1, 1), (1, 2, 1), (1, 3, 1)],
                                                [(0, 0, 0xa0000, 1), (0, 0x100000, 0xff00000, 1),
                                                 (1, 0x10000000, 0x10000000, 1), (0, 0, 0, 0)]),
                                     slit([[10, 21], [21, 10]])),
            "sparse-x2apic-hotplug": srat_input(
                0xa3, srat(3, [(5, 0, 1), (9, 1, 0)],
                           [(0, 0, 0x8000000, 1), (9, 0x8000000, 0x8000000, 1),
                            (5, 0x100000000, 0x40000000, 3)],
                           x2apic=[(9, 0x100, 1), (0, 0x101, 1)]),
                slit([[10 if i == j else 20 + i + j for j in range(10)] for i in range(10)])),
            "one-node": srat_input(0x41, srat(1, [(0, 0, 1)], [(0, 0, 0x8000000, 1)])),
        },
        "buddy": programs("ops", 1, [64, 200, 400, 800]),
        "slab": programs("ops", 2, [64, 200, 400, 800]),
        "memblock": programs("ops", 3, [64, 200, 400, 800]),
    }
    for target, files in seeds.items():
        d = CORPUS / target
        d.mkdir(parents=True, exist_ok=True)
        for name, blob in files.items():
            (d / name).write_bytes(blob)


if __name__ == "__main__":
    main()
