# SPDX-License-Identifier: MIT
"""Drive the kmm monitor shell (init=shell) over QEMU's serial port.

    with ShellSession(mem="128M", smp=2) as sh:
        out = sh.cmd("buddyinfo")        # the lines between echo and prompt

The serial port is QEMU's stdio chardev on pipes; every byte read is also
kept (sh.log) and written to build/logs/NAME.log when the session ends.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

PROMPT = b"kmm> "


class ShellError(Exception):
    pass


def boot_layout(log):
    """The layout the kernel chose and printed at boot (mem_layout.c's
    pr_info lines, read by harness.parse_layout): {"levels": 4|5,
    "direct map": (start, end), "vmalloc": ..., "vmemmap": ...}, ends
    exclusive. Raises ShellError if a line is missing, so a test never falls
    back to guessed addresses."""
    levels, regions = harness.parse_layout(log)
    out = {r: (a, b + 1) for r, (a, b) in regions.items()}
    if levels is not None:
        out["levels"] = levels
    missing = {"levels", "direct map", "vmalloc", "vmemmap"} - set(out)
    if missing:
        raise ShellError(f"the boot log lacks the layout lines for {sorted(missing)}")
    return out


class ShellSession:
    def __init__(self, name="shell", mem="128M", smp=1, cmdline="", boot_timeout=90,
                 qemu_args=(), cpu="qemu64"):
        self.boot = harness.Boot(name, "bios", mem, smp=smp, cpu=cpu,
                                 cmdline=("init=shell ktest=none " + cmdline).strip(),
                                 qemu_args=tuple(qemu_args))
        self.boot_timeout = boot_timeout
        self.buf = bytearray()
        self.pos = 0            # bytes of buf already consumed
        self.cond = threading.Condition()
        self.proc = None
        self.exit_code = None

    # -- process --------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        media, tmp, skip = harness.prepare(self.boot)
        if skip:
            raise ShellError(skip)
        cmd = harness.qemu_command(self.boot, media, ["-serial", "stdio"])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        threading.Thread(target=self._pump, daemon=True).start()
        self.banner = self.wait_prompt(self.boot_timeout)

    def _pump(self):
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 65536)
            with self.cond:
                if not chunk:
                    self.cond.notify_all()
                    return
                self.buf.extend(chunk)
                self.cond.notify_all()

    def close(self, timeout=10):
        if self.proc is None:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.kill()
        self.exit_code = self.proc.wait(timeout=timeout)
        harness.LOGS.mkdir(parents=True, exist_ok=True)
        (harness.LOGS / f"{self.boot.name}.log").write_bytes(bytes(self.buf))
        self.proc = None
        return self.exit_code

    @property
    def log(self):
        return self.buf.decode(errors="replace").replace("\r\n", "\n")

    # -- talking --------------------------------------------------------------
    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_prompt(self, timeout=60):
        """Wait for the next prompt; return what came before it (str)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                k = self.buf.find(PROMPT, self.pos)
                if k >= 0:
                    text = bytes(self.buf[self.pos:k])
                    self.pos = k + len(PROMPT)
                    return text.decode(errors="replace").replace("\r\n", "\n")
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    tail = self.buf[self.pos:][-2000:].decode(errors="replace")
                    raise ShellError(f"no prompt within {timeout} s; last output:\n{tail}")
                self.cond.wait(min(left, 0.5))

    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def cmd(self, line, timeout=60):
        """Type LINE and Enter; return the output lines (the echo removed)."""
        self.send(line + "\r")
        text = self.wait_prompt(timeout)
        lines = text.split("\n")
        if lines and lines[0].rstrip() == line.rstrip():
            lines = lines[1:]
        if lines and lines[-1] == "":
            lines = lines[:-1]
        return lines
