#!/bin/sh
# Every command through obdgwd, and remote live data with the bay's consent,
# against a real mosquitto on loopback (passwords + ACL, as dms_test.sh).
#   A. routed = standalone: wo (add/list/show/finding/attach/close, en/zh/json,
#      exit codes), report (json, html, pdf -o), live --bay (same lines, same
#      exit codes, --record to the RO, Ctrl-C stops cleanly)
#   B. remote support over MQTT 5 request/response: refused without consent;
#      granted -> samples with plausible values; revoke, expiry, idle timeout
#      and the requester's Will stop it with the reason; busy bay refused;
#      malformed / oversized / invalid requests refused with a reason; DTC
#      read; adapter lost mid-stream (a TCP simulator killed); the reply
#      route carried in the payload (MQTT 3.1.1 clients); every message valid
#      against docs/schemas; every grant/revoke/stream in the audit log,
#      chain intact
#   C. MQTT 3.1.1 fallback: a broker front that refuses MQTT 5 (CONNACK
#      "unsupported protocol version") -> obdgwd connects with 3.1.1 and the
#      request/response and the stream still flow
# Usage: sh tests/daemon/remote_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/obdgw-remote-test.XXXXXX)
PORT=$(pick_port)
fails=0
cleanup() {
    daemon_stop "$T" KILL; broker_stop "$T"
    [ -f "$T/front.pid" ] && kill "$(cat "$T/front.pid")" 2>/dev/null
    [ -f "$T/sim.pid" ] && kill "$(cat "$T/sim.pid")" 2>/dev/null
    [ $fails -eq 0 ] && rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)

broker_conf "$T" "$PORT" ""
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" "" 2 "sim"
# bay 2: a simulator behind TCP, so the test can pull the adapter away
SIMPORT=$(pick_port)
"$OBDGW" sim --tcp "$SIMPORT" >"$T/sim.log" 2>&1 &
echo $! >"$T/sim.pid"
i=0; while ! listening "$SIMPORT" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sed -i '$ s|^adapter = sim$|adapter = tcp://127.0.0.1:'"$SIMPORT"'|' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
sleep 0.5
SA() { OBDGW_STORE="$T/obdgw.db" "$OBDGW" "$@"; } # standalone on the daemon's store

# same OUT1 OUT2 WHAT: two files must be equal
same() { if cmp -s "$1" "$2"; then ok "$3"; else bad "$3"; diff "$1" "$2" | head -n 10; fi; }

# ================= A. routed = standalone =================
"$OBDGW" wo add RO-R1 --vin LFV2A21K6M3012345 --complaint "shakes at idle" --daemon >"$T/a1" 2>&1; e1=$?
SA wo add RO-R2 --vin LFV2A21K6M3012345 --complaint "shakes at idle" >"$T/a2" 2>&1; e2=$?
sed 's/RO-R2/RO-R1/' "$T/a2" >"$T/a2s"
[ $e1 = 0 ] && [ $e2 = 0 ] && same "$T/a1" "$T/a2s" "A1. wo add --daemon prints what wo add prints (exit 0)"
"$OBDGW" wo add RO-R1 --daemon >"$T/a1" 2>&1; e1=$?
SA wo add RO-R1 >"$T/a2" 2>&1; e2=$?
[ $e1 = $e2 ] && [ $e1 = 2 ] && same "$T/a1" "$T/a2" "A2. duplicate RO: same message, same exit code ($e1)" || bad "A2. exit $e1 vs $e2"
"$OBDGW" scan --bay 1 --ro RO-R1 --stage pre >/dev/null 2>&1 || bad "A3. scan --bay 1"
for l in en zh; do
    "$OBDGW" --lang $l wo show RO-R1 --daemon >"$T/s1" 2>&1; e1=$?
    SA --lang $l wo show RO-R1 >"$T/s2" 2>&1; e2=$?
    [ $e1 = 0 ] && [ $e2 = 0 ] && grep -q "#1" "$T/s1" && same "$T/s1" "$T/s2" "A3. wo show ($l) through the daemon = standalone, scan #1 listed"
