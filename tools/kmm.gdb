# gdb setup for kmm: tools/debug.sh runs `gdb -x tools/kmm.gdb` from the
# repository root while QEMU waits, halted, with its gdb stub on :1234.
set pagination off
set confirm off
set print pretty on
set disassembly-flavor intel

# Control registers as QEMU reports them: paging (cr0, cr3, cr4), the last
# page-fault address (cr2) and long mode / NX (efer).
define cregs
	info registers cr0 cr2 cr3 cr4 efer
end
document cregs
Show cr0, cr2, cr3, cr4 and efer.
end

# The stub starts in 16-bit real mode; the kernel we debug is 64-bit.
set architecture i386:x86-64
target remote :1234
file build/kernel.elf
# kmm-buddyinfo, kmm-slabinfo, kmm-page, kmm-vtop, kmm-layout
source tools/kmm_gdb.py

echo \nkmm: QEMU is halted before the firmware runs. Try:\n
echo \ \ break kmain\n
echo \ \ continue\n
echo (serial output goes to build/logs/debug.log; `cregs` shows control registers;\necho \ kmm-buddyinfo, kmm-slabinfo, kmm-page, kmm-vtop and kmm-layout read the allocators)\n
