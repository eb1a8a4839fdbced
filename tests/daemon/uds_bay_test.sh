#!/bin/sh
# UDS through the bay service: `obdgw uds-scan --bay N` and the guarded
# `obdgw clear --bay N --uds` run by obdgwd on the bay's adapter (simulated
# cars), saved in its store with their DMS messages in the same transaction
# (uds_scan, and a finding per additional item), and every refusal of the
# gate. No broker: the messages stay in the outbox, where they are counted.
# Usage: tests/daemon/uds_bay_test.sh BUILD_DIR
B=${1:-build}
OBDGW=$(cd "$B" && pwd)/obdgw
OBDGWD=$(cd "$B" && pwd)/obdgwd
T=$(mktemp -d)
VIN=LFV2A21K6M3012345
OTHER=LGWEF6A56LH012345
PAIRS="--no-range --pair 713:77D --pair 7E0:7E8"
pass=0; fail=0
DPID=
cleanup() { [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT INT TERM

check() { # name, expected exit, grep pattern (or -), command...
    name=$1; want=$2; pat=$3; shift 3
    out=$(timeout 60 "$@" 2>&1); rc=$?
    out=$(printf '%s\n' "$out" | tr '\t' ' ')
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | tail -8; fail=$((fail + 1)); return
    fi
    if [ "$pat" != "-" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; echo "$out" | tail -8; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# outbox: how many queued messages of a schema (and matching a pattern)
outbox() { # SCHEMA [PATTERN]
    /usr/bin/python3 -I - "$T/obdgw.db" "$1" "${2:-}" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n = 0
for (p,) in db.execute("SELECT payload FROM outbox"):
    p = p.decode("utf-8") if isinstance(p, bytes) else p
    n += ('"schema":"%s"' % sys.argv[2]) in p and sys.argv[3] in p
print(n)
PY
}
expect_outbox() { # name, want, schema, [pattern]
    got=$(outbox "$3" "${4:-}")
    if [ "$got" != "$2" ]; then echo "FAIL $1: $got $3 message(s) queued, want $2"; fail=$((fail + 1)); return; fi
    pass=$((pass + 1))
}

cat >"$T/obdgw.conf" <<CONF
[gateway]
site = ws01
store = $T/obdgw.db
socket = $T/obdgwd.sock
reports = $T
log_level = info
[bay 1]
adapter = sim:tests/scenarios/sagitar-reception.ini
[bay 2]
adapter = sim:tests/scenarios/uds-running.ini
[bay 3]
adapter = sim:tests/scenarios/toyota-can29.ini
CONF
"$OBDGWD" --config "$T/obdgw.conf" >"$T/obdgwd.log" 2>&1 &
DPID=$!
i=0; while [ $i -lt 100 ] && [ ! -S "$T/obdgwd.sock" ]; do sleep 0.05; i=$((i + 1)); done
export OBDGW_SOCKET="$T/obdgwd.sock" OBDGW_STORE="$T/obdgw.db"

check wo_add 0 "RO-U" "$OBDGW" wo add RO-U --vin $VIN --complaint-codes "P0301"
check wo_add_other 0 "RO-X" "$OBDGW" wo add RO-X --vin $OTHER
check wo_add_run 0 "RO-R" "$OBDGW" wo add RO-R --vin $VIN

# ---- the gate: no pre-repair UDS scan yet, no --yes, no RO ----
check clear_no_pre 5 "no pre-repair UDS scan" "$OBDGW" clear --bay 1 --ro RO-U --uds --yes
check clear_no_yes 2 "confirm with --yes" "$OBDGW" clear --bay 1 --ro RO-U --uds
check clear_no_ro 2 "give --ro" "$OBDGW" clear --bay 1 --uds --yes
expect_outbox gate_sends_nothing 0 obdgw.dms.uds_scan

# ---- uds-scan --bay: saved to the RO, its message and its findings queued ----
check scan_pre 0 "UDS scan #1 saved to RO RO-U · stage pre · 2 / 2 module(s) answered.*2 additional item(s) proposed" \
    "$OBDGW" uds-scan --bay 1 $PAIRS --ro RO-U --stage pre --tech "Li Wei"
check scan_pre_stored 0 "Li Wei · 2/2 modules answered, 2 DTCs (2 confirmed)" "$OBDGW" wo show RO-U
expect_outbox scan_pre_msg 1 obdgw.dms.uds_scan '"uds_scan_id":1,'
expect_outbox scan_pre_findings 2 obdgw.dms.finding '"source":"uds"'
expect_outbox scan_pre_finding_c0035 1 obdgw.dms.finding '"code":"C0035"'
# the CLI's scan options: snapshots and extended data read, the mask applied
# (08: confirmed only; both of the ABS codes are confirmed), extended session
check scan_options 0 "2 DTC(s), 2 confirmed" "$OBDGW" uds-scan --bay 1 $PAIRS --mask 08 --snapshots --extdata --session extended
expect_outbox scan_options_records 1 obdgw.dms.uds_scan '"kind":"extended_data"'
check scan_mask_filters 0 "0 DTC(s), 0 confirmed" "$OBDGW" uds-scan --bay 1 $PAIRS --mask 40
# the whole 11-bit range by default; JSON for scripts
check scan_range 0 '"probed":[[:space:]]*360' "$OBDGW" uds-scan --bay 1 --json
check scan_adhoc_unassigned 0 "stage adhoc" "$OBDGW" uds-scan --bay 1 $PAIRS
# never on another VIN's RO: refused, nothing saved, nothing sent
check scan_other_vin 5 "VIN does not match RO RO-X" "$OBDGW" uds-scan --bay 1 $PAIRS --ro RO-X --stage pre
check scan_other_vin_kept 0 '"uds_scans": \[\]' "$OBDGW" wo show RO-X --json
check scan_unknown_ro 3 "RO-404" "$OBDGW" uds-scan --bay 1 $PAIRS --ro RO-404
expect_outbox scans_sent 5 obdgw.dms.uds_scan
# bad requests
check bad_pair 2 "expected TX:RX" "$OBDGW" uds-scan --bay 1 --pair 7zz
check bad_bay 3 "no bay 9" "$OBDGW" uds-scan --bay 9
check uds_on_scan 2 "--uds goes with clear only" "$OBDGW" scan --bay 1 --uds
check module_without_uds 2 "--module goes with clear --uds" "$OBDGW" clear --bay 1 --ro RO-U --module 713 --yes
check pair_on_clear 2 "--pair/--no-range/--29/--mask.* go with uds-scan" "$OBDGW" clear --bay 1 --ro RO-U --uds --no-range --yes
check mask_on_scan 2 "go with uds-scan only" "$OBDGW" scan --bay 1 --mask 08
check bad_mask 2 "expected a status mask" "$OBDGW" uds-scan --bay 1 --mask 0
check bad_session 2 "expected extended, default" "$OBDGW" uds-scan --bay 1 --session long

# ---- the guarded clear through the bay ----
# engine running (bay 2's car idles): refused before anything is asked
check run_pre 0 "saved to RO RO-R" "$OBDGW" uds-scan --bay 2 $PAIRS --ro RO-R --stage pre
check clear_running 5 "engine is running" "$OBDGW" clear --bay 2 --ro RO-R --uds --yes
check clear_unknown_module 3 "module 7A0 did not answer" "$OBDGW" clear --bay 1 --ro RO-U --uds --module 7A0 --yes
check clear_one 0 "713/77D  ABS / brakes · cleared" \
    "$OBDGW" clear --bay 1 --ro RO-U --uds --module 713 --yes --tech "Li Wei" --reason "sensor replaced"
check clear_all 0 '"cleared":[[:space:]]*true' "$OBDGW" clear --bay 1 --ro RO-U --uds --yes --json
check clear_recorded 0 '"kind": "uds"' "$OBDGW" wo show RO-U --json
check clear_listed 0 "sensor replaced" "$OBDGW" wo show RO-U
check clear_after 0 "2 DTC(s), 0 confirmed" "$OBDGW" uds-scan --bay 1 $PAIRS
# every UDS scan saved was sent: 5 above, RO-R's, the pre-clear scan of the
# refused one-module clear, pre- and post-clear of the two clears, the last
expect_outbox all_scans_sent 12 obdgw.dms.uds_scan
# the freeze data a clear destroys went to the DMS first: the snapshot of the
# failing ABS code in --snapshots' scan and in the two pre-clear scans taken
# before 713 was cleared (after it, the module has none)
expect_outbox snapshots_sent 3 obdgw.dms.uds_scan '"kind":"snapshot","raw":"0103F4A60002CC68'

# replies in the asking CLI's language
check zh_scan 0 "UDS 扫描 #[0-9]* 已保存，工单 RO-U · 阶段 diag" "$OBDGW" --lang zh uds-scan --bay 1 $PAIRS --ro RO-U
check zh_no_yes 2 "用 --yes 确认" "$OBDGW" --lang zh clear --bay 1 --ro RO-U --uds
check zh_running 5 "发动机正在运转" "$OBDGW" --lang zh clear --bay 2 --ro RO-R --uds --yes
check zh_no_bay 3 "没有工位 9" "$OBDGW" --lang zh uds-scan --bay 9
check zh_obd_scan 0 "扫描 #[0-9]* 已保存，工单 RO-U" "$OBDGW" --lang zh scan --bay 1 --ro RO-U
check en_still 0 "scan #[0-9]* saved to RO RO-U" "$OBDGW" scan --bay 1 --ro RO-U
# --29 through the bay: only the listed 18DAxxF1 addresses are probed (two
# of the car's three modules and one that is not there; "all": every xx but
# F1, the tester); a bad list is refused
check scan_29_list 0 "2 / 3 module(s) answered" "$OBDGW" uds-scan --bay 3 --no-range --29 10,1d,33
check scan_29_all 0 "3 / 255 module(s) answered" "$OBDGW" uds-scan --bay 3 --no-range --29 all
# the same list on bay 1's ELM327 (11-bit protocol): it cannot send 29-bit
# ids, so they are left out and said so - not probed, not "silent" (10, 1d
# and 33: the --pair for 10 is the same id as the list's, counted once)
check scan_29_elm11 0 "1 / 1 module(s) answered.*3 29-bit id(s) not probed" \
    "$OBDGW" uds-scan --bay 1 --no-range --pair 713:77D --29 10,1d --pair 18DA10F1:18DAF110 --pair 18DA33F1:18DAF133
check bad_29 2 "expected all or hex bytes" "$OBDGW" uds-scan --bay 3 --29 10,,11
check bad_29_zh 2 "应为 all 或十六进制字节" "$OBDGW" --lang zh uds-scan --bay 3 --29 1x
check audit_chain 0 - "$OBDGW" audit verify
check bay_idle 0 "idle" "$OBDGW" status

echo "uds_bay_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
