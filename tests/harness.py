#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""kmm test harness: host test binaries and QEMU boots, read as KTAP.

    harness.py run  [BOOT OPTIONS] [--shell] boot once, console on the terminal
    harness.py boot [BOOT OPTIONS] [--name N] [--expect-exit 33|35|37] [--expect-text T]
    harness.py host BIN...                  run host test binaries
    harness.py all --host BIN...            host tests, the boot matrix, the self-check
    harness.py rows GLOB... [--repeat N]    only the matrix rows whose names match
    harness.py kaslr                        KASLR: bases move, stay apart and in the window
    harness.py numa                         NUMA nodes from -numa, numa=off, numa=fake=2
    harness.py selfcheck                    prove that failures and panics are caught

BOOT OPTIONS: --mem 128M --smp 1 --cpu qemu64 --firmware bios|uefi|efi
              --cmdline '...' --timeout S --icount --trace --qemu-args '...'

The kernel reports through the isa-debug-exit port: 33 all passed, 35 some
failed, 37 panic. Anything else fails: 0 is a reset (a triple fault under
-no-reboot), 1 a QEMU error, and a boot that outlives its timeout is killed.
Counting is by test case; every source adds to the last line of output,
`N passed, M failed[, K skipped]`. Logs: build/logs/NAME.log.

To add a boot to `make test`, add a row to MATRIX below, e.g.
    Boot("bios-32M", "bios", "32M"),
    Boot("stack-overflow", "bios", cmdline="ktest=stack_overflow",
         expect_exit=37, expect_text="kernel stack overflow"),
