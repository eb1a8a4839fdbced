#!/bin/sh
# Identity the broker vouches for (#12 item 1), against a real mosquitto
# running the SHIPPED hw/mosquitto/group-broker.conf and group-acl.conf
# (only ports, paths and this test's CA substituted): per-user passwords,
# %u patterns, a client-certificate listener with use_identity_as_username.
#   1. engineers eng-li and eng-wu log in with their own passwords; the
#      gateway answers each on its own resp/ level
#   2. consent given to eng-li: eng-wu cannot stream or read (no_consent)
#   3. eng-wu cannot publish under eng-li's name (the broker drops it:
#      nothing reaches the gateway, nothing starts, nothing stops)
#   4. eng-wu (and the DMS) cannot read eng-li's replies or stream while
#      eng-li receives them
#   5. a client certificate with CN=eng-cert is the username eng-cert, with
#      no password, and the same rules
# Usage: sh tests/daemon/identity_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
HERE=$(cd "$(dirname "$0")" && pwd)
HW=$HERE/../../hw/mosquitto
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/obdgw-identity-test.XXXXXX)
P1=$(pick_port); P2=$(pick_port); P3=$(pick_port)
fails=0
cleanup() { daemon_stop "$T" KILL; broker_stop "$T"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)

make_tls "$T"
# a certificate for an engineer (CN = the username)
openssl req -newkey rsa:2048 -nodes -subj "/CN=eng-cert" -keyout "$T/eng.key" -out "$T/eng.csr" >/dev/null 2>&1
openssl x509 -req -in "$T/eng.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial -days 2 -out "$T/eng.crt" >/dev/null 2>&1
chmod 644 "$T/eng.key"
group_broker_conf "$T" "$P1" "$P2" "$P3"
grep -q '^pattern write dms/v1/+/req/%u/+' "$T/acl" && grep -q '^pattern read obdgw/v1/+/resp/%u/#' "$T/acl" &&
    grep -q '^use_identity_as_username true' "$T/mosquitto.conf" && grep -q '^protocol websockets' "$T/mosquitto.conf" ||
    bad "0. the shipped config lacks the %u patterns, use_identity_as_username or the websockets listener"
broker_start "$T" "$P1" || exit 1
i=0; while ! listening "$P3" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
listening "$P2" && listening "$P3" && ok "0. shipped broker config: TLS $P1, client-cert $P2, websockets $P3 listening" || bad "0. listeners"
daemon_conf "$T" "$P1" tls 1 sim
sed -i 's/^username = gw$/username = site-ws01/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
i=0; while ! "$OBDGW" status | grep -q "connected" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

TLS="-h 127.0.0.1 -p $P1 --cafile $T/ca.crt"
LI="$TLS -u eng-li -P lipass"; WU="$TLS -u eng-wu -P wupass"; DMS="$TLS -u dms -P dmspass"
CERT="-h 127.0.0.1 -p $P2 --cafile $T/ca.crt --cert $T/eng.crt --key $T/eng.key"
field() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read() or "{}"); print(eval("d"+sys.argv[1]))' "$1" 2>/dev/null; }
# rq OPTS USER NAME JSON: a request as USER on its own topic, the reply (or "")
rq() { o=$1; u=$2; n=$3; m=$4; timeout 8 mosquitto_rr $o -t "dms/v1/ws01/req/$u/$n" -e "obdgw/v1/ws01/resp/$u" -m "$m" -W 5 2>/dev/null; }

# 1. own name, own replies (the first try may come before the gateway's subscription)
i=0; while [ $i -lt 20 ]; do R=$(rq "$LI" eng-li status '{}'); [ -n "$R" ] && break; i=$((i + 1)); done
R2=$(rq "$WU" eng-wu status '{}')
[ "$(echo "$R" | field '["you"]["user"]')" = eng-li ] && [ "$(echo "$R2" | field '["you"]["user"]')" = eng-wu ] &&
    ok "1. eng-li and eng-wu (own passwords) each answered on their own resp/ level" || bad "1. $R / $R2"
