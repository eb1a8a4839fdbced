#!/bin/sh
# Inbound DMS messages against a real mosquitto (#19): nothing lost, nothing
# forged.
#   1. 5,000 work orders at QoS 1, obdgwd kill -9 ~0.25 s into the burst,
#      restarted: every work order the broker handed over is in the store
#   2. a redelivered `open` (same msg_id) after an `update`: ignored
#   3. a retained work order offered at subscribe: ignored
#   4. `update` of a closed RO: refused; the audit entry of an update keeps
#      old and new values; its actor is the DMS, not the payload's technician
#   5. invalid UTF-8, \u0000, duplicate members, an RO like "-o": refused;
#      255 Chinese characters accepted, 256 refused
#   6. a bad row already in the store: wo show/list --json stay valid UTF-8
# Usage: sh tests/daemon/inbox_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-inbox-test.XXXXXX)
PORT=$(pick_port)
TLS=
N=${INBOX_TEST_N:-5000}
fails=0
cleanup() { daemon_stop "$T" KILL; broker_stop "$T"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
DB="$T/obdgw.db"
START=$(date +%s)
q() { python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$DB?mode=ro', uri=True); print(c.execute(sys.argv[1]).fetchone()[0])" "$1"; }
wo_count() { q "SELECT COUNT(*) FROM work_orders WHERE ro LIKE '$1%'"; }

broker_conf "$T" "$PORT" $TLS
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" "$TLS" 1 "sim"
daemon_start "$T" "$OBDGWD" || exit 1
sleep 1 # connected and subscribed: the session exists at the broker
# shellcheck disable=SC2046
PUB="mosquitto_pub $(dms_opts "$T" "$PORT" $TLS) -q 1 -t dms/v1/ws01/wo"

# ---- 1. kill -9 during a burst ----
i=1
while [ $i -le "$N" ]; do
    printf '{"schema":"dms.wo","schema_version":1,"msg_id":"k-%d","action":"open","ro":"RO-K-%d","complaint":"burst %d"}\n' $i $i $i
    i=$((i + 1))
done >"$T/burst.txt"
B0=$(date +%s%N)
$PUB -l <"$T/burst.txt" &
PUBPID=$!
# 0.25 s into the burst as the daemon sees it: from its first stored work order
while [ "$(wo_count RO-K-)" = 0 ] && [ $(( ($(date +%s%N) - B0) / 1000000 )) -lt 10000 ]; do sleep 0.02; done
sleep 0.25
daemon_stop "$T" KILL
wait $PUBPID
AT_KILL=$(wo_count RO-K-)
daemon_start "$T" "$OBDGWD" || exit 1
end=$(( $(date +%s) + 120 ))
while [ "$(wo_count RO-K-)" -lt "$N" ] && [ "$(date +%s)" -le $end ]; do sleep 0.3; done
GOT=$(wo_count RO-K-)
BMS=$(( ($(date +%s%N) - B0) / 1000000 ))
JOURNALED=$(grep -o 'dms: [0-9]* inbound message(s) from before the restart' "$T/obdgwd.log" | grep -o '[0-9]*' | head -n 1)
if [ "$AT_KILL" -lt "$N" ] && [ "$GOT" = "$N" ]; then
    ok "1. kill -9 during a $N work-order burst (killed with $AT_KILL stored, ${JOURNALED:-0} journaled not yet applied): work orders kept after kill -9: $GOT/$N (all in $BMS ms)"
else
    bad "1. kill -9 during the burst: $AT_KILL stored at the kill, $GOT/$N after the restart"
fi
LOST=$(grep -c 'NOT journaled' "$T/obdgwd.log")
[ "$LOST" = 0 ] && ok "1b. every inbound message journaled (no 'NOT journaled' line)" || bad "1b. $LOST message(s) not journaled"

# ---- 2. replay of an older open (same msg_id) ----
# The daemon's duplicate counter, not its log line: the restart above has
# the broker redeliver work orders already applied, and repeated refusals
# are logged at most 20 a minute (the rest counted), so the line for this
# one may rightly be among the counted ones.
dups() { "$OBDGW" status --json 2>/dev/null | tr -d ' \n\t' | sed -n 's/.*"work_orders_duplicate":\([0-9]*\).*/\1/p'; }
D0=$(dups)
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"r-open","action":"open","ro":"RO-R","complaint":"first"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"r-upd","action":"update","ro":"RO-R","complaint":"second"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"r-open","action":"open","ro":"RO-R","complaint":"first"}'
for _ in $(seq 50); do [ "$(dups)" = $((${D0:-0} + 1)) ] && break; sleep 0.2; done
D1=$(dups)
C=$(q "SELECT complaint FROM work_orders WHERE ro='RO-R'")
[ "$C" = second ] && [ -n "$D0" ] && [ "$D1" = $((D0 + 1)) ] \
    && ok "2. redelivered open (msg_id seen) after an update: ignored, the RO keeps 'second'" \
    || bad "2. replayed open: complaint is '$C', duplicates counted $D0 -> $D1"

# ---- 3. retained work orders ----
daemon_stop "$T" TERM
$PUB -r -m '{"schema":"dms.wo","schema_version":1,"msg_id":"ret-1","action":"open","ro":"RO-RET","complaint":"retained"}'
# a new session (new client id): the broker offers only its retained copy, flagged retained
sed -i 's/^username = gw$/username = gw\nclient_id = obdgwd-ws01-fresh/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
for _ in $(seq 50); do grep -q 'retained message on dms/v1/ws01/wo ignored' "$T/obdgwd.log" && break; sleep 0.2; done
R=$(wo_count RO-RET)
[ "$R" = 0 ] && grep -q 'retained message on dms/v1/ws01/wo ignored' "$T/obdgwd.log" \
    && ok "3. a retained work order offered at subscribe: ignored and logged" || bad "3. retained work order applied ($R)"
$PUB -r -n # clear the retained message

# ---- 4. closed ROs are frozen; audit keeps old and new; actor ----
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"c-1","action":"open","ro":"RO-C","complaint":"noise","technician":"Wang"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"c-2","action":"update","ro":"RO-C","complaint":"noise at 80 km/h","technician":"Mallory"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"c-3","action":"close","ro":"RO-C"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"c-4","action":"update","ro":"RO-C","complaint":"rewritten after close"}'
for _ in $(seq 50); do grep -q "msg_id 'c-4', RO 'RO-C'.*is closed" "$T/obdgwd.log" && break; sleep 0.2; done
C=$(q "SELECT complaint FROM work_orders WHERE ro='RO-C'")
[ "$C" = "noise at 80 km/h" ] && grep -q "msg_id 'c-4', RO 'RO-C'.*is closed" "$T/obdgwd.log" \
    && ok "4a. update of a closed RO refused (logged, error event); it keeps '$C'" || bad "4a. closed RO: complaint '$C'"