done
"$OBDGW" --json wo show RO-R1 --daemon >"$T/s1" 2>&1
SA --json wo show RO-R1 >"$T/s2" 2>&1
same "$T/s1" "$T/s2" "A4. wo show --json identical"
"$OBDGW" wo list --daemon >"$T/s1" 2>&1; SA wo list >"$T/s2" 2>&1
same "$T/s1" "$T/s2" "A5. wo list identical"
"$OBDGW" wo show RO-NONE --daemon >"$T/s1" 2>&1; e1=$?
SA wo show RO-NONE >"$T/s2" 2>&1; e2=$?
[ $e1 = 3 ] && [ $e2 = 3 ] && same "$T/s1" "$T/s2" "A6. unknown RO: same error text, exit 3 both" || bad "A6. exit $e1 vs $e2"
CODE=$(SA --json wo show RO-R1 | grep -o '"code":[^,]*' | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/')
if [ -n "$CODE" ]; then
    "$OBDGW" wo finding RO-R1 "$CODE" approve --by "advisor Wang" --daemon >"$T/f1" 2>&1; e1=$?
    SA --json wo show RO-R1 | grep -q '"decided_by":[^"]*"advisor Wang"' && [ $e1 = 0 ] &&
        grep -q "approved" "$T/f1" && ok "A7. wo finding --daemon recorded the consent ($CODE approved by advisor Wang)" ||
        bad "A7. wo finding through the daemon"
else
    bad "A7. the scan proposed no additional item to decide"
fi
"$OBDGW" wo attach RO-R2 1 --daemon >"$T/f1" 2>&1; e1=$?
SA wo attach RO-R2 1 >"$T/f2" 2>&1; e2=$?
[ $e1 = $e2 ] && same "$T/f1" "$T/f2" "A8. wo attach --daemon: same answer and exit ($e1) as standalone: $(cat "$T/f1")" || bad "A8. exit $e1 vs $e2"
"$OBDGW" wo close RO-R2 --daemon >"$T/f1" 2>&1; e1=$?
[ $e1 = 0 ] && grep -q "RO RO-R2 closed" "$T/f1" && SA wo list --all | grep -q "RO-R2 *closed" && ok "A8b. wo close --daemon closed RO-R2" || bad "A8b. wo close: $(cat "$T/f1")"
"$OBDGW" wo show RO-R1 --store /etc/passwd --daemon >"$T/f1" 2>&1; e1=$?
[ $e1 = 2 ] && ok "A9. --store refused through the daemon (exit 2)" || bad "A9. --store through the daemon: exit $e1"

# report: same JSON (the generation time aside), PDF written by the CLI
"$OBDGW" report RO-R1 --format json --daemon | grep -v '"generated"' >"$T/r1"
SA report RO-R1 --format json | grep -v '"generated"' >"$T/r2"
[ -s "$T/r1" ] && same "$T/r1" "$T/r2" "A10. report --format json through the daemon = standalone"
"$OBDGW" --lang zh report RO-R1 --daemon | grep -v -e 'generated' -e '生成' >"$T/r1"
SA --lang zh report RO-R1 | grep -v -e 'generated' -e '生成' >"$T/r2"
[ -s "$T/r1" ] && same "$T/r1" "$T/r2" "A11. report html (zh) through the daemon = standalone"
"$OBDGW" report RO-R1 --daemon -o "$T/ro1.pdf" 2>"$T/r1.err"; e1=$?
[ $e1 = 0 ] && head -c 5 "$T/ro1.pdf" | grep -q '%PDF-' && grep -q "report written: $T/ro1.pdf" "$T/r1.err" &&
    ok "A12. report -o FILE.pdf --daemon: the CLI wrote a PDF ($(wc -c <"$T/ro1.pdf") bytes)" || bad "A12. pdf through the daemon (exit $e1)"
"$OBDGW" report RO-NONE --daemon >"$T/r1" 2>&1; e1=$?
SA report RO-NONE >"$T/r2" 2>&1; e2=$?
[ $e1 = $e2 ] && [ $e1 = 3 ] && same "$T/r1" "$T/r2" "A13. report of an unknown RO: same error, exit 3" || bad "A13. exit $e1 vs $e2"

# live: the same lines as the standalone command (time and value columns aside)
strip() { sed 's/^ *[0-9.]* //; s/  *[-0-9.]* [^ ]*$//' "$1"; }
"$OBDGW" live --bay 1 --pid rpm,coolant,speed --count 9 >"$T/l1" 2>"$T/l1.err"; e1=$?
"$OBDGW" live --adapter sim --pid rpm,coolant,speed --count 9 >"$T/l2" 2>"$T/l2.err"; e2=$?
strip "$T/l1" >"$T/l1s"; strip "$T/l2" >"$T/l2s"
[ $e1 = 0 ] && [ $e2 = 0 ] && [ "$(wc -l <"$T/l1")" = 9 ] && same "$T/l1s" "$T/l2s" "A14. live --bay 1: 9 lines, same ECUs/PIDs/units as live --adapter sim"
grep -q "^live: 9 samples in" "$T/l1.err" && ok "A15. live --bay summary: $(cat "$T/l1.err")" || bad "A15. summary: $(cat "$T/l1.err")"
"$OBDGW" live --bay 1 --pid nosuchpid >"$T/l1" 2>&1; e1=$?
"$OBDGW" live --adapter sim --pid nosuchpid >"$T/l2" 2>&1; e2=$?
[ $e1 = 3 ] && [ $e2 = 3 ] && same "$T/l1" "$T/l2" "A16. unknown PID: same error, exit 3"
"$OBDGW" live --bay 9 --pid rpm >"$T/l1" 2>&1; e1=$?
[ $e1 = 3 ] && ok "A17. live --bay 9 (no such bay): exit 3: $(cat "$T/l1")" || bad "A17. exit $e1"
"$OBDGW" --json live --bay 1 --pid coolant --count 2 --record --ro RO-R1 >"$T/l1" 2>"$T/l1.err"; e1=$?
grep -q '"key":"coolant_temp"' "$T/l1" && grep -q "recording saved #[0-9]*: 2 samples, RO RO-R1" "$T/l1.err" &&
    SA wo show RO-R1 | grep -q "PID 05  2 samples" && ok "A18. live --bay --record --ro: JSON lines, recording saved to RO-R1" ||
    bad "A18. recording through the daemon (exit $e1): $(cat "$T/l1.err")"
"$OBDGW" live --bay 1 --pid rpm --duration 60 >"$T/l1" 2>"$T/l1.err" &
LP=$!
sleep 1.5
kill -INT $LP
i=0; while kill -0 $LP 2>/dev/null && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
wait $LP; e1=$?
n=$(wc -l <"$T/l1")
[ $e1 = 0 ] && [ "$n" -gt 0 ] && grep -q "^live: $n samples" "$T/l1.err" && ok "A19. Ctrl-C: stream stopped cleanly in $((i * 50)) ms, exit 0, $n samples, totals from the daemon" ||
    bad "A19. Ctrl-C: exit $e1, $n lines, $(cat "$T/l1.err")"
sleep 0.3
"$OBDGW" status | grep -q "^bay 1 *idle" && ok "A20. bay 1 idle again after the stop" || bad "A20. bay 1 not idle: $("$OBDGW" status | grep '^bay 1')"

# ================= B. remote support over MQTT =================
O="-h 127.0.0.1 -p $PORT -u dms -P dmspass"
# rr NAME JSON [extra mosquitto_rr options]: one request, the reply on stdout
# The identity is the topic's user level (dms/v1/ws01/req/eng-li/NAME), never the payload.
rr() { n=$1; m=$2; shift 2; timeout 8 mosquitto_rr $O -t "dms/v1/ws01/req/eng-li/$n" -e "obdgw/v1/ws01/resp/eng-li" -m "$m" -W 6 "$@" 2>/dev/null | tee -a "$T/replies.log"; echo >>"$T/replies.log"; }
# rr_as USER NAME JSON: the same as another user (this test's broker lets the dms account write any user level)
rr_as() { u=$1; n=$2; m=$3; shift 3; timeout 8 mosquitto_rr $O -t "dms/v1/ws01/req/$u/$n" -e "obdgw/v1/ws01/resp/$u" -m "$m" -W 6 "$@" 2>/dev/null | tee -a "$T/replies.log"; echo >>"$T/replies.log"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read() or "{}"); print(eval("d"+sys.argv[1]))' "$1" 2>/dev/null; }
sub_live() { timeout "$2" mosquitto_sub $O -t 'obdgw/v1/ws01/resp/+/bay/+/live' >"$1" 2>/dev/null & sleep 0.3; }
START_REQ='{"bay":1,"pids":["rpm","coolant","speed"],"rate_hz":10}'

R=$(rr live.start "$START_REQ")
[ "$(echo "$R" | field '["error"]')" = no_consent ] && echo "$R" | grep -q '"zh":"工位未允许远程支持"' &&
    ok "B1. no consent: refused (no_consent, reason in en + zh)" || bad "B1. without consent: $R"
"$OBDGW" consent --bay 1 --grant --minutes 10 --to eng-li >"$T/c1"; e1=$?
"$OBDGW" status >"$T/st"
[ $e1 = 0 ] && grep -q "^bay 1 .*remote consent to eng-li until" "$T/st" && ok "B2. consent granted, shown in status: $(grep '^bay 1' "$T/st" | sed 's/.*· remote/remote/')" ||
    bad "B2. consent/status: $(cat "$T/c1") / $(grep '^bay 1' "$T/st")"
R=$(rr_as someone-else live.start '{"bay":1,"pids":["rpm"]}')
[ "$(echo "$R" | field '["error"]')" = no_consent ] && ok "B3. consent given to eng-li only: another requester refused" || bad "B3. $R"
sub_live "$T/live1" 6
R=$(rr live.start "$START_REQ")
SID=$(echo "$R" | field '["stream_id"]')
[ "$(echo "$R" | field '["ok"]')" = True ] && [ -n "$SID" ] && ok "B4. granted: stream $SID on $(echo "$R" | field '["topic"]')" || bad "B4. start: $R"
sleep 2
"$OBDGW" status | grep -q "^bay 1 *live .*streaming to eng-li" && ok "B5. status shows the bay streaming to eng-li" || bad "B5. status: $("$OBDGW" status | grep '^bay 1')"
"$OBDGW" consent --bay 1 --revoke >/dev/null
sleep 3.5
python3 - "$T/live1" "$SID" <<'PY' && ok "B6. $(cat "$T/b6")" || bad "B6. $(cat "$T/b6")"
import json, sys
frames, end, after = [], None, 0
for line in open(sys.argv[1]):
    m = json.loads(line)
    if m.get("stream_id") != sys.argv[2]: continue
    if m["schema"] == "obdgw.dms.live_end": end = m
    elif end: after += 1
    else: frames.append(m)
vals = {}
for f in frames:
    for s in f["samples"]: vals.setdefault(s["key"], []).append(s["value"])
cool, rpm = vals.get("coolant_temp", []), vals.get("rpm", [])
okv = cool and all(-40 <= v <= 130 for v in cool) and rpm and all(0 <= v <= 8000 for v in rpm)
msg = "%d frames, %d samples (coolant %s..%s C, rpm %s..%s), ended: %s, %d after the end" % (
    len(frames), sum(len(f["samples"]) for f in frames), min(cool or [0]), max(cool or [0]), min(rpm or [0]),
    max(rpm or [0]), end and end["reason"], after)
open(sys.argv[1].rsplit("/", 1)[0] + "/b6", "w").write("revoke: " + msg)
sys.exit(0 if len(frames) >= 5 and okv and end and end["reason"] == "consent_revoked" and end["text"]["zh"] and after == 0 else 1)
PY
"$OBDGW" status | grep -q "^bay 1 *idle" && ! "$OBDGW" status | grep -q "^bay 1.*remote consent" &&
    ok "B7. after the revoke: bay idle, no consent shown" || bad "B7. $("$OBDGW" status | grep '^bay 1')"
# expiry
"$OBDGW" consent --bay 1 --grant --seconds 3 >/dev/null
sub_live "$T/live2" 7
R=$(rr live.start "$START_REQ"); SID=$(echo "$R" | field '["stream_id"]')
sleep 5
grep "$SID" "$T/live2" | grep -q '"reason":"consent_expired"' && ok "B8. consent expired after 3 s: stream ended with consent_expired" || bad "B8. expiry: $R"
R=$(rr live.start "$START_REQ")
[ "$(echo "$R" | field '["error"]')" = no_consent ] && echo "$R" | grep -q 'expired' && ok "B9. after expiry: refused ('$(echo "$R" | field '["reason"]["en"]')')" || bad "B9. $R"
# idle timeout, Will
"$OBDGW" consent --bay 1 --grant >/dev/null
sub_live "$T/live3" 6
R=$(rr live.start '{"bay":1,"pids":["rpm"],"rate_hz":5,"idle_s":1}'); SID=$(echo "$R" | field '["stream_id"]')
sleep 3
grep "$SID" "$T/live3" | grep -q '"reason":"idle_timeout"' && ok "B10. no keepalive within idle_s=1: ended with idle_timeout" || bad "B10. idle: $R"
# the requester's Will is a live.stop naming it: the broker sends it when the requester dies
mosquitto_sub $O -i eng-li-session -W 20 -t 'obdgw/v1/ws01/resp/eng-li' --will-topic dms/v1/ws01/req/eng-li/live.stop \
    --will-payload '{"reason":"will"}' --will-qos 1 >/dev/null 2>&1 &
WP=$!
sub_live "$T/live4" 6
R=$(rr live.start "$START_REQ"); SID=$(echo "$R" | field '["stream_id"]')
sleep 1
R2=$(rr live.keepalive "{\"stream_id\":\"$SID\"}")
kill -9 $WP
sleep 2
[ "$(echo "$R2" | field '["ok"]')" = True ] && grep "$SID" "$T/live4" | grep -q '"reason":"requester_gone"' &&
    ok "B11. keepalive answered; requester killed -> its Will ended the stream (requester_gone)" || bad "B11. will: $R2"
# busy bay
"$OBDGW" live --bay 1 --pid rpm --duration 3 >/dev/null 2>&1 &
LP=$!
sleep 0.7
R=$(rr live.start "$START_REQ")
[ "$(echo "$R" | field '["error"]')" = busy ] && ok "B12. bay busy with local live data: refused ('$(echo "$R" | field '["reason"]["en"]')')" || bad "B12. busy: $R"
wait $LP
# malformed, oversized, invalid, bad route
R=$(rr live.start 'this is not json {')
[ "$(echo "$R" | field '["error"]')" = malformed ] && ok "B13. malformed request: refused (malformed)" || bad "B13. $R"
head -c 6000 /dev/zero | tr '\0' x >"$T/big"
R=$(rr live.start "$(cat "$T/big")")
[ "$(echo "$R" | field '["error"]')" = too_large ] && ok "B14. 6000-byte request: refused ('$(echo "$R" | field '["reason"]["en"]')')" || bad "B14. $R"
R=$(rr live.start '{"bay":1,"pids":["rpm","nosuch"]}')
[ "$(echo "$R" | field '["error"]')" = invalid ] && ok "B15. unknown PID: refused (invalid)" || bad "B15. $R"
R=$(rr live.start '{"bay":1,"pids":["rpm","speed","coolant","load","iat","maf","throttle","stft_b1","ltft_b1","timing_advance","map","fuel_level","baro","o2_s1","ambient_temp","runtime","fuel_pressure"]}')
[ "$(echo "$R" | field '["error"]')" = invalid ] && echo "$R" | grep -q "1 to 16 PID" && ok "B15b. 17 PIDs (limit 16): refused (invalid)" || bad "B15b. $R"
R=$(rr live.start '{"bay":1,"pids":["rpm"],"rate_hz":500}')
[ "$(echo "$R" | field '["error"]')" = invalid ] && ok "B16. rate_hz 500: refused ('$(echo "$R" | field '["reason"]["en"]')')" || bad "B16. $R"
R=$(rr live.start '{"bay":7,"pids":["rpm"]}')
[ "$(echo "$R" | field '["error"]')" = no_such_bay ] && ok "B17. unknown bay: refused (no_such_bay)" || bad "B17. $R"
timeout 4 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/live.start -e obdgw/v1/ws01/scan -m "$START_REQ" -W 2 >/dev/null 2>&1
grep -q "response topic 'obdgw/v1/ws01/scan' outside" "$T/obdgwd.log" && ok "B18. reply route onto the gateway's own scan topic: ignored, logged" || bad "B18. route check"
kill -0 "$(cat "$T/obdgwd.pid")" && ok "B19. obdgwd still running" || bad "B19. obdgwd died"
# DTC read
R=$(rr dtc.read '{"bay":1}')
[ "$(echo "$R" | field '["ok"]')" = True ] && echo "$R" | grep -q '"code":"P0' && ! echo "$R" | grep -q LFV2A21K6M3012345 &&
    ok "B20. dtc.read: $(echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(", ".join(c["code"]+" ("+c.get("en","")+")" for e in d["dtcs"]["ecus"] for c in e["stored"]))'), no VIN in the reply" ||
    bad "B20. dtc.read: $R"
# adapter lost mid-stream: bay 2's simulator is killed
"$OBDGW" consent --bay 2 --grant >/dev/null
sub_live "$T/live6" 6
R=$(rr live.start '{"bay":2,"pids":["rpm","coolant"],"rate_hz":10}'); SID=$(echo "$R" | field '["stream_id"]')
sleep 1
kill "$(cat "$T/sim.pid")"; rm -f "$T/sim.pid"
sleep 3
N=$(grep "$SID" "$T/live6" | grep -c live_samples)
grep "$SID" "$T/live6" | grep -q '"reason":"adapter_lost"' && [ "$N" -ge 2 ] &&
    ok "B20b. adapter pulled mid-stream: $N frames, then ended with adapter_lost ('$(grep "$SID" "$T/live6" | grep -o '"detail":"[^"]*"')')" ||
    bad "B20b. adapter loss: $R / $N frames"
"$OBDGW" consent --bay 2 --revoke >/dev/null
# ---- identity from the topic, more read-only requests, proposals (#12) ----
"$OBDGW" consent --bay 1 --grant --minutes 10 --to eng-li >/dev/null
R=$(rr live.start '{"bay":1,"pids":["rpm"],"requester":"eng-li"}')
[ "$(echo "$R" | field '["error"]')" = requester_refused ] && ok "B23. a payload 'requester' is refused ('$(echo "$R" | field '["reason"]["en"]' | cut -c1-60)...')" || bad "B23. $R"
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/live.start -e obdgw/v1/ws01/resp/eng-li -m '{"bay":1,"pids":["rpm"]}' -W 6 2>/dev/null)
[ "$(echo "$R" | field '["error"]')" = no_identity ] && ok "B24. the old topic without a user level: refused (no_identity)" || bad "B24. $R"
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/status -e obdgw/v1/ws01/resp/eng-wu -m '{}' -W 3 2>/dev/null)
[ -z "$R" ] && grep -q "from eng-li with response topic 'obdgw/v1/ws01/resp/eng-wu' outside" "$T/obdgwd.log" &&
    ok "B25. a reply route under another user's resp/: nothing sent, logged" || bad "B25. $R"
