#!/bin/sh
# The car's whole life in the workshop (#13), end to end on the simulator:
# RO-1 with P0301 repaired, team-lead checked, QC signed, delivered; RO-2 for
# the same VIN with P0301 again is a comeback naming RO-1; the vehicle's
# history, the follow-up list and the bad inputs. Usage: tests/history_test.sh BUILD_DIR
B=${1:-build}
OBDGW="$B/obdgw"
case "$OBDGW" in /*) ;; *) OBDGW=$(pwd)/$OBDGW ;; esac
export OBDGW_DTC_DB=${OBDGW_DTC_DB:-$(dirname "$OBDGW")/dtc.db}
pass=0; fail=0
T=$(mktemp -d /tmp/obdgw-history.XXXXXX)
trap 'rm -rf "$T"' EXIT
export OBDGW_STORE="$T/s.db"
SC=tests/scenarios/sagitar-reception.ini
VIN=LFV2A21K6M3012345
# the same car after the repair (no codes, monitors complete) and back with P0301, 777 km later
sed -e 's/^stored = P0301$/stored =/' -e 's/^pending = P0300$/pending =/' -e 's/^permanent = P0301$/permanent =/' \
    -e '/^freeze.0 = P0301/d' -e 's/^stored = P0715$/stored =/' -e 's/^readiness.incomplete = .*/readiness.incomplete =/' \
    "$SC" >"$T/repaired.ini"
sed -e 's/pid.A6 = const:18342.5/pid.A6 = const:19120.0/' "$SC" >"$T/again.ini"
sed -e 's/pid.A6 = const:18342.5/pid.A6 = const:45000.0/' "$SC" >"$T/far.ini"

