#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install the Debian 12 packages kmm needs to build, boot and test.
# Silent and fast when everything is present. As root, missing packages are
# installed with apt-get; otherwise the exact command is printed and we fail.
#
# usage: install-deps.sh          the packages to build, boot and test
#        install-deps.sh bench    the extra ones `make bench` and `make plots` use
set -euo pipefail

PACKAGES=(
	gcc make binutils python3       # build and test harness
	clang libclang-rt-14-dev valgrind # fuzzing (libFuzzer runtime) and host-side checking
	qemu-system-x86                 # the machine the tests boot
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools  # BIOS+UEFI ISO
	gnu-efi ovmf                    # our EFI loader and the UEFI firmware
	gdb                             # make debug
)

# Optional groups, installed only when asked for by name.
BENCH_PACKAGES=(
	libjemalloc-dev libmimalloc-dev libgoogle-perftools-dev  # the allocators compared
	valgrind gnuplot-nox            # callgrind instruction counts, plots
)

case "${1:-}" in
"") ;;
bench) PACKAGES=("${BENCH_PACKAGES[@]}") ;;
*)
	echo "usage: $0 [bench]" >&2
	exit 2
	;;
esac

missing=()
# One dpkg-query for all packages; unknown ones print nothing on stdout.
status=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)
for p in "${PACKAGES[@]}"; do
	if ! grep -q "^$p ii" <<<"$status"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "kmm: missing packages: ${missing[*]}" >&2
	echo "kmm: install them with:" >&2
	echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi

echo "kmm: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