D=$(q "SELECT details FROM audit WHERE ro='RO-C' AND action='wo_update'")
A=$(q "SELECT actor FROM audit WHERE ro='RO-C' AND action='wo_update'")
echo "$D" | grep -q '"complaint":{"old":"noise","new":"noise at 80 km/h"}' && echo "$D" | grep -q '"claimed_technician":"Mallory"' \
    && ok "4b. audit of the update keeps old and new values: $D" || bad "4b. audit details: $D"
[ "$A" = "dms:dms/v1/ws01/wo" ] && ok "4c. audit actor is the DMS on its topic ('$A'), the payload's technician only a claim" \
    || bad "4c. audit actor '$A'"

# ---- 5. invalid input ----
printf '{"schema":"dms.wo","schema_version":1,"msg_id":"u-1","action":"open","ro":"RO-\377\376"}' >"$T/ff.json"
$PUB -f "$T/ff.json"
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"u-2","action":"open","ro":"RO-10\u0000HIDDEN"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"u-3","action":"open","ro":"RO-D1","ro":"RO-D7"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"u-4","action":"open","ro":"-o"}'
ZH255=$(python3 -c 'print("发"*255, end="")')
ZH256=$(python3 -c 'print("发"*256, end="")')
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"u-5","action":"open","ro":"RO-ZH","complaint":"'"$ZH255"'"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"u-6","action":"open","ro":"RO-ZH2","complaint":"'"$ZH256"'"}'
sleep 1.5
B=$(q "SELECT COUNT(*) FROM work_orders WHERE ro LIKE 'RO-10%' OR ro LIKE 'RO-D%' OR ro='-o' OR hex(ro) LIKE '%FFFE%' OR ro='RO-ZH2'")
L=$(q "SELECT length(complaint) FROM work_orders WHERE ro='RO-ZH'")
grep -q "msg_id 'u-1'.*not valid UTF-8" "$T/obdgwd.log" && grep -q "msg_id 'u-2'.*NUL" "$T/obdgwd.log" \
    && grep -q "msg_id 'u-3'.*appears twice" "$T/obdgwd.log" && grep -q "msg_id 'u-4'.*'ro' must start" "$T/obdgwd.log" \
    && grep -q "msg_id 'u-6'.*'complaint' is too long: 256 characters" "$T/obdgwd.log" && [ "$B" = 0 ] \
    && ok "5a. FF FE, \\u0000, duplicate members, RO '-o', 256 characters: each refused with its reason, none stored" \
    || bad "5a. invalid input: $B stored; see $T/obdgwd.log"