"""

import argparse
import fnmatch
import hashlib
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.dont_write_bytecode = True         # keep tests/ free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ktap  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
LOGS = BUILD / "logs"
ISO_CACHE = BUILD / "iso"
KERNEL = BUILD / "kernel.elf"
ESP = BUILD / "esp"
ESP_LOADER = Path("EFI/BOOT/BOOTX64.EFI")
ESP_CMDLINE = "kmm-cmdline.txt"
ROUNDTRIP = "kmm-rt:1,2=3"
# How boot_info must say the kernel was booted, per firmware path.
BOOT_METHOD = {"bios": "multiboot2-bios", "uefi": "multiboot2-efi", "efi": "uefi"}   # tests/kernel/test_boot.c expects it verbatim
MKISO = ROOT / "tools" / "mkiso.sh"
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
OVMF = os.environ.get("OVMF", "/usr/share/ovmf/OVMF.fd")

FIRMWARES = ("bios", "uefi", "efi")     # SeaBIOS+GRUB, OVMF+GRUB, OVMF+our loader
DEFAULT_TIMEOUT = {"bios": 60, "uefi": 120, "efi": 120}
HOST_TIMEOUT = 300
EXIT_VERDICT = {33: "passed", 35: "failed", 37: "panicked"}
ICOUNT_ARGS = ["-icount", "shift=0,sleep=off", "-rtc", "base=2024-01-01T00:00:00,clock=vm"]
LOG_TAIL = 25


@dataclass(frozen=True)
class Boot:
    """One QEMU boot and what it must produce."""
    name: str
    firmware: str = "bios"
    mem: str = "128M"
    smp: int = 1
    cpu: str = "qemu64"
    cmdline: str = ""
    expect_exit: int = 33       # 33 all passed, 35 some failed, 37 panic
    expect_text: str = ""       # must appear in the serial log
    timeout: float = 0          # seconds; 0 = DEFAULT_TIMEOUT[firmware]
    icount: bool = False
    qemu_args: tuple = ()
    machine: str = "pc"         # QEMU -machine: pc (i440fx) or q35, with options
    nodes: int = 0              # NUMA nodes the kernel must find (0: not checked)
    expect_lines: tuple = ()    # more text the serial log must contain

    def kernel_cmdline(self):
        """The command line the kernel gets: the row's, plus what the boot
        self-tests compare against (the -m size, a round-trip token)."""
        extra = [f"expect_mem={self.mem}", f"ktest_roundtrip={ROUNDTRIP}",
                 f"expect_boot={BOOT_METHOD[self.firmware]}"]
        words = self.cmdline.split()
        names = {w.split("=", 1)[0] for w in words}
        return " ".join(words + [e for e in extra if e.split("=", 1)[0] not in names])


def numa_args(*nodes, dist=None):
    """QEMU arguments for NUMA nodes 0, 1, ... given as (memory, cpus) pairs:
    numa_args(("256M", "0-3"), ("128M", "")) -- an empty cpus is a node with
    memory and no CPU. The sizes must add up to the row's mem. DIST(i, j) gives
    the SLIT distance between two different nodes (QEMU wants every pair);
    by default 21 for neighbours in node order, 31 otherwise."""
    args = []
    for i, (size, cpus) in enumerate(nodes):
        args += ["-object", f"memory-backend-ram,id=m{i},size={size}",
                 "-numa", f"node,nodeid={i},memdev=m{i}" + (f",cpus={cpus}" if cpus else "")]
    dist = dist or (lambda i, j: 21 if abs(i - j) == 1 else 31)
    for i in range(len(nodes)):
        for j in range(i + 1, len(nodes)):
            args += ["-numa", f"dist,src={i},dst={j},val={dist(i, j)}"]
    return tuple(args)


# The most CPUs the kernel starts (NR_CPUS): the Makefile's figure.
MAX_CPUS = int(re.search(r"^KERNEL_MAX_CPUS\s*:?=\s*(\d+)", (ROOT / "Makefile").read_text(),
                         re.M).group(1))

# The suites that run on several CPUs at once or hand memory between them:
# every SMP row of the matrix runs all of them.
SMP_SUITES = "ktest=smp,slab_depot,kfence,misuse,numa"

# 3898 bytes of options the kernel ignores (with one warning): with the rest
# of a row's command line and the harness's own options, close to the
# 4095-byte limit.
LONG_PAD = " ".join(f"pad{i:02d}=" + "p" * 42 for i in range(79)) + " " + "q" * 27

# The boots of `make test`, in report order. Keyword columns as in Boot.
MATRIX = [
    #    name              firmware  mem     extra columns
    Boot("bios-128M",      "bios",   "128M", cmdline="expect_gbpages=0"),
    Boot("bios-32M",       "bios",   "32M"),
    Boot("bios-1G",        "bios",   "1G"),
    Boot("bios-6G",        "bios",   "6G",   cmdline="expect_gbpages=0"),
    Boot("bios-6G-max",    "bios",   "6G",   cpu="max", cmdline="expect_gbpages=1"),
    Boot("bios-128M-max",  "bios",   "128M", cpu="max", cmdline="expect_gbpages=1"),
    Boot("bios-debug",     "bios",   "128M", cmdline="page_poison=1 slab_debug=FZPU"),
    Boot("uefi-128M",      "uefi",   "128M"),
    Boot("uefi-6G",        "uefi",   "6G"),
    Boot("efi-128M",       "efi",    "128M"),
    Boot("efi-6G",         "efi",    "6G"),
    Boot("bios-smp2",      "bios",   "256M", smp=2),
    Boot("uefi-smp2",      "uefi",   "256M", smp=2),
    Boot("efi-smp2",       "efi",    "128M", smp=2),
    Boot("bios-smp4-max",  "bios",   "1G",   smp=4, cpu="max"),
    Boot("bios-nosmp",     "bios",   "128M", smp=2, cmdline="nosmp"),
    Boot("bios-fail-stress", "bios", "64M",  smp=2,
         cmdline="ktest=fail_stress failslab=1,10,4096,-1 fail_page_alloc=2,15,16,-1",
         expect_text="fail_page_alloc: interval 2, probability 15"),
    # 5-level paging (LA57) on each boot path; no5lvl on an LA57 CPU; no NX.
    Boot("bios-la57",      "bios",   "256M", smp=2, cpu="max,+la57", cmdline="expect_la57=1"),
    Boot("uefi-la57",      "uefi",   "128M", cpu="max,+la57", cmdline="expect_la57=1"),
    Boot("efi-la57",       "efi",    "128M", smp=2, cpu="max,+la57",
         cmdline="expect_la57=1 nokaslr"),
    Boot("bios-no5lvl",    "bios",   "128M", cpu="max,+la57",
         cmdline="no5lvl expect_la57=0 ktest=layout,paging"),
    Boot("bios-nonx",      "bios",   "128M", smp=2, cpu="qemu64,-nx", cmdline="expect_nx=0",
         expect_text="NX absent (CPU lacks it: no-execute is not enforced)"),
    # The console level hides messages, never KTAP or a report from the runner.
    Boot("bios-loglevel0", "bios",   "128M", cmdline="loglevel=0"),
    # Command lines of nearly 4 KiB arrive whole on each boot path (the boot
    # suite checks the options the harness appends at the very end).
    Boot("bios-cmdline-4k", "bios",  "128M", cmdline=LONG_PAD + " ktest=boot,layout"),
    Boot("uefi-cmdline-4k", "uefi",  "128M", cmdline=LONG_PAD + " ktest=boot,layout"),
    Boot("efi-cmdline-4k", "efi",    "128M", cmdline=LONG_PAD + " ktest=boot,layout"),
    # Bad command lines: refused loudly, never cut or misread.
    Boot("bios-cmdline-too-long", "bios", cmdline=LONG_PAD + " " + LONG_PAD, expect_exit=37,
         expect_text="is longer than the 4095-byte limit"),
    Boot("efi-cmdline-too-long", "efi", cmdline=LONG_PAD + " " + LONG_PAD, expect_exit=37,
         expect_text="is longer than the 4095-byte limit"),
    Boot("bios-unknown-suite", "bios", cmdline="ktest=layout,nosuch", expect_exit=35,
         expect_text='no suite matches "nosuch"'),
    Boot("bios-smp2-nosmp0", "bios", "128M", smp=2, cmdline="nosmp=0 ktest=smp",
         expect_text='Malformed kernel command line parameter "nosmp=0"'),
    # Scale (issue 17): the SMP suites on 8 CPUs in 2 and 4 NUMA nodes on pc
    # and q35, with a node of memory and no CPU, with a node whose memory
    # lies only above 4 GiB (pc puts what max-ram-below-4g leaves out at 4
    # GiB), on 16 CPUs in one node, and on more CPUs than kmm starts.
    # nodes= is what the machine has (docs/testing.md has the timings).
    Boot("smp8-2node",     "bios",   "256M", smp=8, nodes=2, cmdline=SMP_SUITES,
         qemu_args=numa_args(("128M", "0-3"), ("128M", "4-7"))),
    Boot("smp8-4node",     "bios",   "256M", smp=8, nodes=4, cmdline=SMP_SUITES,
         qemu_args=numa_args(("64M", "0-1"), ("64M", "2-3"), ("64M", "4-5"), ("64M", "6-7"))),
    Boot("q35-smp8-2node", "bios",   "256M", smp=8, nodes=2, machine="q35", cmdline=SMP_SUITES,
         qemu_args=numa_args(("128M", "0-3"), ("128M", "4-7"))),
    Boot("q35-smp8-4node", "bios",   "256M", smp=8, nodes=4, machine="q35", cmdline=SMP_SUITES,
         qemu_args=numa_args(("64M", "0-1"), ("64M", "2-3"), ("64M", "4-5"), ("64M", "6-7"))),
    Boot("smp8-memnode",   "bios",   "256M", smp=8, nodes=3, cmdline=SMP_SUITES,
         qemu_args=numa_args(("96M", "0-3"), ("64M", ""), ("96M", "4-7")),
         # Node ids follow the SRAT's order: QEMU lists CPUs first, so the
         # memory-only PXM 1 becomes node 2, as it would in Linux.
         expect_lines=("node 2 cpus:\n", "node 2 size: 64 MB")),
    Boot("smp8-node-above-4g", "bios", "1G", smp=8, nodes=2, cmdline=SMP_SUITES,
         machine="pc,max-ram-below-4g=512M",
         qemu_args=numa_args(("512M", "0-3"), ("512M", "4-7")),
         expect_text="[mem 0x0000000100000000-0x000000011fffffff] usable",
         expect_lines=("node 1: [mem 0x0000000100000000-0x000000011fffffff]",
                       "node 1 cpus: 4 5 6 7", "node 1 size: 512 MB")),
    # The fault-injection stress (its own row: injected failures would fail
    # the other suites) on 8 CPUs in 4 nodes.
    Boot("smp8-4node-fail-stress", "bios", "256M", smp=8, nodes=4,
         cmdline="ktest=fail_stress failslab=1,10,4096,-1 fail_page_alloc=2,15,16,-1",
         qemu_args=numa_args(("64M", "0-1"), ("64M", "2-3"), ("64M", "4-5"), ("64M", "6-7"))),
    Boot("smp16-1node",    "bios",   "256M", smp=16, nodes=1, cmdline=SMP_SUITES,
         qemu_args=numa_args(("256M", "0-15"))),
    Boot(f"smp{MAX_CPUS + 2}-over-max", "bios", "256M", smp=MAX_CPUS + 2, cmdline="ktest=smp",
         timeout=120,
         expect_text=f"smp: {MAX_CPUS + 2} CPUs found, using the first {MAX_CPUS} (NR_CPUS): 2 stay off"),
]

# Deliberate failures (suites the default selection leaves out): the harness
# must see them as failures, or a broken harness would pass everything.
SELFCHECK = [
    Boot("selftest-fail",  "bios", cmdline="ktest=selftest_fail", expect_exit=35),
    Boot("selftest-panic", "bios", cmdline="ktest=selftest_panic", expect_exit=37,
         expect_text=ktap.PANIC_MARK),
    Boot("stack-overflow", "bios", cmdline="ktest=stack_overflow", expect_exit=37,
         expect_text="kernel stack overflow"),
    Boot("ap-stack-overflow", "bios", smp=2, cmdline="ktest=smp_stack_overflow",
         expect_exit=37, expect_text="kernel stack overflow"),
]


# The KASLR check (run_kaslr): boots of a short suite whose printed region
# bases must move between boots, stay in Linux's window, and never overlap.
KASLR_BOOTS = 4
KASLR_MEM = "64M"
KASLR_CMDLINE = "ktest=layout"
# [first possible base, cpu_entry_area) per paging depth, and the fixed
# (`nokaslr`) bases, from Linux's Documentation/arch/x86/x86_64/mm.rst.
KASLR_WINDOW = {4: (0xffff888000000000, 0xfffffe0000000000),
                5: (0xff11000000000000, 0xfffffe0000000000)}
FIXED_BASES = {4: {"direct map": 0xffff888000000000, "vmalloc": 0xffffc90000000000,
                   "vmemmap": 0xffffea0000000000},
               5: {"direct map": 0xff11000000000000, "vmalloc": 0xffa0000000000000,
                   "vmemmap": 0xffd4000000000000}}
GIB = 1 << 30


class HarnessError(Exception):
    pass


@dataclass
class Outcome:
    """What one source (a host binary or a boot) contributed."""
    kind: str                   # "host", "boot" or "parser"
    name: str
    detail: str = ""
    status: str = "-"           # exit status as shown in the table
    seconds: float = 0.0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    lines: list = field(default_factory=list)

    @property
    def ok(self):
        return self.failed == 0

    def check(self, ok, text):
        """Record one harness-side check: an ok/FAIL line, and its count."""
        self.lines.append(f"  {'ok  ' if ok else 'FAIL'} {text}")
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def rel(path):
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


_NOTABLE = ("Kernel panic - ", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
            "runtime error:", "Segmentation fault")


def log_excerpt(text):
    """The lines worth reading: from the first crash report, else the tail."""
    lines = [l for l in ktap.clean(text) if l.strip()]
    for k, line in enumerate(lines):
        if any(n in line for n in _NOTABLE):
            part = lines[max(0, k - 3):k + LOG_TAIL]
            stop = [j for j, l in enumerate(part) if l.startswith("Shadow bytes around")]
            return part[:stop[0]] if stop else part
    return lines[-LOG_TAIL:]


def describe_exit(code):
    if code is None:
        return "timeout"
    if code < 0:
        return f"signal {-code}"
    return {33: "all passed", 35: "some failed", 37: "panic",
            0: "reset: triple fault?", 1: "QEMU error"}.get(code, "unexpected")


def status_text(code):
    return "timeout" if code is None else str(code)


# --- boot media --------------------------------------------------------------

_iso_lock = threading.Lock()


def _file_digest(path):
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


def iso_for(cmdline):
    """The GRUB ISO for CMDLINE, cached as build/iso/<sha1 of cmdline>.iso.

    A stamp beside it records which kernel and mkiso.sh made it (by content,
    so a rebuilt or swapped kernel is never booted from a stale ISO). Another
    --kernel gets ISOs of its own.
    """
    if not KERNEL.exists():
        raise HarnessError(f"{rel(KERNEL)} is missing: run `make kernel`")
    key = cmdline if KERNEL == BUILD / "kernel.elf" else f"{KERNEL}\0{cmdline}"
    iso = ISO_CACHE / (hashlib.sha1(key.encode()).hexdigest() + ".iso")
    stamp_file = iso.with_suffix(".stamp")
    with _iso_lock:
        stamp = f"{_file_digest(KERNEL)} {_file_digest(MKISO)}\n"
        if iso.exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
            return iso
        ISO_CACHE.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([str(MKISO), str(KERNEL), str(iso), cmdline],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        if proc.returncode:
            raise HarnessError("tools/mkiso.sh failed:\n" +
                               proc.stdout.decode(errors="replace"))
        stamp_file.write_text(stamp)
    return iso


def esp_copy(boot):
    """A private copy of build/esp with BOOT's command line, or None if absent."""
    if not (ESP / ESP_LOADER).exists():
        return None
    tmp = Path(tempfile.mkdtemp(prefix=f"esp-{boot.name}-", dir=BUILD))
    esp = tmp / "esp"
    shutil.copytree(ESP, esp)
    targets = list(esp.rglob(ESP_CMDLINE)) or [esp / ESP_CMDLINE]
    for t in targets:
        t.write_text(boot.kernel_cmdline())
    if KERNEL.exists():
        for k in esp.rglob("kernel.elf"):
            if k.stat().st_mtime < KERNEL.stat().st_mtime:
                shutil.copy2(KERNEL, k)     # boot the kernel just built
    return tmp


