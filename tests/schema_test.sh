#!/bin/sh
# Real output checked against the published JSON Schemas (docs/*.schema.json,
# docs/schemas/*.json) with Debian's python3-jsonschema:
#   - `obdgw scan --json` for every scenario in tests/scenarios (en, and zh
#     for one);
#   - the report JSON (diagnostic en/zh, QC) of an RO with OBD and UDS scans
#     before and after the repair and additional items from both, and
#     `obdgw qc --json`;
#   - the DMS messages obdgwd queues (scan, uds_scan, finding, qc, report,
#     health),
#     taken from its outbox: a daemon without a broker keeps them there;
#   - what only goes over MQTT (gateway and bay status, error events) through
#     a private mosquitto (tests/daemon/lib.sh), and the inbound work order;
#   - that the check can fail: the same documents with one required field
#     removed are refused.
# Usage: tests/schema_test.sh BUILD_DIR   (KEEP=1 keeps the temporary directory)
B=${1:-build}
OBDGW=$(cd "$B" && pwd)/obdgw
OBDGWD=$(cd "$B" && pwd)/obdgwd
# Debian's interpreter and package only (-I: no user site, no PYTHON* env):
# CI has nothing else.
PY=/usr/bin/python3
CHECK="$PY -I tests/schema_check.py"
if ! $PY -I -c 'import jsonschema' 2>/dev/null; then
    echo "schema_test: python3-jsonschema is missing (make deps)"; exit 1