R=$(rr status '{}')
[ "$(echo "$R" | field '["you"]["user"]')" = eng-li ] && [ "$(echo "$R" | field '["you"]["bays"][0]["consent"]')" = True ] &&
    [ "$(echo "$R" | field '["you"]["bays"][1]["consent"]')" = False ] && ok "B26. status for eng-li: bay 1 consented to eng-li, bay 2 not" || bad "B26. $R"
R=$(rr_as eng-wu status '{}')
[ "$(echo "$R" | field '["you"]["bays"][0]["consent"]')" = False ] && ok "B26b. status for eng-wu: bay 1 not consented to eng-wu" || bad "B26b. $R"
sub_live "$T/live7" 8
R=$(rr live.start '{"bay":1,"pids":["rpm"],"rate_hz":5}'); SID=$(echo "$R" | field '["stream_id"]')
[ "$(echo "$R" | field '["topic"]')" = "obdgw/v1/ws01/resp/eng-li/bay/1/live" ] && ok "B27. the stream goes to eng-li's own topic ($(echo "$R" | field '["topic"]'))" || bad "B27. $R"
R=$(rr_as eng-wu live.keepalive "{\"stream_id\":\"$SID\"}")
R2=$(rr_as eng-wu live.stop "{\"stream_id\":\"$SID\"}")
sleep 1
"$OBDGW" status | grep -q "^bay 1 *live .*streaming to eng-li" && [ "$(echo "$R" | field '["error"]')" = no_such_stream ] &&
    [ "$(echo "$R2" | field '["error"]')" = no_such_stream ] && ok "B28. eng-wu naming eng-li's stream id: keepalive and stop refused (no_such_stream), the stream runs on" ||
    bad "B28. $R / $R2"
