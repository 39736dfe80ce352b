#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot the kmm EFI loader in QEMU+OVMF on good and broken kernels.

Each case builds an ESP directory (EFI/BOOT/BOOTX64.EFI plus whatever the
case puts beside it), boots it and reads COM1, where OVMF mirrors the firmware
console. A broken kernel must stop the loader with a "kmm-efi: error: " line
naming the problem, and the stand-in kernel (boot/efi/test/stub_kernel.c)
must never run. A good one must reach the stub, which checks the hand-off and
exits QEMU with status 33 (pass) or 35 (fail).

Output is KTAP (one line per case); the exit status is the number of failed
cases (0 = all passed).

Usage: efi_test.py --loader BOOTX64.EFI --stub stub-kernel.elf
                   [--ovmf OVMF.fd] [--qemu qemu-system-x86_64]
                   [--workdir DIR] [--jobs N] [CASE...]
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys
import time

ERROR_PREFIX = "kmm-efi: error: "
STOPPED = "returning to the firmware"
STUB_PASS = "kmm-efi-stub: PASS"
STUB_ANY = "kmm-efi-stub:"
BOOT_TIMEOUT = 60  # seconds; an OVMF boot under TCG takes ~4 s
LOADER = object()  # a file whose contents are the loader under test

# ELF64 header and program header field offsets (System V gABI).
E_TYPE, E_MACHINE, E_PHOFF, E_PHENTSIZE, E_PHNUM = 16, 18, 32, 54, 56
P_FLAGS, P_OFFSET, P_VADDR, P_PADDR, P_FILESZ, P_MEMSZ = 4, 8, 16, 24, 32, 40
ENTRY_MAGIC = struct.pack("<Q", 0x34367972746E456B)  # "kEntry64"


def phdr_offsets(elf):
    phoff = struct.unpack_from("<Q", elf, E_PHOFF)[0]
    size, num = struct.unpack_from("<HH", elf, E_PHENTSIZE)
    return [phoff + i * size for i in range(num)
            if struct.unpack_from("<I", elf, phoff + i * size)[0] == 1]


def set_u64(elf, off, value):
    struct.pack_into("<Q", elf, off, value)


def move_segment(elf, index, paddr):
    """Give PT_LOAD @index a new physical and virtual address."""
    ph = phdr_offsets(elf)[index]
    set_u64(elf, ph + P_PADDR, paddr)
    set_u64(elf, ph + P_VADDR, paddr)


def patched(stub, fn):
    elf = bytearray(stub)
    fn(elf)
    return bytes(elf)


def entry_header_offset(elf):
    off = bytes(elf).find(ENTRY_MAGIC)
    assert off >= 0 and off % 8 == 0, "stub kernel has no entry header"
    return off


def cases(stub):
    """name -> (files on the ESP, expected text, expect a successful boot)."""
    seg1 = lambda e: phdr_offsets(e)[1]
    long_cmdline = b"y" * 70000
    # 4095 bytes, the most the hand-off holds, must arrive whole.
    longest = " ".join(["opt%03d=%s" % (i, "y" * 40) for i in range(80)])
    longest += " " + "z" * (4095 - len(longest) - 1 - len(" end=1")) + " end=1"
    assert len(longest) == 4095
    c = {}
    c["good"] = ({"kernel.elf": stub, "kmm-cmdline.txt": b"\xef\xbb\xbfktest=all\r\n  loglevel=7 \r\n"},
                 'cmdline="ktest=all    loglevel=7"', True)
    c["good_beside_loader"] = ({"EFI/BOOT/kernel.elf": stub,
                                "EFI/BOOT/kmm-cmdline.txt": b"from=efi-boot\n",
                                "kmm-cmdline.txt": b"from=root\n"},
                               'cmdline="from=efi-boot"', True)
    c["good_no_cmdline"] = ({"kernel.elf": stub}, 'cmdline=""', True)
    # Not at the removable-media path: OVMF falls back to its shell, which
    # runs startup.nsh and passes "\kmm.efi ktest=shell ..." as LoadOptions.
    c["cmdline_from_load_options"] = ({"kmm.efi": LOADER, "kernel.elf": stub,
                                       "kmm-cmdline.txt": b"from=file\n",
                                       "startup.nsh": b"fs0:\r\n\\kmm.efi  ktest=shell  loglevel=3\r\n"},
                                      'cmdline="ktest=shell  loglevel=3"', True)
    c["missing"] = ({}, "kernel.elf not found", False)
    c["empty"] = ({"kernel.elf": b""}, "truncated", False)
    c["truncated_header"] = ({"kernel.elf": stub[:40]}, "truncated", False)
    c["truncated_phdrs"] = ({"kernel.elf": stub[:70]}, "truncated: program headers", False)
    c["truncated_segment"] = ({"kernel.elf": stub[:0x1100]}, "truncated: segment", False)
    c["not_elf"] = ({"kernel.elf": b"this is not a kernel\n" * 8}, "not an ELF file", False)
    c["elf32"] = ({"kernel.elf": patched(stub, lambda e: e.__setitem__(4, 1))},
                  "not ELF64", False)
    c["big_endian"] = ({"kernel.elf": patched(stub, lambda e: e.__setitem__(5, 2))},
                       "not little-endian", False)
    c["not_x86_64"] = ({"kernel.elf": patched(stub, lambda e: struct.pack_into("<H", e, E_MACHINE, 183))},
                       "not an x86_64 executable", False)
    c["not_exec"] = ({"kernel.elf": patched(stub, lambda e: struct.pack_into("<H", e, E_TYPE, 3))},
                     "not a static executable", False)
    c["filesz_gt_memsz"] = ({"kernel.elf": patched(stub, lambda e: set_u64(e, seg1(e) + P_FILESZ, 0x10000))},
                            "larger than p_memsz", False)
    c["above_4g"] = ({"kernel.elf": patched(stub, lambda e: move_segment(e, 1, 0x100000000))},
                     "not below 4 GiB", False)
    c["overlap"] = ({"kernel.elf": patched(stub, lambda e: move_segment(e, 1, 0x200000))},
                    "overlap", False)
    c["page_offset"] = ({"kernel.elf": patched(stub, lambda e: set_u64(e, seg1(e) + P_VADDR, 0x201008))},
                        "differ in their page offset", False)
    c["no_entry_header"] = ({"kernel.elf": patched(stub, lambda e: e.__setitem__(entry_header_offset(e), 0))},
                            "no kmm entry header", False)
    c["entry_not_code"] = ({"kernel.elf": patched(stub, lambda e: set_u64(e, entry_header_offset(e) + 8, 0x201000))},
                           "not in an executable segment", False)
    # Not RAM at all, then RAM the firmware itself sits in (the top of 128 MiB).
    c["load_address_not_ram"] = ({"kernel.elf": patched(stub, lambda e: move_segment(e, 1, 0xfec00000))},
                                 "is not free", False)
    c["load_address_taken"] = ({"kernel.elf": patched(stub, lambda e: move_segment(e, 1, 0x7ff0000))},
                               "is not free", False)
    # Too long: never cut, and never a stop in the firmware. The loader warns
    # and hands over an empty line with its length, for the kernel to refuse.
    # A file beyond the loader's 64 KiB read limit, whose size is handed
    # over; the harness's efi-cmdline-too-long row boots the real kernel on
    # a line within it (exact length, the kernel's refusal, exit 37).
    c["cmdline_too_long"] = ({"kernel.elf": stub, "kmm-cmdline.txt": long_cmdline},
                             ["kmm-cmdline.txt is 70000 bytes, longer than the 4095-byte",
                              'cmdline="" cmdline_refused=0x0000000000011170 '], True)
    c["cmdline_4095_bytes"] = ({"kernel.elf": stub, "kmm-cmdline.txt": longest.encode() + b"\n"},
                               'end=1"', True)
    return c


