#!/bin/sh
# make demo — the main job on built-in defaults.
#
# Until the vehicle simulator lands (ELM327 issue), the demo decodes a
# built-in reception (pre-repair) scan of a sample car: the replies below are
# what a 2021 FAW-VW with a misfire sends, byte for byte. Every line goes
# through the same library code the scanner will use.
set -eu
OBDGW=${1:-build/obdgw}
run() { printf '\n$ obdgw %s\n' "$*"; "$OBDGW" "$@"; }

echo "== obdgw demo: reception scan of a sample vehicle (built-in ECU replies) =="
echo "   engine ECU 7E8 answers; bytes are decoded by the obdgw core"

echo; echo "-- VIN (service 09 02) --"
run decode 49 02 01 4C 46 56 32 41 32 31 4B 36 4D 33 30 31 32 33 34 35
run vin LFV2A21K6M3012345

echo; echo "-- MIL, DTC count and readiness monitors (service 01 PID 01) --"
run decode 41 01 82 07 65 04

echo; echo "-- stored / pending / permanent DTCs (services 03, 07, 0A) --"
run decode 43 02 03 01 03 00
run decode 47 01 01 71
run decode 4A 01 03 01
run --lang zh decode 43 02 03 01 03 00

echo; echo "-- freeze frame 0 (service 02): the DTC that stored it, rpm, coolant, load --"
run decode 42 02 00 03 01 0C 00 0C 80 05 00 5C
run decode 42 04 00 52

echo; echo "-- live data, six PIDs in one request (service 01) --"
run decode 41 0C 0C 80 0D 00 05 5C 04 52 11 26 10 01 F4
run --lang zh decode 41 0C 0C 80 0D 00 05 5C 04 52 11 26 10 01 F4

echo; echo "-- since-clear counters: warm-ups, distance, time (PIDs 30, 31, 4E) --"
run decode 41 30 2A 31 03 1B 4E 02 58

echo; echo "-- an older ECU without permanent-DTC support answers 7F 0A 11 --"
run decode 7F 0A 11

echo; echo "-- on-board monitor results (service 06, catalyst bank 1) --"
run decode 46 21 80 0C 02 30 00 00 03 E8 21 81 0C 00 F0 00 00 03 E8

echo; echo "-- the DTC database --"
run dtc P0301 P0171 U0100 P1234
run --lang zh dtc P0301 P0171 U0100
run dtc --stats

echo
echo "== demo done: decode any reply with 'obdgw decode HEX', look up codes with 'obdgw dtc' =="