R=$(rr live.stop "{\"stream_id\":\"$SID\"}")
sleep 0.6
[ "$(echo "$R" | field '["streams"]')" = 1 ] && ok "B28b. eng-li stops its own stream" || bad "B28b. $R"
NSCANS=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from scans").fetchone()[0])' "$T/obdgw.db")
R=$(rr scan.read '{"bay":1}')
echo "$R" >"$T/scanread"
python3 - "$T/scanread" <<'PY' && ok "B29. scan.read: $(cat "$T/scanread.msg")" || bad "B29. $(head -c 300 "$T/scanread")"
import json, sys
d = json.load(open(sys.argv[1])); r = d.get("result", {})
codes = [c["code"] for e in r.get("ecus", []) for c in e.get("dtcs", {}).get("stored", [])]
open(sys.argv[1] + ".msg", "w").write("%d ECU(s), VIN %s, stored %s, saved=%s" % (len(r.get("ecus", [])), (r.get("vehicle") or {}).get("vin") or r.get("vin"), ",".join(codes), r.get("saved")))
sys.exit(0 if d["ok"] and r.get("ecus") and r.get("saved") is False and codes else 1)
PY
N2=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from scans").fetchone()[0])' "$T/obdgw.db")
[ "$NSCANS" = "$N2" ] && ok "B30. the remote scan was not saved ($N2 scans in the store before and after)" || bad "B30. scans $NSCANS -> $N2"
for q in freeze_frame.read:freeze_frame readiness.read:readiness mode06.read:mode06; do
    n=${q%%:*}; k=${q#*:}
    R=$(rr "$n" '{"bay":1}')
    echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); k=sys.argv[1]; e=[x for x in d["result"]["ecus"] if k in x]; print(len(e)); sys.exit(0 if d["ok"] and e and "dtcs" not in d["result"]["ecus"][0] else 1)' "$k" >/dev/null 2>&1 &&
        ok "B31. $n: the ECUs' $k only" || bad "B31. $n: $(echo "$R" | head -c 300)"
