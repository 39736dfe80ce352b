#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# mkiso.sh KERNEL OUT [CMDLINE]
#
# Build a GRUB rescue ISO that boots KERNEL (a Multiboot2 ELF) with CMDLINE on
# both SeaBIOS and OVMF. GRUB talks on COM1 as well as the screen, so a
# -display none boot still shows the menu if something goes wrong. OUT is
# replaced atomically: a concurrent boot never sees a half-written ISO.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 KERNEL OUT [CMDLINE]" >&2
	exit 2
fi
kernel=$1
out=$2
cmdline=${3-}

if [ ! -f "$kernel" ]; then
	echo "mkiso: $kernel: no such file" >&2
	exit 1
fi
case $cmdline in
*$'\n'* | *\"* | *\\* | *\$*)
	echo "mkiso: command line must not contain newlines, quotes, \\ or \$" >&2
	exit 1 ;;
esac

outdir=$(dirname -- "$out")
mkdir -p -- "$outdir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmm-iso.XXXXXX")
part=
trap 'rm -rf -- "$tmp" ${part:+"$part"}' EXIT

mkdir -p "$tmp/iso/boot/grub"
cp -- "$kernel" "$tmp/iso/boot/kernel.elf"
cat >"$tmp/iso/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "kmm" {
	multiboot2 /boot/kernel.elf $cmdline
	boot
}
CFG

if ! grub-mkrescue -o "$tmp/out.iso" "$tmp/iso" >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
fi
# Same filesystem as OUT, then rename(2): atomic.
part=$(mktemp "$outdir/.mkiso.XXXXXX")
mv -f -- "$tmp/out.iso" "$part"
chmod 644 -- "$part"
mv -f -- "$part" "$out"
part=
