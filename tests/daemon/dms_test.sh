#!/bin/sh
# The DMS link against a real mosquitto on loopback, over TLS with client
# certificates, passwords and an ACL. Each fault case counts messages sent
# (queued in the outbox) against messages the DMS stand-in received, asserts
# 0 lost, and reports duplicates (detectable: same msg_id).
#   1. broker stopped and restarted during a burst of 10,000
#   2. obdgwd SIGKILLed mid-burst and restarted
#   3. broker unreachable for a long stretch (20 s) while messages queue
#   4. malformed and oversized work orders from the DMS: rejected, logged,
#      an error event published, nothing overwritten
#   5. 8 bays on simulators scanning at once: all complete
# Usage: sh tests/daemon/dms_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-dms-test.XXXXXX)
PORT=$(pick_port)
TLS=1
fails=0
cleanup() { daemon_stop "$T" KILL; dms_sub_stop "$T"; broker_stop "$T"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)

make_tls "$T"
broker_conf "$T" "$PORT" $TLS
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" $TLS 8 "sim"
daemon_start "$T" "$OBDGWD" || exit 1
SUB="$T/dms.log"
dms_sub_start "$T" "$PORT" $TLS "$SUB"
sleep 0.5
"$OBDGW" status | head -n 3

# ---- 1. broker restart during a burst ----
"$OBDGW" inject --daemon --count 10000 --ro RO-BURST >/dev/null || bad "inject 1"
sleep 0.3
broker_stop "$T"
sleep 2
broker_start "$T" "$PORT" || exit 1
wait_drained "$OBDGW" "$OBDGW_SOCKET" 60 || bad "1: outbox not drained after the broker came back"
sleep 1.5
P1=$(grep -o '"msg_id":"ws01-test-[0-9]*-' "$SUB" | head -n 1 | sed 's/"msg_id":"//')
U=$(count_unique "$SUB" "$P1"); N=$(count_total "$SUB" "$P1")
[ "$U" = 10000 ] && ok "1. broker restart mid-burst: sent 10000, received $U unique, 0 lost, $((N - U)) duplicate(s) (same msg_id)" \
                 || bad "1. broker restart mid-burst: sent 10000, received $U unique ($N total)"

# ---- 2. daemon SIGKILL mid-burst ----
"$OBDGW" inject --daemon --count 10000 --ro RO-KILL >/dev/null || bad "inject 2"
sleep 0.05 # the pump has started: some are published, some acknowledged, most queued
daemon_stop "$T" KILL
daemon_start "$T" "$OBDGWD" || exit 1
L=$(grep -o 'outbox: [0-9]* message(s) from before the restart' "$T/obdgwd.log" | tail -n 1 | grep -o '[0-9]*')
[ -n "$L" ] && [ "$L" -gt 0 ] && ok "2a. killed mid-burst: $L message(s) still queued at the restart" \
                             || bad "2a. the kill did not land mid-burst"
wait_drained "$OBDGW" "$OBDGW_SOCKET" 60 || bad "2: outbox not drained after the restart"
sleep 1.5
P2=$(grep -o '"msg_id":"ws01-test-[0-9]*-' "$SUB" | sort -u | grep -v "$P1" | head -n 1 | sed 's/"msg_id":"//')
U=$(count_unique "$SUB" "$P2"); N=$(count_total "$SUB" "$P2")
[ "$U" = 10000 ] && ok "2. obdgwd kill -9 mid-burst: sent 10000, received $U unique, 0 lost, $((N - U)) duplicate(s)" \
                 || bad "2. obdgwd kill -9 mid-burst: sent 10000, received $U unique ($N total)"

