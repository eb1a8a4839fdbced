#!/bin/sh
# The CAN tests proper, run where vcan, can-raw and can-isotp exist: inside
# the qemu guest (tests/can/run.sh boots it) or directly on such a host.
#   sh tests/can/guest.sh BUILD [IFACE] [check|bench|dev]
# Prints "CANTEST PASS|FAIL name" lines and one "CANTEST RESULT pass=N fail=M";
# bench: only the figures (cantest bench), as "CANTEST INFO" lines.
BUILD=${1:-build}
IF=${2:-vcan0}
MODE=${3:-check}
OBDGW=$BUILD/obdgw
CT=$BUILD/can/cantest
SC=tests/scenarios
pass=0; fail=0
ok()   { pass=$((pass + 1)); echo "CANTEST PASS $1"; }
bad()  { fail=$((fail + 1)); echo "CANTEST FAIL $1: $2"; }
export OBDGW_STORE=/tmp/cantest-store.db OBDGW_LANG=en

if [ "$MODE" = bench ] || [ "$MODE" = dev ] || [ "$MODE" = kcost ]; then
    # bench: the figures; dev / kcost: the scenario deviations / kernel ISO-TP costs only (quick)
    "$CT" "$MODE" "$IF" "$SC"; rc=$?
    [ "$MODE" != dev ] && for tp in user kernel kernel+rcu_expedited; do # a whole OBD scan and UDS scan in each mode
        RX=/sys/kernel/rcu_expedited
        [ "$tp" = kernel+rcu_expedited ] && { [ -w $RX ] && echo 1 > $RX || continue; tp=kernel; TAG=" (rcu_expedited 1)"; }
        "$OBDGW" sim --can "$IF" --scenario "$SC/default.ini" --ecu-delay 2 2>/dev/null & SP=$!
        sleep 0.3
        t0=$(cat /proc/uptime)
        "$OBDGW" --json scan --adapter "can:$IF,tp=$tp" --no-store >/dev/null 2>&1; r1=$?
        t1=$(cat /proc/uptime)
        "$OBDGW" --json uds-scan --adapter "can:$IF,tp=$tp" >/dev/null 2>&1; r2=$?
        t2=$(cat /proc/uptime)
        kill $SP; wait $SP 2>/dev/null
        [ -n "${TAG:-}" ] && echo 0 > $RX
        echo "$t0 $t1 $t2" | awk -v tp="$tp${TAG:-}" -v r1=$r1 -v r2=$r2 '{printf "CANTEST INFO kcost scan %s: obd scan %.0f ms (rc %d), uds-scan %.0f ms (rc %d)\n", tp, ($3 - $1) * 1000, r1, ($5 - $3) * 1000, r2}'
    done
    exit $rc
fi

# --- our ISO-TP against can-utils (isotpsend/isotprecv use the kernel's CAN_ISOTP) ---
MSG=$(awk 'BEGIN{for(i=0;i<100;i++) printf "%02X", (i*7+1)%256}')
SPACED=$(echo "$MSG" | sed 's/../& /g; s/ $//')
candump -L "$IF" > /tmp/candump.log 2>/dev/null & CD=$!
isotprecv -s 7E8 -d 7E0 -p AA:AA "$IF" > /tmp/isotprecv.out 2>&1 & RP=$!
sleep 0.2
"$CT" isotp-send "$IF" 7E0 7E8 "$MSG"; rc=$?
sleep 0.2; kill $RP 2>/dev/null; wait $RP 2>/dev/null
got=$(tr -d ' \n' < /tmp/isotprecv.out)
if [ $rc -eq 0 ] && [ "$got" = "$MSG" ]; then ok isotp_user_to_isotprecv; else bad isotp_user_to_isotprecv "rc $rc got '$got'"; fi
"$CT" isotp-recv "$IF" 7E8 7E0 5000 > /tmp/ourrecv.out & OR=$!
sleep 0.2
echo "$SPACED" | isotpsend -s 7E0 -d 7E8 -p CC "$IF"
wait $OR; rc=$?
got=$(cat /tmp/ourrecv.out)
if [ $rc -eq 0 ] && [ "$got" = "$MSG" ]; then ok isotpsend_to_user_isotp; else bad isotpsend_to_user_isotp "rc $rc got '$got'"; fi
sleep 0.1; kill $CD 2>/dev/null; wait $CD 2>/dev/null
# candump saw first frame, flow control and consecutive frames of the 100-byte message
if grep -q '7E0#1064' /tmp/candump.log && grep -q '7E8#30' /tmp/candump.log && grep -q '7E0#21' /tmp/candump.log; then
    ok candump_sees_ff_fc_cf