done
R=$(rr uds_dtc.read '{"bay":1,"module":"713:77D"}')
echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d["result"]["modules"]; sys.exit(0 if d["ok"] and len(m)==1 and m[0].get("dtcs") else 1)' 2>/dev/null &&
    ok "B32. uds_dtc.read module 713:77D (the ABS): $(echo "$R" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d["result"]["modules"][0]; print(", ".join(x.get("code","?") for x in m["dtcs"]), "·", len(m.get("records",[])), "snapshot record(s)")' 2>/dev/null)" ||
    bad "B32. $(echo "$R" | head -c 400)"
R=$(rr uds_dtc.read '{"bay":1,"module":"zz"}')
[ "$(echo "$R" | field '["error"]')" = invalid ] && ok "B32b. uds_dtc.read with a bad module id: refused (invalid)" || bad "B32b. $R"
R=$(rr ro.scans '{"bay":1}')
[ "$(echo "$R" | field '["error"]')" = no_ro_shared ] && ok "B33. ro.scans without an RO shared: refused (no_ro_shared)" || bad "B33. $R"
"$OBDGW" consent --bay 1 --grant --minutes 10 --to eng-li --ro RO-R1 >/dev/null
R=$(rr ro.scans '{"bay":1}')
SC=$(echo "$R" | field '["scans"][0]["scan_id"]')
[ "$(echo "$R" | field '["ro"]')" = RO-R1 ] && [ -n "$SC" ] && ok "B34. ro.scans: RO-R1's scans by reference (first #$SC)" || bad "B34. $R"
R=$(rr ro.report "{\"bay\":1,\"scan_id\":$SC}")
[ "$(echo "$R" | field '["report"]["schema"]')" = "obdgw.report/1" ] && ok "B35. ro.report of scan #$SC: an obdgw.report/1 document" || bad "B35. $(echo "$R" | head -c 300)"
R=$(rr ro.report '{"bay":1,"scan_id":99999}')
[ "$(echo "$R" | field '["error"]')" = not_found ] && ok "B35b. ro.report of a scan not on the shared RO: refused (not_found)" || bad "B35b. $R"
R=$(rr_as eng-wu ro.scans '{"bay":1}')
[ "$(echo "$R" | field '["error"]')" = no_consent ] && ok "B36. eng-wu asking for eng-li's shared RO: refused (no_consent)" || bad "B36. $R"
# a clear is only proposed; the bay confirms it
timeout 20 mosquitto_sub $O -t obdgw/v1/ws01/resp/eng-li/clear -v >"$T/props" 2>/dev/null &
sleep 0.3
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/clear.propose -e obdgw/v1/ws01/resp/eng-li/clear -m '{"bay":1,"kind":"obd","reason":"misfire fixed, clear to re-check"}' -W 6 2>/dev/null)
PID_=$(echo "$R" | field '["proposal_id"]')
[ "$(echo "$R" | field '["state"]')" = waiting ] && ok "B37. clear.propose: waiting for the bay ($PID_)" || bad "B37. $R"
"$OBDGW" status | grep -q "^bay 1 .*idle .*clear proposed by eng-li: obdgw confirm --bay 1" &&
    "$OBDGW" status --json | grep -Eq '"proposed_by":[[:space:]]*"eng-li"' &&
    ok "B38. nothing cleared yet: bay 1 idle, status shows the waiting proposal" || bad "B38. $("$OBDGW" status | grep '^bay 1')"
