#!/bin/sh
# The remote-support part of `make demo`: the dealer group's broker (the
# shipped hw/mosquitto/group-broker.conf + group-acl.conf on loopback, with
# a demo CA), obdgwd with bay 1 on a simulated car, and a remote engineer,
# eng-li, watching bay 1 from a terminal with `obdgw remote`; eng-wu tries
# the same without consent; a clear is proposed from afar and confirmed at
# the bay. Prints the URL of the browser console (build/console) on a
# loopback web server; DEMO_KEEP=1 keeps everything up until Ctrl-C.
# Usage: sh tests/daemon/demo_remote.sh OBDGW OBDGWD OUTDIR CONSOLE_DIR
set -eu
OBDGW=$1; OBDGWD=$2; OUT=$3; CONSOLE=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
SCEN=$HERE/../scenarios
. "$HERE/lib.sh"
mkdir -p "$OUT"
P1=$(pick_port); P2=$(pick_port); P3=$(pick_port); P4=$(pick_port); PH=$(pick_port)
say() { printf '\n\033[1m-- %s\033[0m\n' "$*"; }
run() { printf '\n$ obdgw %s\n' "$*"; "$OBDGW" "$@" || true; }
cleanup() {
    [ -f "$OUT/http.pid" ] && kill "$(cat "$OUT/http.pid")" 2>/dev/null
    daemon_stop "$OUT"; broker_stop "$OUT"
}
trap cleanup EXIT INT TERM
export OBDGW_SOCKET="$OUT/obdgwd.sock" OBDGW_STORE="$OUT/obdgw.db"

say "R1. The group's broker (shipped config): TLS :$P1, client certificates :$P2, WebSockets/TLS :$P3; engineers eng-li and eng-wu"
make_tls "$OUT"
group_broker_conf "$OUT" "$P1" "$P2" "$P3"
sed -i '/^log_type all$/d' "$OUT/mosquitto.conf"
# the demo only: a plain WebSocket listener on loopback, so a browser needs no demo CA
printf 'listener %s 127.0.0.1\nprotocol websockets\n' "$P4" >>"$OUT/mosquitto.conf"
broker_start "$OUT" "$P1"
daemon_conf "$OUT" "$P1" tls 0
{ echo "[bay 1]"; echo "adapter = sim:$SCEN/sagitar-reception.ini"; } >>"$OUT/obdgw.conf"
sed -i 's/^username = gw$/username = site-ws01/; s/^log_level = .*/log_level = warning/' "$OUT/obdgw.conf"
daemon_start "$OUT" "$OBDGWD"
i=0; while ! "$OBDGW" status | grep -q "connected" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
printf 'lipass\n' >"$OUT/eng-li.pw"
export OBDGW_REMOTE_BROKER="ssl://127.0.0.1:$P1" OBDGW_REMOTE_CA="$OUT/ca.crt"

say "R2. At the bay: the technician allows eng-li (and only eng-li) for 15 minutes, sharing the RO"
"$OBDGW" wo add RO-2026-0202 --vin LFV2A21K6M3012345 --complaint "shakes at idle" --daemon >/dev/null
"$OBDGW" scan --bay 1 --ro RO-2026-0202 --stage pre --tech "Li Wei" >/dev/null
run consent --bay 1 --grant --minutes 15 --to eng-li --ro RO-2026-0202

say "R3. The remote engineer eng-li, at a terminal: the bays, then live data of bay 1 for 4 s"
run remote --user eng-li --password-file "$OUT/eng-li.pw" bays
run remote --user eng-li --password-file "$OUT/eng-li.pw" live --site ws01 --bay 1 --pid rpm,coolant,speed --rate 2 --duration 4
run remote --user eng-li --password-file "$OUT/eng-li.pw" --lang zh dtc --site ws01 --bay 1

say "R4. eng-wu has no consent: refused with the reason (and the broker would not let it speak as eng-li)"
OBDGW_REMOTE_PASSWORD=wupass run remote --user eng-wu live --site ws01 --bay 1 --pid rpm --duration 2

say "R5. eng-li proposes a clear; nothing happens until the technician confirms it at the bay"
"$OBDGW" remote --user eng-li --password-file "$OUT/eng-li.pw" propose-clear --site ws01 --bay 1 --reason "coil cyl 1 replaced" --wait 20 &
PP=$!
sleep 1.5
run confirm --bay 1
run confirm --bay 1 --yes --tech "Li Wei"
wait $PP || true

if [ -n "$CONSOLE" ] && [ -f "$CONSOLE/index.html" ]; then
    python3 -m http.server "$PH" --bind 127.0.0.1 --directory "$CONSOLE" >"$OUT/http.log" 2>&1 &
    echo $! >"$OUT/http.pid"
    say "R6. The browser console (static files from $CONSOLE)"
    echo "   open http://127.0.0.1:$PH/index.html?broker=ws://127.0.0.1:$P4&user=eng-li  (password: lipass)"
    echo "   (on a real broker: wss:// on the TLS WebSocket listener, like :$P3 here)"
fi
if [ "${DEMO_KEEP:-}" = 1 ]; then
    "$OBDGW" consent --bay 1 --grant --minutes 60 --to eng-li --ro RO-2026-0202 >/dev/null
    echo "   DEMO_KEEP=1: broker, obdgwd and the console stay up; Ctrl-C ends them"
    while :; do sleep 3600; done
else
    echo "   (DEMO_KEEP=1 make demo keeps them up to try the console)"
fi