def prepare(boot):
    """-> (QEMU media arguments, directory to remove afterwards, skip reason)."""
    if boot.firmware not in FIRMWARES:
        raise HarnessError(f"unknown firmware '{boot.firmware}'")
    if boot.firmware in ("uefi", "efi") and not Path(OVMF).exists():
        raise HarnessError(f"{OVMF} is missing: run tools/install-deps.sh")
    if boot.firmware == "efi":
        tmp = esp_copy(boot)
        if tmp is None:
            return None, None, f"{rel(ESP / ESP_LOADER)} is missing (run `make efi`)"
        return ["-drive", f"format=raw,file=fat:rw:{tmp / 'esp'}"], tmp, None
    return ["-cdrom", str(iso_for(boot.kernel_cmdline()))], None, None


def qemu_command(boot, media, serial, trace=False):
    cmd = [QEMU, "-display", "none", *serial, "-no-reboot", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-machine", boot.machine, "-m", boot.mem, "-smp", str(boot.smp), "-cpu", boot.cpu,
           "-net", "none"]
    if boot.firmware in ("uefi", "efi"):
        cmd += ["-bios", OVMF]
    cmd += media
    if boot.icount:
        cmd += ICOUNT_ARGS
    if trace:
        cmd += ["-d", "int,cpu_reset", "-D", str(LOGS / f"{boot.name}.qemu.log")]
    return cmd + list(boot.qemu_args)