def clean(raw):
    text = raw.decode("latin-1")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    return text.replace("\r", "")


def boot(args, name, files, expect, good):
    esp = os.path.join(args.workdir, name)
    shutil.rmtree(esp, ignore_errors=True)
    os.makedirs(esp)
    if LOADER not in files.values():
        files = dict(files, **{"EFI/BOOT/BOOTX64.EFI": LOADER})
    for rel, data in files.items():
        if data is LOADER:
            with open(args.loader, "rb") as f:
                data = f.read()
        path = os.path.join(esp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    log = esp + ".log"
    # A log left by an earlier run must not be read as this boot's.
    if os.path.exists(log):
        os.remove(log)
    cmd = [args.qemu, "-bios", args.ovmf, "-m", "128M", "-net", "none",
           "-display", "none", "-no-reboot", "-serial", "file:" + log,
           "-drive", "format=raw,file=fat:rw:" + esp,
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + BOOT_TIMEOUT
    text = ""
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.25)
        if os.path.exists(log):
            with open(log, "rb") as f:
                text = clean(f.read())
            if STOPPED in text:  # the loader gave up: no need to wait longer
                break
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    with open(log, "rb") as f:
        text = clean(f.read())
    lines = [l for l in text.split("\n") if "kmm-efi" in l]

    problems = []
    err = proc.stderr.read().decode(errors="replace").strip()
    if err:
        problems.append("QEMU: " + err.replace("\n", " | "))
    if good:
        if proc.returncode != 33:
            problems.append("QEMU exit status %s, expected 33" % proc.returncode)
        if STUB_PASS not in text:
            problems.append("the stub kernel did not pass")
        if ERROR_PREFIX in text:
            problems.append("the loader reported an error")
    else:
        if STUB_ANY in text:
            problems.append("the loader jumped into a broken kernel")
        if not any(l.startswith(ERROR_PREFIX) for l in lines):
            problems.append("no line starting with %r" % ERROR_PREFIX)
    for e in [expect] if isinstance(expect, str) else expect:
        if not any(e in l for l in lines):
            problems.append("no %r in the loader's output" % e)
    return problems, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--loader", required=True)
    ap.add_argument("--stub", required=True)
    ap.add_argument("--ovmf", default="/usr/share/ovmf/OVMF.fd")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--workdir", default="build/efi-test")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("only", nargs="*")
    args = ap.parse_args()

    with open(args.stub, "rb") as f:
        stub = f.read()
    table = cases(stub)
    names = args.only or list(table)
    os.makedirs(args.workdir, exist_ok=True)

    print("KTAP version 1")
    print("1..%d" % len(names))
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(boot, args, n, *table[n]) for n in names]
        for i, (name, fut) in enumerate(zip(names, futures), 1):
            problems, lines = fut.result()
            for l in lines:
                print("# " + l)
            if problems:
                failed += 1
                for p in problems:
                    print("# " + p)
                print("not ok %d %s" % (i, name))
            else:
                print("ok %d %s" % (i, name))
            sys.stdout.flush()
    return failed


if __name__ == "__main__":
    sys.exit(main())
