#!/bin/sh
# The site broker bridged to the group broker (#15 item 4), with the shipped
# hw/mosquitto/site-local.conf and site-bridge.conf (only ports, paths and
# the test CA substituted; restart_timeout shortened unless BRIDGE_BENCH):
# obdgwd -> mosquitto "site" -> bridge (TLS, QoS 1, cleansession false) ->
# mosquitto "central" (TLS, client certificates, ACL) -> the DMS stand-in.
#   1. 10,000 messages (10 ROs x 1,000, obdgw inject) while the central
#      broker is down for BRIDGE_DOWN seconds (5; make bench: 30): all
#      arrive once it is back, each RO in order, duplicates told by msg_id
#   2. 10,000 more while the site broker (and so the bridge) restarts
#      mid-burst: the same
#   3. a work order published on the central broker while the bridge is
#      down reaches obdgwd through the bridge once it is up
# BRIDGE_BENCH=1 prints figures instead of "ok" lines (make bench).
# Usage: sh tests/daemon/bridge_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
HW=$(cd "$(dirname "$0")/../../hw/mosquitto" && pwd)
. "$(dirname "$0")/lib.sh"
DOWN=${BRIDGE_DOWN:-5}
BENCH=${BRIDGE_BENCH:-}
T=$(mktemp -d /tmp/obdgw-bridge-test.XXXXXX)
C=$T/central; S=$T/site; G=$T/gw
mkdir -p "$C" "$S" "$G"
PC=$(pick_port); PS=$(pick_port)
while [ "$PS" = "$PC" ]; do PS=$(pick_port); done
fails=0
cleanup() { daemon_stop "$G"; dms_sub_stop "$C"; broker_stop "$S"; broker_stop "$C"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { [ -n "$BENCH" ] || echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
fig() { [ -z "$BENCH" ] || echo "bench bridge: $*"; }
export OBDGW_SOCKET="$G/obdgwd.sock"

# central: TLS with client certificates, passwords, the per-site ACL (lib.sh)
make_tls "$C"
broker_conf "$C" "$PC" tls
# site: the shipped files, with this test's port, directory and certificates
{
    sed -e "s|^listener 1883 127.0.0.1|listener $PS 127.0.0.1|" \
        -e "s|^persistence_location .*|persistence_location $S/|" "$HW/site-local.conf"
    sed -e "s|^address .*|address 127.0.0.1:$PC|" \
        -e "s|^bridge_cafile .*|bridge_cafile $C/ca.crt|" \
        -e "s|^bridge_certfile .*|bridge_certfile $C/client.crt|" \
        -e "s|^bridge_keyfile .*|bridge_keyfile $C/client.key|" "$HW/site-bridge.conf"
    [ -n "$BENCH" ] || echo "restart_timeout 1 2" # the shipped backoff, shortened for make check
    echo "remote_username gw"; echo "remote_password gwpass"
    echo "log_dest file $S/mosquitto.log"
    [ "$(id -u)" -eq 0 ] && echo "user root"
} >"$S/mosquitto.conf"
[ -n "$BENCH" ] || sed -i '/^restart_timeout 2 30/d' "$S/mosquitto.conf"
grep -q '^cleansession false' "$S/mosquitto.conf" && grep -q '^topic obdgw/v1/ws01/# out 1' "$S/mosquitto.conf" ||
    bad "shipped bridge config lacks cleansession false / QoS 1 topics"

bridge_up() { # SECONDS: the bridge's retained state on the site broker says 1
    end=$(( $(date +%s) + $1 ))
    while [ "$(date +%s)" -le $end ]; do
        s=$(mosquitto_sub -h 127.0.0.1 -p "$PS" -t '$SYS/broker/connection/group-ws01/state' -C 1 -W 1 2>/dev/null)
        [ "$s" = 1 ] && return 0
        sleep 0.2
    done
    return 1
}
# received PREFIX: unique msg_ids of the ROs PREFIX* at the DMS stand-in
received() { grep "\"ro\":\"$1" "$OUT" | grep -o '"msg_id":"[^"]*"' | sort -u | wc -l | tr -d ' '; }
wait_received() { # PREFIX COUNT SECONDS
    end=$(( $(date +%s) + $3 ))
    while [ "$(date +%s)" -le $end ]; do
        [ "$(received "$1")" -ge "$2" ] && return 0
        sleep 0.2
    done
    return 1
}
# per-RO order and duplicates of the ROs PREFIX*: "ROS MISSING DISORDERED DUPLICATES"
order() {
    python3 - "$OUT" "$1" <<'PY'
import json, sys
seen, seqs, dups = set(), {}, 0
for line in open(sys.argv[1], errors="replace"):
    topic, _, payload = line.partition(" ")
    try:
        m = json.loads(payload)
    except ValueError:
        continue
    if not m.get("ro", "").startswith(sys.argv[2]):
        continue
    if m["msg_id"] in seen:
        dups += 1
        continue
    seen.add(m["msg_id"])
    seqs.setdefault(m["ro"], []).append(m["seq"])
missing = sum(1000 - len(set(s)) for s in seqs.values())
disordered = sum(1 for s in seqs.values() if s != sorted(s))
print(len(seqs), missing, disordered, dups)
PY
}
burst() { # PREFIX: 10 ROs x 1,000 messages through obdgwd's outbox
    for r in 0 1 2 3 4 5 6 7 8 9; do
        "$OBDGW" inject --daemon --count 1000 --ro "$1-$r" >/dev/null || bad "inject $1-$r"
    done
}

broker_start "$C" "$PC" || exit 1
OUT=$C/dms.out; : >"$OUT"
dms_sub_start "$C" "$PC" tls "$OUT" # persistent QoS 1 session on the central broker
broker_start "$S" "$PS" || exit 1
bridge_up 20 || bad "bridge did not connect: $(tail -5 "$S/mosquitto.log")"
daemon_conf "$G" "$PS" "" 1 sim
daemon_start "$G" "$OBDGWD" || exit 1
sleep 1

# ---- 1. the WAN down during a burst ----
broker_stop "$C"
t0=$(date +%s.%N)
burst RA
wait_drained "$OBDGW" "$OBDGW_SOCKET" 120 || bad "1. obdgwd's outbox did not drain to the site broker"
t1=$(date +%s.%N)
sleep "$DOWN"
broker_start "$C" "$PC" || exit 1
t2=$(date +%s.%N)
if wait_received RA 10000 180; then
    t3=$(date +%s.%N)
    set -- $(order RA)
    [ "$1" = 10 ] && [ "$2" = 0 ] && [ "$3" = 0 ] && ok "1. WAN down ${DOWN}s: 10000 of 10000, order kept in 10 ROs, $4 duplicate(s) by msg_id" ||
        bad "1. ROs $1, missing $2, out of order $3"
    fig "WAN down ${DOWN}s during a 10000-message burst: 0 lost ($2 missing), $3 RO(s) out of order, $4 duplicate(s); obdgwd -> site broker $(printf %.2f "$(echo "$t1 - $t0" | bc)") s; central up -> all at the DMS $(printf %.2f "$(echo "$t3 - $t2" | bc)") s"
else
    bad "1. $(received RA) of 10000 arrived after the WAN came back"
fi

# ---- 2. the site broker (and its bridge) restarts mid-burst ----
t0=$(date +%s.%N)
burst RB &
BP=$!
sleep 0.5
broker_stop "$S"
broker_start "$S" "$PS" || exit 1
wait $BP
if wait_received RB 10000 180 && wait_drained "$OBDGW" "$OBDGW_SOCKET" 60; then
    t1=$(date +%s.%N)
    set -- $(order RB)
    [ "$1" = 10 ] && [ "$2" = 0 ] && [ "$3" = 0 ] && ok "2. bridge restart mid-burst: 10000 of 10000, order kept in 10 ROs, $4 duplicate(s) by msg_id" ||
        bad "2. ROs $1, missing $2, out of order $3"
    fig "site broker + bridge restarted mid-burst: 0 lost ($2 missing), $3 RO(s) out of order, $4 duplicate(s); burst start -> all at the DMS $(printf %.2f "$(echo "$t1 - $t0" | bc)") s"
else
    bad "2. $(received RB) of 10000 arrived after the bridge restart"
fi

# ---- 3. a work order from the DMS through the bridge ----
broker_stop "$S"
# shellcheck disable=SC2046
mosquitto_pub $(dms_opts "$C" "$PC" tls) -q 1 -t dms/v1/ws01/wo \
    -m '{"schema":"dms.wo","schema_version":1,"msg_id":"wo-bridge-1","action":"open","ro":"RO-BRIDGE","vin":"LFV2A21K6M3012345","complaint":"MIL on after the bridge"}' ||
    bad "3. the DMS could not publish"
broker_start "$S" "$PS" || exit 1
bridge_up 30 || bad "3. bridge did not reconnect"
i=0; got=""
while [ $i -lt 100 ]; do
    got=$("$OBDGW" wo show RO-BRIDGE --daemon 2>/dev/null | grep -c "MIL on after the bridge")
    [ "${got:-0}" -ge 1 ] && break
    sleep 0.2; i=$((i + 1))
done
[ "${got:-0}" -ge 1 ] && ok "3. work order queued at the central broker while the bridge was down reached obdgwd" ||
    bad "3. RO-BRIDGE not at obdgwd: $("$OBDGW" wo show RO-BRIDGE --daemon 2>&1 | head -2)"

[ -n "$BENCH" ] && exit 0
if [ $fails -eq 0 ]; then echo "bridge_test: all passed"; else echo "bridge_test: $fails failed (kept $T)"; fi
[ $fails -eq 0 ]