else
    bad candump_sees_ff_fc_cf "$(head -n 5 /tmp/candump.log | tr '\n' ' ')"
fi

# --- in-process tests: kernel ISO-TP interop, libsocketcan, link vs simulator, faults ---
"$CT" all "$IF" "$SC" > /tmp/cantest.out 2>&1
cat /tmp/cantest.out
p=$(sed -n 's/^CANTEST RESULT pass=\([0-9]*\) fail=\([0-9]*\)$/\1/p' /tmp/cantest.out)
f=$(sed -n 's/^CANTEST RESULT pass=\([0-9]*\) fail=\([0-9]*\)$/\2/p' /tmp/cantest.out)
if [ -z "$p" ]; then bad cantest_all "no result line (crashed?)"; else pass=$((pass + p)); fail=$((fail + f)); fi

# --- emulated controllers (the qemu guest only: OBDGW_CAN_HW="can0 can1") ---
if [ -n "${OBDGW_CAN_HW:-}" ]; then
    set -- $OBDGW_CAN_HW
    "$CT" hw "$1" "$2" > /tmp/cantest-hw.out 2>&1
    cat /tmp/cantest-hw.out
    p=$(sed -n 's/^CANTEST RESULT pass=\([0-9]*\) fail=\([0-9]*\)$/\1/p' /tmp/cantest-hw.out)
    f=$(sed -n 's/^CANTEST RESULT pass=\([0-9]*\) fail=\([0-9]*\)$/\2/p' /tmp/cantest-hw.out)
    if [ -z "$p" ]; then bad cantest_hw "no result line (crashed?)"; else pass=$((pass + p)); fail=$((fail + f)); fi
    # the whole scan through a real CAN driver: the simulator on B, obdgw on A
    # (interface down: obdgw probes the bitrate listen-only, then scans)
    "$OBDGW" sim --can "$2" --scenario "$SC/default.ini" --ecu-delay 2 2>/tmp/simhw.err & SP=$!
    sleep 0.3
    ip link set "$1" down
    "$OBDGW" --json scan --adapter "can:$1" --no-store > /tmp/scanhw.json 2>/tmp/scanhw.err; rc=$?
    if [ $rc -eq 0 ] && grep -q '"vin":[[:space:]]*"LFV2A21K6M3012345"' /tmp/scanhw.json &&
        grep -q '"name":[[:space:]]*"SocketCAN '"$1"' (kernel ISO-TP, 500 kbit/s (silent bus: assumed))' /tmp/scanhw.json &&
        grep -q '"protocol":[[:space:]]*"can11_500"' /tmp/scanhw.json; then
        ok cli_scan_emulated_controller
    else
        bad cli_scan_emulated_controller "rc $rc: $(head -c 300 /tmp/scanhw.err) $(grep -A2 '"adapter"' /tmp/scanhw.json | tr -d '\n\t')"
    fi
    # other traffic on the bus (cangen on B): the listen-only probe hears it
    ip link set "$1" down
    cangen "$2" -I 321 -L 8 -g 10 & CG=$!
    "$OBDGW" --json scan --adapter "can:$1" --no-store > /tmp/scanhw2.json 2>/tmp/scanhw2.err; rc=$?
    kill $CG 2>/dev/null; wait $CG 2>/dev/null
    if [ $rc -eq 0 ] && grep -q '"name":[[:space:]]*"SocketCAN '"$1"' (kernel ISO-TP, 500 kbit/s (detected))' /tmp/scanhw2.json; then
        ok cli_scan_bitrate_detected
    else
        bad cli_scan_bitrate_detected "rc $rc: $(head -c 300 /tmp/scanhw2.err) $(grep -A2 '"adapter"' /tmp/scanhw2.json | tr -d '\n\t')"
    fi
    "$OBDGW" --json uds-scan --adapter "can:$1" > /tmp/udshw.json 2>/tmp/udshw.err; rc=$?
    if [ $rc -eq 0 ] && grep -q '"C0035-11"' /tmp/udshw.json; then ok cli_uds_scan_emulated_controller
    else bad cli_uds_scan_emulated_controller "rc $rc: $(head -c 300 /tmp/udshw.err)"; fi
    kill $SP; wait $SP 2>/dev/null
fi

