#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the allocation traces in tests/traces/ (make traces).

Deterministic: each trace has its own fixed seed, and Python's random.Random
gives the same sequence for the same integer seed on every platform, so
running this again rewrites identical files.

Format (also in tests/bench/trace.h):
    # comment
    a <id> <size>    allocate <size> bytes as object <id>
    f <id>           free object <id>

The patterns imitate what a kernel asks of kmalloc; sizes are modelled on
Linux structures, not taken from a recording:
  netbuf  short-lived network buffers: a 256-byte header object and a data
          buffer per packet (ACK-sized, MTU-sized, a few 4 KiB and 9 KiB
          jumbo frames), packets in flight rising and falling in bursts.
  dcache  long-lived dentry/inode-like objects with churn: a tree of cached
          files grows, is evicted and refilled at random, then most of it is
          dropped (as under memory pressure) and a little regrows.
  burst   a quiet background, a burst of mixed-size allocations, release of
          all but a scattered 5 %, then a second burst of other sizes.
"""
import random
import sys
from pathlib import Path


class Trace:
    def __init__(self, name, seed, about):
        self.name, self.rng = name, random.Random(seed)
        self.lines = [f"# kmm allocation trace: {name} (tests/traces/gen_traces.py, seed {seed})",
                      f"# {about}", "# a <id> <size> | f <id>"]
        self.next_id, self.live = 0, {}

    def alloc(self, size):
        oid = self.next_id
        self.next_id += 1
        self.live[oid] = size
        self.lines.append(f"a {oid} {size}")
        return oid

    def free(self, oid):
        del self.live[oid]
        self.lines.append(f"f {oid}")

    def write(self, outdir):
        (Path(outdir) / f"{self.name}.trace").write_text("\n".join(self.lines) + "\n")


def netbuf():
    t = Trace("netbuf", 1, "short-lived network buffers of mixed sizes, bursty traffic")
    r = t.rng
    inflight = []  # (deadline, head id, data id)
    clock = 0
    for packet in range(14000):
        clock += 1
        # Traffic comes in waves: the mean time a packet stays queued
        # swings between ~20 and ~900 packet times.
        wave = 20 + 880 * (0.5 + 0.5 * ((packet // 1500) % 2))
        while inflight and inflight[0][0] <= clock:
            _, head, data = inflight.pop(0)
            t.free(data)
            t.free(head)
        x = r.random()
        if x < 0.35:
            size = r.randint(64, 200)  # ACKs, small control packets
        elif x < 0.85:
            size = r.randint(1500, 1700)  # MTU frames plus headroom
        elif x < 0.96:
            size = 4096  # GRO-merged
        else:
            size = 9216  # jumbo frames
        head = t.alloc(256)
        data = t.alloc(size)
        deadline = clock + int(r.expovariate(1 / wave)) + 1
        inflight.append((deadline, head, data))
        inflight.sort()
    return t


def dcache():
    t = Trace("dcache", 2, "long-lived dentry/inode-like objects with churn, then a shrink")
    r = t.rng
    files = []  # (dentry, inode, name or None)

    def new_file():
        dentry = t.alloc(192)
        inode = t.alloc(r.choice([608, 680, 1032]))  # ext4-, xfs-, tmpfs-like
        name = t.alloc(r.randint(33, 96)) if r.random() < 0.25 else None  # long names
        files.append((dentry, inode, name))

    def drop(i):
        dentry, inode, name = files[i]
        files[i] = files[-1]
        files.pop()
        if name is not None:
            t.free(name)
        t.free(inode)
        t.free(dentry)

    for _ in range(9000):
        new_file()
    for _ in range(6000):  # churn: evict a random file, look up a new one
        drop(r.randrange(len(files)))
        new_file()
    for _ in range(int(len(files) * 0.75)):  # memory pressure: drop 3/4
        drop(r.randrange(len(files)))
    for _ in range(1500):
        new_file()
    return t


def burst():
    t = Trace("burst", 3, "background, a burst, release of all but 5 %, a second burst")
    r = t.rng
    background = [t.alloc(r.choice([32, 64, 96, 128, 192])) for _ in range(800)]

    def some_size(lo_shift, hi_shift):
        base = 1 << r.randint(lo_shift, hi_shift - 1)
        return base + r.randrange(base)

    first = [t.alloc(some_size(4, 11)) for _ in range(16000)]  # 16 B .. 4 KiB
    r.shuffle(first)
    keep = set(first[: len(first) // 20])
    for oid in first:
        if oid not in keep:
            t.free(oid)
    second = [t.alloc(some_size(8, 12)) for _ in range(8000)]  # 256 B .. 8 KiB
    for oid in second:
        t.free(oid)
    for oid in background[::2]:
        t.free(oid)
    return t


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).parent)
    for make in (netbuf, dcache, burst):
        make().write(outdir)


if __name__ == "__main__":
    main()