def boot_detail(boot):
    d = f"{boot.firmware}, {boot.mem}, smp {boot.smp}, {boot.cpu}"
    if boot.machine != "pc":
        d += f", {boot.machine}"
    if boot.nodes > 1:
        d += f", {boot.nodes} nodes"
    if boot.cmdline:
        d += f", cmdline '{boot.cmdline}'"
    if boot.icount:
        d += ", icount"
    return d


# --- judging a boot ------------------------------------------------------------

def judge_boot(boot, code, text, out):
    """Fill OUT's counts and lines from the exit status and the serial log."""
    report = ktap.parse(text)
    flat = "\n".join(ktap.clean(text))
    want = EXIT_VERDICT[boot.expect_exit]
    if boot.expect_exit == 33:
        out.passed, out.failed, out.skipped = report.tally()
        out.lines += ktap.format_report(report)
        bad = []
        if code is None:
            limit = boot.timeout or DEFAULT_TIMEOUT[boot.firmware]
            bad.append(f"no exit within {limit:g} s: killed")
        elif code != 33:
            bad.append(f"exit status {code} ({describe_exit(code)}), expected 33")
        if report.verdict == "passed" and not report.cases:
            bad.append("no test case ran")
        for b in bad:
            out.lines.append(f"  BOOT ERROR: {b}")
        if bad and out.failed == 0:
            out.failed = 1
    else:
        # The failures are the point: count the harness's checks, not the cases.
        out.lines.append(f"  (a deliberate {'failure' if want == 'failed' else 'panic'}; "
                         "its own results, not counted:)")
        out.lines += ktap.format_report(report, indent="    ")
        checks = [(f"exit status {boot.expect_exit}", code == boot.expect_exit,
                   f"got {status_text(code)} ({describe_exit(code)})"),
                  (f"harness verdict '{want}'", report.verdict == want,
                   f"got '{report.verdict}'")]
        if want == "failed":
            checks.append(("a failed case is reported", report.count("fail") > 0, "none"))
        for label, ok, why in checks:
            out.check(ok, label + ("" if ok else f": {why}"))
    wanted = list(boot.expect_lines)
    if boot.nodes:
        # The kernel found exactly the nodes the machine was given.
        wanted.append(f"available: {boot.nodes} node{'' if boot.nodes == 1 else 's'} "
                      f"(0-{boot.nodes - 1})")
    for text in wanted:
        out.check(text in flat, f"log contains '{text}'")
    if boot.expect_text:
        found = boot.expect_text in flat
        out.lines.append(f"  {'ok  ' if found else 'FAIL'} log contains '{boot.expect_text}'")
        if found and boot.expect_exit != 33:
            out.passed += 1
        elif not found:
            out.failed += 1


def run_boot(boot, trace=False):
    """Boot once in the background, serial to build/logs/NAME.log."""
    out = Outcome("boot", boot.name, boot_detail(boot))
    start = time.monotonic()
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{boot.name}.log"
    # A private file first: two harnesses sharing a tree never mix their logs.
    part = LOGS / f".{boot.name}.{os.getpid()}.{threading.get_ident()}.part"
    try:
        media, tmp, skip = prepare(boot)
    except HarnessError as e:
        out.status, out.failed = "error", 1
        out.lines += [f"  BOOT ERROR: {line}" for line in str(e).splitlines()]
        return out
    if skip:
        out.status, out.skipped = "skip", 1
        out.lines.append(f"  SKIP {boot.name}: {skip}")
        return out
    cmd = qemu_command(boot, media, ["-serial", f"file:{part}"], trace)
    timeout = boot.timeout or DEFAULT_TIMEOUT[boot.firmware]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        code, qemu_out = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        code, qemu_out = None, e.output or b""
    except OSError as e:
        code, qemu_out = 1, str(e).encode()
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    out.seconds = time.monotonic() - start
    text = part.read_text(errors="replace") if part.exists() else ""
    if part.exists():
        os.replace(part, log)
    out.status = status_text(code)
    judge_boot(boot, code, text, out)
    if not out.ok:
        qemu_text = qemu_out.decode(errors="replace").strip()
        if qemu_text:
            out.lines.append("  qemu said:")
            out.lines += [f"    {l}" for l in qemu_text.splitlines()[-LOG_TAIL:]]
        tail = log_excerpt(text)
        out.lines.append(f"  from {rel(log)}:")
        out.lines += [f"    | {l}" for l in tail] or ["    (empty)"]
        shown = [str(a).replace(str(part), str(log)) for a in cmd]
        out.lines.append(f"  command: {' '.join(shown)}")
        if code == 0 and not trace:
            out.lines.append("  hint: `harness.py boot --trace ...` logs -d int,cpu_reset")
    return out


# --- KASLR of the memory regions -------------------------------------------------

_MODE_RE = re.compile(r"x86/mm: (\d)-level paging, (\d+)-bit virtual addresses: (.+)")
_REGION_RE = re.compile(r"x86/mm:\s+(direct map|vmalloc|vmemmap)\s+0x([0-9a-f]{16})-0x([0-9a-f]{16})")