# --- the CLI end to end: obdgw sim --can + obdgw scan --adapter IFACE (same JSON as ELM327) ---
cli_scan() { # name scenario expect-ecus tp
    "$OBDGW" sim --can "$IF" --scenario "$SC/$2" --ecu-delay 2 2>/tmp/sim.err & SP=$!
    sleep 0.3
    "$OBDGW" --json scan --adapter "can:$IF,tp=$4" --no-store > /tmp/scan.json 2>/tmp/scan.err; rc=$?
    n=$(grep -c '"address"' /tmp/scan.json)
    if [ $rc -eq 0 ] && grep -q "\"protocol\":.*\"$5\"" /tmp/scan.json && [ "$n" -ge "$3" ]; then ok "$1"; else bad "$1" "rc $rc, ECUs $n: $(head -c 300 /tmp/scan.err)"; fi
    "$OBDGW" --json uds-scan --adapter "can:$IF,tp=$4" > /tmp/uds.json 2>/tmp/uds.err; rc=$?
    # every scenario has a module that answers the probe (OBD ECUs without UDS say 7F 3E 11)
    if [ $rc -eq 0 ] && grep -q '"answered":[[:space:]]*[1-9]' /tmp/uds.json && grep -q '"silent"' /tmp/uds.json; then ok "$1_uds"; else bad "$1_uds" "rc $rc: $(head -c 300 /tmp/uds.err) $(head -c 200 /tmp/uds.json)"; fi
    kill $SP; wait $SP 2>/dev/null
}
cli_scan cli_scan_can11_user default.ini 2 user can11_500
cli_scan cli_scan_can11_kernel default.ini 2 kernel can11_500
cli_scan cli_scan_can29_kernel toyota-can29.ini 3 kernel can29_500
# the OBD-on-UDS (SAE J1979-2) car: no answer to 01 00, the same scan through 22 / 19
"$OBDGW" sim --can "$IF" --scenario "$SC/obdonuds.ini" --ecu-delay 2 2>/tmp/sim.err & SP=$!
sleep 0.3
"$OBDGW" --json scan --adapter "can:$IF" --no-store > /tmp/scanou.json 2>/tmp/scanou.err; rc=$?
kill $SP; wait $SP 2>/dev/null
if [ $rc -eq 0 ] && grep -q '"obd_protocol":[[:space:]]*"obd_on_uds"' /tmp/scanou.json &&
    grep -q '1G1ZD5ST7VF027001' /tmp/scanou.json && grep -q '"P0137"' /tmp/scanou.json; then ok cli_scan_obdonuds
else bad cli_scan_obdonuds "rc $rc: $(head -c 300 /tmp/scanou.err)"; fi
# the physical-only car (#10): over SocketCAN too the VIN (09 02 unlisted in
# 09 00) and every code are read through the physical retry, user and kernel ISO-TP
for tp in user kernel; do
    "$OBDGW" sim --can "$IF" --scenario "$SC/physical-only.ini" --ecu-delay 2 2>/tmp/sim.err & SP=$!
    sleep 0.3
    "$OBDGW" --json scan --adapter "can:$IF,tp=$tp" --no-store > /tmp/scanpo.json 2>/tmp/scanpo.err; rc=$?
    kill $SP; wait $SP 2>/dev/null
    if [ $rc -eq 0 ] && grep -q '"vin_source":[[:space:]]*"mode09_unlisted"' /tmp/scanpo.json &&
        grep -q '"P0300"' /tmp/scanpo.json && grep -q '"03":[[:space:]]*"physical"' /tmp/scanpo.json; then ok "cli_scan_physical_only_$tp"
    else bad "cli_scan_physical_only_$tp" "rc $rc: $(head -c 300 /tmp/scanpo.err) $(tr -d '\n\t' < /tmp/scanpo.json | head -c 300)"; fi
done
# OEM signals (#14) over SocketCAN, user and kernel ISO-TP: the demo car's
# module DIDs (engine 7E8, gearbox 7E9, ABS 77D) decoded from its signalset
for tp in user kernel; do
    "$OBDGW" sim --can "$IF" --scenario "$SC/default.ini" --ecu-delay 2 2>/tmp/sim.err & SP=$!
    sleep 0.3
    "$OBDGW" live --adapter "can:$IF,tp=$tp" --signals dtc-db/signals/faw-vw-sagitar-2019-2024.json --count 20 --json \
        > /tmp/sig.json 2>/tmp/sig.err; rc=$?
    kill $SP; wait $SP 2>/dev/null
    n=$(grep -c '"signal":' /tmp/sig.json); m=$(grep -c '"ecu":"77D"' /tmp/sig.json)
    if [ $rc -eq 0 ] && [ "$n" -ge 20 ] && grep -q '"SAGITAR_ENG_OIL_TEMP"' /tmp/sig.json && [ "$m" -ge 1 ]; then
        ok "cli_live_signals_$tp"
    else
        bad "cli_live_signals_$tp" "rc $rc, $n values, $m from 77D: $(head -c 300 /tmp/sig.err)"
    fi
