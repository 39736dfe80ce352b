#!/bin/bash
# SPDX-License-Identifier: MIT
# Boot the example foreign kernel (examples/minimal) on SeaBIOS + GRUB and
# report in KTAP: usage: boot_example.sh KERNEL.ELF [fail]
#
# Without "fail": its own KTAP goes through, and the exit must be 33 (all
# passed). With "fail": it is booted with "fail" on its command line, which
# adds a check that fails; this must exit 35 with a "not ok" line, proving
# that a failing check fails the suite (reported as one case of our own).
set -u
elf=${1:?usage: boot_example.sh KERNEL.ELF [fail]}
mode=${2:-pass}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/build/examples/minimal
QEMU=${QEMU:-qemu-system-x86_64}
cmdline=
[ "$mode" = fail ] && cmdline=fail
iso=$out/minimal-$mode.iso
log=$out/boot-$mode.log

if ! "$root/tools/mkiso.sh" "$elf" "$iso" "$cmdline" > "$log" 2>&1; then
	cat "$log"
	exit 1
fi
timeout 120 "$QEMU" -display none -serial stdio -no-reboot -monitor none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -m 128M -cpu qemu64 \
	-net none -cdrom "$iso" < /dev/null > "$log" 2>&1
code=$?
tr -d '\r' < "$log" | sed -n '/^KTAP version/,$p' > "$log.ktap"

if [ "$mode" = pass ]; then
	cat "$log.ktap"
	if [ $code -ne 33 ]; then
		echo "# minimal: QEMU exit $code, expected 33 (all passed); log: $log"
		tr -d '\r' < "$log" | tail -20 | sed 's/^/# | /'
		exit 1
	fi
	exit 0
fi
echo "KTAP version 1"
echo "1..1"
if [ $code -eq 35 ] && grep -q '^not ok .* deliberate_failure' "$log.ktap"; then
	echo "ok 1 example_failure_is_seen"
	exit 0
fi
echo "# minimal with 'fail': QEMU exit $code, expected 35 and a 'not ok' line; log: $log"
tr -d '\r' < "$log" | tail -20 | sed 's/^/# | /'
echo "not ok 1 example_failure_is_seen"
exit 1
