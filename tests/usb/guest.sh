#!/bin/sh
# The USB cases, inside the qemu guest (tests/usb/run.sh): one FTDI adapter
# (serial OBDA0001) is plugged at boot on xHCI port 1; more are plugged and
# unplugged on request ("USBTEST DO plug ID CHARDEV SERIAL PORT" /
# "USBTEST DO unplug ID", carried out by the host through QMP). Each
# adapter's serial line is an `obdgw sim` on the host (c1's car is slow).
#   sh tests/usb/guest.sh BUILD MODE
B=${1:-build}
OB=/t/$B/obdgw
OD=/t/$B/obdgwd
VIN=LFV2A21K6M3012345
S=/tmp/d.db
export OBDGW_SOCKET=/tmp/d.sock
pass() { echo "USBTEST PASS $*"; }
fail() { echo "USBTEST FAIL $*"; }
info() { echo "USBTEST INFO $*"; }
check() { name=$1; shift; if "$@"; then pass "$name"; else fail "$name"; fi; }
up() { cut -d' ' -f1 /proc/uptime; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
waitfor() { # SECONDS CMD...: until CMD succeeds
    end=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$end" ] && return 1; usleep 50000; done
}
plug() { echo "USBTEST DO plug $1 $2 $3 $4"; }
unplug() { echo "USBTEST DO unplug $1"; }
status1() { "$OB" status --json 2>/dev/null | tr -d '\t\n'; }
bay_is() { status1 | grep -q "\"bay\":$1,\"state\":\"$2\""; }
bay_tty() { status1 | grep -o "\"bay\":$1,\"state\":\"[^\"]*\",\"adapter\":\"[^\"]*\"" | sed 's/.*"adapter":"//; s/"$//'; }
# the tty of the device with this serial, from sysfs
tty_of_serial() {
    for d in /sys/bus/usb/devices/*; do
        [ -f "$d/serial" ] && [ "$(cat "$d/serial")" = "$1" ] || continue
        for t in "$d":1.0/ttyUSB*; do [ -e "$t" ] && echo "/dev/${t##*/}"; done
    done
}
has_dev() { [ -e "/sys/bus/usb/devices/$1" ]; }
no_dev() { [ ! -e "/sys/bus/usb/devices/$1" ]; }
scan_saved() { "$OB" --store "$S" report --scan "$1" --format json >/dev/null 2>&1; }

# ---- 1. enumerate and identify; the CLI by port and by serial ----
waitfor 30 test -e /dev/ttyUSB0 || fail "boot_adapter_tty (no /dev/ttyUSB0)"
P0=""
for d in /sys/bus/usb/devices/*; do
    [ -f "$d/serial" ] && [ "$(cat "$d/serial")" = OBDA0001 ] && P0=${d##*/}
done
BUS=${P0%%-*}
info "boot adapter at usb port '$P0' (bus $BUS)"
A=$("$OB" adapters --json 2>&1 | tr -d '\t\n')
check enumerate_identify sh -c "echo '$A' | grep -q '\"port\":\"$P0\",\"vid_pid\":\"0403:6001\",\"recognised\":true,\"chip\":\"FTDI FT232R\"' &&
    echo '$A' | grep -q '\"serial\":\"OBDA0001\",\"tty\":\"/dev/ttyUSB0\"'"
check adapters_text_zh sh -c "'$OB' --lang zh adapters | grep -q 'OBDA0001' && '$OB' --lang zh adapters | grep -q '工位'"
check cli_by_port sh -c "OBDGW_STORE=/tmp/cli.db '$OB' scan --adapter usb:$P0 --no-store 2>&1 | grep -q $VIN"
check cli_by_serial sh -c "OBDGW_STORE=/tmp/cli.db '$OB' scan --adapter usb-serial:OBDA0001 --no-store 2>&1 | grep -q $VIN"
out=$(OBDGW_STORE=/tmp/cli.db "$OB" scan --adapter "usb:$BUS-4" --no-store 2>&1); rc=$?
check cli_missing_lists_plugged sh -c "[ $rc -eq 1 ] && echo '$out' | grep -q 'no such adapter plugged in; plugged in: usb:$P0 0403:6001 FTDI FT232R usb-serial:OBDA0001 /dev/ttyUSB0'"

# ---- 2. obdgwd: bays by port and by serial, hot-plug, DMS ----
printf 'listener 1883 127.0.0.1\nallow_anonymous true\nuser root\n' > /tmp/m.conf
mosquitto -c /tmp/m.conf -d 2>/dev/null || fail mosquitto_start
waitfor 10 sh -c 'netstat -ltn 2>/dev/null | grep -q ":1883"'
mosquitto_sub -h 127.0.0.1 -t 'obdgw/v1/ws01/bay/+/status' > /tmp/dms.log 2>/dev/null &
SUBP=$!
cat > /tmp/d.conf <<CONF
[gateway]
site = ws01
store = $S
socket = /tmp/d.sock
[mqtt]
broker = tcp://127.0.0.1:1883
[bay 1]
usb_port = $BUS-1
on_plug = scan
[bay 2]
usb_serial = OBDB0002
[bay 3]
usb_port = $BUS-3
CONF
"$OB" --store "$S" wo add RO-1 --vin $VIN >/dev/null 2>&1 || fail wo_add
"$OD" --config /tmp/d.conf > /tmp/obdgwd.log 2>&1 &
waitfor 20 test -S /tmp/d.sock || fail daemon_start
# the adapter plugged at start arrives (ENUMERATE): bay 1 idle, on_plug scan saved to RO-1
check onplug_scan_at_start waitfor 90 scan_saved 1
check onplug_scan_on_ro sh -c "'$OB' --store '$S' wo show RO-1 | grep -q '#1 .*Reception'"
waitfor 30 bay_is 1 idle
check status_identity sh -c "'$OB' status | grep -q 'bay 1 .*usb_port $BUS-1' && '$OB' status | grep -q 'bay 2 .*no adapter.*usb_serial OBDB0002'"
check bay2_no_adapter bay_is 2 "no adapter"
out=$("$OB" scan --bay 2 2>&1); rc=$?
check scan_without_adapter sh -c "[ $rc -ne 0 ] && echo '$out' | grep -q 'not plugged in'"

