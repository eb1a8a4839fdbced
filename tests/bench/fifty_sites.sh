#!/bin/sh
# make bench: fifty workshops on one broker (#15 item 5; asserts nothing).
# SITES obdgwd (default 50), 2 simulated bays each, small stores in a temp
# dir, one mosquitto; the DMS consumes with an MQTT 5 shared subscription
# ($share/dms/obdgw/v1/#, CONSUMERS mosquitto_sub processes sharing it);
# every bay scans COUNT times in a loop (obdgw scan --bay N through its
# gateway). Prints: messages/s at the consumers, p50/p99 of scan saved ->
# DMS receipt, resident memory per gateway (peak while scanning), broker CPU.
# How this maps to a broker cluster: docs/deploy.md, "Fifty sites".
# Usage: sh tests/bench/fifty_sites.sh BUILD
set -u
BUILD=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/../daemon/lib.sh"
SITES=${SITES:-50}
COUNT=${COUNT:-20}
CONSUMERS=${CONSUMERS:-2}
T=$(mktemp -d /tmp/obdgw-fifty.XXXXXX)
PORT=$(pick_port)
stop_all() {
    for d in "$T"/gw*; do [ -d "$d" ] && daemon_stop "$d"; done
    for p in $(cat "$T/consumers.pid" 2>/dev/null); do kill "$p" 2>/dev/null; done
    broker_stop "$T"
}
trap 'stop_all; rm -rf "$T"' EXIT INT TERM
{
    echo "listener $PORT 127.0.0.1"; echo "allow_anonymous true"
    echo "persistence true"; echo "persistence_location $T/"
    echo "max_queued_messages 0"; echo "max_inflight_messages 0"
    echo "log_dest file $T/mosquitto.log"
    [ "$(id -u)" -eq 0 ] && echo "user root"
} >"$T/mosquitto.conf"
broker_start "$T" "$PORT" || exit 1
BROKER=$(cat "$T/mosquitto.pid")

# the DMS: CONSUMERS processes on one shared subscription, a persistent
# session each; a line per message: arrival time, topic, payload
: >"$T/consumers.pid"
c=1
while [ $c -le "$CONSUMERS" ]; do
    mosquitto_sub -h 127.0.0.1 -p "$PORT" -V mqttv5 -q 1 -c -i "dms-$c" -x 600 \
        -t '$share/dms/obdgw/v1/#' -F '%U %t %p' >"$T/dms-$c.log" 2>"$T/dms-$c.err" &
    echo $! >>"$T/consumers.pid"
    c=$((c + 1))
done

s=1
while [ $s -le "$SITES" ]; do
    site=$(printf 'ws%02d' $s); d=$T/gw$s; mkdir -p "$d"
    {
        echo "[gateway]"; echo "site = $site"; echo "store = $d/obdgw.db"; echo "socket = $d/obdgwd.sock"
        echo "reports = $d/reports"; echo "log_level = warning"; echo "health_interval = 3600"
        echo "[mqtt]"; echo "broker = tcp://127.0.0.1:$PORT"; echo "client_id = obdgw-$site"; echo "keepalive = 30"
        echo "[bay 1]"; echo "adapter = sim"; echo "[bay 2]"; echo "adapter = sim"
    } >"$d/obdgw.conf"
    daemon_start "$d" "$BUILD/obdgwd" || exit 1
    s=$((s + 1))
done
sleep 2
PIDS=$(cat "$T"/gw*/obdgwd.pid | tr '\n' ' ')

# monitor: every obdgwd's peak VmRSS and the broker's CPU until "stop"
python3 - "$T/stop" "$T/monitor.out" "$BROKER" $PIDS <<'PY' &
import os, sys, time
stop, out, broker, pids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def rss(p):
    try:
        for l in open("/proc/%s/status" % p):
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    except OSError:
        return 0
    return 0
def cpu(p):
    f = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
idle = {p: rss(p) for p in pids}
peak = dict(idle)
c0, t0 = cpu(broker), time.time()
while not os.path.exists(stop):
    for p in pids:
        peak[p] = max(peak[p], rss(p))
    time.sleep(0.1)
