#!/bin/sh
# Turn `nm -n --defined-only kernel.elf` (on stdin) into an assembly file that
# holds the kernel's text symbols, sorted by address, for %pS and backtraces.
# With empty input it emits an empty table (the first link pass).
awk '
BEGIN { n = 0 }
$2 ~ /^[TtWw]$/ && $3 !~ /^\./ && $3 !~ /^(_text|_etext|_kernel_start)$/ {
	addr[n] = $1; name[n] = $3; n++
}
END {
	print "\t.section .kallsyms, \"a\""
	print "\t.balign 8"
	print "\t.globl kallsyms_num, kallsyms_addrs, kallsyms_name_offs, kallsyms_names"
	print "kallsyms_num:\n\t.quad " n
	print "kallsyms_addrs:"
	for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
	print "kallsyms_name_offs:"
	off = 0
	for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
	print "kallsyms_names:"
	for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
	print "\t.balign 8"
	print "\t.section .note.GNU-stack, \"\", @progbits"
}'