"$OBDGW" confirm --bay 1 >"$T/cf" 2>&1; e1=$?
"$OBDGW" --lang zh confirm --bay 1 >"$T/cfzh" 2>&1
[ $e1 = 0 ] && grep -q "eng-li proposed at .*clear the OBD codes .* on RO RO-R1; reason: misfire fixed" "$T/cf" && grep -q "eng-li 于 .*提议" "$T/cfzh" &&
    ok "B39. obdgw confirm --bay 1 shows what and by whom: $(head -n 1 "$T/cf")" || bad "B39. exit $e1: $(cat "$T/cf")"
"$OBDGW" confirm --bay 1 --yes --tech "tech Zhao" >"$T/cf" 2>&1; e1=$?
sleep 1
python3 - "$T/obdgw.db" "$PID_" >"$T/cfa" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for a, actor, d in db.execute("SELECT action, actor, details FROM audit WHERE details LIKE ? OR action = 'clear_intent' ORDER BY id", ("%" + sys.argv[2] + "%",)):
    print(a, actor, d)
PY
grep -q "^remote_clear_proposed eng-li" "$T/cfa" && grep -q "^remote_clear_confirmed tech Zhao" "$T/cfa" && grep -q "^clear_intent tech Zhao" "$T/cfa" && grep -q "^clear tech Zhao .*remote proposal $PID_ by eng-li" "$T/cfa" &&
    grep -q "^remote_clear_done eng-li" "$T/cfa" && grep -q '"state":"confirmed"' "$T/props" && grep -Eq '"state":"(cleared|failed)"' "$T/props" &&
    ok "B40. confirm --yes ran the guarded clear (exit $e1: $(head -n 1 "$T/cf" | cut -c1-70)); audit: proposed by eng-li, confirmed + clear_intent by tech Zhao, done; eng-li told: $(grep -o '"state":"[a-z]*"' "$T/props" | tr '\n' ' ')" ||
    bad "B40. exit $e1: $(cat "$T/cf") / $(cat "$T/cfa") / $(cat "$T/props")"
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/clear.propose -e obdgw/v1/ws01/resp/eng-li/clear -m '{"bay":1,"kind":"uds","module":"713","expires_s":5}' -W 6 2>/dev/null)
sleep 6.5
"$OBDGW" confirm --bay 1 --yes >"$T/cf" 2>&1; e1=$?
[ "$(echo "$R" | field '["state"]')" = waiting ] && [ $e1 = 3 ] && grep -q '"state":"expired"' "$T/props" &&
    ok "B41. an unconfirmed proposal expires (eng-li told); confirm afterwards: exit 3 '$(cat "$T/cf")'" || bad "B41. $R / exit $e1 $(cat "$T/cf")"
