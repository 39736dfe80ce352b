#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The KASAN build's boots for `make test` (a test program of the harness).

Boots build/kasan/kernel.elf twice, 128M and two CPUs each:
  1. ktest=kasan: every case of the KASAN suite passes (each checks its own
     report);
  2. the default self-tests: all pass, and no KASAN report is printed
     anywhere, since in that run a report is a real bug.
Prints KTAP, one line per boot, the first with the kasan suite's cases as
its subtest, and exits 0 when both are ok.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "build" / "logs"
REPORT = "BUG: KASAN: "


def boot(kernel, name, cmdline):
    """Run one boot through the harness; return (ok, diagnostics)."""
    argv = [sys.executable, str(ROOT / "tests" / "harness.py"), "boot",
            "--kernel", kernel, "--mem", "128M", "--smp", "2",
            "--name", name, "--cmdline", cmdline]
    proc = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    diag = proc.stdout.strip().splitlines()[-12:]
    return proc.returncode == 0, diag


def suite_cases(log, suite):
    """The case lines (and their diagnostics) of @suite's KTAP block in a
    kernel log, as a subtest: '    1..N', '    ok 1 name', ... The reports
    printed between them start at column 0 and are left out."""
    lines = log.splitlines()
    try:
        start = lines.index(f"    # Subtest: {suite}") + 1
    except ValueError:
        return []
    out = []
    for line in lines[start:]:
        line = line.rstrip("\r")
        if re.match(r"    (ok |not ok |1\.\.|# )|        # ", line):
            out.append(line)
        elif line.startswith(("ok ", "not ok ")):
            break
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="build/kasan/kernel.elf")
    a = ap.parse_args()
    if not (ROOT / a.kernel).exists():
        print("KTAP version 1\n1..0 # SKIP", a.kernel, "is missing: make KASAN=1 kernel")
        return 1

    print("KTAP version 1")
    print("1..2")
    failed = 0

    ok, diag = boot(a.kernel, "kasan-suite", "ktest=kasan")
    cases = suite_cases((LOGS / "kasan-suite.log").read_text(errors="replace"), "kasan")
    if cases:
        print("    KTAP version 1")
        print("    # Subtest: kasan_suite")
        print("\n".join(cases))
    for line in diag if not ok else []:
        print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} 1 kasan_suite")
    failed += not ok

    ok, diag = boot(a.kernel, "kasan-selftests", "")
    log = (LOGS / "kasan-selftests.log").read_text(errors="replace")
    reports = [l for l in log.splitlines() if REPORT in l]
    if reports:
        ok = False
        diag = [f"{len(reports)} KASAN report(s) in the default self-tests "
                f"(build/logs/kasan-selftests.log):"] + reports[:8]
    for line in diag if not ok else []:
        print(f"# {line}")
    print(f"{'ok' if ok else 'not ok'} 2 selftests_without_reports")
    failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
