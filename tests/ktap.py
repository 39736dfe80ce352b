# SPDX-License-Identifier: MIT
"""KTAP version 1 parser for kmm's test output (python3 stdlib only).

What it reads (kernel/ktest.c prints this; host tests print the same):

    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: buddy
        1..2
        ok 1 alloc_every_order
            # zero_flag: EXPECTATION FAILED at mm/buddy_test.c:40
            # Expected p[0] == 0, but
        not ok 2 zero_flag
    not ok 1 buddy
        KTAP version 1
        # Subtest: slab
        1..0 # SKIP init returned -12
    ok 2 slab # SKIP init returned -12

A block is a header, a plan and result lines at one indentation; a deeper
block is a suite, and the next result line at the outer level is that suite's
result. Diagnostics for a case are the lines printed since the previous
result at the same level (the runner prints them before `not ok`).

What it tolerates: firmware noise before the header (OVMF and GRUB write ANSI
escapes and text to COM1), carriage returns, timestamps like `[ 0.12]`, and
unrelated log lines anywhere (they become diagnostics of the next case).

What it reports as problems: no header, missing plan, short or long plan,
duplicate or out-of-order numbers, a suite that says ok while a case failed,
a subtest without a result line, output that stops before the top-level plan
is complete, and any `Kernel panic - ` line (anywhere, even before KTAP).

Counting is by test case (leaf result), named suite.case.
"""

import re
import sys
from dataclasses import dataclass, field

# CSI sequences, OSC strings, charset selection, then two-byte escapes.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)"
                   r"|[()][0-9A-Za-z]|[@-Z\\-_])")
_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_STAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
_VERSION = re.compile(r"^K?TAP version (\d+)\s*$")
_VERSION_ANYWHERE = re.compile(r"KTAP version 1\b")
_PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#\s*(.*))?$")
_RESULT = re.compile(r"^(not ok|ok)\s+(\d+)\b(?:\s*-)?\s*([^#]*?)\s*(?:#\s*(.*))?$")
_SUBTEST = re.compile(r"^#\s*Subtest:\s*(.*?)\s*$")
_SKIP = re.compile(r"^skip\b\s*(.*)$", re.IGNORECASE)

PANIC_MARK = "Kernel panic - "
_CUT = "output ends before the plans are complete"
MAX_DIAG = 40


def clean(text):
    """Serial output -> list of lines without escapes, CRs or timestamps."""
    text = _ANSI.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = _CTRL.sub("", line.replace("\t", "    ")).rstrip()
        lines.append(_STAMP.sub("", line))
    return lines


@dataclass
class Case:
    name: str            # qualified: suite.case
    status: str          # "pass", "fail" or "skip"
    reason: str = ""     # SKIP reason
    diag: list = field(default_factory=list)


@dataclass
class Report:
    cases: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    panic: list = field(default_factory=list)   # the panic line and what follows
    found: bool = False                         # a KTAP header was seen
    cut: list = field(default_factory=list)     # plans left open at the end

    def count(self, status):
        return sum(1 for c in self.cases if c.status == status)

    @property
    def verdict(self):
        """panicked > no-ktap > broken > failed > passed."""
        if self.panic:
            return "panicked"
        if not self.found:
            return "no-ktap"
        if self.problems:
            return "broken"
        if self.count("fail"):
            return "failed"
        return "passed"

    def tally(self):
        """(passed, failed, skipped) test cases for a run expected to pass.

        A panic counts once (the plans it leaves open are not counted
        again); each structural problem counts once, and output that ends
        early is one problem however many plans it leaves open.
        """
        failed = self.count("fail")
        if self.panic:
            failed += 1
        elif not self.found:
            failed += 1
        else:
            failed += len(self.problems)
        return self.count("pass"), failed, self.count("skip")


@dataclass
class _Result:
    number: int
    ok: bool
    name: str
    directive: str
    diag: list
    child: "object" = None


class _Block:
    def __init__(self, indent, name):
        self.indent = indent
        self.name = name
        self.plan = None
        self.plan_directive = ""
        self.results = []
        self.eof = False                # output ended inside this block