R=$(timeout 5 mosquitto_rr -h 127.0.0.1 -p "$P1" --cafile "$T/ca.crt" -u eng-li -P wrong -t dms/v1/ws01/req/eng-li/status -e obdgw/v1/ws01/resp/eng-li -m '{}' -W 3 2>&1)
echo "$R" | grep -qi "not authori\|bad user name or password\|refused" && ok "1b. a wrong password is refused by the broker ($(echo "$R" | head -n 1))" || bad "1b. $R"

# 2. consent to eng-li: eng-wu refused
"$OBDGW" consent --bay 1 --grant --minutes 5 --to eng-li >/dev/null
R=$(rq "$WU" eng-wu live.start '{"bay":1,"pids":["rpm"]}')
R2=$(rq "$WU" eng-wu dtc.read '{"bay":1}')
R3=$(rq "$WU" eng-wu scan.read '{"bay":1}')
[ "$(echo "$R" | field '["error"]')" = no_consent ] && [ "$(echo "$R2" | field '["error"]')" = no_consent ] &&
    [ "$(echo "$R3" | field '["error"]')" = no_consent ] && ok "2. consent given to eng-li: eng-wu's live.start, dtc.read, scan.read refused (no_consent)" ||
    bad "2. $R / $R2 / $R3"

# 4 (set up): eng-li streams; eng-wu and the DMS try to listen in
timeout 9 mosquitto_sub $LI -t 'obdgw/v1/ws01/resp/eng-li/#' >"$T/li.out" 2>/dev/null &
timeout 9 mosquitto_sub $WU -t 'obdgw/v1/ws01/resp/eng-li/#' -t 'obdgw/v1/ws01/resp/#' -t '#' >"$T/wu.out" 2>"$T/wu.err" &
timeout 9 mosquitto_sub $DMS -t 'obdgw/v1/ws01/resp/eng-li/#' -t 'obdgw/v1/ws01/resp/+/bay/+/live' >"$T/dms.out" 2>/dev/null &
sleep 0.5
R=$(rq "$LI" eng-li live.start '{"bay":1,"pids":["rpm","speed"],"rate_hz":5,"idle_s":20}')
SID=$(echo "$R" | field '["stream_id"]')
[ -n "$SID" ] && ok "4a. eng-li's stream $SID started" || bad "4a. $R"

# 3. eng-wu publishing under eng-li's name: dropped by the broker
timeout 5 mosquitto_pub $WU -i wu-impostor -q 1 -t dms/v1/ws01/req/eng-li/live.stop -m "{\"stream_id\":\"$SID\"}" >/dev/null 2>&1
timeout 5 mosquitto_pub $WU -i wu-impostor2 -q 1 -t dms/v1/ws01/req/eng-li/dtc.read -m '{"bay":1,"response_topic":"obdgw/v1/ws01/resp/eng-li","correlation_data":"x"}' -V mqttv311 >/dev/null 2>&1
sleep 2
n=$(grep -c "remote: dtc.read on bay 1 for eng-li" "$T/obdgwd.log")
"$OBDGW" status | grep -q "^bay 1 *live .*streaming to eng-li" && [ "$n" = 0 ] && grep -q "Denied PUBLISH from wu-impostor .*dms/v1/ws01/req/eng-li/live.stop" "$T/mosquitto.log" && grep -q "Denied PUBLISH from wu-impostor2 .*dms/v1/ws01/req/eng-li/dtc.read" "$T/mosquitto.log" &&
    ok "3. eng-wu publishing under eng-li (live.stop of its stream, a dtc.read): denied by the broker, nothing reached the gateway, the stream runs on" ||
    bad "3. status: $("$OBDGW" status | grep '^bay 1'); dtc reads for eng-li: $n; broker: $(grep -c Denied "$T/mosquitto.log") denials"
