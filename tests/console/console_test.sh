#!/bin/sh
# The browser console (#12 item 4) in headless Chromium (Debian's chromium,
# driven by puppeteer-core from npm): the console bundled by `make console`
# served as static files, MQTT over the SHIPPED group broker's WebSocket
# listener (TLS, test CA), obdgwd with a simulated bay 1.
# tests/console/console_test.mjs says what is checked.
# Usage: sh tests/console/console_test.sh BUILD   (needs BUILD/console)
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
CONSOLE=$(cd "$BUILD/console" 2>/dev/null && pwd) || { echo "console_test: no $BUILD/console (make console)"; exit 1; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/tests/daemon
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/obdgw-console-test.XXXXXX)
P1=$(pick_port); P2=$(pick_port); P3=$(pick_port); PH=$(pick_port)
rc=1
cleanup() {
    [ -f "$T/http.pid" ] && kill "$(cat "$T/http.pid")" 2>/dev/null
    daemon_stop "$T" KILL; broker_stop "$T"
    [ $rc -eq 0 ] && rm -rf "$T"
}
trap cleanup EXIT INT TERM
export OBDGW_SOCKET="$T/obdgwd.sock"
make_tls "$T"
group_broker_conf "$T" "$P1" "$P2" "$P3"
broker_start "$T" "$P1" || exit 1
i=0; while ! listening "$P3" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
daemon_conf "$T" "$P1" tls 1 sim
sed -i 's/^username = gw$/username = site-ws01/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
i=0; while ! "$OBDGW" status | grep -q "connected" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
python3 -m http.server "$PH" --bind 127.0.0.1 --directory "$CONSOLE" >"$T/http.log" 2>&1 &
echo $! >"$T/http.pid"
i=0; while ! listening "$PH" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
NODE_PATH=$ROOT/hw/console/node_modules OBDGW="$OBDGW" OBDGW_SOCKET="$T/obdgwd.sock" T="$T" \
    URL="http://127.0.0.1:$PH/index.html" BROKER="wss://127.0.0.1:$P3" BROKER_DIR="$T" BROKER_PORT="$P1" \
    node "$ROOT/tests/console/console_test.mjs"
rc=$?
[ $rc -eq 0 ] || echo "logs in $T"
exit $rc
