#!/bin/sh
# Fail-closed audit and monotonic time boxes (#19), against a real mosquitto.
#   A. the wall clock stepped back 1 h / forward 2 h (LD_PRELOAD shim,
#      tests/daemon/clockshift.c): a 3 s consent still ends after 3 s, a
#      60 s consent does not end at once
#   B. the store full (a small tmpfs filled up): consent --grant refused
#      (exit 1, nothing granted), a remote dtc.read refused with an error
#      reply and no codes, revoke done but reported (exit 1)
# Usage: sh tests/daemon/failclosed_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
T=$(mktemp -d /tmp/obdgw-failclosed-test.XXXXXX)
PORT=$(pick_port)
fails=0
MNT="$T/small"
cleanup() {
    daemon_stop "$T" KILL; broker_stop "$T"
    mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"
    [ $fails -eq 0 ] && rm -rf "$T"
}
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
skip() { echo "skip $*"; }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)

broker_conf "$T" "$PORT" ""
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" "" 1 "sim"
O=$(dms_opts "$T" "$PORT" "")
rr() { timeout 8 mosquitto_rr $O -t "dms/v1/ws01/req/eng-li/$1" -e "obdgw/v1/ws01/resp/eng-li" -m "$2" -W 6 2>/dev/null; }

# ---- A. wall-clock steps ----
if gcc -shared -fPIC -O2 -o "$T/clockshift.so" "$HERE/clockshift.c" -ldl 2>"$T/cc.err"; then
    echo 0 >"$T/shift"
    # an ASan-built daemon (make check's second pass) wants its runtime first in
    # the library list: it is put ahead of the preloaded clock shifter
    ASANLIB=$(ldd "$OBDGWD" 2>/dev/null | awk '/libasan/ { print $3; exit }')
    CLOCKSHIFT_FILE="$T/shift" LD_PRELOAD="${ASANLIB:+$ASANLIB:}$T/clockshift.so" daemon_start "$T" "$OBDGWD" || exit 1
    "$OBDGW" consent --bay 1 --grant --seconds 3 >/dev/null || bad "A1. grant"
    echo -3600000 >"$T/shift" # NTP steps the clock back one hour
    sleep 4.5
    S=$("$OBDGW" consent --bay 1)
    echo "$S" | grep -q 'no remote support consent' && grep -q 'bay 1 consent expired' "$T/obdgwd.log" \
        && ok "A1. wall clock stepped back 1 h: the 3 s consent ended after 3 s anyway ('$S')" \
        || bad "A1. clock stepped back: consent still '$S'"
    echo 0 >"$T/shift"
    "$OBDGW" consent --bay 1 --grant --seconds 60 >/dev/null || bad "A2. grant"
    echo 7200000 >"$T/shift" # and forward two hours
    sleep 1
    S=$("$OBDGW" consent --bay 1)
    echo "$S" | grep -q 'remote support allowed until' \
        && ok "A2. wall clock stepped forward 2 h: the 60 s consent still runs ('$S')" \
        || bad "A2. clock stepped forward: consent '$S'"
    "$OBDGW" consent --bay 1 --revoke >/dev/null
    daemon_stop "$T" TERM
else
    skip "A. no C compiler for the clock shim: $(cat "$T/cc.err")"
fi