c1, t1 = cpu(broker), time.time()
hz = os.sysconf("SC_CLK_TCK")
with open(out, "w") as f:
    pk = sorted(peak.values())
    f.write("%d %d %d %d %.3f %.3f\n" % (sum(idle.values()) // len(idle), sum(pk) // len(pk), pk[-1],
                                       c1 - c0, (c1 - c0) / hz, t1 - t0))
PY
MON=$!

bcpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' /proc/"$BROKER"/stat; }
b0=$(bcpu)
t0=$(date +%s.%N)
SP=""
s=1
while [ $s -le "$SITES" ]; do
    for b in 1 2; do
        (
            n=0
            while [ $n -lt "$COUNT" ]; do
                OBDGW_SOCKET=$T/gw$s/obdgwd.sock "$BUILD/obdgw" scan --bay $b >/dev/null 2>&1 || echo x >>"$T/scan.fail"
                n=$((n + 1))
            done
        ) &
        SP="$SP $!"
    done
    s=$((s + 1))
done
for p in $SP; do wait "$p"; done
t1=$(date +%s.%N)
SCANS=$((SITES * 2 * COUNT))
# every scan message at the DMS (or 60 s)
i=0
while [ "$(cat "$T"/dms-*.log | grep -c ' obdgw/v1/[^/]*/scan ')" -lt $SCANS ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
t2=$(date +%s.%N)
b1=$(bcpu)
touch "$T/stop"; wait $MON
python3 - "$T" "$SITES" "$COUNT" "$CONSUMERS" "$t0" "$t1" "$t2" "$(cat "$T/scan.fail" 2>/dev/null | wc -l)" "$b0" "$b1" "$(getconf CLK_TCK)" <<'PY'
import glob, json, sys
T, sites, count, consumers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
t0, t1, t2, failed = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
bcpu = (int(sys.argv[10]) - int(sys.argv[9])) / float(sys.argv[11])
arr, lat, per = [], [], []
for f in sorted(glob.glob(T + "/dms-*.log")):
    n = 0
    for line in open(f, errors="replace"):
        ts, _, rest = line.partition(" ")
        topic, _, body = rest.partition(" ")
        try:
            ts = float(ts)
        except ValueError:
            continue
        if ts < t0:
            continue
        n += 1
        arr.append(ts)
        if topic.endswith("/scan"):
            try:
                lat.append(ts * 1000 - json.loads(body)["saved_ms"])
            except (ValueError, KeyError):
                pass
    per.append(n)
idle, mean, peak = open(T + "/monitor.out").read().split()[:3]
scans = sites * 2 * count
print("bench fifty sites: %d obdgwd x 2 simulated bays, %d scans per bay, one mosquitto, DMS on $share/dms/obdgw/v1/# (%d MQTT 5 consumers)"
      % (sites, count, consumers))
if arr:
    arr.sort()
    span = max(arr[-1] - arr[0], 1e-3)
    print("bench fifty sites: %d scans in %.1f s (%.0f scans/s, %d failed); %d messages at the DMS (%s per consumer) in %.1f s = %.0f msgs/s"
          % (scans, t1 - t0, scans / (t1 - t0), failed, len(arr), "/".join(map(str, per)), span, len(arr) / span))
if lat:
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    print("bench fifty sites: scan saved -> DMS receipt: n=%d (of %d) p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (len(lat), scans, q(0.5), q(0.99), lat[-1]))
print("bench fifty sites: RSS per gateway: idle %s kB, peak while scanning mean %s kB, max %s kB (%d gateways: %.0f MB)"
      % (idle, mean, peak, sites, int(mean) * sites / 1024.0))
print("bench fifty sites: broker CPU %.2f s in the %.1f s from the first scan to the last message (%.1f%% of one core; %.0f us per message)"
      % (bcpu, t2 - t0, 100 * bcpu / (t2 - t0), 1e6 * bcpu / max(len(arr), 1)))
PY
