#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# debug.sh ISO KERNEL: boot ISO in QEMU halted with a gdb stub on :1234 and
# attach gdb with KERNEL's symbols (tools/kmm.gdb). The serial console goes to
# build/logs/debug.log. MEM, SMP, CPU and FIRMWARE=bios|uefi come from the
# environment. Without a terminal, print the two commands instead.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 ISO KERNEL" >&2
	exit 2
fi
iso=$1
kernel=$2
cd "$(dirname "$0")/.."

for f in "$iso" "$kernel"; do
	[ -f "$f" ] || { echo "debug: $f: no such file (run make)" >&2; exit 1; }
done

log=build/logs/debug.log
mkdir -p build/logs
qemu=(
	"${QEMU:-qemu-system-x86_64}" -s -S -display none -serial "file:$log"
	-no-reboot -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04
	-m "${MEM:-128M}" -smp "${SMP:-1}" -cpu "${CPU:-qemu64}" -net none
	-cdrom "$iso"
)
if [ "${FIRMWARE:-bios}" != bios ]; then
	qemu+=(-bios "${OVMF:-/usr/share/ovmf/OVMF.fd}")
fi
gdb=(gdb -q -x tools/kmm.gdb)
if [ "$kernel" != build/kernel.elf ]; then
	gdb+=(-ex "file $kernel")
fi

if [ ! -t 0 ] || [ ! -t 1 ]; then
	echo "debug: not on a terminal; run these in two terminals:"
	echo "  $(printf '%q ' "${qemu[@]}")"
	echo "  $(printf '%q ' "${gdb[@]}")"
	exit 0
fi

"${qemu[@]}" &
qemu_pid=$!
trap 'kill "$qemu_pid" 2>/dev/null || true' EXIT
sleep 0.5
if ! kill -0 "$qemu_pid" 2>/dev/null; then
	echo "debug: QEMU did not start (is port 1234 in use?)" >&2
	exit 1
fi
echo "debug: QEMU pid $qemu_pid halted; serial output in $log"
"${gdb[@]}"
