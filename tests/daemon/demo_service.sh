#!/bin/sh
# The bay service part of `make demo`: a local mosquitto (passwords + ACL,
# loopback, random port), obdgwd with two bays on simulated cars, and a DMS
# stand-in (mosquitto_pub / mosquitto_sub) that sends the repair order and
# prints what the gateway tells it. The story: RO arrives -> pre-repair scan
# on bay 1, attached by VIN -> additional finding proposed -> every module
# (UDS) scanned, its codes proposed too, the customer's decisions -> guarded
# clears (OBD and UDS) -> post-repair scans -> QC verdict and sign-off ->
# report paths.
# Usage: sh tests/daemon/demo_service.sh OBDGW OBDGWD OUTDIR
set -eu
OBDGW=$1; OBDGWD=$2; OUT=$3
SCEN=$(pwd)/tests/scenarios
. "$(dirname "$0")/lib.sh"
mkdir -p "$OUT"
PORT=$(pick_port)
say() { printf '\n\033[1m-- %s\033[0m\n' "$*"; }
run() { printf '\n$ obdgw %s\n' "$*"; "$OBDGW" "$@"; }
cleanup() { daemon_stop "$OUT"; dms_sub_stop "$OUT"; broker_stop "$OUT"; }
trap cleanup EXIT INT TERM
export OBDGW_SOCKET="$OUT/obdgwd.sock" OBDGW_STORE="$OUT/obdgw.db"

say "S1. The workshop computer: mosquitto on 127.0.0.1:$PORT, obdgwd with 2 bays (simulated cars)"
broker_conf "$OUT" "$PORT" ""
broker_start "$OUT" "$PORT"
daemon_conf "$OUT" "$PORT" "" 0
{ echo "[bay 1]"; echo "adapter = sim:$SCEN/sagitar-reception.ini,delay=2"
  echo "[bay 2]"; echo "adapter = sim:$SCEN/toyota-can29.ini,delay=2"; } >>"$OUT/obdgw.conf"
daemon_start "$OUT" "$OBDGWD"
# The DMS stand-in prints one line per message it receives.
: >"$OUT/dms.log"
dms_sub_start "$OUT" "$PORT" "" "$OUT/dms.log"
summary() {
    python3 -c '
import json, sys
for line in sys.stdin:
    topic, _, body = line.rstrip("\n").partition(" ")
    try: j = json.loads(body)
    except Exception: print("   DMS <-", topic, body[:80]); continue
    keys = [k for k in ("ro", "bay", "stage", "scan_id", "uds_scan_id", "code", "source", "verdict", "state", "reason") if k in j]
    extra = " ".join("%s=%s" % (k, j[k]) for k in keys)
    if "description" in j: extra += " (%s)" % j["description"].get("en", "")
    if "documents" in j: extra += " documents=%d (reference: path + sha256)" % len(j["documents"])
    print("   DMS <- %-28s %s msg_id=%s %s" % (topic, j.get("schema", ""), j.get("msg_id", ""), extra))
' 2>/dev/null || cut -c1-160
}
seen=0
show_dms() { sleep "${1:-0.6}"; n=$(wc -l <"$OUT/dms.log"); tail -n +$((seen + 1)) "$OUT/dms.log" | summary; seen=$n; }
run status
show_dms 0.3

RO=RO-2026-0101
say "S2. The DMS opens the repair order (MQTT dms/v1/ws01/wo; no VIN in the topic)"
# shellcheck disable=SC2046
mosquitto_pub $(dms_opts "$OUT" "$PORT" "") -q 1 -t dms/v1/ws01/wo -m \
  '{"schema":"dms.wo","schema_version":1,"msg_id":"dms-wo-0101-open","action":"open","ro":"'$RO'","vin":"LFV2A21K6M3012345","plate":"京A·D1234","mileage_km":18340,"complaint":"engine shakes at idle","complaint_codes":"P0301 ignition","bay":"1"}'
sleep 0.4
grep -o "work order $RO applied.*" "$OUT/obdgwd.log" | sed 's/^/   obdgwd: /'

say "S3. Pre-repair scan on bay 1, attached to the RO by VIN; the DMS gets the scan and the additional item"
run scan --bay 1 --stage pre --tech "Li Wei"
show_dms

say "S3b. The car's other modules (UDS) on bay 1: the ABS module's codes become additional items too"
echo "   (this car's module list; without --pair the whole 11-bit range is probed: ~36 s over an ELM327,"
echo "    ~1.3 s for 30 modules over a CAN interface, which asks them concurrently)"
run uds-scan --bay 1 --stage pre --tech "Li Wei" --no-range --pair 713:77D --pair 7E0:7E8 --pair 7E1:7E9
show_dms
run wo finding $RO C0035 approve --by "advisor Wang" --note "customer agreed by phone" --daemon
run wo finding $RO C0040 decline --by "advisor Wang" --note "next visit" --daemon

say "S4. Bay 2 serves another car (its own adapter and worker: a dead adapter on one bay never stalls another)"
run scan --bay 2
show_dms

say "S5. After the repair: the guarded clears on bay 1, OBD and UDS (pre-clear scans saved and sent first, audit entries)"
run clear --bay 1 --ro $RO --yes --tech "Li Wei" --reason "plug + coil cyl 1, speed sensor replaced"
run clear --bay 1 --ro $RO --uds --yes --tech "Li Wei" --reason "front right wheel speed sensor replaced"
show_dms

say "S6. Post-repair scans (OBD and UDS), then the QC verdict and sign-off (reports rendered, sent as references)"
run scan --bay 1 --ro $RO --stage post --tech "Li Wei"
run uds-scan --bay 1 --ro $RO --stage post --tech "Li Wei" --no-range --pair 713:77D --pair 7E0:7E8 --pair 7E1:7E9
run qc $RO --sign "QC Zhang" --daemon
show_dms 1.0

say "S7. The gateway after the story"
run status
echo
echo "   DMS stand-in log: $OUT/dms.log   obdgwd log: $OUT/obdgwd.log"
ls "$OUT/reports" | sed "s|^|   report: $OUT/reports/|"