def _structural(text):
    return bool(_VERSION.match(text) or _PLAN.match(text) or
                _RESULT.match(text) or _SUBTEST.match(text))


def _parse_block(lines, i, indent, report):
    """Parse one block starting at lines[i]; return (block, next index)."""
    blk = _Block(indent, "")
    child = None
    diag = []
    while i < len(lines):
        ind, text = lines[i]
        if not text:
            i += 1
            continue
        if ind < indent and (_RESULT.match(text) or _VERSION.match(text)):
            break                       # the parent's line
        if ind > indent and _structural(text):
            start = i + 1 if _VERSION.match(text) else i
            sub, i = _parse_block(lines, start, ind, report)
            if child is not None:
                blk.results.append(_Result(0, False, child.name, "", diag, child))
                report.problems.append(f"subtest '{child.name}' has no result line")
                diag = []
            child = sub
            continue
        if ind != indent:
            diag.append(text)
            i += 1
            continue
        m = _RESULT.match(text)
        if m:
            name = m.group(3) or ""
            res = _Result(int(m.group(2)), m.group(1) == "ok", name,
                          (m.group(4) or "").strip(), diag, child)
            if child is not None and child.name and name and child.name != name:
                report.problems.append(f"result '{name}' closes subtest '{child.name}'")
            blk.results.append(res)
            child = None
            diag = []
        elif _VERSION.match(text):
            if blk.plan is not None or blk.results:
                break                   # a second document: caller reports
        elif _PLAN.match(text):
            m = _PLAN.match(text)
            if blk.plan is not None:
                report.problems.append(f"{blk.name or 'top level'}: second plan '{text}'")
            else:
                blk.plan = int(m.group(1))
                blk.plan_directive = (m.group(2) or "").strip()
        elif _SUBTEST.match(text):
            blk.name = _SUBTEST.match(text).group(1)
        else:
            diag.append(text)
        i += 1
    blk.eof = i >= len(lines)
    if child is not None:
        blk.results.append(_Result(0, False, child.name, "", diag, child))
        msg = f"subtest '{child.name or '?'}' has no result line"
        (report.cut if blk.eof else report.problems).append(msg)
    return blk, i


def _qualify(prefix, name):
    return f"{prefix}.{name}" if prefix else name


def _collect(blk, prefix, report):
    where = prefix or "top level"
    n = len([r for r in blk.results if r.number])
    if blk.plan is None:
        report.problems.append(f"{where}: missing plan")
    elif n < blk.plan:
        msg = f"{where}: planned {blk.plan}, got {n}"
        if blk.eof:
            report.cut.append(msg)
        else:
            report.problems.append(f"short plan: {msg}")
    elif n > blk.plan:
        report.problems.append(f"{where}: planned {blk.plan}, got {n} results")
    seen = set()
    expect = 1
    for r in blk.results:
        if not r.number:
            pass
        elif r.number in seen:
            report.problems.append(f"{where}: duplicate test number {r.number} ({r.name})")
        elif r.number != expect:
            report.problems.append(f"{where}: test number {r.number} ({r.name}), expected {expect}")
        if r.number:
            seen.add(r.number)
            expect = r.number + 1

        name = r.name or (r.child.name if r.child else "") or f"#{r.number}"
        qname = _qualify(prefix, name)
        skip = _SKIP.match(r.directive)
        if r.child is None:
            if skip:
                report.cases.append(Case(qname, "skip", skip.group(1)))
            elif r.ok:
                report.cases.append(Case(qname, "pass"))
            else:
                report.cases.append(Case(qname, "fail", diag=r.diag[-MAX_DIAG:]))
            continue

        before = len(report.cases)
        problems_before = len(report.problems)
        _collect(r.child, qname, report)
        mine = report.cases[before:]
        failed = sum(1 for c in mine if c.status == "fail")
        if r.ok and not skip and failed:
            report.problems.append(f"{qname}: reported ok but {failed} case(s) failed")
        if r.number and not r.ok and not failed and len(report.problems) == problems_before:
            diag = (r.diag + ["(suite reported not ok)"])[-MAX_DIAG:]
            report.cases.append(Case(qname, "fail", diag=diag))
        elif not mine and skip:
            reason = skip.group(1) or _SKIP.sub(r"\1", r.child.plan_directive)
            report.cases.append(Case(qname, "skip", reason))


