#!/bin/sh
# make bench: what the addressing and VIN fallbacks (#10) cost. The same
# scan over the simulated ELM327 paced like a real one (38400 baud UART,
# 30 ms ECU answer time) on the default car, on the physical-only car
# (engine ECU silent to functional 03/07/0A/09, 09 00 NO DATA) and on a
# J1850 VPW car with a physical-only engine ECU. Prints requests, physical
# retries and time, and the extra over the default car.
# Usage: tests/bench/fallback.sh BUILD_DIR
B=${1:-build}
OBDGW="$B/obdgw"
PACE=",baud=38400,delay=30"
field() { # json file, key -> number
    tr -d '\t ' <"$1" | grep -o "\"$2\":[0-9]*" | head -n 1 | cut -d: -f2
}
run() { # label, scenario ("" = built-in car)
    out=$(mktemp)
    t0=$(date +%s%N)
    "$OBDGW" scan --adapter "sim:$2$PACE" --json --no-store >"$out" 2>/dev/null
    rc=$?
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    req=$(field "$out" requests); phys=$(field "$out" physical_retries)
    rm -f "$out"
    [ "$rc" -eq 0 ] || { echo "bench_fallback: $1: scan failed (exit $rc)"; exit 1; }
    printf 'bench_fallback: %-34s %3s requests, %s physical retries, %5d ms\n' "$1" "$req" "$phys" "$ms"
    eval "R_$3=$req; T_$3=$ms"
}
run "default car (CAN 11/500)" "" base
run "physical-only car (CAN 11/500)" tests/scenarios/physical-only.ini phys
run "J1850 VPW, physical-only ECU" tests/scenarios/legacy-vpw-physical.ini vpw
# The adapter faults of #18 sit in front of the default car: their extra
# cost is over the default car's scan.
for n in adapter-count-refuse adapter-count-misread adapter-proto0 adapter-headers-off \
         adapter-refuse-atsh adapter-refuse-0a; do
    run "$n" "tests/scenarios/$n.ini" x
    printf 'bench_fallback: %-34s %+d requests, %+d ms over the default car\n' "  $n" $((R_x - R_base)) $((T_x - T_base))
done
# The ECU deviations are cars of their own (one or two ECUs): their whole scan.
# (response-pending-forever is left out: the simulator paces its 20 s of
# 78s as one block, which no real adapter does; sim_test covers it unpaced.)
for n in mode09-unlisted dtc-count-off dtc-legacy-on-can silent-pid split-frames response-pending; do
    run "$n" "tests/scenarios/$n.ini" x
done
printf 'bench_fallback: physical-only vs default: +%d requests, %+d ms (each retry is one more ELM round trip: >= the ECU time 30 ms + ~2 ms of 38400-baud serial)\n' \
    $((R_phys - R_base)) $((T_phys - T_base))