# ---- 3. broker unreachable for a long stretch ----
broker_stop "$T"
"$OBDGW" inject --daemon --count 3000 --ro RO-OUTAGE >/dev/null || bad "inject 3"
sleep 20
Q=$(outbox_len "$OBDGW" "$OBDGW_SOCKET")
[ "$Q" -ge 3000 ] && ok "3a. 20 s outage: $Q message(s) held in the outbox" || bad "3a. outbox holds $Q during the outage"
broker_start "$T" "$PORT" || exit 1
wait_drained "$OBDGW" "$OBDGW_SOCKET" 90 || bad "3: outbox not drained after the outage"
sleep 1.5
P3=$(grep -o '"msg_id":"ws01-test-[0-9]*-' "$SUB" | sort -u | grep -v -e "$P1" -e "$P2" | head -n 1 | sed 's/"msg_id":"//')
U=$(count_unique "$SUB" "$P3"); N=$(count_total "$SUB" "$P3")
[ "$U" = 3000 ] && ok "3b. after the outage: sent 3000, received $U unique, 0 lost, $((N - U)) duplicate(s)" \
                || bad "3b. after the outage: sent 3000, received $U unique ($N total)"

# ---- 4. malformed and oversized work orders ----
# shellcheck disable=SC2046
PUB="mosquitto_pub $(dms_opts "$T" "$PORT" $TLS) -q 1 -t dms/v1/ws01/wo"
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-good","action":"open","ro":"RO-GOOD","vin":"LFV2A21K6M3012345","complaint":"MIL on"}'
sleep 0.5
$PUB -m 'this is not json {'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-bad-vin","action":"update","ro":"RO-GOOD","vin":"WVWZZZ1JZXW000001","complaint":"overwritten?"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-bad-action","action":"delete","ro":"RO-GOOD"}'
$PUB -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-long","action":"update","ro":"RO-GOOD","complaint":"'"$(head -c 400 /dev/zero | tr '\0' x)"'"}'
head -c 100000 /dev/zero | tr '\0' 'x' >"$T/big.txt"
$PUB -f "$T/big.txt"
sleep 1.5
C=$(OBDGW_STORE="$T/obdgw.db" "$OBDGW" --json wo show RO-GOOD 2>/dev/null | grep -c '"MIL on"')
[ "$C" -ge 1 ] && ok "4a. good work order applied; bad ones overwrote nothing" || bad "4a. RO-GOOD complaint changed or missing"
E=$(grep -c '^obdgw/v1/ws01/error ' "$SUB")
[ "$E" -ge 4 ] && ok "4b. 4 malformed DMS messages -> $E error event(s) published" || bad "4b. error events: $E (want 4)"
R=$(grep -c 'rejected' "$T/obdgwd.log")
[ "$R" -ge 4 ] && ok "4c. each rejection logged with its reason ($R lines)" || bad "4c. rejections logged: $R"
# MQTT 5: the gateway announced Maximum Packet Size (max_inbound + 1024), so
# the broker does not send it the 100 kB message at all (Paho never buffers it)
grep -q 'Dropping too large outgoing PUBLISH for obdgwd-ws01' "$T/mosquitto.log" \
    && ok "4e. oversized work order not even sent to the gateway (MQTT 5 Maximum Packet Size, broker dropped it)" \
    || bad "4e. the broker did not drop the oversized message"
kill -0 "$(cat "$T/obdgwd.pid")" && ok "4d. obdgwd still running" || bad "4d. obdgwd died"

# ---- 5. 8 bays at once ----
i=1; pids=""
while [ $i -le 8 ]; do
    "$OBDGW" scan --bay $i >"$T/scan$i.out" 2>&1 &
    pids="$pids $!"; i=$((i + 1))
done
okc=0
for p in $pids; do wait "$p" && okc=$((okc + 1)); done
wait_drained "$OBDGW" "$OBDGW_SOCKET" 30
sleep 1
S=$(grep -c '^obdgw/v1/ws01/scan ' "$SUB")
[ $okc = 8 ] && [ "$S" -ge 8 ] && ok "5. 8 bays scanned at once: 8/8 complete, $S scan message(s) at the DMS" \
                               || bad "5. 8 bays: $okc/8 complete, $S scan message(s)"

echo "dms_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "dms_test: all passed" || { echo "logs in $T"; exit 1; }
