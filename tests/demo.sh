#!/bin/sh
# make demo — the main job on built-in defaults: one car through the
# workshop, from the repair order to the QC sign-off, every step evidenced.
#
# The car and the adapter are obdgw's simulator: `obdgw sim --pty` serves a
# simulated STN/ELM327 on a pseudo-terminal exactly as a USB adapter appears
# on /dev/ttyUSB0 (the car keeps its state between commands, so a clear
# stays cleared); `--adapter sim:SCENARIO` runs one in-process. Scenario
# files are in tests/scenarios/ (format: docs/simulator.md). The evidence
# store and the reports go to a fresh directory (printed at the end).
set -eu
OBDGW=${1:-build/obdgw}
case "$OBDGW" in /*) ;; *) OBDGW=$(pwd)/$OBDGW ;; esac
SCEN=$(pwd)/tests/scenarios
OUT=${OBDGW_DEMO_DIR:-$(mktemp -d /tmp/obdgw-demo.XXXXXX)}
mkdir -p "$OUT"
export OBDGW_STORE="$OUT/obdgw.db"
rm -f "$OBDGW_STORE" "$OBDGW_STORE-wal" "$OBDGW_STORE-shm"
SIMPID=
cleanup() { [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
say() { printf '\n\033[1m-- %s\033[0m\n' "$*"; }
run() { printf '\n$ obdgw %s\n' "$*"; "$OBDGW" "$@"; }
RO=RO-2026-0001
VIN=LFV2A21K6M3012345

echo "== obdgw demo: a 2021 FAW-VW Sagitar comes in, shaking at idle =="

say "1. The service advisor opens the repair order (the DMS would send it)"
run wo add $RO --vin $VIN --plate "京A·D1234" --mileage 18340 --complaint "engine shakes at idle / 怠速抖动" \
    --complaint-codes "P0301 ignition" --bay 3 --tech "Li Wei"

say "2. The technician plugs the adapter in (here: the simulator on a pty)"
"$OBDGW" sim --pty --personality stn --baud 115200 --ecu-delay 10 \
    --scenario "$SCEN/sagitar-reception.ini" >"$OUT/sim.out" 2>"$OUT/sim.err" &
SIMPID=$!
i=0
PTY=
while [ $i -lt 100 ]; do
    PTY=$(head -n 1 "$OUT/sim.out" 2>/dev/null || true)
    case "$PTY" in /dev/*) break ;; esac
    sleep 0.05; i=$((i + 1))
done
case "$PTY" in /dev/*) ;; *) echo "simulator did not start: $(cat "$OUT/sim.err")" >&2; exit 1 ;; esac
echo "   adapter: $PTY (simulated STN, 115200 baud, 10 ms ECU delay)"

say "3. Reception (pre-repair) scan, saved to the RO"
run scan --adapter "$PTY" --ro $RO --stage pre --tech "Li Wei"

say "3b. UDS full-system scan: the modules the OBD view does not show (here the ABS module), saved to the RO"
run uds-scan --adapter "$PTY" --no-range --pair 7E0:7E8 --pair 7E1:7E9 --pair 713:77D --ro $RO --stage pre --tech "Li Wei"

say "4. The gearbox code is beyond the complaint: an additional item (增项) for the advisor to quote"
run --lang zh wo show $RO
run wo finding $RO P0715 approve --by "advisor Wang (customer agreed by phone)"

say "5. Diagnostic drive: live data recorded to the RO (engine running, 3 s)"
printf '\n$ obdgw live --adapter sim:tests/scenarios/sagitar-running.ini,delay=10 --pid rpm,speed,coolant,load,map --duration 3 --record --ro %s\n' $RO
"$OBDGW" live --adapter "sim:$SCEN/sagitar-running.ini,delay=10" --pid rpm,speed,coolant,load,map \
    --duration 3 --record --ro $RO >"$OUT/live.txt"
head -n 6 "$OUT/live.txt"; echo "   ..."

say "6. After the repair: clearing is refused while the engine runs, allowed with it off"
printf '\n$ obdgw clear --adapter sim:tests/scenarios/sagitar-running.ini --ro %s --yes\n' $RO
"$OBDGW" clear --adapter "sim:$SCEN/sagitar-running.ini" --ro $RO --yes 2>&1 || echo "   (exit $?: nothing was cleared)"
run clear --adapter "$PTY" --ro $RO --yes --tech "Li Wei" --reason "spark plug + coil cyl 1 replaced; speed sensor replaced"
run clear --adapter "$PTY" --ro $RO --uds --yes --tech "Li Wei" --reason "ABS wheel speed sensor wiring repaired"

say "7. Post-repair scan and the QC inspector's verdict"
run scan --adapter "$PTY" --ro $RO --stage post --tech "Li Wei" >/dev/null && echo "   (saved; output as in step 3)"
run uds-scan --adapter "$PTY" --no-range --pair 7E0:7E8 --pair 7E1:7E9 --pair 713:77D --ro $RO --stage post \
    --tech "Li Wei" >/dev/null && echo "   (saved; output as in step 3b)"
run qc $RO
run --lang zh qc $RO --sign "QC Zhang"

say "8. Reports for the customer, the advisor and the DMS (HTML, PDF, JSON; English and Chinese)"
run report $RO --format html -o "$OUT/$RO.en.html"
run --lang zh report $RO --format html -o "$OUT/$RO.zh.html"
run --lang zh report $RO --format pdf -o "$OUT/$RO.zh.pdf"
run report $RO --kind qc --format pdf -o "$OUT/$RO.qc.en.pdf"
run report $RO --format json -o "$OUT/$RO.json"
ls -l "$OUT" | grep -E "html|pdf|json" | sed 's/^/   /'

say "9. Nothing can be changed behind anyone's back: the audit chain and the signed QC evidence"
run audit verify
run qc $RO --verify

OBDGWD=$(dirname "$OBDGW")/obdgwd
if [ -x "$OBDGWD" ] && command -v mosquitto >/dev/null 2>&1 && command -v mosquitto_sub >/dev/null 2>&1; then
    echo
    echo "== the same story through the bay service: obdgwd, two bays, the DMS over MQTT =="
    sh tests/daemon/demo_service.sh "$OBDGW" "$OBDGWD" "$OUT/service"
    echo
    echo "== remote technical support: an engineer watches bay 1 from afar (obdgw remote, the browser console) =="
    sh tests/daemon/demo_remote.sh "$OBDGW" "$OBDGWD" "$OUT/remote" "$(dirname "$OBDGW")/console"
else
    echo "   (bay service part skipped: build/obdgwd or mosquitto missing; run make deps)"
fi

echo
echo "== demo done. Evidence store: $OBDGW_STORE"
echo "   open the reports: $OUT/$RO.en.html (or .zh.html / .zh.pdf)"