def parse(text):
    """Parse serial or stdout text; return a Report."""
    report = Report()
    raw = clean(text)
    for k, line in enumerate(raw):
        if PANIC_MARK in line:
            report.panic = raw[k:k + 30]
            while report.panic and not report.panic[-1].strip():
                report.panic.pop()
            break
    start = None
    for k, line in enumerate(raw):
        if _VERSION_ANYWHERE.search(line):
            start = k
            break
    if start is None:
        return report
    report.found = True
    header = raw[start]
    top_indent = len(header) - len(header.lstrip(" "))
    if not header.strip().startswith("KTAP"):
        top_indent = 0                  # noise before the header on its line
    lines = [(len(l) - len(l.lstrip(" ")), l.strip()) for l in raw[start + 1:]]
    blk, i = _parse_block(lines, 0, top_indent, report)
    if i < len(lines) and _VERSION.match(lines[i][1]):
        report.problems.append("a second KTAP document follows (did the kernel restart?)")
    _collect(blk, "", report)
    if report.cut:
        # One truncation, however many plans it leaves open.
        report.problems.append(f"{_CUT} (crash, hang or panic?): " + "; ".join(report.cut))
    return report


def suite_of(case_name):
    return case_name.split(".", 1)[0]


def format_report(report, indent="  ", show_passes=True):
    """Human summary: per-suite counts, then failures, skips, problems, panic."""
    out = []
    if not report.found:
        out.append(f"{indent}no KTAP output found")
    suites = {}
    for c in report.cases:
        s = suites.setdefault(suite_of(c.name), {"pass": 0, "fail": 0, "skip": 0})
        s[c.status] += 1
    if show_passes:
        for name, s in suites.items():
            parts = [f"{s['pass']} passed"]
            if s["fail"]:
                parts.append(f"{s['fail']} FAILED")
            if s["skip"]:
                parts.append(f"{s['skip']} skipped")
            out.append(f"{indent}{name}: {', '.join(parts)}")
    for c in report.cases:
        if c.status == "fail":
            out.append(f"{indent}FAIL {c.name}")
            out.extend(f"{indent}    {d}" for d in c.diag)
    for c in report.cases:
        if c.status == "skip":
            out.append(f"{indent}SKIP {c.name}: {c.reason or '(no reason given)'}")
    for p in report.problems:
        if report.panic and p.startswith(_CUT):
            p = "output ends at the panic"
        out.append(f"{indent}KTAP ERROR: {p}")
    if report.panic:
        out.append(f"{indent}PANIC:")
        out.extend(f"{indent}    {l}" for l in report.panic)
    return out


# --- unit checks, run by `harness.py selfcheck` -----------------------------

_GOOD = """\
KTAP version 1
1..2
    KTAP version 1
    # Subtest: buddy
    1..3
    ok 1 alloc_every_order
    ok 2 zero_flag
    ok 3 numa # SKIP no second node
ok 1 buddy
    KTAP version 1
    # Subtest: slab
    1..0 # SKIP init returned -12
ok 2 slab # SKIP init returned -12
"""

_FAILING = """\
KTAP version 1
1..1
    KTAP version 1
    # Subtest: buddy
    1..2
        # zero_flag: EXPECTATION FAILED at mm/buddy_test.c:40
        # Expected p[0] == 0, but
        # p[0] == 1 (0x1)
    not ok 1 zero_flag
    ok 2 split
not ok 1 buddy
"""

_SHORT = """\
KTAP version 1
1..2
    KTAP version 1
    # Subtest: buddy
    1..3
    ok 1 a
    ok 2 b
ok 1 buddy
"""

_NOPLAN = """\
KTAP version 1
    KTAP version 1
    # Subtest: buddy
    1..1
    ok 1 a
ok 1 buddy
"""