R=$(rr_as eng-wu clear.propose '{"bay":1}')
[ "$(echo "$R" | field '["error"]')" = no_consent ] && ok "B42. eng-wu cannot propose on a bay consented to eng-li" || bad "B42. $R"
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/clear.propose -e obdgw/v1/ws01/resp/eng-li/clear -m '{"bay":1}' -W 6 2>/dev/null)
"$OBDGW" confirm --bay 1 --decline --tech "tech Zhao" >"$T/cf" 2>&1; e1=$?
sleep 0.5
[ "$(echo "$R" | field '["state"]')" = waiting ] && [ $e1 = 0 ] && grep -q '"state":"declined"' "$T/props" &&
    python3 -c 'import sqlite3,sys; sys.exit(0 if sqlite3.connect(sys.argv[1]).execute("select count(*) from audit where action=? and actor=?", ("remote_clear_declined", "tech Zhao")).fetchone()[0] == 1 else 1)' "$T/obdgw.db" &&
    ok "B43. confirm --decline: refused at the bay, audited (tech Zhao), eng-li told: $(cat "$T/cf")" || bad "B43. exit $e1 $(cat "$T/cf") / $R"
timeout 12 mosquitto_sub $O -t obdgw/v1/ws01/resp/eng-li/clear2 -v >"$T/props2" 2>/dev/null &
sleep 0.3
R=$(timeout 8 mosquitto_rr $O -t dms/v1/ws01/req/eng-li/clear.propose -e obdgw/v1/ws01/resp/eng-li/clear2 -m '{"bay":1}' -W 6 2>/dev/null)
"$OBDGW" consent --bay 1 --revoke >/dev/null
"$OBDGW" confirm --bay 1 --yes >"$T/cf" 2>&1; e1=$?
sleep 0.5
[ "$(echo "$R" | field '["state"]')" = waiting ] && [ $e1 = 3 ] && grep -q '"state":"expired".*consent ended' "$T/props2" &&
    ok "B44. consent revoked while a proposal waits: dropped (eng-li told why), confirm --yes runs nothing (exit 3)" || bad "B44. exit $e1 $(cat "$T/cf") / $(cat "$T/props2")"
"$OBDGW" consent --bay 1 --revoke >/dev/null

# the route in the payload (what an MQTT 3.1.1 requester sends)
timeout 8 mosquitto_sub $O -V mqttv311 -t obdgw/v1/ws01/resp/v311 -C 1 -W 6 >"$T/v311" 2>/dev/null &
SP=$!
sleep 0.3
mosquitto_pub $O -V mqttv311 -q 1 -t dms/v1/ws01/req/v311/live.stop \
    -m '{"response_topic":"obdgw/v1/ws01/resp/v311","correlation_data":"c-42"}'