R=$(rq "$LI" eng-li live.stop "{\"stream_id\":\"$SID\"}")
sleep 3
NL=$(grep -c '"obdgw.dms.live_samples"' "$T/li.out")
NR=$(grep -c 'obdgw.dms.live_end' "$T/li.out")
BAYST=$(grep -c 'obdgw.dms.bay_status' "$T/wu.out")
[ "$NL" -ge 3 ] && [ "$NR" = 1 ] && ! grep -q 'live_samples\|live_end\|obdgw.dms.response' "$T/wu.out" && [ ! -s "$T/dms.out" ] &&
    ok "4. eng-li got $NL sample frames and the end; eng-wu (resp/eng-li/#, resp/#, #) got none of it (only the $BAYST bay_status messages the ACL shows everyone), the DMS nothing" ||
    bad "4. eng-li $NL frames; eng-wu $(wc -l <"$T/wu.out") lines, dms $(wc -l <"$T/dms.out") lines"

# 5. a client certificate is the username (CN=eng-cert), no password
R=$(timeout 8 mosquitto_rr $CERT -t dms/v1/ws01/req/eng-cert/status -e obdgw/v1/ws01/resp/eng-cert -m '{}' -W 5 2>/dev/null)
[ "$(echo "$R" | field '["you"]["user"]')" = eng-cert ] && [ "$(echo "$R" | field '["you"]["bays"][0]["consent"]')" = False ] &&
    ok "5a. certificate CN=eng-cert logged in without a password as eng-cert; bay 1's consent is not for it" || bad "5a. $R"
"$OBDGW" consent --bay 1 --grant --minutes 5 --to eng-cert >/dev/null
R=$(timeout 8 mosquitto_rr $CERT -t dms/v1/ws01/req/eng-cert/dtc.read -e obdgw/v1/ws01/resp/eng-cert -m '{"bay":1}' -W 6 2>/dev/null)
timeout 5 mosquitto_pub $CERT -i cert-impostor -q 1 -t dms/v1/ws01/req/eng-li/dtc.read -m '{}' >/dev/null 2>&1
sleep 0.5
[ "$(echo "$R" | field '["ok"]')" = True ] && grep -q "Denied PUBLISH from cert-impostor .*dms/v1/ws01/req/eng-li/dtc.read" "$T/mosquitto.log" && grep -q "as cert-impostor .*u'eng-cert'" "$T/mosquitto.log" &&
    ok "5b. consent --to eng-cert: its dtc.read answered; publishing under eng-li denied" || bad "5b. $R"
"$OBDGW" consent --bay 1 --revoke >/dev/null
python3 - "$T/obdgw.db" >"$T/audit" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for a, actor in db.execute("SELECT action, actor FROM audit WHERE action LIKE 'remote_%' ORDER BY id"):
    print(a, actor)
PY
grep -q "^remote_live_start eng-li" "$T/audit" && grep -q "^remote_dtc_read eng-cert" "$T/audit" && ! grep -q "eng-wu" "$T/audit" &&
    ok "6. audit actors are the broker's usernames: $(grep -v consent "$T/audit" | tr '\n' ';')" || bad "6. $(cat "$T/audit")"


