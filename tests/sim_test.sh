#!/bin/sh
# Integration: the CLI against the simulator over a real pty, for every
# adapter personality and the shipped scenarios — the way a technician runs
# it against a car. Usage: tests/sim_test.sh BUILD_DIR
B=${1:-build}
OBDGW="$B/obdgw"
T=$(mktemp -d)
export OBDGW_STORE="$T/store.db" # every scan is saved: keep them in the test's own store
pass=0; fail=0
SIMPID=
cleanup() { [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

check() { # name, expected exit, grep pattern (or -), command...
    name=$1; want=$2; pat=$3; shift 3
    out=$(timeout 60 "$@" 2>&1); rc=$?
    out=$(printf '%s\n' "$out" | tr '\t' ' ') # cJSON indents and separates with tabs
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | tail -8; fail=$((fail + 1)); return
    fi
    if [ "$pat" != "-" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; echo "$out" | tail -8; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}

# Start `obdgw sim --pty` with the given options; sets PTY to its slave path.
start_sim() {
    [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null && wait "$SIMPID" 2>/dev/null
    rm -f "$T/sim.out"
    "$OBDGW" sim --pty "$@" >"$T/sim.out" 2>"$T/sim.err" &
    SIMPID=$!
    i=0
    while [ $i -lt 100 ]; do
        PTY=$(head -n 1 "$T/sim.out" 2>/dev/null)
        case "$PTY" in /dev/*) return 0 ;; esac
        sleep 0.05; i=$((i + 1))
    done
    echo "FAIL sim did not start: $(cat "$T/sim.err")"; fail=$((fail + 1)); PTY=/nonexistent
}

# Every personality: a full scan over a real pty finds the VIN and P0301.
for p in elm327-v1.5 elm327-v2.1 stn clone-echo clone-basic clone-slow clone-buffer clone-garbage clone-hang clone-nomulti; do
    start_sim --personality "$p"
    check "scan_pty_$p" 0 "LFV2A21K6M3012345" "$OBDGW" scan --adapter "$PTY"
    check "scan_pty_json_$p" 0 '"code": "P0301"' "$OBDGW" scan --adapter "$PTY" --json
done

# The OBD-on-UDS (SAE J1979-2) car over a real pty: the same scan through 22/19.
for p in elm327-v1.5 stn clone-basic clone-hang; do
    start_sim --personality "$p" --scenario tests/scenarios/obdonuds.ini
    check "scan_onuds_pty_$p" 0 '"obd_protocol": "obd_on_uds"' "$OBDGW" scan --adapter "$PTY" --json
    check "scan_onuds_pty_dtc_$p" 0 'P0137' "$OBDGW" scan --adapter "$PTY"
done

# Live data over the pty, multi-PID and with a clone that only answers the first PID.
start_sim --personality stn
check live_pty 0 "rpm" "$OBDGW" live --adapter "$PTY" --pid rpm,speed,coolant --count 12
check live_pty_json 0 '"key":"rpm"' "$OBDGW" live --adapter "$PTY" --pid rpm,speed --count 4 --json
start_sim --personality clone-nomulti
check live_nomulti 0 "single-PID" "$OBDGW" live --adapter "$PTY" --pid rpm,speed,coolant --count 12

# In-process simulator specs and the shipped scenarios.
check scan_sim_zh 0 "第1缸" "$OBDGW" --lang zh scan --adapter sim
check scan_can29 0 "18DAF1" "$OBDGW" scan --adapter sim:tests/scenarios/toyota-can29.ini --json
check scan_legacy 0 "ISO 9141" "$OBDGW" scan --adapter sim:tests/scenarios/legacy-iso9141.ini
check scan_legacy_no0a 0 '"permanent": "not_supported"\|"permanent": "no_answer"' \
    "$OBDGW" scan --adapter sim:tests/scenarios/legacy-iso9141.ini --json
check scan_clean 0 '"stored": 0' "$OBDGW" scan --adapter sim:tests/scenarios/clean.ini --json
# Adapters that refuse options, misread the count digit or report protocol 0
# ([adapter] faults, #18): the car's three lists are still read.
for a in count-misread count-refuse headers-off proto0 refuse-atsh; do
    check "adapter_$a" 0 '"code": "P0301"' "$OBDGW" scan --adapter "sim:tests/scenarios/adapter-$a.ini" --json --no-store
done
check adapter_misread_pending 0 "P0300" "$OBDGW" scan --adapter sim:tests/scenarios/adapter-count-misread.ini --no-store
check adapter_refuse_0a 0 "permanent  (the adapter refused the request ('?'): no ECU was asked)" \
    "$OBDGW" scan --adapter sim:tests/scenarios/adapter-refuse-0a.ini --no-store
check adapter_refuse_0a_zh 0 "适配器拒绝了该请求" \
    "$OBDGW" --lang zh scan --adapter sim:tests/scenarios/adapter-refuse-0a.ini --no-store
check adapter_spec_key 0 "refused the request" "$OBDGW" scan --adapter "sim:,refuse_service=0A" --no-store
check adapter_spec_bad 1 "count_digit: .sometimes. is not ok, refuse or misread" "$OBDGW" scan --adapter "sim:,count_digit=sometimes" --no-store
# An ECU that answers 7F 03 78 without end (1000 times, 20 s): bounded
# (40 pendings), named, and the rest of the scan goes on; a few 78s before
# the answer are not the answer.
check pending_forever 0 "stored     (response pending (7F 03 78), no final answer)" \
    "$OBDGW" scan --adapter sim:tests/scenarios/response-pending-forever.ini --no-store
check pending_then_answer 0 "stored     P0301" \
    "$OBDGW" scan --adapter sim:tests/scenarios/response-pending.ini --no-store
# J1850 VPW ECU answering only when addressed physically (header 6C 10 F1):
# the VIN and every stored code are read, and the retry is named.
check legacy_physical 0 "P0505" "$OBDGW" scan --adapter sim:tests/scenarios/legacy-vpw-physical.ini --no-store
check legacy_physical_vin 0 '"vin_source": "mode09"' \
    "$OBDGW" scan --adapter sim:tests/scenarios/legacy-vpw-physical.ini --no-store --json
check legacy_physical_named 0 "answered only when addressed physically: 03 07 09" \
    "$OBDGW" scan --adapter sim:tests/scenarios/legacy-vpw-physical.ini --no-store
check legacy_kwp_physical 0 "P0505" "$OBDGW" scan --adapter sim:tests/scenarios/legacy-kwp-physical.ini --no-store
# The physical retry is named only where it happened: per ECU on the
# physical-only car, never on the default car (its data PIDs go per ECU anyway).
check physical_named 0 "answered only when addressed physically: 03 07 0A" \
    "$OBDGW" scan --adapter sim:tests/scenarios/physical-only.ini --no-store
if "$OBDGW" scan --adapter sim --no-store 2>&1 | grep -q "addressed physically"; then
    echo "FAIL physical_not_named: the default car is said to answer only physically"; fail=$((fail + 1))
else
    pass=$((pass + 1))
fi
check scan_bad_scenario 1 "scenario" "$OBDGW" scan --adapter sim:/nonexistent.ini
check scan_no_adapter 1 "no adapter" env -u OBDGW_ADAPTER "$OBDGW" scan
check scan_missing_dev 1 "No such file" "$OBDGW" scan --adapter /dev/nonexistent-obd

# The workshop flow against the evidence store: ROs, gated clear, findings, audit.
VIN=LFV2A21K6M3012345
check clear_no_ro 2 "--ro" "$OBDGW" clear --adapter sim --yes
check wo_add 0 "RO-1" "$OBDGW" wo add RO-1 --vin $VIN --plate "京A12345" --complaint "engine shakes at idle" \
    --complaint-codes "P0301"
check wo_add_dup 2 "RO-1" "$OBDGW" wo add RO-1 --vin $VIN
check wo_add_badvin 2 "VIN" "$OBDGW" wo add RO-9 --vin NOTAVIN
check clear_no_pre 5 "pre-repair" "$OBDGW" clear --adapter sim --ro RO-1 --yes
check scan_pre 0 "RO-1" "$OBDGW" scan --adapter sim --ro RO-1 --stage pre
check scan_auto_attach 0 '"ro": "RO-1"' "$OBDGW" scan --adapter sim --stage diag --json
check scan_vin_mismatch 5 "VIN" "$OBDGW" scan --adapter sim:tests/scenarios/diesel.ini --ro RO-1 --stage pre
check scan_unassigned 0 "not attached" "$OBDGW" scan --adapter sim:tests/scenarios/toyota-can29.ini
check clear_unknown_ro 3 "RO-404" "$OBDGW" clear --adapter sim --ro RO-404 --yes
# RO-2: the diesel car, no VIN given (it adopts the scan's), nothing tied to the complaint.
check wo_add2 0 "RO-2" "$OBDGW" wo add RO-2 --complaint "oil service"
check scan_pre2 0 "RO-2" "$OBDGW" scan --adapter sim:tests/scenarios/diesel.ini --ro RO-2 --stage pre
check clear_running 5 "engine is running" "$OBDGW" clear --adapter sim:tests/scenarios/diesel.ini --ro RO-2 --yes
check clear_refused 1 "NRC 0x22" "$OBDGW" clear --adapter sim:tests/scenarios/diesel.ini --ro RO-2 --yes --force
check finding_proposed 0 "consent" "$OBDGW" wo show RO-2
check clear_unconfirmed 1 "not confirmed" sh -c "echo no | '$OBDGW' clear --adapter sim --ro RO-1"
check clear_ok 0 "1 permanent" "$OBDGW" clear --adapter sim --ro RO-1 --yes --save "$T/pre2.json" --tech "Li Wei"
check clear_evidence 0 "P0301" grep -h P0301 "$T/pre2.json"
check wo_show 0 "Li Wei" "$OBDGW" wo show RO-1
check wo_show_json 0 '"stage": "pre"' "$OBDGW" wo show RO-1 --json
check wo_list 0 "RO-2" "$OBDGW" wo list
check audit_ok 0 "intact" "$OBDGW" audit verify
check wo_close 0 "closed" "$OBDGW" wo close RO-1
check clear_closed 5 "closed" "$OBDGW" clear --adapter sim --ro RO-1 --yes
check scan_closed 5 "closed" "$OBDGW" scan --adapter sim --ro RO-1 --stage post
if [ "$(id -u)" -ne 0 ]; then # root writes through file modes
    check store_readonly 1 "NOT saved" sh -c "chmod 0444 '$T/store.db'; '$OBDGW' scan --adapter sim --store '$T/store.db'; rc=\$?; chmod 0644 '$T/store.db'; exit \$rc"
fi
# UDS full-system scan over an ELM327 (#16): the same 27 modules as over CAN,
# one probe per transmit id (the VW group's second response id 7xx+6A rides
# on the first probe), STPX on an STN, ATSH + count digit on an ELM327
M30=sim:tests/scenarios/magotan-30.ini
check uds_elm_stn_27 0 '"answered":[[:space:]]*27' "$OBDGW" uds-scan --adapter "$M30,personality=stn" --json --no-store
check uds_elm_v15_27 0 '"answered":[[:space:]]*27' "$OBDGW" uds-scan --adapter "$M30,personality=elm327-v1.5" --json --no-store
check uds_elm_clone_27 0 '"answered":[[:space:]]*27' "$OBDGW" uds-scan --adapter "$M30,personality=clone-basic" --json --no-store
check uds_elm_stn_one_probe_per_tx 0 "^232 232 0$" sh -c "'$OBDGW' uds-scan -v --adapter '$M30,personality=stn' --no-store 2>&1 >/dev/null |
    grep -o 'STPX h:[0-9A-F]*,d:3E00,' | sort | uniq -c | awk '{n++; t+=\$1; if (\$1 > 1) d++} END {print n, t, d+0}'"
check uds_elm_probe_timeout 0 "ATST0F" sh -c "'$OBDGW' uds-scan -v --probe-timeout 60 --adapter '$M30,personality=elm327-v1.5' --no-store 2>&1 >/dev/null | grep -m1 ATST0F"
check store_corrupt 1 "store" sh -c "head -c 8192 /dev/urandom > '$T/bad.db'; '$OBDGW' wo list --store '$T/bad.db'"
check store_corrupt_kept 0 "-" sh -c "test \$(stat -c %s '$T/bad.db') -eq 8192"

echo "sim_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