# plug the usb_serial-bound cable in: bay 2 no adapter -> idle, DMS told
plug a1 c1 OBDB0002 2
waitfor 20 has_dev "$BUS-2"; t0=$(up)
if waitfor 30 bay_is 2 idle; then t1=$(up); pass plug_serial_bay_idle; info "arrival_to_idle_ms $(ms_between "$t0" "$t1")"
else fail plug_serial_bay_idle; fi
check dms_adapter_arrived waitfor 10 sh -c "grep '\"bay\":2' /tmp/dms.log | grep -q '\"event\":\"adapter_arrived\"'"

# ---- 3. unplug mid-scan: no partial scan, bay no adapter, DMS told ----
"$OB" scan --bay 2 > /tmp/scan2.out 2>&1 &
SP=$!
waitfor 20 bay_is 2 scanning
sleep 2
unplug a1
wait $SP; rc=$?
check unplug_midscan_reason sh -c "[ $rc -ne 0 ] && grep -q 'adapter unplugged' /tmp/scan2.out"
check unplug_midscan_nothing_saved sh -c "! scan_saved 2 2>/dev/null && ! '$OB' --store '$S' report --scan 2 --format json >/dev/null 2>&1"
check unplug_bay_no_adapter waitfor 10 bay_is 2 "no adapter"
check dms_adapter_departed waitfor 10 sh -c "grep '\"bay\":2' /tmp/dms.log | grep -q '\"event\":\"adapter_departed\"'"

# ---- 4. unplug mid-live-recording: closed, marked cut short ----
"$OB" live --bay 1 --pid rpm,speed --duration 60 --record --ro RO-1 > /tmp/live.out 2>&1 &
LP=$!
waitfor 20 bay_is 1 live
sleep 3
unplug a0
wait $LP; rc=$?
check live_unplug_reason sh -c "[ $rc -ne 0 ] && grep -q 'adapter unplugged' /tmp/live.out"
check live_recording_cut_short sh -c "cat $S $S-wal 2>/dev/null | grep -q recording_cut_short"
check live_recording_kept sh -c "'$OB' --store '$S' wo show RO-1 | sed -n '/Live-data recordings/,\$p' | grep -q '#'"
check live_unplug_bay_no_adapter waitfor 10 bay_is 1 "no adapter"
waitfor 10 no_dev "$BUS-1"

# ---- 5. re-plug on another port, usb_serial binding: same bay ----
plug a1 c1 OBDB0002 4
check replug_other_port_same_bay waitfor 30 bay_is 2 idle
t2=$(bay_tty 2)
check replug_tty sh -c "[ -n '$t2' ] && [ '$t2' = '$(tty_of_serial OBDB0002)' ]"

# ---- 6. usb_port binding: adapters swapped between sockets, each bay keeps its socket ----
plug a0 c0 OBDA0001 3
plug a2 c2 OBDC0003 1
waitfor 20 has_dev "$BUS-1"; t0=$(up)
if waitfor 90 scan_saved 2; then t1=$(up); pass onplug_scan_after_plug; info "arrival_to_saved_scan_ms $(ms_between "$t0" "$t1")"
else fail onplug_scan_after_plug; fi
waitfor 30 bay_is 1 idle; waitfor 30 bay_is 3 idle
b1=$(bay_tty 1); b3=$(bay_tty 3)
check before_swap sh -c "[ '$b1' = '$(tty_of_serial OBDC0003)' ] && [ '$b3' = '$(tty_of_serial OBDA0001)' ] && [ -n '$b1' ]"
unplug a0; unplug a2
waitfor 20 no_dev "$BUS-1"; waitfor 20 no_dev "$BUS-3"
waitfor 10 bay_is 1 "no adapter"
plug a0 c0 OBDA0001 1
plug a2 c2 OBDC0003 3
waitfor 30 bay_is 3 idle
waitfor 90 scan_saved 3 # bay 1's on_plug scan
waitfor 30 bay_is 1 idle
b1=$(bay_tty 1); b3=$(bay_tty 3)
check swap_each_bay_keeps_socket sh -c "[ '$b1' = '$(tty_of_serial OBDA0001)' ] && [ '$b3' = '$(tty_of_serial OBDC0003)' ] && [ -n '$b1' ] && [ -n '$b3' ]"
# a USB tablet (0627:0001, qemu's usb-tablet on port 5) is not an adapter: listed, never used
st=$(status1)
check unknown_listed_never_used sh -c "echo '$st' | grep -q '\"port\":\"$BUS-5\",\"vid_pid\":\"0627:0001\",[^}]*\"recognised\":false,\"bay\":null,\"used\":false' &&
    '$OB' status | grep -q 'usb $BUS-5 .*never used'"
# the bay_status messages the DMS got, for the host to check against docs/schemas/status.json
grep 'adapter_' /tmp/dms.log | sed 's/^/USBTEST MSG /'
kill $SUBP 2>/dev/null
kill "$(pidof obdgwd)" 2>/dev/null
sleep 1
echo "$A" | grep -q OBDA0001 || echo "adapters --json: $A"
echo "--- obdgwd log (tail) ---"; tail -n 25 /tmp/obdgwd.log
