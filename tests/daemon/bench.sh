#!/bin/sh
# make bench, bay-service figures (asserts nothing):
#   outbox drain rate to a local mosquitto (QoS 1, PUBACK before delete)
#   scan complete -> DMS receipt latency (scan message saved_ms vs arrival)
#   obdgwd RSS with 8 bays scanning at once
# Usage: sh tests/daemon/bench.sh BUILD
set -u
BUILD=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-bench.XXXXXX)
PORT=$(pick_port)
trap 'daemon_stop "$T"; dms_sub_stop "$T"; broker_stop "$T"; rm -rf "$T"' EXIT INT TERM
export OBDGW_SOCKET="$T/obdgwd.sock"
broker_conf "$T" "$PORT" ""
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" "" 8 "sim"
sed -i 's/^keepalive = 5/keepalive = 30/' "$T/obdgw.conf"
daemon_start "$T" "$BUILD/obdgwd" || exit 1
sleep 1
PID=$(cat "$T/obdgwd.pid")
IDLE=$(awk '/VmRSS/ {print $2}' /proc/"$PID"/status)
# 50,000 messages; the clock stops when a QoS 1 subscriber (the DMS's seat)
# has all of them, so nothing polls the daemon during the drain; then the
# outbox must be empty (every message acknowledged and deleted).
N=50000
# shellcheck disable=SC2046
mosquitto_sub $(dms_opts "$T" "$PORT" "") -q 1 -C $N -t 'obdgw/v1/ws01/test' >/dev/null 2>&1 &
DP=$!
sleep 0.3
"$BUILD/obdgw" inject --daemon --count $N >/dev/null
t0=$(date +%s.%N)
wait $DP
t1=$(date +%s.%N)
wait_drained "$BUILD/obdgw" "$OBDGW_SOCKET" 60 || echo "bench obdgwd: WARNING: outbox not empty after the drain"
echo "bench obdgwd: outbox drain to local mosquitto: $N msgs QoS 1 in $(echo "$t1 - $t0" | bc) s = $(echo "$N / ($t1 - $t0)" | bc) msgs/s (target >= 10000)"
: >"$T/lat.log"
mosquitto_sub $(dms_opts "$T" "$PORT" "") -q 1 -t 'obdgw/v1/ws01/scan' -F '%U %p' >"$T/lat.log" 2>/dev/null &
SP=$!
sleep 0.3
i=1; pids=""
while [ $i -le 8 ]; do "$BUILD/obdgw" scan --bay $i >/dev/null 2>&1 & pids="$pids $!"; i=$((i + 1)); done
peak=0
while :; do
    r=$(awk '/VmRSS/ {print $2}' /proc/"$PID"/status)
    [ "$r" -gt "$peak" ] && peak=$r
    busy=0; for p in $pids; do kill -0 "$p" 2>/dev/null && busy=1; done
    [ $busy = 0 ] && break
    sleep 0.02
done
sleep 1
kill $SP 2>/dev/null
echo "bench obdgwd: RSS with 8 bays scanning at once: peak $peak kB (idle $IDLE kB; target <= 16384 kB)"
python3 -c '
import json, sys
lat = []
for line in open(sys.argv[1]):
    t, _, body = line.partition(" ")
    try: lat.append(float(t) * 1000 - json.loads(body)["saved_ms"])
    except Exception: pass
if lat:
    lat.sort()
    print("bench obdgwd: scan complete -> DMS receipt: n=%d median %.1f ms, max %.1f ms" % (len(lat), lat[len(lat)//2], lat[-1]))
' "$T/lat.log"