check() { # name, expected exit, grep pattern (or -), command...
    name=$1; want=$2; pat=$3; shift 3
    out=$("$@" 2>&1); rc=$?
    out=$(printf '%s\n' "$out" | tr '\t' ' ')
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    if [ "$pat" != "-" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; echo "$out" | head -8; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
# json FILE PYTHON-EXPR: the expression over the parsed document `d` is true
jcheck() {
    name=$1; file=$2; expr=$3
    if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($expr) else 1)" "$file"; then
        pass=$((pass + 1))
    else
        echo "FAIL $name: $expr"; head -c 600 "$file"; echo; fail=$((fail + 1))
    fi
}

# repair classes: the regulation's defaults; a class without a window is refused, nothing added
check class_list 0 "20000 km" "$OBDGW" wo class
check class_list_zh 0 "以先达到者为准" "$OBDGW" --lang zh wo class
check class_nowindow 2 "no guarantee window" "$OBDGW" wo class bodywork --days 0 --km 0
check class_nowindow_kept 0 - sh -c "! '$OBDGW' wo class | grep -q bodywork"
check wo_add_badclass 2 "no such repair class" "$OBDGW" wo add RO-X --vin $VIN --class nosuch
check wo_add_badclass_nothing 3 - "$OBDGW" wo show RO-X

# RO-1: reception scan, clear, self-check, team lead, final QC, delivery
check ro1_add 0 "RO-1" "$OBDGW" wo add RO-1 --vin $VIN --mileage 18340 --complaint "idle shake" \
    --complaint-codes "P0301 ignition" --class major --bay 3 --tech "Li Wei"
check ro1_pre 0 "P0301" "$OBDGW" scan --adapter "sim:$SC" --ro RO-1 --stage pre --tech "Li Wei"
check ro1_clear 0 - "$OBDGW" clear --adapter "sim:$SC" --ro RO-1 --yes --tech "Li Wei" --reason "plug + coil cyl 1"
check ro1_self 0 - "$OBDGW" scan --adapter "sim:$T/repaired.ini" --ro RO-1 --stage self --tech "Li Wei"
check ro1_deliver_noqc 5 "no final QC" "$OBDGW" wo deliver RO-1
check ro1_lead 0 "Team lead's check by Lead Zhao" "$OBDGW" qc RO-1 --check lead --sign "Lead Zhao"
check ro1_lead_noname 2 "needs --sign" "$OBDGW" qc RO-1 --check lead
check ro1_post 0 - "$OBDGW" scan --adapter "sim:$T/repaired.ini" --ro RO-1 --stage post --tech "Li Wei"
check ro1_qc 0 "Signed off by" "$OBDGW" qc RO-1 --sign "QC Zhang"
"$OBDGW" --json qc RO-1 >"$T/qc1.json" 2>&1
jcheck ro1_qc_both_signoffs "$T/qc1.json" "d['lead_check']['who']=='Lead Zhao' and d['final_signoff']['inspector']=='QC Zhang'"
check ro1_lead_after_qc 5 "final QC signed already" "$OBDGW" qc RO-1 --check lead --sign "Lead Zhao"
check ro1_deliver 0 "delivered and closed" "$OBDGW" wo deliver RO-1 --by "advisor Wang"
check ro1_deliver_twice 5 "delivered already" "$OBDGW" wo deliver RO-1
check ro1_deliver_twice_forced 5 "delivered already" "$OBDGW" wo deliver RO-1 --force --reason x
check ro1_closed 0 "closed" "$OBDGW" wo show RO-1
"$OBDGW" --json wo show RO-1 >"$T/ro1.json"
jcheck ro1_delivery_json "$T/ro1.json" "d['delivery']['mileage_out_km']==18343 and not d['delivery']['forced'] and d['lead_check']['who']=='Lead Zhao' and d['repair_class']=='major'"

# RO-2: the same car back with P0301 -> a comeback naming RO-1
check ro2_add 0 - "$OBDGW" wo add RO-2 --vin $VIN --complaint "shakes again"
check ro2_pre 0 - "$OBDGW" scan --adapter "sim:$T/again.ini" --ro RO-2 --stage pre --tech "Li Wei"
check ro2_show 0 "COMEBACK P0301: repaired on RO-1" "$OBDGW" wo show RO-2
check ro2_show_zh 0 "返修 P0301：曾在工单 RO-1 中维修" "$OBDGW" --lang zh wo show RO-2
"$OBDGW" --json wo show RO-2 >"$T/ro2.json"
jcheck ro2_comeback "$T/ro2.json" "any(c['code']=='P0301' and c['earlier_ro']=='RO-1' and c['repair_class']=='major' and c['km_since_delivery']==777 for c in d['comebacks'])"
# a second pre-repair scan does not record it twice
check ro2_diag 0 - "$OBDGW" scan --adapter "sim:$T/again.ini" --ro RO-2 --stage diag --tech "Li Wei"
"$OBDGW" --json wo show RO-2 >"$T/ro2b.json"
jcheck ro2_comeback_once "$T/ro2b.json" "len([c for c in d['comebacks'] if c['code']=='P0301'])==1"
# outside the km window (45,000 km: 26,657 km after delivery) there is no comeback
check ro3_add 0 - "$OBDGW" wo add RO-3 --vin $VIN
check ro3_pre 0 - "$OBDGW" scan --adapter "sim:$T/far.ini" --ro RO-3 --stage pre
"$OBDGW" --json wo show RO-3 >"$T/ro3.json"
jcheck ro3_no_comeback "$T/ro3.json" "d['comebacks']==[]"

# the vehicle's history
"$OBDGW" --json vehicle $VIN >"$T/veh.json"
jcheck vehicle_ros "$T/veh.json" "[r['ro'] for r in d['ros']][:2]==['RO-1','RO-2']"
jcheck vehicle_p0301 "$T/veh.json" "any(x['code']=='P0301' and x['first_seen_ms']<x['last_seen_ms'] and x['visits']==3 and len(x['cleared_ms'])==1 and x['comeback'] for x in d['dtcs'])"
jcheck vehicle_mileage "$T/veh.json" "[m['km'] for m in d['mileage'] if m['source']=='pid_a6'][0]==18342.5 and max(m['km'] for m in d['mileage'])==45000"
jcheck vehicle_qc "$T/veh.json" "d['ros'][0]['qc']['verdict']=='pass' and d['ros'][0]['delivery'] is not None and len(d['clears'])==1"
check vehicle_text 0 "Trouble codes across visits" "$OBDGW" vehicle $VIN
check vehicle_text_zh 0 "历次故障码" "$OBDGW" --lang zh vehicle $VIN
check vehicle_lower 0 "RO-2" "$OBDGW" vehicle lfv2a21k6m3012345
check vehicle_unknown 3 "no vehicle" "$OBDGW" vehicle LFV2A21K6M3099999
check vehicle_bad 2 "17 characters" "$OBDGW" vehicle 123

# follow-up: RO-1 listed, not due yet; 4 days later it is due
"$OBDGW" --json followup >"$T/fu.json"
jcheck followup_listed "$T/fu.json" "d['count']==1 and d['followups'][0]['ro']=='RO-1' and 'P0301' in d['followups'][0]['fixed'] and not d['followups'][0]['due']"
"$OBDGW" --json followup --due >"$T/fu_due.json"
jcheck followup_not_due "$T/fu_due.json" "d['count']==0"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('UPDATE deliveries SET delivered_ms=delivered_ms-4*86400000'); c.commit()" "$OBDGW_STORE"
"$OBDGW" --json followup --due >"$T/fu_due2.json"
jcheck followup_due "$T/fu_due2.json" "d['count']==1 and d['followups'][0]['due'] and 'declined_item:P0715' not in d['followups'][0]['pending']"
check followup_text_zh 0 "已修复" "$OBDGW" --lang zh followup --due
check followup_done 0 "recorded" "$OBDGW" followup RO-1 --done --by "advisor Wang" --note "customer happy"
check followup_done_twice 5 "followed up already" "$OBDGW" followup RO-1 --done
check followup_undelivered 5 "not delivered" "$OBDGW" followup RO-2 --done
"$OBDGW" --json followup >"$T/fu2.json"
jcheck followup_empty "$T/fu2.json" "d['count']==0"

# forced delivery without final QC is audited; the audit chain holds
check ro3_forced_noreason 2 "needs --reason" "$OBDGW" wo deliver RO-3 --force
check ro3_forced 0 "without final QC" "$OBDGW" wo deliver RO-3 --force --reason "customer collected the car"
check audit_forced 0 - python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); sys.exit(0 if c.execute(\"SELECT COUNT(*) FROM audit WHERE action='wo_deliver_forced' AND ro='RO-3'\").fetchone()[0]==1 else 1)" "$OBDGW_STORE"
check audit_verify 0 - "$OBDGW" audit verify

# the service manager's figures
"$OBDGW" --json stats --since 30d >"$T/stats.json"
jcheck stats_counts "$T/stats.json" "d['ros']==3 and d['delivered']==2 and d['comebacks']==1 and d['first_time_fix_rate']==0.5 and d['qc_pass_first_try_rate']==1"
jcheck stats_stages "$T/stats.json" "[x['stage'] for x in d['stages']]==['reception','diagnosis','repair','qc','delivery'] and d['stages'][0]['standard_minutes']==15 and d['stages'][0]['n']==3"
jcheck stats_top "$T/stats.json" "{x['code']: x['ros'] for x in d['top_dtcs']}.get('P0301')==3 and d['top_dtcs'][0]['ros']==3"
check stats_text_zh 0 "一次修复率" "$OBDGW" --lang zh stats
check stats_bad 2 "takes days" "$OBDGW" stats --since 3x

echo "history: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
