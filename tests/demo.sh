#!/bin/sh
# make demo — the main job on built-in defaults: a car at reception, scanned
# through an ELM327 adapter, its live data read on a diagnostic drive, its
# codes cleared after the repair, and the result checked.
#
# The car and the adapter are obdgw's simulator: `obdgw sim --pty` serves a
# simulated STN/ELM327 on a pseudo-terminal exactly as a USB adapter appears
# on /dev/ttyUSB0, and `--adapter sim[:SCENARIO]` runs one in-process.
# Scenario files are in tests/scenarios/ (format: docs/simulator.md).
set -eu
OBDGW=${1:-build/obdgw}
case "$OBDGW" in /*) ;; *) OBDGW=$(pwd)/$OBDGW ;; esac
SCEN=$(pwd)/tests/scenarios
WORK=$(mktemp -d)
SIMPID=
cleanup() { [ -n "$SIMPID" ] && kill "$SIMPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
run() { printf '\n$ obdgw %s\n' "$*"; "$OBDGW" "$@"; }

echo "== obdgw demo: a 2021 FAW-VW Sagitar with a misfire comes in for service =="

echo
echo "-- 1. The technician plugs an ELM327 adapter in. Here: the simulator on a pty --"
"$OBDGW" sim --pty --personality stn --baud 115200 --ecu-delay 20 >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIMPID=$!
i=0
PTY=
while [ $i -lt 100 ]; do
    PTY=$(head -n 1 "$WORK/sim.out" 2>/dev/null || true)
    case "$PTY" in /dev/*) break ;; esac
    sleep 0.05; i=$((i + 1))
done
case "$PTY" in /dev/*) ;; *) echo "simulator did not start: $(cat "$WORK/sim.err")" >&2; exit 1 ;; esac
echo "   simulated adapter on $PTY (115200 baud, 20 ms ECU delay)"

echo
echo "-- 2. Reception (pre-repair) scan: VIN, ECUs, MIL, DTCs, freeze frame, readiness --"
run scan --adapter "$PTY"

echo
echo "-- 3. The same scan for the service advisor, in Chinese; and as JSON for the DMS --"
run --lang zh scan --adapter "$PTY"
printf '\n$ obdgw scan --adapter %s --json | head -n 12\n' "$PTY"
"$OBDGW" scan --adapter "$PTY" --json | head -n 12
kill "$SIMPID" 2>/dev/null; wait "$SIMPID" 2>/dev/null || true; SIMPID=

echo
echo "-- 4. Diagnostic drive: live data, multi-PID requests, engine running (2 s) --"
printf '\n$ obdgw live --adapter sim:tests/scenarios/sagitar-running.ini,delay=20 --pid rpm,speed,coolant,load,map --duration 2\n'
"$OBDGW" live --adapter "sim:$SCEN/sagitar-running.ini,delay=20" --pid rpm,speed,coolant,load,map --duration 2 \
    >"$WORK/live.txt"
head -n 10 "$WORK/live.txt"; echo "   ..."; tail -n 5 "$WORK/live.txt"

echo
echo "-- 5. After the repair: clearing is refused while the engine runs --"
printf '\n$ obdgw clear --adapter sim:tests/scenarios/sagitar-running.ini --yes\n'
"$OBDGW" clear --adapter "sim:$SCEN/sagitar-running.ini" --yes 2>&1 || echo "   (exit $?: nothing was cleared)"

echo
echo "-- 6. Engine off, ignition on: the pre-clear scan is saved first, then codes are cleared --"
printf '\n$ obdgw clear --adapter sim --yes --save preclear.json\n'
"$OBDGW" clear --adapter sim --yes --save "$WORK/preclear.json"
echo "   pre-clear evidence: $(wc -c <"$WORK/preclear.json") bytes of JSON kept before anything was cleared"

echo
echo "-- 7. The decoding core on its own: raw replies and the DTC database --"
run decode 41 0C 0C 80 0D 00 05 5C 04 52 11 26 10 01 F4
run --lang zh decode 43 02 03 01 03 00
run dtc P0301 P0171 U0100
run vin LFV2A21K6M3012345

echo
echo "== demo done. Try: obdgw sim --pty (then scan the path it prints), obdgw scan --adapter sim --lang zh =="