done
# busy (0x21) is repeated; a security refusal is reported as such, never as "no codes"
uds_fault() { # name fault grep-pattern
    "$OBDGW" sim --can "$IF" --scenario "$SC/default.ini" --fault "$2" 2>/dev/null & SP=$!
    sleep 0.3
    "$OBDGW" --json uds-scan --adapter "can:$IF" > /tmp/uds2.json 2>/tmp/uds2.err; rc=$?
    kill $SP; wait $SP 2>/dev/null
    if [ $rc -eq 0 ] && grep -q "$3" /tmp/uds2.json; then ok "$1"; else bad "$1" "rc $rc $(cat /tmp/uds2.err) $(tr -d '\n\t' < /tmp/uds2.json | head -c 600)"; fi
}
uds_fault cli_uds_busy_retried busy=1@77D '"C0035-11"'
uds_fault cli_uds_deny_needs_auth deny@77D '"needs_oem_authorisation"'
uds_fault cli_uds_pending_storm pending=6@77D '"C0035-11"'

# the guarded UDS clear over CAN: pre-repair UDS scan stored, clear --uds, every module's answer recorded
uds_clear() { # name want-rc pattern-in-clear-output pattern-in-after-scan [sim options...]
    name=$1; want=$2; pout=$3; pafter=$4; shift 4
    st=/tmp/udsclear-$name.db
    "$OBDGW" sim --can "$IF" --scenario "$SC/default.ini" "$@" 2>/dev/null & SP=$!
    sleep 0.3
    "$OBDGW" wo add RO-C --vin LFV2A21K6M3012345 --store "$st" >/dev/null
    "$OBDGW" uds-scan --adapter "can:$IF" --ro RO-C --stage pre --store "$st" >/dev/null 2>/tmp/udsc.err
    "$OBDGW" clear --adapter "can:$IF" --ro RO-C --uds --yes --store "$st" > /tmp/udsc.out 2>>/tmp/udsc.err; rc=$?
    "$OBDGW" uds-scan --adapter "can:$IF" --no-range --pair 713:77D --no-store > /tmp/udsc.after 2>>/tmp/udsc.err
    "$OBDGW" wo show RO-C --json --store "$st" > /tmp/udsc.wo 2>>/tmp/udsc.err
    kill $SP; wait $SP 2>/dev/null
    if [ $rc -eq "$want" ] && grep -q "$pout" /tmp/udsc.out && grep -q "$pafter" /tmp/udsc.after &&
        grep -q '"kind":.*"uds"' /tmp/udsc.wo; then
        ok "$name"
    else
        bad "$name" "rc $rc: $(cat /tmp/udsc.err) $(cat /tmp/udsc.out) $(head -c 300 /tmp/udsc.after)"
    fi
}
uds_clear cli_uds_clear_can 0 "713/77D  ABS / brakes · cleared" "C0035-11  status 50"
uds_clear cli_uds_clear_can_deny 1 "713/77D  ABS / brakes · needs OEM authorisation (NOT cleared) (NRC 33" \
    "needs OEM authorisation" --fault deny@77D
# the 30-module car through the CLI: the scenario's 5 ms response time, 27 modules answer,
# the secure gateway 77A needs OEM authorisation, the fitted-but-silent 7B6 is listed silent
"$OBDGW" sim --can "$IF" --scenario "$SC/magotan-30.ini" 2>/dev/null & SP=$!
sleep 0.3
"$OBDGW" --json uds-scan --adapter "can:$IF" --no-store > /tmp/uds30.json 2>/tmp/uds30.err; rc=$?
kill $SP; wait $SP 2>/dev/null
one=$(tr -d ' \t\n' < /tmp/uds30.json)
if [ $rc -eq 0 ] && echo "$one" | grep -q '"answered":27,' &&
    echo "$one" | grep -q '"response_id":"77A","state":"needs_oem_authorisation"' && echo "$one" | grep -q '"74C/7B6"'; then
    ok cli_uds_scan30
else
    bad cli_uds_scan30 "rc $rc $(head -c 300 /tmp/uds30.err) $(echo "$one" | head -c 300)"
fi

"$OBDGW" --json scan --adapter "can:$IF" --no-store > /tmp/none.json 2>/tmp/none.err; rc=$?
if [ $rc -ne 0 ] && grep -q 'no ECU answered' /tmp/none.err; then ok cli_scan_no_vehicle; else bad cli_scan_no_vehicle "rc $rc $(cat /tmp/none.err)"; fi
echo "CANTEST RESULT pass=$pass fail=$fail"
[ "$fail" -eq 0 ]