def parse_layout(text):
    """-> (paging levels or None, {region: (start, last)}) from a boot log."""
    flat = "\n".join(ktap.clean(text))
    m = _MODE_RE.search(flat)
    regions = {r: (int(a, 16), int(b, 16)) for r, a, b in _REGION_RE.findall(flat)}
    return (int(m.group(1)) if m else None), regions


def layout_problems(levels, regions, mem_bytes):
    """What is wrong with one boot's printed regions (an empty list: nothing)."""
    if levels not in KASLR_WINDOW:
        return ["no 'x86/mm: N-level paging' line"]
    if sorted(regions) != ["direct map", "vmalloc", "vmemmap"]:
        return [f"printed regions {sorted(regions)}, want direct map, vmalloc, vmemmap"]
    lo, hi = KASLR_WINDOW[levels]
    bad = []
    for name, (start, last) in regions.items():
        if start % GIB:
            bad.append(f"{name} base {start:#x} is not 1 GiB aligned")
        if start < lo or last >= hi:
            bad.append(f"{name} {start:#x}-{last:#x} leaves the window {lo:#x}-{hi - 1:#x}")
    order = [regions[n] for n in ("direct map", "vmalloc", "vmemmap")]
    for (s1, l1), (s2, l2) in zip(order, order[1:]):
        if s2 <= l1:
            bad.append(f"regions overlap or are out of order: {s1:#x}-{l1:#x}, {s2:#x}-{l2:#x}")
    start, last = regions["direct map"]
    if last - start + 1 < mem_bytes:
        bad.append(f"direct map {start:#x}-{last:#x} is smaller than the RAM")
    return bad


def run_kaslr():
    """Boot KASLR_BOOTS times with KASLR on and once with nokaslr; check the
    printed bases: in the window, aligned, apart, moving, or Linux's fixed ones."""
    out = Outcome("kaslr", "kaslr", f"{KASLR_BOOTS} boots + nokaslr, bios, {KASLR_MEM}")
    start = time.monotonic()
    mem_bytes = int(KASLR_MEM[:-1]) << 20
    boots = [Boot(f"kaslr-{i + 1}", "bios", KASLR_MEM, cmdline=KASLR_CMDLINE)
             for i in range(KASLR_BOOTS)]
    boots.append(Boot("kaslr-off", "bios", KASLR_MEM, cmdline=KASLR_CMDLINE + " nokaslr"))
    bases = []

    def check(label, ok, why=""):
        out.check(ok, label + ("" if ok else f": {why}"))

    # The checker itself must catch a bad layout: misaligned, overlapping,
    # outside the window.
    bad = layout_problems(4, {"direct map": (0xffff888000001000, 0xffffc90000000fff),
                              "vmalloc": (0xffffc90000000000, 0xffffe8ffffffffff),
                              "vmemmap": (0xfffffe0000000000, 0xfffffeffffffffff)}, mem_bytes)
    check("the checker rejects a misaligned, overlapping, out-of-window layout",
          len(bad) == 3, bad)
    for b in boots:
        r = run_boot(b)
        check(f"{b.name} boots and passes its suite", r.ok,
              "; ".join(l.strip() for l in r.lines if "ERROR" in l or "not ok" in l) or "failed")
        text = (LOGS / f"{b.name}.log").read_text(errors="replace") \
            if (LOGS / f"{b.name}.log").exists() else ""
        levels, regions = parse_layout(text)
        bad = layout_problems(levels, regions, mem_bytes)
        shown = ", ".join(f"{n} {regions[n][0]:#x}" for n in sorted(regions))
        check(f"{b.name} regions in the window, aligned, apart ({shown})", not bad, "; ".join(bad))
        if b.name == "kaslr-off" and not bad:
            got = {n: regions[n][0] for n in regions}
            check("nokaslr gives Linux's fixed bases", got == FIXED_BASES[levels],
                  f"got {got}")
        elif not bad:
            bases.append(regions["direct map"][0])
    # Two equal bases among 4 happen by chance about once in 4000 runs
    # (about 24,000 possible 1 GiB slots); three equal ones never.
    check(f"the direct-map base moves between boots ({len(set(bases))} distinct of {len(bases)})",
          len(bases) == KASLR_BOOTS and len(set(bases)) >= KASLR_BOOTS - 1,
          [hex(b) for b in bases])
    out.seconds = time.monotonic() - start
    out.status = "-"
    return out


# --- NUMA topology from ACPI SRAT/SLIT and numa= ----------------------------------

# Two QEMU nodes of 256 MiB, CPUs 0-1 and 2-3, distance 21 (the SLIT).
NUMA_QEMU = ("-object memory-backend-ram,id=m0,size=256M "
             "-object memory-backend-ram,id=m1,size=256M "
             "-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1 "
             "-numa dist,src=0,dst=1,val=21").split()
NUMA_TABLES = BUILD / "numa"


def acpi_table(sig, body, rev=1):
    """An ACPI table: the 36-byte header (5.2.6), checksummed, then BODY."""
    t = bytearray(sig + struct.pack("<IBB", 36 + len(body), rev, 0) + b"KMMTST" +
                  b"NUMATEST" + struct.pack("<III", 1, 0x4b4d4d20, 1) + body)
    t[9] = -sum(t) & 0xff
    return bytes(t)


def srat_table(cpus, mems, extra=b""):
    """SRAT (5.2.16): CPUS (pxm, apic id), MEMS (pxm, base, length, flags)."""
    body = struct.pack("<IQ", 1, 0)
    body += b"".join(struct.pack("<BBBBIB3sI", 0, 16, p, a, 1, 0, bytes(3), 0) for p, a in cpus)
    body += b"".join(struct.pack("<BBIHQQIIQ", 1, 40, p, 0, b, n, 0, f, 0)
                     for p, b, n, f in mems)
    return acpi_table(b"SRAT", body + extra)


def slit_table(n, dist):
    return acpi_table(b"SLIT", struct.pack("<Q", n) +
                      bytes(dist(i, j) for i in range(n) for j in range(n)))


