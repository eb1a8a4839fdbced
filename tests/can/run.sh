#!/bin/sh
# Run the CAN tests (tests/can/guest.sh) on a real Linux kernel.
#   sh tests/can/run.sh BUILD [check|bench|dev]
# bench: only the end-to-end figures (make bench): the 30-module UDS scan
# and live data against the CAN simulator, printed as CANTEST INFO lines.
# When this host has vcan (and can-isotp), they run here directly (as root).
# Otherwise Debian's stock kernel is fetched (apt-get download, unpacked,
# never installed; cached in build/can/) and booted under qemu with a small
# initramfs: busybox, the CAN modules, our binaries and their libraries,
# can-utils; two emulated CAN controllers (qemu kvaser_pci) give the guest
# can0 and can1 besides vcan0. The guest's result lines come back over the serial console.
# Set OBDGW_CAN_VM=1 to use the VM even when the host has vcan.
set -u
BUILD=${1:-build}
MODE=${2:-check}
T0=$(date +%s)
summary() { # pass fail
    echo "check-can: $1 passed, $2 failed ($(($(date +%s) - T0)) s)"
    [ "$2" -eq 0 ] && [ "$1" -gt 0 ]
}

host_has_vcan() {
    [ "$(id -u)" -eq 0 ] || return 1
    ip link show vcan0 >/dev/null 2>&1 && return 0
    modprobe -q vcan 2>/dev/null && modprobe -q can-isotp 2>/dev/null || return 1
    ip link add dev vcan0 type vcan 2>/dev/null && ip link set vcan0 up
}

if [ "${OBDGW_CAN_VM:-0}" != 1 ] && host_has_vcan; then
    echo "check-can: host has vcan: running directly"
    sh tests/can/guest.sh "$BUILD" vcan0 "$MODE" | tee "$BUILD/can/result.log"
    p=$(grep -c '^CANTEST PASS' "$BUILD/can/result.log"); f=$(grep -c '^CANTEST FAIL' "$BUILD/can/result.log")
    summary "$p" "$f"
    exit $?
fi

for t in qemu-system-x86_64 busybox cpio depmod modprobe isotpsend cangen; do
    command -v "$t" >/dev/null 2>&1 || { echo "check-can: '$t' missing (make deps)"; exit 1; }
done
KINFO=$(sh tests/can/kernel.sh build/can) || { echo "check-can: cannot get the kernel"; exit 1; }
set -- $KINFO
KVER=$1 KIMG=$2 KDIR=$3

R=$BUILD/can/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/t/$BUILD/can" "$R/t/tests/can" "$R/modules"
cp "$(command -v busybox)" "$R/bin/busybox"
cp tests/can/init "$R/init" && chmod +x "$R/init"
# modules in load order (the list repeats can.ko: de-duplicate)
: > "$R/modules.list"
modprobe -d "$KDIR" -S "$KVER" --show-depends -a can-raw can-isotp vcan kvaser_pci | awk '$1=="insmod"{print $2}' |
    awk '!seen[$0]++' | while read -r ko; do
        cp "$ko" "$R/modules/"; echo "/modules/$(basename "$ko")" >> "$R/modules.list"
    done
[ -s "$R/modules.list" ] || { echo "check-can: no CAN modules found in $KDIR"; exit 1; }
# our binaries, can-utils, and every shared library they need
cp "$BUILD/obdgw" "$R/t/$BUILD/obdgw"
cp "$BUILD"/can/cantest "$R/t/$BUILD/can/"
cp tests/can/guest.sh "$R/t/tests/can/"
cp -r tests/scenarios "$R/t/tests/"
mkdir -p "$R/t/dtc-db" && cp -r dtc-db/signals "$R/t/dtc-db/" # OEM signalsets (live --signals)
echo "$BUILD" > "$R/t/BUILD"
echo "$MODE" > "$R/t/MODE"
for u in isotpsend isotprecv candump cangen; do cp "$(command -v $u)" "$R/bin/"; done
for b in "$BUILD/obdgw" "$BUILD/can/cantest" "$(command -v isotpsend)" "$(command -v candump)" "$(command -v cangen)"; do
    ldd "$b" | awk '/=>/ {print $3} /^[ \t]*\/.*ld-linux/ {print $1}'
done | sort -u | while read -r lib; do
    [ -f "$lib" ] || continue
    mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"
done
mkdir -p "$R/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
# the guest resolves libraries through the default paths; keep /usr/lib too
(cd "$R" && find . | cpio -o -H newc --quiet) > "$BUILD/can/initrd.cpio"

echo "check-can: booting $KVER under qemu (software emulation)"
[ "$MODE" = bench ] && echo "check-can: figures from the guest: qemu emulates the CPU (TCG, no KVM), so its CPU times are" \
    "many times the host's; wall times are dominated by ECU delays and timeouts. Host figures: bench_can."
LOG=$BUILD/can/console.log
# Two emulated Kvaser PCIcan controllers (SJA1000) on one qemu CAN bus: the
# guest's can0 and can1, real CAN netdevs for the libsocketcan checks.
timeout 240 qemu-system-x86_64 -m 512M -smp 1 -display none -vga none -serial stdio -no-reboot -nic none \
    -object can-bus,id=canbus0 -device kvaser_pci,canbus=canbus0 -device kvaser_pci,canbus=canbus0 \
    -kernel "$KIMG" -initrd "$BUILD/can/initrd.cpio" \
    -append 'console=ttyS0 quiet panic=-1' < /dev/null 2>&1 | tr -d '\r' > "$LOG"
grep '^CANTEST' "$LOG" | grep -v '^CANTEST RESULT' | tee "$BUILD/can/result.log"
grep -q '^CANTEST BOOTED' "$LOG" || { echo "check-can: the guest did not boot:"; tail -n 20 "$LOG"; exit 1; }
grep -q '^CANTEST EXIT' "$LOG" || echo "CANTEST FAIL guest_finished: no exit line (hang or crash)" | tee -a "$BUILD/can/result.log"
p=$(grep -c '^CANTEST PASS' "$BUILD/can/result.log"); f=$(grep -c '^CANTEST FAIL' "$BUILD/can/result.log")
summary "$p" "$f"