# 7. obdgw remote (the engineer's CLI, Paho) with the same identities.
# Under ASan: Paho 1.3 keeps ~470 bytes of its own (allocated inside
# libpaho-mqtt3as even when the TLS connect fails) past MQTTAsync_destroy;
# not obdgw's, suppressed like libfontconfig's in uds_store_test.sh.
printf 'leak:libpaho-mqtt3as.so\n' >"$T/lsan.supp"
export LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0"
printf 'lipass\n' >"$T/li.pw"
RM() { "$OBDGW" remote --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" "$@"; }
"$OBDGW" consent --bay 1 --grant --minutes 5 --to eng-li >/dev/null
RM --user eng-li --password-file "$T/li.pw" bays >"$T/r1" 2>&1; e1=$?
"$OBDGW" --lang zh remote --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" --user eng-li --password-file "$T/li.pw" bays >"$T/r1zh" 2>&1
[ $e1 = 0 ] && grep -q "^site ws01 · online" "$T/r1" && grep -q "bay 1 .*idle .*consent for you, 5 min left" "$T/r1" && grep -q "已授权给您" "$T/r1zh" &&
    ok "7a. obdgw remote bays (password file): $(tr '\n' ' ' <"$T/r1")" || bad "7a. exit $e1: $(cat "$T/r1")"
RM --user eng-li --password-file "$T/li.pw" live --site ws01 --bay 1 --pid rpm,speed --rate 5 --duration 3 >"$T/r2" 2>"$T/r2.err"; e1=$?
n=$(grep -c "Engine speed\|Vehicle speed" "$T/r2")
[ $e1 = 0 ] && [ "$n" -ge 10 ] && grep -q "ended: stopped on request" "$T/r2.err" &&
    ok "7b. obdgw remote live 3 s: $n values, $(cat "$T/r2.err")" || bad "7b. exit $e1, $n lines: $(head -n 3 "$T/r2") / $(cat "$T/r2.err")"
OBDGW_REMOTE_PASSWORD=lipass RM --json --user eng-li live --site ws01 --bay 1 --pid coolant --count 4 >"$T/r3" 2>"$T/r3.err"; e1=$?
python3 - "$T/r3" <<'PY' && [ $e1 = 0 ] && ok "7c. --json live --count 4 (password from the environment): $(cat "$T/r3.msg")" || bad "7c. exit $e1: $(cat "$T/r3") $(cat "$T/r3.err")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
lat = [r["shown_ms"] - r["t_ms"] for r in rows]
open(sys.argv[1] + ".msg", "w").write("%d samples, coolant %s C, read->shown %s ms" % (len(rows), rows and rows[0]["value"], lat and max(lat)))
sys.exit(0 if len(rows) == 4 and all(r["key"] == "coolant_temp" and -40 <= r["value"] <= 130 and 0 <= r["shown_ms"] - r["t_ms"] < 5000 for r in rows) else 1)
PY
OBDGW_REMOTE_PASSWORD=wupass RM --user eng-wu live --site ws01 --bay 1 --pid rpm --duration 2 >"$T/r4" 2>&1; e1=$?
OBDGW_REMOTE_PASSWORD=wupass "$OBDGW" --lang zh remote --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" --user eng-wu dtc --site ws01 --bay 1 >"$T/r4zh" 2>&1; e2=$?
[ $e1 = 5 ] && [ $e2 = 5 ] && grep -q "refused: the bay allowed remote support to someone else (no_consent)" "$T/r4" && grep -q "被拒绝" "$T/r4zh" &&
    ok "7d. eng-wu: remote live and dtc refused, exit 5: $(cat "$T/r4")" || bad "7d. exit $e1/$e2: $(cat "$T/r4") $(cat "$T/r4zh")"
RM --user eng-li --password-file "$T/li.pw" dtc --site ws01 --bay 1 >"$T/r5" 2>&1; e1=$?
"$OBDGW" --lang zh remote --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" --user eng-li --password-file "$T/li.pw" dtc --site ws01 --bay 1 >"$T/r5zh" 2>&1
[ $e1 = 0 ] && grep -q "P0301 .*Cylinder 1 Misfire Detected" "$T/r5" && grep -q "P0301 .*第1缸检测到失火" "$T/r5zh" &&
    ok "7e. obdgw remote dtc: descriptions in en and zh ($(grep -c 'P0' "$T/r5") codes)" || bad "7e. exit $e1: $(cat "$T/r5")"
RM --user eng-li --password-file "$T/li.pw" scan --site ws01 --bay 1 >"$T/r6" 2>&1; e1=$?
RM --user eng-li --password-file "$T/li.pw" scan --site ws01 --bay 1 --part readiness --json >"$T/r6j" 2>&1; e2=$?
[ $e1 = 0 ] && [ $e2 = 0 ] && grep -q "not saved on the RO" "$T/r6" && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["saved"] is False and any("readiness" in e for e in d["ecus"]) else 1)' "$T/r6j" &&
    ok "7f. obdgw remote scan (text: $(head -n 1 "$T/r6" | cut -c1-80)) and --part readiness --json" || bad "7f. exit $e1/$e2: $(head -c 300 "$T/r6") $(head -c 300 "$T/r6j")"
