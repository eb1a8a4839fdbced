#!/bin/sh
# OEM signals end to end (docs/signals.md): obdgw signals --list, live --signals/--signal against the
# simulated car over the ELM327 personality, the bad-input cases of #14, --record with per-signal stats.
# Usage: tests/signals_test.sh BUILD_DIR
B=${1:-build}
OBDGW="$B/obdgw"
DEMO=dtc-db/signals/faw-vw-sagitar-2019-2024.json
BAD=tests/data/signals/bad-input.json
VIN=LFV2A21K6M3012345
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export OBDGW_STORE="$T/store.db"
export OBDGW_SIGNALS="$PWD/dtc-db/signals"
pass=0; fail=0
check() { # name, expected exit, grep pattern (or -), command...
    name=$1; want=$2; pat=$3; shift 3
    out=$("$@" 2>&1); rc=$?
    out=$(printf '%s\n' "$out" | tr '\t' ' ') # cJSON indents and separates with tabs
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    if [ "$pat" != "-" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
count_lines() { # pattern file -> prints the count
    grep -c -- "$1" "$2"
}

# ---- what applies ----
check list_vin 0 "SAGITAR_ABS_WSPD_FL" "$OBDGW" signals --list --vin $VIN
check list_vin_zh 0 "左前轮速" "$OBDGW" --lang zh signals --list --vin $VIN
check list_zh_fallback 0 "Parking brake（无中文名）" "$OBDGW" --lang zh signals --list --vin $VIN
check list_json 0 '"did": "3001"' "$OBDGW" signals --list --vin $VIN --json
check list_other_vin 3 "no signalset applies" "$OBDGW" signals --list --vin WVWZZZ1KZAW000001
check list_old_year 3 "no signalset applies" "$OBDGW" signals --list --vin LFV2A21K0E3012345
check list_bad_vin 2 "not a VIN" "$OBDGW" signals --list --vin NOTAVIN
check list_file_refused 0 "T_LEN65 .*refused: fmt.len" "$OBDGW" signals --list --signals $BAD
check list_no_list 2 "--list" "$OBDGW" signals

# ---- the done-when: 20 decoded values with ids, names, units ----
"$OBDGW" live --adapter sim --signals $DEMO --count 20 --json >"$T/demo.jsonl" 2>"$T/demo.err"
check demo_rc 0 - test $? -eq 0
check demo_count 0 "^20$" sh -c "grep -c '\"signal\":' '$T/demo.jsonl'"
check demo_values 0 '"signal":"SAGITAR_ENG_OIL_TEMP","name":"Engine oil temperature","value":' cat "$T/demo.jsonl"
check demo_unit 0 '"unit":"km/h"' cat "$T/demo.jsonl"
check demo_map 0 '"text":"P"' cat "$T/demo.jsonl"
check demo_steer 0 '"signal":"SAGITAR_ABS_STEER_ANGLE".*"value":-12.5' cat "$T/demo.jsonl"
check demo_rate 0 "values/s" cat "$T/demo.err"
check demo_schema 0 - python3 -c "
import json,sys
for l in open('$T/demo.jsonl'):
    o=json.loads(l)
    assert set(('signal','name','value','unit','timestamp','ecu','did')) <= set(o), o
    assert o['timestamp'] > 1.5e9, o
"
check live_zh 0 "转向角 .*°" "$OBDGW" --lang zh live --adapter sim --signal SAGITAR_ABS_STEER_ANGLE --vin $VIN --count 3
check live_zh_json 0 '"name":"Parking brake","name_fallback":true' "$OBDGW" --lang zh live --adapter sim \
    --signal SAGITAR_ABS_PARK_BRAKE --count 1 --json
check live_path 0 "Brake fluid level OK .*yes" "$OBDGW" live --adapter sim --signals $DEMO --path Brakes --count 3
check live_path_none 3 "no signal selected" "$OBDGW" live --adapter sim --signals $DEMO --path Seats --count 3
check live_mixed_pid 0 "Engine speed" "$OBDGW" live --adapter sim --signal SAGITAR_TCM_GEAR --pid rpm --count 4
check live_mixed_sig 0 "Gear engaged .*none" "$OBDGW" live --adapter sim --signal SAGITAR_TCM_GEAR --pid rpm --count 4
check live_unknown_id 3 "unknown signal 'NOPE'" "$OBDGW" live --adapter sim --signal SAGITAR_TCM_GEAR,NOPE
check live_unknown_first 3 "no signalset defines signal" "$OBDGW" live --adapter sim --signal NOPE
check live_path_alone 2 "--path goes with" "$OBDGW" live --adapter sim --pid rpm --path Engine
check live_bay_sig 2 "not streamed through obdgwd" "$OBDGW" live --bay 1 --signal SAGITAR_TCM_GEAR
check live_bad_json 4 "not JSON" sh -c "printf '{' > '$T/x.json'; '$OBDGW' live --adapter sim --signals '$T/x.json'"

# ---- bad input: per-signal errors, the others keep streaming ----
"$OBDGW" live --adapter sim --signals $BAD --count 10 --json >"$T/bad.jsonl" 2>"$T/bad.err"
check bad_rc 0 - test $? -eq 0
check bad_overlap 0 "T_OVERLAP.*fmt.bix/len: bits 8-23 overlap T_STEER" cat "$T/bad.err"
check bad_len0 0 "T_LEN0.*fmt.len" cat "$T/bad.err"
check bad_len65 0 "T_LEN65.*fmt.len" cat "$T/bad.err"
check bad_refused 0 '"signal":"T_REFUSED".*"error":"refused".*requestOutOfRange.*"nrc":49' cat "$T/bad.jsonl"
check bad_refused_once 0 "^1$" sh -c "grep -c '\"error\":\"refused\"' '$T/bad.jsonl'"
check bad_past_end 0 '"signal":"T_PAST_END".*"value":null,"state":"no_value"' cat "$T/bad.jsonl"
check bad_steer_streams 0 "^[5-9]$" sh -c "grep -c '\"signal\":\"T_STEER\".*\"value\":' '$T/bad.jsonl'"
check bad_text 0 "T_REFUSED .*NRC 31 requestOutOfRange" "$OBDGW" live --adapter sim --signals $BAD --count 4
check bad_zh 0 "控制单元拒绝了 22 3009" "$OBDGW" --lang zh live --adapter sim --signals $BAD --count 4

# ---- the module's DID limit, learnt from 7F 22 13 ----
LIM=tests/data/signals/abs-three-dids.json
check limit_learnt 0 "77D: DIDs per request, learnt from the module: 2" "$OBDGW" live \
    --adapter sim:tests/scenarios/signals-limit.ini --signals $LIM --count 12
check limit_values 0 '"signal":"L_WSPD_FL".*"value":12.5' "$OBDGW" live \
    --adapter sim:tests/scenarios/signals-limit.ini --signals $LIM --count 12 --json
check limit_all_stream 0 "^4$" sh -c "'$OBDGW' live --adapter sim:tests/scenarios/signals-limit.ini --signals $LIM \
    --count 12 --json 2>/dev/null | grep -c '\"signal\":\"L_FLUID_OK\".*\"text\":\"yes\"'"
check single_no_limit 0 - sh -c "! '$OBDGW' live --adapter sim:tests/scenarios/signals-limit.ini --single \
    --signals $LIM --count 9 2>&1 | grep -q learnt"

# ---- --record: values stored with min/max/mean per signal ----
check wo_add 0 "RO-S" "$OBDGW" wo add RO-S --vin $VIN
check rec 0 "recording saved #1: 12 samples, RO RO-S" "$OBDGW" live --adapter sim --signals $DEMO --path Control \
    --pid rpm --count 12 --record --ro RO-S
check rec_stats 0 "SAGITAR_ABS_STEER_ANGLE .*77D  min/max/mean -12.5 / " "$OBDGW" wo show RO-S
check rec_stats_json 0 '"signal": "SAGITAR_ABS_STEER_ANGLE"' "$OBDGW" wo show RO-S --json
# ... and in the reports (JSON valid against docs/report.schema.json, HTML en and zh)
check report_signals_json 0 '"signal": "SAGITAR_ABS_STEER_ANGLE"' sh -c "'$OBDGW' report RO-S --format json -o '$T/rs.json' >/dev/null && cat '$T/rs.json'"
if /usr/bin/python3 -I -c 'import jsonschema' 2>/dev/null; then
    check report_signals_schema 0 - /usr/bin/python3 -I tests/schema_check.py docs/report.schema.json "$T/rs.json"
fi
check report_signals_html 0 "Module value (OEM signal)" sh -c "'$OBDGW' report RO-S -o '$T/rs.html' >/dev/null && cat '$T/rs.html'"
check report_signals_html_zh 0 "控制单元数据（厂家信号）" sh -c "'$OBDGW' --lang zh report RO-S -o '$T/rz.html' >/dev/null && cat '$T/rz.html'"
check rec_states 0 "states only" sh -c "'$OBDGW' live --adapter sim --signal SAGITAR_TCM_SELECTOR --count 2 --record >/dev/null 2>&1 \
    && sqlite3 '$T/store.db' 'SELECT signal, text FROM rec_signals' | grep -q 'SAGITAR_TCM_SELECTOR|P (0)' && echo 'states only'"

echo "signals_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
