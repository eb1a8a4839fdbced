#!/bin/sh
# make bench: remote live latency, "sample read at the bay" (the sample's
# t_ms, taken when the ECU's answer was read) -> "shown" (obdgw remote live
# --json's shown_ms; the console's Date.now() when it drew it), median and
# p99, through the shipped group broker (TLS for the CLI, wss for the
# console) on loopback, simulated bay, 10 rounds/s. One machine: one clock.
# Usage: sh tests/bench/remote_latency.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/daemon
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/obdgw-rlat.XXXXXX)
P1=$(pick_port); P2=$(pick_port); P3=$(pick_port)
cleanup() { daemon_stop "$T" KILL; broker_stop "$T"; rm -rf "$T"; }
trap cleanup EXIT INT TERM
export OBDGW_SOCKET="$T/obdgwd.sock"
make_tls "$T"
group_broker_conf "$T" "$P1" "$P2" "$P3"
sed -i '/^log_type all$/d' "$T/mosquitto.conf"
broker_start "$T" "$P1" || exit 1
daemon_conf "$T" "$P1" tls 1 sim
sed -i 's/^username = gw$/username = site-ws01/; s/^log_level = .*/log_level = warning/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
i=0; while ! "$OBDGW" status | grep -q "connected" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$OBDGW" consent --bay 1 --grant --minutes 10 --to eng-li >/dev/null
OBDGW_REMOTE_PASSWORD=lipass "$OBDGW" remote --json --broker "ssl://127.0.0.1:$P1" --ca "$T/ca.crt" --user eng-li \
    live --site ws01 --bay 1 --pid rpm,speed,coolant --rate 10 --duration 20 >"$T/cli.json" 2>/dev/null
python3 - "$T/cli.json" <<'PY'
import json, sys
lat = sorted(r["shown_ms"] - r["t_ms"] for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()))
if not lat:
    print("bench remote: obdgw remote live: no samples"); sys.exit(0)
print("bench remote: obdgw remote live (MQTT/TLS): sample read at the bay -> shown: median %d ms, p99 %d ms (%d samples at 10 rounds/s)"
      % (lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))], len(lat)))
PY
"$OBDGW" consent --bay 1 --revoke >/dev/null
daemon_stop "$T"; broker_stop "$T"
if [ -f "$BUILD/console/index.html" ]; then
    STREAM_S=20 sh "$ROOT/tests/console/console_test.sh" "$BUILD" 2>&1 | grep '^bench remote' || echo "bench remote: console: no figure (console_test failed)"
fi