MIB = 1 << 20
# Tables given to QEMU with -acpitable (QEMU itself makes none without -numa):
# domains 5 (CPU 0, the low 128 MiB), 2 (CPU 1, no memory) and 9 (the next
# 128 MiB, and a hot-pluggable GiB at 4 GiB), node ids in that order; a SLIT
# of 10 localities, 20 + i + j apart. Then an SRAT whose second entry has
# length 0: refused, one node.
NUMA_SPARSE_TABLES = {
    "srat-sparse.bin": srat_table([(5, 0), (2, 1)],
                                  [(5, 0, 0xa0000, 1), (5, MIB, 127 * MIB, 1),
                                   (9, 128 * MIB, 128 * MIB, 1), (9, 4 << 30, 1 << 30, 3)]),
    "slit-sparse.bin": slit_table(10, lambda i, j: 10 if i == j else 20 + i + j),
    "srat-zero-entry.bin": srat_table([(0, 0)], [(0, 0, 256 * MIB, 1)],
                                      extra=struct.pack("<BB", 1, 0) + bytes(38)),
}


def acpitable_args(*names):
    return tuple(a for n in names for a in ("-acpitable", f"file={NUMA_TABLES / n}"))


# (boot, lines its log must hold). ktest=acpi_numa compares the kernel's
# topology with the expect_* options; the harness checks the boot log shows it.
NUMA_BOOTS = [
    (Boot("numa-2node", "bios", "512M", smp=4, qemu_args=tuple(NUMA_QEMU),
          cmdline="ktest=acpi_numa expect_nodes=2 expect_node_cpus=0-1/2-3 "
                  "expect_node_mem=256M/256M expect_distance=10,21,21,10"),
     ["ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x0009ffff]",
      "ACPI: SRAT: Node 1 PXM 1 [mem 0x10000000-0x1fffffff]",
      "smp: Brought up 2 nodes, 4 CPUs", "NUMA: node table (ACPI SRAT and SLIT)",
      "available: 2 nodes (0-1)", "node 0 cpus: 0 1", "node 1 cpus: 2 3",
      "node 1: [mem 0x0000000010000000-0x000000001fffffff]",
      "node distances:", "node   0   1", "  0:  10  21", "  1:  21  10"]),
    (Boot("numa-off", "bios", "512M", smp=4, qemu_args=tuple(NUMA_QEMU),
          cmdline="ktest=acpi_numa numa=off expect_nodes=1 expect_node_cpus=0-3 "
                  "expect_node_mem=512M expect_distance=10"),
     ["NUMA: turned off (numa=off)", "NUMA: node table (one node: numa=off)",
      "available: 1 node (0-0)", "node 0 cpus: 0 1 2 3", "smp: Brought up 1 node, 4 CPUs"]),
    # numa=fake=2 overrides the SRAT's nodes; CPUs are dealt out round-robin.
    (Boot("numa-fake2", "bios", "512M", smp=4, qemu_args=tuple(NUMA_QEMU),
          cmdline="ktest=acpi_numa numa=fake=2 numa=fake=x expect_nodes=2 "
                  "expect_node_cpus=0,2/1,3 expect_node_mem=256M/256M "
                  "expect_distance=10,20,20,10"),
     ["NUMA: numa=fake=x: the node count must be 1 to 8, ignored",
      "NUMA: node table (numa=fake=2)", "node 0 cpus: 0 2", "node 1 cpus: 1 3",
      "  0:  10  20", "  1:  20  10"]),
    # Sparse domains, a node without memory, one without CPUs, hot-plug.
    (Boot("numa-sparse", "bios", "256M", smp=2,
          qemu_args=acpitable_args("srat-sparse.bin", "slit-sparse.bin"),
          cmdline="ktest=acpi_numa expect_nodes=3 expect_node_cpus=0/1/ "
                  "expect_node_mem=128M/0/128M expect_distance=10,27,34,27,10,31,34,31,10"),
     ["ACPI: SRAT: PXM 5 -> APIC 0x00 -> Node 0", "ACPI: SRAT: PXM 2 -> APIC 0x01 -> Node 1",
      "ACPI: SRAT: Node 2 PXM 9 [mem 0x100000000-0x13fffffff] hotplug",
      "available: 3 nodes (0-2)", "node 1 cpus: 1", "node 1 size: 0 MB", "node 2 cpus:",
      "node 2: [mem 0x0000000100000000-0x000000013fffffff] hotplug",
      "node   0   1   2", "  0:  10  27  34", "  2:  34  31  10"]),
    # A corrupt SRAT: one node, and a warning that says what is wrong.
    (Boot("numa-corrupt", "bios", "256M", smp=2,
          qemu_args=acpitable_args("srat-zero-entry.bin"),
          cmdline="ktest=acpi_numa expect_nodes=1 expect_node_cpus=0-1 expect_node_mem=256M "
                  "expect_distance=10"),
     ["NUMA: SRAT: entry type 1 at offset 104 has length 0: one node",
      "NUMA: node table (one node: SRAT: entry type 1 at offset 104 has length 0)",
      "available: 1 node (0-0)", "smp: Brought up 1 node, 2 CPUs"]),
]


def run_numa():
    """Boot NUMA_BOOTS one after the other: each passes ktest=acpi_numa and
    its log holds the node table lines expected."""
    out = Outcome("numa", "numa", f"{len(NUMA_BOOTS)} boots: -numa x2, numa=off, "
                  "numa=fake=2, sparse and corrupt SRATs")
    start = time.monotonic()
    NUMA_TABLES.mkdir(parents=True, exist_ok=True)
    for name, blob in NUMA_SPARSE_TABLES.items():
        (NUMA_TABLES / name).write_bytes(blob)
    for boot, lines in NUMA_BOOTS:
        r = run_boot(boot)
        out.passed += r.passed
        out.failed += r.failed
        out.skipped += r.skipped
        out.lines += [f"  {boot.name}: {l.strip()}" for l in r.lines]
        log = LOGS / f"{boot.name}.log"
        flat = "\n".join(ktap.clean(log.read_text(errors="replace"))) if log.exists() else ""
        have = set(flat.splitlines())
        for want in lines:
            out.check(want in have, f"{boot.name} log line '{want}'")
    out.seconds = time.monotonic() - start
    return out


# --- host tests ------------------------------------------------------------------