fi
T=$(mktemp -d)
export OBDGW_STORE="$T/store.db"
unset OBDGW_SOCKET
VIN=LFV2A21K6M3012345
PAIRS="--no-range --pair 713:77D --pair 7E0:7E8"
pass=0; fail=0
DPID=
cleanup() { [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null; rm -rf "$T"; }
[ -n "${KEEP:-}" ] && cleanup() { echo "kept $T"; }
trap cleanup EXIT INT TERM

check() { # name, expected exit, command...
    name=$1; want=$2; shift 2
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | tail -12; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
refused() { # name, field, command...: exit 1 naming the missing field
    name=$1; field=$2; shift 2
    out=$("$@" 2>&1); rc=$?
    if [ "$rc" -ne 1 ] || ! printf '%s\n' "$out" | grep -q "'$field' is a required property"; then
        echo "FAIL $name: exit $rc, want 1 with '$field' missing"; echo "$out" | tail -12; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
run() { # name, output file, command... (the command must succeed)
    name=$1; f=$2; shift 2
    if ! "$@" >"$f" 2>"$f.err"; then
        echo "FAIL $name: $* failed"; tail -5 "$f.err"; fail=$((fail + 1)); return 1
    fi
}

# ---- obdgw scan --json: every scenario ----
for s in tests/scenarios/*.ini; do
    n=$(basename "$s" .ini)
    run "scan_$n" "$T/scan-$n.json" "$OBDGW" scan --adapter "sim:$s" --json --no-store &&
        check "scan_$n" 0 $CHECK docs/scan.schema.json "$T/scan-$n.json"
done
run scan_zh "$T/scan-zh.json" "$OBDGW" --lang zh scan --adapter sim:tests/scenarios/sagitar-reception.ini --json --no-store &&
    check scan_zh 0 $CHECK docs/scan.schema.json "$T/scan-zh.json"
# it can fail: a scan without its VIN, an ECU without its address
refused scan_no_vin vin $CHECK --drop vin docs/scan.schema.json "$T/scan-default.json"
refused scan_ecu_no_address address $CHECK --drop ecus/0/address docs/scan.schema.json "$T/scan-default.json"
# how it answered is part of the document: protocol kind, VIN source, per-ECU addressing and read details
refused scan_no_obd_protocol obd_protocol $CHECK --drop obd_protocol docs/scan.schema.json "$T/scan-default.json"
refused scan_no_vin_source vin_source $CHECK --drop vin_source docs/scan.schema.json "$T/scan-default.json"
refused scan_ecu_no_addressing addressing $CHECK --drop ecus/0/addressing docs/scan.schema.json "$T/scan-default.json"
refused scan_ecu_no_read_details dtc_read_details $CHECK --drop ecus/0/dtc_read_details docs/scan.schema.json "$T/scan-default.json"
refused scan_read_detail_no_state state $CHECK --drop ecus/0/dtc_read_details/stored/state docs/scan.schema.json "$T/scan-default.json"

# ---- reports and QC of an RO with OBD and UDS scans ----
RECEPTION=sim:tests/scenarios/sagitar-reception.ini
run wo_add "$T/wo" "$OBDGW" wo add RO-S --vin $VIN --complaint-codes "P0301"
run pre_obd "$T/pre" "$OBDGW" scan --adapter $RECEPTION --ro RO-S --stage pre
run pre_uds "$T/preu" "$OBDGW" uds-scan --adapter $RECEPTION $PAIRS --ro RO-S --stage pre --snapshots --extdata
run post_obd "$T/post" "$OBDGW" scan --adapter sim --ro RO-S --stage post
run post_uds "$T/postu" "$OBDGW" uds-scan --adapter sim $PAIRS --ro RO-S --stage post
run decide "$T/dec" "$OBDGW" wo finding RO-S C0040 decline --by "advisor Zhao" --note later
run report_diag "$T/rd.json" "$OBDGW" report RO-S --format json
run report_zh "$T/rz.json" "$OBDGW" --lang zh report RO-S --format json
run report_qc "$T/rq.json" "$OBDGW" report RO-S --kind qc --format json
run qc_json "$T/qc.json" "$OBDGW" qc RO-S --json
# the documents hold what is checked: UDS scans, modules, UDS findings, the QC comparison
check report_has_uds 0 grep -q '"source":[[:space:]]*"uds"' "$T/rd.json"
check report_has_modules 0 grep -q '"uds_scan_id"' "$T/rd.json"
# the freeze data comes from the pre-repair scan (the post-repair one read none), decoded
check report_has_records 0 $PY -I -c 'import json,sys; u=json.load(open(sys.argv[1]))["uds_records"]; v=[x for r in u["records"] for x in r.get("values",[])]; sys.exit(0 if u["stage"]=="pre" and {"did":"F40C","name":"发动机转速","value":"800 rpm","record":1} in v else 1)' "$T/rz.json"
check report_qc_has_uds 0 grep -q '"has_post_scan":[[:space:]]*true' "$T/rq.json"
check report_diag 0 $CHECK docs/report.schema.json "$T/rd.json"
check report_zh 0 $CHECK docs/report.schema.json "$T/rz.json"
check report_qc 0 $CHECK docs/report.schema.json "$T/rq.json"
check qc_json 0 $CHECK 'docs/report.schema.json#/$defs/qc_result' "$T/qc.json"
refused report_no_finding_source source $CHECK --drop findings/0/source docs/report.schema.json "$T/rd.json"
refused report_no_modules modules $CHECK --drop modules docs/report.schema.json "$T/rd.json"
refused report_qc_no_post_id post_scan_id $CHECK --drop qc/post_scan_id docs/report.schema.json "$T/rq.json"
refused qc_json_no_verdict verdict $CHECK --drop verdict 'docs/report.schema.json#/$defs/qc_result' "$T/qc.json"

# ---- DMS messages as obdgwd builds them (its outbox; no broker configured) ----
mkdir -p "$T/d/reports"
cat >"$T/d/obdgw.conf" <<EOF
[gateway]
site = ws01
store = $T/d/obdgw.db
socket = $T/d/obdgwd.sock
reports = $T/d/reports
log_level = warn
health_interval = 1
[bay 1]
adapter = $RECEPTION
EOF
"$OBDGWD" --config "$T/d/obdgw.conf" >"$T/d/obdgwd.log" 2>&1 &
DPID=$!
i=0; while [ $i -lt 100 ] && [ ! -S "$T/d/obdgwd.sock" ]; do sleep 0.05; i=$((i + 1)); done
export OBDGW_SOCKET="$T/d/obdgwd.sock"
OBDGW_STORE="$T/d/obdgw.db" run d_wo "$T/d/wo" "$OBDGW" wo add RO-D --vin $VIN --complaint-codes "P0301"
run d_pre "$T/d/pre" "$OBDGW" scan --bay 1 --ro RO-D --stage pre --tech "Li Wei"
run d_pre_uds "$T/d/preu" "$OBDGW" uds-scan --bay 1 $PAIRS --ro RO-D --stage pre --tech "Li Wei"
run d_clear_uds "$T/d/clru" "$OBDGW" clear --bay 1 --ro RO-D --uds --yes --tech "Li Wei"
run d_post "$T/d/post" "$OBDGW" scan --bay 1 --ro RO-D --stage post --tech "Li Wei"
run d_qc "$T/d/qc" "$OBDGW" qc RO-D --sign "QC Zhang" --daemon
# one payload a line, in queue order
dump_outbox() {
    $PY -I - "$T/d/obdgw.db" >"$T/dms.jsonl" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (p,) in db.execute("SELECT payload FROM outbox ORDER BY id"):
    print(p.decode("utf-8") if isinstance(p, bytes) else p)
EOF
}
# the first health message comes 2 s after the start
i=0; while [ $i -lt 50 ]; do
    dump_outbox; grep -q '"obdgw.dms.health"' "$T/dms.jsonl" && break
    sleep 0.1; i=$((i + 1))
done
kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null; DPID=
unset OBDGW_SOCKET
dump_outbox
for kind in scan uds_scan finding qc report health; do
    check "dms_has_$kind" 0 grep -q "\"schema\":\"obdgw.dms.$kind\"" "$T/dms.jsonl"
done
check dms_messages 0 $CHECK --dms docs/schemas "$T/dms.jsonl"
refused dms_no_msg_id msg_id $CHECK --dms docs/schemas --drop msg_id "$T/dms.jsonl"
grep '"obdgw.dms.scan"' "$T/dms.jsonl" | head -n 1 >"$T/dms-scan.jsonl"
refused dms_scan_no_vin vin $CHECK --dms docs/schemas --drop scan/vin "$T/dms-scan.jsonl"
# the read states reach the DMS scan message
check dms_scan_read_state 0 grep -q '"dtc_read_details":{"stored":{"state":"' "$T/dms-scan.jsonl"
refused dms_scan_no_read_details dtc_read_details $CHECK --dms docs/schemas --drop scan/ecus/0/dtc_read_details "$T/dms-scan.jsonl"
check dms_uds_finding 0 grep -q '"obdgw.dms.finding".*"source":"uds"' "$T/dms.jsonl"
grep '"obdgw.dms.uds_scan"' "$T/dms.jsonl" | head -n 1 >"$T/dms-uds.jsonl"
refused dms_uds_no_state state $CHECK --dms docs/schemas --drop uds_scan/modules/0/state "$T/dms-uds.jsonl"
# the pre-clear scan read the freeze data: decoded values, checked by the schema
grep '"obdgw.dms.uds_scan".*"values":\[{"record":1,"did":"F4A6"' "$T/dms.jsonl" | head -n 1 >"$T/dms-udsv.jsonl"
check dms_uds_values 0 grep -q '"name":"Odometer","value":"18340 km"' "$T/dms-udsv.jsonl"
refused dms_uds_value_no_did did $CHECK --dms docs/schemas --drop uds_scan/modules/0/records/0/values/0/did "$T/dms-udsv.jsonl"

# ---- what only goes over MQTT: gateway and bay status, error events; the
# work order a DMS sends (as tests/daemon/dms_test.sh sends it) ----
WO='{"schema":"dms.wo","schema_version":1,"msg_id":"wo-s-1","action":"open","ro":"RO-M","vin":"'$VIN'","complaint":"MIL on","complaint_codes":"P0301"}'
printf '%s\n' "$WO" >"$T/wo.jsonl"
check dms_wo_in 0 $CHECK --dms docs/schemas "$T/wo.jsonl"
refused dms_wo_no_ro ro $CHECK --dms docs/schemas --drop ro "$T/wo.jsonl"
if command -v mosquitto >/dev/null 2>&1 && command -v mosquitto_sub >/dev/null 2>&1; then
    . tests/daemon/lib.sh
    M="$T/m"; mkdir -p "$M"
    PORT=$(pick_port)
    broker_conf "$M" "$PORT" ""
    if broker_start "$M" "$PORT"; then
        daemon_conf "$M" "$PORT" "" 1 "$RECEPTION"
        dms_sub_start "$M" "$PORT" "" "$M/sub.log"
        if daemon_start "$M" "$OBDGWD"; then
            # shellcheck disable=SC2046
            PUB="mosquitto_pub $(dms_opts "$M" "$PORT" "") -q 1 -t dms/v1/ws01/wo"
            # connected (and subscribed) once its online status is out
            i=0; while [ $i -lt 100 ] && ! grep -q '"online":true' "$M/sub.log" 2>/dev/null; do
                sleep 0.05; i=$((i + 1))
            done
            sleep 0.3
            $PUB -m "$WO"
            $PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-s-bad","action":"delete","ro":"RO-M"}'
            sleep 0.5
            OBDGW_SOCKET="$M/obdgwd.sock" run m_scan "$M/scan" "$OBDGW" scan --bay 1 --ro RO-M --stage pre
            # a bay left in state error is published on the next tick (a
            # scan's scanning -> idle is often over within one)
            OBDGW_SOCKET="$M/obdgwd.sock" "$OBDGW" scan --bay 1 --ro RO-NONE --stage pre >/dev/null 2>&1
            OBDGW_SOCKET="$M/obdgwd.sock" wait_drained "$OBDGW" "$M/obdgwd.sock" 20
            i=0; while [ $i -lt 40 ] && ! grep -q '"obdgw.dms.bay_status"' "$M/sub.log"; do
                sleep 0.05; i=$((i + 1))
            done
            sleep 0.5
        fi
        daemon_stop "$M"
        dms_sub_stop "$M"
        broker_stop "$M"
    fi
    # "topic payload" lines: the payloads
    sed 's/^[^ ]* //' "$M/sub.log" >"$T/mqtt.jsonl"
    check mqtt_wo_applied 0 grep -q '"ro":"RO-M"' "$T/mqtt.jsonl"
    for kind in gateway_status bay_status error scan; do
        check "mqtt_has_$kind" 0 grep -q "\"schema\":\"obdgw.dms.$kind\"" "$T/mqtt.jsonl"
    done
    check mqtt_messages 0 $CHECK --dms docs/schemas "$T/mqtt.jsonl"
    grep '"obdgw.dms.bay_status"' "$T/mqtt.jsonl" | head -n 1 >"$T/bay.jsonl"
    refused mqtt_bay_status_no_state state $CHECK --dms docs/schemas --drop state "$T/bay.jsonl"
    grep '"obdgw.dms.error"' "$T/mqtt.jsonl" | head -n 1 >"$T/err.jsonl"
    refused mqtt_error_no_reason reason $CHECK --dms docs/schemas --drop reason "$T/err.jsonl"
else
    echo "schema_test: mosquitto missing: status and error messages not checked"
fi

echo "schema_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