# ---- B. store full ----
mkdir -p "$MNT"
if mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null; then
    sed -i "s|^store = .*|store = $MNT/obdgw.db|" "$T/obdgw.conf"
    daemon_start "$T" "$OBDGWD" || exit 1
    sleep 1
    dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null
    dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
    G=$("$OBDGW" consent --bay 1 --grant --seconds 60 2>&1); RG=$?
    S=$("$OBDGW" consent --bay 1)
    [ $RG -ne 0 ] && echo "$G" | grep -q 'NOT allowed' && echo "$S" | grep -q 'no remote support consent' \
        && ok "B1. store full: consent --grant refused (exit $RG: $G); nothing granted" \
        || bad "B1. store full: grant exit $RG '$G', then '$S'"
    rm -f "$MNT/fill" "$MNT/fill2"
    "$OBDGW" consent --bay 1 --grant --seconds 60 >/dev/null || bad "B2. grant with room"
    dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null
    dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
    R=$(rr dtc.read '{"bay":1}')
    echo "$R" | grep -q '"ok":false' && echo "$R" | grep -q '"error":"audit_failed"' && ! echo "$R" | grep -q '"dtcs"' \
        && ok "B2. store full: remote dtc.read refused with an error reply, no codes sent" \
        || bad "B2. store full: dtc.read reply '$R'"
    V=$("$OBDGW" consent --bay 1 --revoke 2>&1); RV=$?
    [ $RV -ne 0 ] && echo "$V" | grep -q 'audit entry could not be written' \
        && ok "B3. store full: revoke done but reported (exit $RV)" || bad "B3. revoke exit $RV '$V'"
    rm -f "$MNT/fill" "$MNT/fill2"
    # acknowledged messages whose delete fails (disk full) are deleted once
    # there is room again, without waiting for a reconnect
    broker_stop "$T"
    "$OBDGW" inject --daemon --count 2000 --ro RO-ACK >/dev/null || bad "B5. inject"
    dd if=/dev/zero of="$MNT/fill" bs=64k 2>/dev/null
    dd if=/dev/zero of="$MNT/fill2" bs=512 2>/dev/null
    broker_start "$T" "$PORT" || exit 1
    i=0; while [ $i -lt 100 ] && ! grep -q 'acknowledged message(s) not deleted yet' "$T/obdgwd.log"; do sleep 0.1; i=$((i + 1)); done
    Q1=$(outbox_len "$OBDGW" "$OBDGW_SOCKET")
    D1=$("$OBDGW" status --json | tr -d ' \n\t' | sed -n 's/.*"disconnects":\([0-9]*\).*/\1/p')
    rm -f "$MNT/fill" "$MNT/fill2"
    wait_drained "$OBDGW" "$OBDGW_SOCKET" 10; Q2=$(outbox_len "$OBDGW" "$OBDGW_SOCKET")
    D2=$("$OBDGW" status --json | tr -d ' \n\t' | sed -n 's/.*"disconnects":\([0-9]*\).*/\1/p')
    [ "${Q1:-0}" -gt 0 ] && [ "$Q2" = 0 ] && [ -n "$D1" ] && [ "$D1" = "$D2" ] && grep -q 'deleted after a retry' "$T/obdgwd.log" \
        && ok "B5. acks not deletable while the disk was full ($Q1 queued): deleted once there was room, no reconnect needed" \
        || bad "B5. ack retry: $Q1 queued while full, $Q2 after (disconnects $D1 -> $D2)"
    daemon_stop "$T" TERM
    # read-only: warned at start, in status; consent refused; --check says so
    mount -o remount,ro "$MNT"
    "$OBDGWD" --config "$T/obdgw.conf" --check >"$T/check.out" 2>&1; RC=$?
    daemon_start "$T" "$OBDGWD" || exit 1
    ST=$("$OBDGW" status)
    G=$("$OBDGW" consent --bay 1 --grant --seconds 60 2>&1); RG=$?
    [ $RC = 1 ] && grep -q 'read-only' "$T/check.out" && grep -q 'is READ-ONLY' "$T/obdgwd.log" \
        && echo "$ST" | grep -q 'READ-ONLY' && [ $RG -ne 0 ] \
        && ok "B4. read-only store: obdgwd --check exit 1, warned at start and in status, consent refused (exit $RG)" \
        || bad "B4. read-only store: --check $RC ($(cat "$T/check.out")), status '$ST', grant exit $RG"
    daemon_stop "$T" TERM
    umount "$MNT"
else
    skip "B. cannot mount a small tmpfs (needs root): store-full cases not run"
fi

# ---- C. a damaged store (a b-tree page overwritten) ----
mkdir -p "$T/bad"
OBDGW_STORE="$T/bad/obdgw.db" "$OBDGW" wo add RO-0 >/dev/null || bad "C. create"
python3 - "$T/bad/obdgw.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for i in range(400):
    c.execute("INSERT INTO work_orders(ro, complaint, opened_ms, source) VALUES(?, ?, 1, 'cli')", ("RO-%d" % (i + 1), "complaint text " * 10))
c.commit(); c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
root = c.execute("SELECT rootpage FROM sqlite_master WHERE name='work_orders'").fetchone()[0]
c.close()
f = open(sys.argv[1], "r+b"); f.seek((root - 1) * 4096 + 12); f.write(b"\xff" * 300); f.close()
PY
sed "s|^store = .*|store = $T/bad/obdgw.db|" "$T/obdgw.conf" >"$T/bad.conf"
"$OBDGWD" --config "$T/bad.conf" --check >"$T/badcheck.out" 2>&1; RC=$?
timeout 10 "$OBDGWD" --config "$T/bad.conf" >"$T/bad.log" 2>&1; RS=$?
[ $RC = 1 ] && grep -q 'damaged' "$T/badcheck.out" && [ $RS -ne 0 ] && [ $RS -ne 124 ] && grep -q 'refusing to start' "$T/bad.log" \
    && ok "C. damaged store: obdgwd --check exit 1 and obdgwd refuses to start (exit $RS: $(grep -o 'database is damaged.\{0,60\}' "$T/bad.log" | head -n 1))" \
    || bad "C. damaged store: --check exit $RC, start exit $RS ($(head -c 300 "$T/bad.log"))"

echo "failclosed_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "failclosed_test: all passed" || { echo "logs in $T"; exit 1; }