def run_host(path):
    """Run one host test binary; it prints KTAP and exits 0 when all passed.
    PATH may also be "NAME::COMMAND ARGS..." for a test program that is not a
    single binary (the EFI loader's QEMU cases, the fuzz smoke runs)."""
    if "::" in path:
        name, command = path.split("::", 1)
        argv = shlex.split(command)
    else:
        name, argv = Path(path).name, [str(Path(path).resolve())]
    out = Outcome("host", name, str(path))
    start = time.monotonic()
    env = dict(os.environ)
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    try:
        proc = subprocess.run(argv, cwd=ROOT, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=HOST_TIMEOUT)
        code, raw = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        code, raw = None, e.output or b""
    except OSError as e:
        code, raw = 127, f"cannot run {path}: {e}".encode()
    out.seconds = time.monotonic() - start
    text = raw.decode(errors="replace")
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"host-{out.name}.log"
    log.write_text(text)
    out.status = status_text(code)
    report = ktap.parse(text)
    out.passed, out.failed, out.skipped = report.tally()
    out.lines += ktap.format_report(report)
    if code != 0:
        why = f"killed after {HOST_TIMEOUT} s" if code is None else f"exit status {code}"
        out.lines.append(f"  HOST ERROR: {why}")
        if out.failed == 0:
            out.failed = 1
    if report.verdict == "passed" and not report.cases:
        out.lines.append("  HOST ERROR: no test case ran")
        out.failed = max(out.failed, 1)
    if not out.ok:
        tail = log_excerpt(text)
        out.lines.append(f"  from {rel(log)}:")
        out.lines += [f"    | {l}" for l in tail] or ["    (empty)"]
    return out


def parser_checks():
    out = Outcome("parser", "ktap-parser", "tests/ktap.py on embedded KTAP", status="-")
    for name, ok, detail in ktap.self_test():
        out.check(ok, f"{name}: {detail}")
    return out


# --- reporting ----------------------------------------------------------------------

def print_outcome(o):
    if not o.ok:
        verdict = "FAILED"
    elif o.skipped and not o.passed:
        verdict = "skipped"
    else:
        verdict = "ok"
    head = f"== {o.kind} {o.name}"
    if o.kind == "boot":
        head += f" ({o.detail})"
    if o.status not in ("-", "skip", "error"):
        head += f": exit {o.status}"
    if o.seconds:
        head += f", {o.seconds:.1f} s"
    print(f"{head}: {verdict}", flush=True)
    for line in o.lines:
        print(line)
    sys.stdout.flush()


def print_table(outcomes):
    print()
    print(f"{'source':<22} {'kind':<6} {'exit':>7} {'passed':>7} {'failed':>7} "
          f"{'skipped':>7} {'time':>8}")
    for o in outcomes:
        print(f"{o.name:<22} {o.kind:<6} {o.status:>7} {o.passed:>7} {o.failed:>7} "
              f"{o.skipped:>7} {o.seconds:>7.1f}s")


def summary(outcomes):
    """Print the final line; return the process exit status."""
    p = sum(o.passed for o in outcomes)
    f = sum(o.failed for o in outcomes)
    s = sum(o.skipped for o in outcomes)
    line = f"{p} passed, {f} failed"
    if s:
        line += f", {s} skipped"
    print(line, flush=True)
    return 1 if f else 0


def run_all(jobs, tasks, trace=False):
    """Run TASKS ("host", path) / ("boot", Boot) / ("parser", None) in
    parallel; print each outcome in order as soon as it is known."""
    # Build the ISOs first, one at a time; the boots then share them.
    for kind, what in tasks:
        if kind == "boot" and what.firmware != "efi":
            try:
                iso_for(what.kernel_cmdline())
            except HarnessError:
                pass            # run_boot reports it
    runners = {"host": run_host, "boot": lambda b: run_boot(b, trace),
               "parser": lambda _: parser_checks(), "kaslr": lambda _: run_kaslr(),
               "numa": lambda _: run_numa()}
    outcomes = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [(pool.submit(runners[kind], what), kind, what) for kind, what in tasks]
        for fut, kind, what in futures:
            try:
                out = fut.result()
            except Exception:       # a harness bug must not pass as a clean run
                name = what.name if kind == "boot" else kind if what is None \
                    else Path(str(what)).name
                lines = traceback.format_exc().splitlines()
                out = Outcome(kind, name, status="error", failed=1,
                              lines=[f"  HARNESS ERROR: {l}" for l in lines])
            print_outcome(out)
            outcomes.append(out)
    return outcomes


# --- subcommands ----------------------------------------------------------------------

def boot_from_args(a, name):
    return Boot(name=name, firmware=a.firmware, mem=a.mem, smp=a.smp, cpu=a.cpu,
                cmdline=a.cmdline, expect_exit=getattr(a, "expect_exit", 33),
                expect_text=getattr(a, "expect_text", "") or "",
                timeout=a.timeout or 0, icount=a.icount, machine=a.machine,
                qemu_args=tuple(shlex.split(a.qemu_args)))


SHELL_BANNER = "kmm: monitor shell on the serial console"


def cmd_run(a):
    """Boot with the console on the terminal, then judge the log."""
    shell = a.shell and sys.stdin.isatty()
    if a.shell and not shell:
        print("harness: stdin is not a terminal: no shell, the kernel exits after the self-tests")
    if shell:
        a.cmdline = ("init=shell " + a.cmdline).strip()
        a.timeout = 0
    boot = boot_from_args(a, a.name or "run")
    out = Outcome("boot", boot.name, boot_detail(boot))
    try:
        media, tmp, skip = prepare(boot)
    except HarnessError as e:
        print(f"harness: {e}", file=sys.stderr)
        return 1
    if skip:
        print(f"SKIP {boot.name}: {skip}")
        return 1
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{boot.name}.log"
    cmd = qemu_command(boot, media, ["-serial", "stdio"], a.trace)
    timeout = DEFAULT_TIMEOUT[boot.firmware] if a.timeout is None else a.timeout
    print(f"harness: {' '.join(cmd)}", flush=True)
    start = time.monotonic()
    raw = bytearray()
    # With the shell, the terminal is the serial port's input (QEMU makes it
    # raw; Ctrl-C still stops QEMU).
    proc = subprocess.Popen(cmd, stdin=None if shell else subprocess.DEVNULL,
                            stdout=subprocess.PIPE)

    def pump():
        pending = b""
        while True:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            raw.extend(chunk)
            pending += chunk
            *done, pending = pending.split(b"\n")
            for line in done:
                print(ktap.clean(line.decode(errors="replace"))[0], flush=True)
        if pending:
            print(ktap.clean(pending.decode(errors="replace"))[0], flush=True)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        code = proc.wait(timeout=timeout or None)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = None
    except KeyboardInterrupt:
        proc.kill()
        proc.wait()
        code = None
        print("harness: interrupted")
    finally:
        reader.join(timeout=5)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    log.write_bytes(bytes(raw))
    out.seconds = time.monotonic() - start
    out.status = status_text(code)
    text = raw.decode(errors="replace")
    if shell and SHELL_BANNER in text:
        # After the banner is the user's session, whose `ktest` prints KTAP
        # of its own; `poweroff` exits with the boot's verdict, judged here.
        text = text[:text.index(SHELL_BANNER)]
    judge_boot(boot, code, text, out)
    print(f"--- exit {out.status} ({describe_exit(code)}) after {out.seconds:.1f} s; "
          f"log: {rel(log)}")
    print_outcome(out)
    return summary([out])