RM --cert "$T/eng.crt" --key "$T/eng.key" --broker "ssl://127.0.0.1:$P2" dtc --site ws01 --bay 1 >"$T/r7" 2>&1; e1=$?
[ $e1 = 5 ] && grep -q "no_consent" "$T/r7" && ok "7g. client certificate (CN eng-cert as the username, no --user): answered as eng-cert, refused (consent is eng-li's)" || bad "7g. exit $e1: $(cat "$T/r7")"
RM --user eng-li --password lipass bays >"$T/r8" 2>&1; e1=$?
RM --user eng-li --password-file "$T/li.pw" live --bay 1 --pid rpm >"$T/r8b" 2>&1; e2=$?
RM --user eng-li --password-file /nonexistent bays >"$T/r8c" 2>&1; e3=$?
printf 'wrong\n' >"$T/bad.pw"
RM --user eng-li --password-file "$T/bad.pw" bays >"$T/r8d" 2>&1; e4=$?
RM --user eng-li --password-file "$T/li.pw" bays --site ws99 >"$T/r8e" 2>&1; e5=$?
[ $e1 = 2 ] && [ $e2 = 2 ] && [ $e3 = 2 ] && [ $e4 = 1 ] && [ $e5 = 1 ] && grep -q "no password on the command line" "$T/r8" &&
    grep -q "cannot connect to the broker" "$T/r8d" && grep -q "no answer from the gateway of site ws99" "$T/r8e" &&
    ok "7h. bad input: --password refused (2), no --site (2), unreadable password file (2), wrong password (1: '$(cut -c1-70 "$T/r8d")'), unknown site (1)" ||
    bad "7h. exits $e1 $e2 $e3 $e4 $e5: $(cat "$T/r8" "$T/r8b" "$T/r8c" "$T/r8d" "$T/r8e")"
# the CLI's Will: killed mid-stream, the broker tells the gateway
"$OBDGW" remote --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" --user eng-li --password-file "$T/li.pw" live --site ws01 --bay 1 --pid rpm --duration 60 >/dev/null 2>&1 &
LP=$! # the obdgw process itself (not a subshell), so kill -9 hits it
i=0; while ! "$OBDGW" status | grep -q "^bay 1 *live" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $LP; wait $LP 2>/dev/null
i=0; while "$OBDGW" status | grep -q "^bay 1 *live" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "ended (requester_gone)" "$T/obdgwd.log" && "$OBDGW" status | grep -q "^bay 1 *idle" &&
    ok "7i. obdgw remote live killed -9: its Will stopped the stream in $((i * 100)) ms (requester_gone)" || bad "7i. $(grep 'ended' "$T/obdgwd.log" | tail -n 2)"
# propose-clear, confirmed at the bay
"$OBDGW" wo add RO-ID1 --vin LFV2A21K6M3012345 --daemon >/dev/null 2>&1
"$OBDGW" scan --bay 1 --ro RO-ID1 --stage pre >/dev/null 2>&1
"$OBDGW" consent --bay 1 --grant --minutes 5 --to eng-li --ro RO-ID1 >/dev/null
RM --user eng-li --password-file "$T/li.pw" propose-clear --site ws01 --bay 1 --reason "after the coil swap" --wait 30 >"$T/r9" 2>&1 &
PP=$!
i=0; while ! "$OBDGW" confirm --bay 1 >"$T/cf" 2>&1 && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
"$OBDGW" confirm --bay 1 --yes --tech "tech Sun" >"$T/cf2" 2>&1; e2=$?
wait $PP; e1=$?
[ $e1 = 0 ] && [ $e2 = 0 ] && grep -q "eng-li proposed" "$T/cf" && grep -q "waiting for the bay" "$T/r9" && grep -q ": cleared" "$T/r9" &&
    ok "7j. obdgw remote propose-clear --wait: $(tail -n 1 "$T/r9" | cut -c1-120)" || bad "7j. exit $e1/$e2: $(cat "$T/r9") / $(cat "$T/cf") / $(cat "$T/cf2")"
"$OBDGW" consent --bay 1 --revoke >/dev/null

echo "identity_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "identity_test: all passed" || { echo "logs in $T"; exit 1; }