ZH97=$(python3 -c 'print("发"*97, end="")')
OBDGW_STORE="$DB" "$OBDGW" wo add RO-CLI97 --complaint "$ZH97" >/dev/null 2>&1; R97=$?
OBDGW_STORE="$DB" "$OBDGW" wo add RO-CLI256 --complaint "$ZH256" >/dev/null 2>"$T/cli256.err"; R256=$?
L97=$(q "SELECT length(complaint) FROM work_orders WHERE ro='RO-CLI97'")
[ $R97 = 0 ] && [ "$L97" = 97 ] && [ $R256 = 2 ] && grep -q 'too long' "$T/cli256.err" \
    && ok "5c. obdgw wo add: 97 Chinese characters kept whole (not cut at 255 bytes), 256 refused (exit 2)" \
    || bad "5c. wo add: exit $R97, length '$L97'; 256 chars: exit $R256"
[ "$L" = 255 ] && ok "5b. a 255-character Chinese complaint (765 bytes) accepted whole" || bad "5b. RO-ZH complaint length '$L'"

# ---- 6. a bad row already in the store ----
python3 -c "
import sqlite3; c=sqlite3.connect('$DB')
c.execute(\"INSERT INTO work_orders(ro, complaint, opened_ms, source) VALUES(CAST(X'524F2D4F4C44FFFE' AS TEXT), CAST(X'6F6C64C3' AS TEXT), 1, 'dms')\")
c.commit()"
OBDGW_STORE="$DB" "$OBDGW" --json wo list --all >"$T/list.json" 2>"$T/list.err"; RL=$?
python3 -c "import json,sys; json.load(open('$T/list.json','rb'))" 2>/dev/null && [ $RL = 0 ] \
    && ok "6a. wo list --all --json is valid UTF-8 JSON with an old bad row in the store" || bad "6a. wo list --json invalid (exit $RL)"
python3 -c "import json; d=json.load(open('$T/list.json','rb')); import sys; sys.exit(0 if any(w.get('text_repaired') for w in (d if isinstance(d,list) else d.get('work_orders',[]))) else 1)" \
    && ok "6b. the bad row is flagged (text_repaired)" || bad "6b. bad row not flagged"

O6=$(dms_opts "$T" "$PORT" $TLS)
timeout 40 mosquitto_sub $O6 -t obdgw/v1/ws01/scan -C 1 -W 35 >"$T/scanmsg.json" 2>/dev/null &
SP6=$!
sleep 0.3
"$OBDGW" scan --bay 1 --ro "$(printf 'RO-OLD\377\376')" >"$T/scan6.out" 2>&1; RS6=$?
wait $SP6
python3 -c "import json; d=json.load(open('$T/scanmsg.json','rb')); import sys; sys.exit(0 if d.get('ro','').startswith('RO-OLD') else 1)" 2>/dev/null \
    && ok "6c. the DMS scan message of a scan on that old RO is valid UTF-8 JSON (the RO repaired)" \
    || bad "6c. scan message on the bad RO (scan exit $RS6: $(head -c 200 "$T/scan6.out")): $(head -c 300 "$T/scanmsg.json")"

# ---- 7. requests: reply topics checked, replies complete, unknown answered ----
O=$(dms_opts "$T" "$PORT" $TLS)
timeout 5 mosquitto_sub $O -t obdgw/v1/ws01/scan -C 1 -W 3 >"$T/scan_topic.txt" 2>/dev/null &
SP=$!
sleep 0.3
timeout 4 mosquitto_rr $O -t dms/v1/ws01/req/dms/status -e obdgw/v1/ws01/scan -m '{}' -W 2 >/dev/null 2>&1
wait $SP
[ ! -s "$T/scan_topic.txt" ] && grep -q "status from dms with response topic 'obdgw/v1/ws01/scan' outside" "$T/obdgwd.log" \
    && ok "7a. req/dms/status naming obdgw/v1/ws01/scan as response topic: nothing published there, logged" \
    || bad "7a. status reply on the scan topic: $(cat "$T/scan_topic.txt")"
R=$(timeout 5 mosquitto_rr $O -t dms/v1/ws01/req/dms/status -e obdgw/v1/ws01/resp/dms -m '{}' -W 3 2>/dev/null)
echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["ok"] and d["msg_id"] and d["site"]=="ws01" and d["created_ms"] and "status" in d else 1)' \
    && ok "7b. req/dms/status answered with msg_id, site, created_ms and the status" || bad "7b. status reply: $R"
R=$(timeout 5 mosquitto_rr $O -t dms/v1/ws01/req/dms/reboot -e obdgw/v1/ws01/resp/dms -m '{}' -W 3 2>/dev/null)
echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if not d["ok"] and d["error"]=="unknown request" and d["reason"]["zh"] and d["msg_id"] else 1)' \
    && ok "7c. unknown request answered: error 'unknown request', reason in English and Chinese" || bad "7c. unknown request reply: $R"

echo "inbox_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "inbox_test: all passed" || { echo "logs in $T"; exit 1; }