def cmd_boot(a):
    name = a.name or f"{a.firmware}-{a.mem}-smp{a.smp}-{a.cpu}" + (
        "-" + hashlib.sha1(a.cmdline.encode()).hexdigest()[:8] if a.cmdline else "")
    out = run_boot(boot_from_args(a, name), a.trace)
    print_outcome(out)
    return summary([out])


def cmd_host(a):
    outcomes = run_all(a.jobs, [("host", b) for b in a.bins])
    print_table(outcomes)
    return summary(outcomes)


def cmd_all(a):
    if not a.host:
        print("harness: no host test binaries given")
    tasks = [("host", b) for b in a.host] + [("boot", b) for b in MATRIX]
    tasks += [("kaslr", None), ("numa", None), ("parser", None)]
    tasks += [("boot", b) for b in SELFCHECK]
    outcomes = run_all(a.jobs, tasks, a.trace)
    print_table(outcomes)
    return summary(outcomes)


def cmd_rows(a):
    """The MATRIX and SELFCHECK rows whose names match a glob, REPEAT times."""
    rows = [b for b in MATRIX + SELFCHECK if any(fnmatch.fnmatch(b.name, g) for g in a.globs)]
    if not rows:
        print(f"harness: no row matches {' '.join(a.globs)}", file=sys.stderr)
        return 1
    tasks = [("boot", b) for _ in range(a.repeat) for b in rows]
    outcomes = run_all(a.jobs, tasks, a.trace)
    print_table(outcomes)
    return summary(outcomes)


def cmd_kaslr(a):
    outcomes = run_all(1, [("kaslr", None)])
    return summary(outcomes)


def cmd_numa(a):
    outcomes = run_all(1, [("numa", None)])
    print_table(outcomes)
    return summary(outcomes)


def cmd_selfcheck(a):
    tasks = [("parser", None)] + [("boot", b) for b in SELFCHECK]
    outcomes = run_all(a.jobs, tasks, a.trace)
    print_table(outcomes)
    return summary(outcomes)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="harness.py", description=__doc__.split("\n")[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kernel", default=None,
                        help="kernel to boot (default build/kernel.elf)")
    common.add_argument("--esp", default=None,
                        help="ESP directory for --firmware efi (default build/esp)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    jobs = max(1, min(os.cpu_count() or 1, 4))

    def boot_options(p):
        p.add_argument("--mem", default="128M")
        p.add_argument("--smp", type=int, default=1)
        p.add_argument("--cpu", default="qemu64")
        p.add_argument("--machine", default="pc", help="QEMU -machine (pc, q35, pc,max-ram-below-4g=1G)")
        p.add_argument("--qemu-args", default="",
                       help="more QEMU arguments, e.g. NUMA nodes (see numa_args())")
        p.add_argument("--firmware", choices=FIRMWARES, default="bios")
        p.add_argument("--cmdline", default="")
        p.add_argument("--timeout", type=float, default=None,
                       help="seconds (default 60 for bios, 120 for OVMF; run: 0 = none)")
        p.add_argument("--icount", action="store_true",
                       help="deterministic clock: -icount shift=0,sleep=off")
        p.add_argument("--trace", action="store_true",
                       help="-d int,cpu_reset into build/logs/NAME.qemu.log")
        p.add_argument("--name", default=None, help="log name (build/logs/NAME.log)")

    p = sub.add_parser("run", parents=[common], help="boot once with the console on the terminal")
    boot_options(p)
    p.add_argument("--shell", action="store_true",
                   help="end at the kmm> monitor shell (init=shell) when stdin is a terminal")
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("boot", parents=[common], help="boot once in the background and judge it")
    boot_options(p)
    p.add_argument("--expect-exit", type=int, choices=sorted(EXIT_VERDICT), default=33)
    p.add_argument("--expect-text", default="")
    p.set_defaults(fn=cmd_boot)
    p = sub.add_parser("host", parents=[common], help="run host test binaries")
    p.add_argument("bins", nargs="*", metavar="BIN")
    p.add_argument("--jobs", type=int, default=jobs)
    p.set_defaults(fn=cmd_host)
    p = sub.add_parser("all", parents=[common], help="host tests, the boot matrix, the self-check")
    p.add_argument("--host", nargs="*", default=[], metavar="BIN")
    p.add_argument("--jobs", type=int, default=jobs)
    p.add_argument("--trace", action="store_true")
    p.set_defaults(fn=cmd_all)
    p = sub.add_parser("rows", parents=[common], help="boot the matrix rows named by globs")
    p.add_argument("globs", nargs="+", metavar="GLOB")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--jobs", type=int, default=jobs)
    p.add_argument("--trace", action="store_true")
    p.set_defaults(fn=cmd_rows)
    p = sub.add_parser("kaslr", parents=[common],
                       help="boot several times: region bases move, stay apart and in the window")
    p.set_defaults(fn=cmd_kaslr)
    p = sub.add_parser("numa", parents=[common],
                       help="boot with -numa, numa=off, numa=fake=2: the node table is right")
    p.set_defaults(fn=cmd_numa)
    p = sub.add_parser("selfcheck", parents=[common],
                       help="prove that failures and panics are caught")
    p.add_argument("--jobs", type=int, default=jobs)
    p.add_argument("--trace", action="store_true")
    p.set_defaults(fn=cmd_selfcheck)

    a = ap.parse_args(argv)
    global KERNEL, ESP
    if a.kernel:
        KERNEL = Path(a.kernel).resolve()
    if a.esp:
        ESP = Path(a.esp).resolve()
    return a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
