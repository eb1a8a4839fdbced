#!/bin/sh
# A live recording cut by kill -9 (#19 item 9): `obdgw live --record` against
# the simulator is SIGKILLed mid-stream. Before: the recording stayed open
# forever (ended 0, `wo show` printed "-1796640881.4 s"), not audited.
#   1. while the recording process runs, another obdgw opening the store
#      leaves it alone ("recording now");
#   2. after the kill, the next obdgw that opens the store closes it: state
#      interrupted, ended at its last sample, statistics, an audit entry;
#      `wo show` (en, zh) and the report say interrupted, no negative duration;
#   3. obdgwd closes one at its start too (when built).
# Usage: sh tests/recording_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
T=$(mktemp -d /tmp/obdgw-rec-test.XXXXXX)
export OBDGW_STORE="$T/s.db"
fails=0
LPID=""
cleanup() { [ -n "$LPID" ] && kill -KILL "$LPID" 2>/dev/null; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
sql() { python3 -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("|".join(str(x) for x in r))' "$OBDGW_STORE" "$1"; }

# start a recording and wait until samples are on disk; LPID its pid
record() { # RO
    "$OBDGW" live --adapter sim --pid rpm,speed --duration 120 --record --ro "$1" >"$T/live.out" 2>&1 &
    LPID=$!
    i=0
    while [ $i -lt 100 ]; do
        n=$(sql "SELECT COALESCE(MAX(samples), 0) FROM recordings WHERE state='recording'" 2>/dev/null)
        [ "${n:-0}" -ge 10 ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "no samples recorded: $(cat "$T/live.out")"; return 1
}

"$OBDGW" wo add RO-K1 --complaint "stalls" >/dev/null || bad "wo add"
record RO-K1 || bad "recording did not start"
# ---- 1. another obdgw while it records ----
SHOW=$("$OBDGW" wo show RO-K1 2>&1)
ST=$(sql "SELECT state, ended_ms, owner_pid FROM recordings WHERE id=1")
if [ "$ST" = "recording|0|$LPID" ] && echo "$SHOW" | grep -q 'recording now' && ! echo "$SHOW" | grep -q 'interrupted'; then
    ok "1. while 'obdgw live --record' (pid $LPID) runs, another obdgw leaves its recording open ('recording now')"
else
    bad "1. live recording touched: $ST; $SHOW"
fi
# ---- 2. kill -9, then the next store open closes it ----
kill -KILL "$LPID"; wait "$LPID" 2>/dev/null; KILLED=$LPID; LPID=""
BEFORE=$(sql "SELECT state, ended_ms FROM recordings WHERE id=1")
SHOW=$("$OBDGW" wo show RO-K1 2>&1)
SHOWZ=$("$OBDGW" --lang zh wo show RO-K1 2>&1)
J=$("$OBDGW" wo show RO-K1 --json 2>&1 | tr -d " \t")
R=$(sql "SELECT state, ended_ms - started_ms = (SELECT MAX(t_off) FROM rec_samples WHERE rec_id=1), ended_ms > started_ms,
         samples = (SELECT COUNT(*) FROM rec_samples WHERE rec_id=1), (SELECT COUNT(*) FROM rec_stats WHERE rec_id=1) > 0
         FROM recordings WHERE id=1")
A=$(sql "SELECT COUNT(*), MAX(ro), MAX(details LIKE '%\"owner_pid\":$KILLED,%') FROM audit WHERE action='rec_interrupted'")
V=$("$OBDGW" audit verify 2>&1)
REP=$("$OBDGW" report RO-K1 --format json 2>/dev/null | python3 -c 'import json,sys; r=json.load(sys.stdin)["recordings"][0]; print(r["state"], r["duration_s"] is not None and r["duration_s"] > 0)' 2>&1)
if [ "$BEFORE" = "recording|0" ] && [ "$R" = "interrupted|1|1|1|1" ] && [ "$A" = "1|RO-K1|1" ] \
    && echo "$SHOW" | grep -q "recording #1 of RO RO-K1 was interrupted (its process $KILLED is gone): closed at its last sample" \
    && echo "$SHOW" | grep -q 'interrupted (ended at its last sample)' && ! echo "$SHOW" | grep -q -- ' -[0-9]' \
    && echo "$SHOWZ" | grep -q '中断（按最后一个采样结束）' && echo "$J" | grep -q '"state":"interrupted"' \
    && echo "$V" | grep -q intact && [ "$REP" = "interrupted True" ]; then
    ok "2. after kill -9 of pid $KILLED: closed at its last sample, interrupted (wo show en/zh/json, report), stats kept, audited ($A)"
else
    bad "2. before '$BEFORE' after '$R' audit '$A' report '$REP'; $SHOW / $SHOWZ"
fi
# ---- 3. obdgwd closes one at its start ----
if [ -x "$BUILD/obdgwd" ]; then
    OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
    . "$(dirname "$0")/daemon/lib.sh"
    record RO-K1 || bad "second recording did not start"
    kill -KILL "$LPID"; wait "$LPID" 2>/dev/null; KILLED=$LPID; LPID=""
    daemon_conf "$T" "$(pick_port)" "" 1 sim
    sed -i "s|^store = .*|store = $OBDGW_STORE|" "$T/obdgw.conf"
    daemon_start "$T" "$OBDGWD" || bad "obdgwd did not start"
    sleep 0.3
    daemon_stop "$T" TERM
    R=$(sql "SELECT state FROM recordings WHERE id=2")
    if [ "$R" = interrupted ] && grep -q "recording #2 of RO RO-K1 was interrupted (its process $KILLED is gone)" "$T/obdgwd.log"; then
        ok "3. obdgwd at start: recording #2 (kill -9 of pid $KILLED) closed as interrupted, logged"
    else
        bad "3. obdgwd start: state '$R'; $(cat "$T/obdgwd.log")"
    fi
fi
echo "recording_test: $fails failure(s)"
[ $fails -eq 0 ] && echo "recording_test: all passed" || { echo "files in $T"; exit 1; }
