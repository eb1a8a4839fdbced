#!/bin/sh
# USB adapters on a real kernel (make check-usb): Debian's stock kernel under
# qemu with an xHCI controller and qemu's FTDI FT232 emulation
# (-device usb-serial, 0403:6001) whose serial lines are chardev sockets
# served by `obdgw sim --tcp` here on the host. The guest (tests/usb/guest.sh)
# runs systemd-udevd, obdgw and obdgwd and asks for plugs and unplugs with
# "USBTEST DO plug|unplug ..." lines on the serial console; this script
# carries them out through qemu's QMP monitor (device_add / device_del).
#   sh tests/usb/run.sh BUILD [check|bench]
set -u
BUILD=${1:-build}
MODE=${2:-check}
T0=$(date +%s)
summary() { # pass fail
    echo "check-usb: $1 passed, $2 failed ($(($(date +%s) - T0)) s)"
    [ "$2" -eq 0 ] && [ "$1" -gt 0 ]
}
for t in qemu-system-x86_64 busybox cpio depmod modprobe python3 mosquitto mosquitto_sub; do
    command -v "$t" >/dev/null 2>&1 || { echo "check-usb: '$t' missing (make deps)"; exit 1; }
done
UDEVD=/usr/lib/systemd/systemd-udevd
[ -x "$UDEVD" ] || { echo "check-usb: $UDEVD missing (Debian's udev package: make deps)"; exit 1; }
KINFO=$(sh tests/usb/kernel.sh build/usb build/can/deb) || { echo "check-usb: cannot get the kernel"; exit 1; }
set -- $KINFO
KVER=$1 KIMG=$2 KDIR=$3
W=$BUILD/usb
mkdir -p "$W"
R=$W/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp" "$R/run" "$R/etc" "$R/t/$BUILD" "$R/t/tests/usb" \
    "$R/modules" "$R/usr/lib/systemd" "$R/usr/bin" "$R/usr/sbin"
cp "$(command -v busybox)" "$R/bin/busybox"
cp tests/usb/init "$R/init" && chmod +x "$R/init"
: > "$R/modules.list"
modprobe -d "$KDIR" -S "$KVER" --show-depends -a xhci-pci usbserial ftdi_sio | awk '$1=="insmod"{print $2}' |
    awk '!seen[$0]++' | while read -r ko; do
        cp "$ko" "$R/modules/"; echo "/modules/$(basename "$ko")" >> "$R/modules.list"
    done
[ -s "$R/modules.list" ] || { echo "check-usb: no USB modules found in $KDIR"; exit 1; }
cp "$BUILD/obdgw" "$BUILD/obdgwd" "$R/t/$BUILD/"
cp tests/usb/guest.sh "$R/t/tests/usb/"
echo "$BUILD" > "$R/t/BUILD"
echo "$MODE" > "$R/t/MODE"
cp "$UDEVD" "$R/usr/lib/systemd/"
cp "$(command -v udevadm)" "$R/usr/bin/"
cp "$(command -v mosquitto)" "$R/usr/sbin/"
cp "$(command -v mosquitto_sub)" "$R/usr/bin/"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:x:0:\ndialout:x:20:\n' > "$R/etc/group"
for b in "$BUILD/obdgw" "$BUILD/obdgwd" "$UDEVD" "$(command -v udevadm)" "$(command -v mosquitto)" "$(command -v mosquitto_sub)"; do
    ldd "$b" | awk '/=>/ {print $3} /^[ \t]*\/.*ld-linux/ {print $1}'
done | sort -u | while read -r lib; do
    [ -f "$lib" ] || continue
    mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"
done
mkdir -p "$R/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$R/lib64/"
(cd "$R" && find . | cpio -o -H newc --quiet) > "$W/initrd.cpio"

# three simulated cars behind the adapters' serial lines (the second slow:
# a scan there lasts long enough to pull the adapter out in the middle)
port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
pick() { while :; do p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 )); port_free $p && { echo $p; return; }; done; }
start_sims() {
    P0=$(pick); P1=$(pick); P2=$(pick)
    "$BUILD/obdgw" sim --tcp "$P0" >"$W/sim0.log" 2>&1 & S0=$!
    "$BUILD/obdgw" sim --tcp "$P1" --ecu-delay 250 >"$W/sim1.log" 2>&1 & S1=$!
    "$BUILD/obdgw" sim --tcp "$P2" >"$W/sim2.log" 2>&1 & S2=$!
    for p in $P0 $P1 $P2; do
        i=0; while port_free "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    done
}
stop_sims() { kill "$S0" "$S1" "$S2" 2>/dev/null; wait "$S0" "$S1" "$S2" 2>/dev/null; }
cleanup() { stop_sims; [ -n "${QP:-}" ] && kill "$QP" 2>/dev/null; }
trap cleanup EXIT INT TERM

