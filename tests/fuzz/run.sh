#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Run the fuzz targets and report in KTAP, one line per target.
#
#   tests/fuzz/run.sh smoke|long SECONDS BUILDDIR TARGET...
#
# For each target: replay tests/fuzz/corpus/<t>/ and tests/fuzz/regressions/<t>/
# (every input once), then fuzz for SECONDS. smoke works in a scratch corpus
# under BUILDDIR; long keeps what it finds in BUILDDIR/corpus/<t>/. Crashes
# land in BUILDDIR/artifacts/<t>/, the full log in BUILDDIR/logs/<t>.log.
# Exit status: 0 when every target passed, 1 otherwise.
set -u

mode=$1 seconds=$2 build=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
status=0
n=0

echo "KTAP version 1"
echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	bin=$build/fuzz_$t
	log=$build/logs/$t.log
	art=$build/artifacts/$t/
	if [ "$mode" = long ]; then
		work=$build/corpus/$t
	else
		work=$build/smoke-corpus/$t
		rm -rf "$work"
	fi
	mkdir -p "$work" "$art" "$(dirname "$log")"
	seeds=()
	for d in "$here/corpus/$t" "$here/regressions/$t"; do
		[ -d "$d" ] && seeds+=("$d")
	done
	opts=(-artifact_prefix="$art" -max_len=4096 -len_control=0 -timeout=30
	      -rss_limit_mb=4096 -print_final_stats=1)
	ok=1
	# Replay: every seed and regression input once (-runs=0 after loading).
	if ! "$bin" "${opts[@]}" -runs=0 "$work" "${seeds[@]}" >"$log" 2>&1; then
		ok=0
	fi
	if [ $ok = 1 ] && ! "$bin" "${opts[@]}" -max_total_time="$seconds" \
		"$work" "${seeds[@]}" >>"$log" 2>&1; then
		ok=0
	fi
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
	if [ $ok = 1 ]; then
		echo "# fuzz_$t: ${runs:-?} inputs in ${seconds}s, corpus $(ls "$work" | wc -l) files"
		echo "ok $n fuzz_$t"
	else
		status=1
		echo "# fuzz_$t: crashed; log $log"
		grep -E 'FUZZ CHECK FAILED|ERROR: |runtime error|Kernel panic|Test unit written' "$log" |
			head -5 | sed 's/^/# /'
		crash=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/.* //')
		if [ -n "$crash" ]; then
			echo "# replay with the kernel's messages: KMM_FUZZ_VERBOSE=1 $bin $crash"
		fi
		echo "not ok $n fuzz_$t"
	fi
done
exit $status