_PANIC = """\
KTAP version 1
1..1
    KTAP version 1
    # Subtest: selftest_panic
    1..1
Kernel panic - not syncing: deliberate panic
 backtrace: kmain+0x10
"""

_NOISE = ("\x1b[0m\x1b[30m\x1b[47mBdsDxe: loading Boot0001\r\n\x1b[2J\x1b[01;01H"
          "Welcome to GRUB!\r\n\r\n  Booting `kmm'\r\n"
          "junk\x1b[HKTAP version 1\r\n1..1\r\n"
          "    KTAP version 1\r\n    # Subtest: buddy\r\n    1..2\r\n"
          "mm: 32 MiB free\r\n"
          "    ok 1 a\r\n    ok 2 b\r\nok 1 buddy\r\nkmm: done\r\n")

_DUP = """\
KTAP version 1
1..2
ok 1 a
ok 1 b
"""

_LIAR = """\
KTAP version 1
1..1
    KTAP version 1
    # Subtest: buddy
    1..1
    not ok 1 a
ok 1 buddy
"""


def self_test():
    """Parse embedded outputs; return [(name, ok, detail)]."""
    checks = []

    def check(name, text, verdict, passed=None, failed=None, skipped=None, more=None):
        r = parse(text)
        why = []
        if r.verdict != verdict:
            why.append(f"verdict {r.verdict}, expected {verdict}")
        for label, want, got in (("passed", passed, r.count("pass")),
                                 ("failed", failed, r.count("fail")),
                                 ("skipped", skipped, r.count("skip"))):
            if want is not None and got != want:
                why.append(f"{got} {label}, expected {want}")
        if more:
            msg = more(r)
            if msg:
                why.append(msg)
        checks.append((name, not why, "; ".join(why) or r.verdict))

    check("good", _GOOD, "passed", 2, 0, 2,
          lambda r: None if [c.name for c in r.cases] ==
          ["buddy.alloc_every_order", "buddy.zero_flag", "buddy.numa", "slab"]
          else f"names {[c.name for c in r.cases]}")
    check("failing", _FAILING, "failed", 1, 1, 0,
          lambda r: None if any("EXPECTATION FAILED" in d for c in r.cases for d in c.diag)
          else "diagnostics not attached to the failed case")
    check("short_plan", _SHORT, "broken", 2, 0, 0)
    check("truncated_top", _SHORT.replace("ok 1 buddy\n", ""), "broken")
    check("missing_plan", _NOPLAN, "broken", 1, 0, 0)
    check("panic", _PANIC, "panicked",
          more=lambda r: None if r.tally()[1] == 1 else f"tally {r.tally()}")
    check("noise", _NOISE, "passed", 2, 0, 0)
    check("duplicate_numbers", _DUP, "broken")
    check("suite_ok_case_failed", _LIAR, "broken")
    check("crash_mid_suite", _SHORT.split("    ok 2 b")[0] + "==1==ERROR: AddressSanitizer\n",
          "broken", 1, 0, 0,
          lambda r: None if r.tally() == (1, 1, 0) else f"tally {r.tally()}, expected (1, 1, 0)")
    check("flat_with_timestamps", "[    0.10] KTAP version 1\n[    0.11] 1..2\n"
          "[    0.12] ok 1 boot_info\n[    0.13] not ok 2 memmap\n", "failed", 1, 1, 0)
    check("restarted", _GOOD + _GOOD, "broken")
    check("no_ktap", "BdsDxe: boot failed\n", "no-ktap",
          more=lambda r: None if r.tally()[1] == 1 else f"tally {r.tally()}")
    check("empty", "", "no-ktap")
    return checks


if __name__ == "__main__":
    # ktap.py [LOG...]: parse logs (or stdin) and print the summary.
    rc = 0
    for path in sys.argv[1:] or ["-"]:
        data = sys.stdin.read() if path == "-" else open(path, errors="replace").read()
        rep = parse(data)
        p, f, s = rep.tally()
        print(f"{path}: {rep.verdict}: {p} passed, {f} failed, {s} skipped")
        print("\n".join(format_report(rep)))
        rc |= rep.verdict != "passed"
    sys.exit(rc)