# One boot of the guest; the host carries out its plug/unplug requests.
boot() {
    LOG=$W/console.log
    QMP=$W/qmp.sock
    rm -f "$QMP" "$LOG"
    timeout 280 qemu-system-x86_64 -m 512M -smp 1 -display none -vga none -no-reboot -nic none \
        -serial "file:$LOG" -qmp "unix:$QMP,server=on,wait=off" \
        -device qemu-xhci,id=xhci,p2=8,p3=8 -device usb-tablet,id=tab,bus=xhci.0,port=5 \
        -chardev "socket,id=c0,host=127.0.0.1,port=$P0" -chardev "socket,id=c1,host=127.0.0.1,port=$P1" \
        -chardev "socket,id=c2,host=127.0.0.1,port=$P2" \
        -device usb-serial,id=a0,chardev=c0,serial=OBDA0001,bus=xhci.0,port=1 \
        -kernel "$KIMG" -initrd "$W/initrd.cpio" -append 'console=ttyS0 quiet panic=-1' </dev/null >"$W/qemu.log" 2>&1 &
    QP=$!
    # carry out the guest's requests, in order, until it is done
    done_n=0
    while kill -0 "$QP" 2>/dev/null; do
        if [ -f "$LOG" ]; then
            n=$(tr -d '\r' < "$LOG" | grep -c '^USBTEST DO ')
            while [ "$done_n" -lt "$n" ]; do
                done_n=$((done_n + 1))
                set -- $(tr -d '\r' < "$LOG" | grep '^USBTEST DO ' | sed -n "${done_n}p")
                shift 2
                case "$1" in
                    plug) out=$(python3 tests/usb/qmp.py "$QMP" device_add driver=usb-serial "id=$2" "chardev=$3" "serial=$4" \
                                bus=xhci.0 "port=$5" 2>&1) ;;
                    unplug) out=$(python3 tests/usb/qmp.py "$QMP" device_del "id=$2" 2>&1) ;;
                    *) out="unknown request $1" ;;
                esac
                echo "$(date +%T) $* -> $out" >> "$W/qmp.log"
            done
            tr -d '\r' < "$LOG" | grep -q '^USBTEST EXIT' && break
        fi
        sleep 0.1
    done
    wait "$QP" 2>/dev/null
}
echo "check-usb: booting $KVER under qemu (software emulation)"
start_sims
boot
# qemu itself (7.2) has been seen to segfault on a device_del of a usb-serial
# with data in flight (the guest never finishes): one more boot, said aloud.
if ! tr -d '\r' < "$W/console.log" | grep -q '^USBTEST EXIT'; then
    echo "check-usb: the guest did not finish (qemu: $(tail -n 1 "$W/qmp.log" | head -c 120)); booting once more"
    cp "$W/console.log" "$W/console.1.log"
    stop_sims; start_sims
    boot
fi
tr -d '\r' < "$LOG" | grep '^USBTEST' | grep -v '^USBTEST \(DO\|MSG\) ' > "$W/result.log"
# the DMS's bay_status messages with adapter events, against the published schema
tr -d '\r' < "$LOG" | sed -n 's/^USBTEST MSG //p' > "$W/dms.jsonl"
if [ -s "$W/dms.jsonl" ] && grep -q adapter_arrived "$W/dms.jsonl" && grep -q adapter_departed "$W/dms.jsonl" &&
    python3 tests/schema_check.py --dms docs/schemas "$W/dms.jsonl" > "$W/dms_schema.log" 2>&1; then
    echo "USBTEST PASS dms_bay_status_schema ($(wc -l < "$W/dms.jsonl") message(s))" >> "$W/result.log"
else
    echo "USBTEST FAIL dms_bay_status_schema: $(head -c 300 "$W/dms_schema.log" 2>/dev/null)" >> "$W/result.log"
fi
grep -v '^USBTEST \(BOOTED\|EXIT\)' "$W/result.log"
grep -q '^USBTEST BOOTED' "$W/result.log" || { echo "check-usb: the guest did not boot:"; tail -n 20 "$LOG"; exit 1; }
grep -q '^USBTEST EXIT' "$W/result.log" || echo "USBTEST FAIL guest_finished: no exit line (hang or crash)" | tee -a "$W/result.log"
p=$(grep -c '^USBTEST PASS' "$W/result.log"); f=$(grep -c '^USBTEST FAIL' "$W/result.log")
summary "$p" "$f"
