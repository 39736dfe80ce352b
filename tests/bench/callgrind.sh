#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Instructions per op of the hot paths, from callgrind (make bench).
# usage: callgrind.sh KMM_BENCH OUTDIR "VALGRIND COMMAND"
#
# Each run is `kmm-bench --callgrind BACKEND WORKLOAD N` (for a malloc, the
# program that links it: kmm-bench-glibc, -jemalloc, -mimalloc, -tcmalloc) under
# callgrind with instrumentation off at start; the program switches it on
# (CALLGRIND_START_INSTRUMENTATION) only around the measured loop, after a
# warm-up pass, so the total Ir in the output file is the loop alone:
# Ir / ops = instructions per alloc+free pair, loop overhead included.
# meminit runs mem_init() once; its ops are the pages of RAM. prodcons runs
# two threads, which valgrind serialises: a thread that finds the ring full
# or empty yields at once (bench.c, spin_wait), so the few instructions of
# each wait are in the count, about one per 1,000 ops.
set -euo pipefail
bin=$1 out=$2 valgrind=$3
runs=()
for w in pair64 batch1k batch100k mixed prodcons; do
	for b in glibc jemalloc mimalloc tcmalloc kmalloc kmem_cache; do
		[ "$w" = mixed ] && [ "$b" = kmem_cache ] && continue  # one size only
		runs+=("$b $w 200000")
	done
done
runs+=(
	"segregated pair64 200000"
	"kmalloc page0 200000"
	"kmalloc page3 100000"
	"kmalloc pagebulk 100000"
	"kmalloc meminit 0"
)
mkdir -p "$out/callgrind"
csv=$out/callgrind.csv
echo "backend,workload,ops,instructions,instructions_per_op" > "$csv.tmp"
printf '%-12s %-10s %12s %14s %10s\n' backend workload ops Ir Ir/op
for r in "${runs[@]}"; do
	read -r b w n <<<"$r"
	file=$out/callgrind/$b.$w.out
	log=$out/callgrind/$b.$w.log
	exe=$bin
	case $b in glibc|jemalloc|mimalloc|tcmalloc) exe=$bin-$b ;; esac
	if ! $valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$file" \
		"$exe" --callgrind "$b" "$w" "$n" >"$log" 2>&1; then
		echo "callgrind: $b $w failed, see $log" >&2
		continue
	fi
	ops=$(awk '/^callgrind /{print $5}' "$log")
	ir=$(awk '/^totals:/{print $2; exit}' "$file")
	if [ -z "$ops" ] || [ -z "$ir" ] || [ "$ops" -eq 0 ]; then
		echo "callgrind: $b $w: no figures, see $log" >&2
		continue
	fi
	per=$(awk -v i="$ir" -v o="$ops" 'BEGIN{printf "%.1f", i/o}')
	printf '%-12s %-10s %12s %14s %10s\n' "$b" "$w" "$ops" "$ir" "$per"
	echo "$b,$w,$ops,$ir,$per" >> "$csv.tmp"
done
mv "$csv.tmp" "$csv"
