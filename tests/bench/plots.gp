# SPDX-License-Identifier: MIT
# Plots for docs/benchmarks.md and docs/allocators.md, from kmm-bench's CSV.
# usage: gnuplot -e "indir='build/bench'; outdir='docs/plots'" tests/bench/plots.gp
# (make plots). Each figure is written as PNG and as SVG.
set datafile separator ","
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set key outside right top vertical autotitle columnhead
set grid ytics
set xtics rotate by -30 nomirror
set boxwidth 0.9

ops = indir."/ops_wide.csv"
fr  = indir."/traces_wide.csv"

do for [fmt in "png svg"] {
	if (fmt eq "png") { set terminal pngcairo noenhanced size 1100,520 font ",10" }
	else { set terminal svg noenhanced size 1100,520 font ",10" dynamic }

	# 1. the production allocators, every workload
	set output outdir."/ops.".fmt
	set title "ns per alloc+free pair, median (lower is better; log scale)"
	set logscale y
	set ylabel "ns / op"
	plot ops using "glibc":xtic(1) title "glibc", "" using "jemalloc" title "jemalloc", "" using "mimalloc" title "mimalloc", \
	     "" using "tcmalloc" title "tcmalloc", "" using "kmalloc" title "kmalloc", "" using "kmem_cache" title "kmem_cache"

	# 2. the seed's families beside kmalloc, single-threaded workloads
	set output outdir."/seed_ops.".fmt
	set title "seed allocators beside kmalloc: ns per alloc+free pair (log scale)"
	plot ops every ::0::3 using "kmalloc":xtic(1) title "kmalloc", "" every ::0::3 using "bump" title "bump", \
	     "" every ::0::3 using "first-fit" title "first-fit", "" every ::0::3 using "next-fit" title "next-fit", \
	     "" every ::0::3 using "best-fit" title "best-fit", "" every ::0::3 using "segregated" title "segregated"
	unset logscale y

	# 3. fragmentation on the traces
	set output outdir."/fragmentation.".fmt
	set title "peak footprint over peak live bytes, % (lower is better; clipped at 120)"
	set ylabel "overhead %"
	set yrange [0:120]
	plot fr using "glibc":xtic(1) title "glibc", "" using "jemalloc" title "jemalloc", "" using "mimalloc" title "mimalloc", \
	     "" using "tcmalloc" title "tcmalloc", "" using "kmalloc" title "kmalloc", "" using "first-fit" title "first-fit", \
	     "" using "next-fit" title "next-fit", "" using "best-fit" title "best-fit", "" using "segregated" title "segregated", "" using "bump" title "bump"
	set autoscale y
}