wait $SP
grep -q '"correlation_data":"c-42"' "$T/v311" && grep -q '"request":"live.stop"' "$T/v311" &&
    ok "B21. MQTT 3.1.1 requester: reply on the payload's response_topic with its correlation_data" || bad "B21. $(cat "$T/v311")"
"$OBDGW" consent --bay 1 --revoke >/dev/null
cat "$T"/live[0-9] "$T/v311" >>"$T/replies.log"
python3 - "$HERE/../../docs/schemas" "$T/replies.log" >"$T/schemas.out" 2>&1 <<'PY' && ok "B21b. $(cat "$T/schemas.out")" || bad "B21b. $(cat "$T/schemas.out")"
import json, sys, jsonschema
d, log = sys.argv[1], sys.argv[2]
names = {"obdgw.dms.response": "response", "obdgw.dms.live_samples": "live_samples", "obdgw.dms.live_end": "live_end"}
count, bad = {}, 0
for line in open(log):
    line = line.strip()
    if not line: continue
    m = json.loads(line)
    n = names.get(m.get("schema"))
    if not n: bad += 1; print("unknown message", line[:80]); continue
    try:
        jsonschema.validate(m, json.load(open("%s/%s.json" % (d, n))))
        count[n] = count.get(n, 0) + 1
    except jsonschema.ValidationError as e:
        bad += 1; print(n, e.message)
print("messages valid against docs/schemas: %s" % ", ".join("%s %d" % kv for kv in sorted(count.items())))
sys.exit(1 if bad or len(count) < 3 else 0)
PY
python3 - "$T/obdgw.db" >"$T/audit" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for a, n in db.execute("SELECT action, count(*) FROM audit WHERE action LIKE 'remote_%' GROUP BY action ORDER BY action"):
    print("%s=%d" % (a, n))
PY
SA audit verify >/dev/null 2>&1 && grep -q remote_consent_grant "$T/audit" && grep -q remote_consent_revoke "$T/audit" &&
    grep -q remote_consent_expire "$T/audit" && grep -q remote_live_start "$T/audit" && grep -q remote_live_end "$T/audit" &&
    grep -q remote_dtc_read "$T/audit" && grep -q remote_read "$T/audit" && grep -q remote_ro_read "$T/audit" && ok "B22. audit log: $(tr '\n' ' ' <"$T/audit"); chain verifies" || bad "B22. audit: $(cat "$T/audit")"

# ================= C. MQTT 3.1.1 fallback =================
daemon_stop "$T"
FPORT=$(pick_port)
python3 "$HERE/mqtt_v311_front.py" "$FPORT" "$PORT" >"$T/front.log" 2>&1 &
echo $! >"$T/front.pid"
i=0; while ! listening "$FPORT" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sed -i "s|^broker = tcp://127.0.0.1:$PORT|broker = tcp://127.0.0.1:$FPORT|" "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
i=0; while ! "$OBDGW" status | grep -q "connected (MQTT 3.1.1)" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$OBDGW" status | grep -q "connected (MQTT 3.1.1)" && grep -q "refused MQTT 5" "$T/front.log" &&
    grep -q "retrying with MQTT 3.1.1" "$T/obdgwd.log" && ok "C1. broker refused MQTT 5: obdgwd fell back and connected with 3.1.1" ||
    bad "C1. fallback: $("$OBDGW" status | sed -n 2p); front: $(cat "$T/front.log")"
"$OBDGW" consent --bay 1 --grant >/dev/null
timeout 8 mosquitto_sub $O -V mqttv311 -t obdgw/v1/ws01/resp/eng-li/v311 -C 1 -W 6 >"$T/v311" 2>/dev/null &
SP=$!
sub_live "$T/live5" 5
mosquitto_pub $O -V mqttv311 -q 1 -t dms/v1/ws01/req/eng-li/live.start \
    -m '{"bay":1,"pids":["coolant"],"rate_hz":5,"response_topic":"obdgw/v1/ws01/resp/eng-li/v311","correlation_data":"c-7"}'
wait $SP
sleep 2
"$OBDGW" consent --bay 1 --revoke >/dev/null
sleep 2.5
SID=$(field '["stream_id"]' <"$T/v311")
N=$(grep "$SID" "$T/live5" | grep -c '"obdgw.dms.live_samples"')
grep -q '"correlation_data":"c-7"' "$T/v311" && [ "$N" -ge 3 ] && grep "$SID" "$T/live5" | grep -q consent_revoked &&
    ok "C2. over 3.1.1: reply via the payload route (correlation c-7), $N sample frames, revoke ended it" ||
    bad "C2. 3.1.1 flow: reply $(cat "$T/v311"), $N frames"
"$OBDGW" wo show RO-R1 --daemon | grep -q "RO-R1" && ok "C3. control socket unaffected by the fallback" || bad "C3."

echo "remote_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "remote_test: all passed" || { echo "logs in $T"; exit 1; }
