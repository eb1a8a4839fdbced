#!/bin/sh
# Nothing the DMS was not told is forgotten (#19 item 8): with the outbox
# full (outbox_max_messages = 100, the broker down), scans are saved, their
# messages refused and kept pending in the store (dms_pending):
#   1. `scan --bay N` exits 6 (saved, the DMS not told), says so in en and zh,
#      with the true count of refused messages;
#   2. `obdgw dms pending` lists them (scan id, RO, VIN, time, why), status
#      says how many are pending;
#   3. `obdgw dms resend --all` while still full: nothing queued, the counts
#      say so, exit 6;
#   4. the broker comes back: the outbox drains, obdgwd queues the pending
#      ones by itself, the DMS stand-in receives every stored scan, nothing
#      is pending, status no longer says so;
#   5. `dms resend --all` with nothing pending: exit 0;
#   6. an RO named "-o" addressed through the daemon after "--".
# Before this, the refused scans were never told (exit 0, "refused since the
# start" forever).
# Usage: sh tests/daemon/pending_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-pending-test.XXXXXX)
PORT=$(pick_port)
fails=0
cleanup() { daemon_stop "$T" KILL; dms_sub_stop "$T"; broker_stop "$T"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)
sql() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$T/obdgw.db" "$1"; }

broker_conf "$T" "$PORT" ""
daemon_conf "$T" "$PORT" "" 1 "sim"
sed -i 's/^\[mqtt\]$/[mqtt]\noutbox_max_messages = 100/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
"$OBDGW" inject --daemon --count 100 --ro RO-FILL >/dev/null || bad "inject"

# ---- 1. scans saved, their messages refused: exit 6, en + zh, true counts ----
OUT=$("$OBDGW" scan --bay 1 2>&1); RC=$?
OUT2=$("$OBDGW" scan --bay 1 2>&1); RC2=$?
OUTZ=$("$OBDGW" --lang zh scan --bay 1 2>&1); RCZ=$?
STORED=$(sql "SELECT COUNT(*) FROM scans")
PEND=$(sql "SELECT COUNT(*) FROM dms_pending WHERE kind='scan'")
if [ $RC = 6 ] && [ $RC2 = 6 ] && [ $RCZ = 6 ] && [ "$STORED" = 3 ] && [ "$PEND" = 3 ] \
    && echo "$OUT" | grep -q 'saved, but the DMS was NOT told: 1 message(s) refused (outbox full' \
    && echo "$OUT" | grep -q '1 kept pending' && echo "$OUTZ" | grep -q '证据已保存，但未通知 DMS：1 条消息被拒绝'; then
    ok "1. outbox full: 3 scans saved, exit 6 each, '1 message(s) refused, 1 kept pending' (en and zh), 3 pending in the store"
else
    bad "1. exit $RC/$RC2/$RCZ, $STORED stored, $PEND pending; output: $OUT / $OUTZ"
fi
grep -q 'DMS message(s) NOT queued (the evidence is saved), 1 kept pending' "$T/obdgwd.log" || bad "1: refusal not logged"

# ---- 2. dms pending lists them; status says so ----
PJ=$("$OBDGW" dms pending --json --daemon 2>&1)
PT=$("$OBDGW" dms pending --daemon 2>&1)
PZ=$("$OBDGW" --lang zh dms pending --daemon 2>&1)
IDS=$(echo "$PJ" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(" ".join(str(m["scan_id"]) for m in j["messages"]), j["pending"])' 2>&1)
WANT="$(python3 -c 'import sqlite3,sys; print(" ".join(str(r[0]) for r in sqlite3.connect(sys.argv[1]).execute("SELECT id FROM scans ORDER BY id")))' "$T/obdgw.db") 3"
VIN=$(echo "$PJ" | python3 -c 'import json,sys; print(json.load(sys.stdin)["messages"][0]["vin"])' 2>/dev/null)
ST=$("$OBDGW" status 2>&1)
if [ "$IDS" = "$WANT" ] && [ ${#VIN} = 17 ] && echo "$PT" | grep -q '3 message(s) the DMS was NOT told' \
    && echo "$PT" | grep -q "VIN $VIN" && echo "$PT" | grep -q 'why: outbox full' \
    && echo "$PZ" | grep -q 'DMS 尚未收到的消息 3 条' \
    && echo "$ST" | grep -q 'pending  3 message(s) the DMS was NOT told yet'; then
    ok "2. dms pending: scans $IDS listed with VIN, time and why (en, zh, JSON); status: 3 pending"
else
    bad "2. dms pending: '$IDS' (want '$WANT'), VIN '$VIN'; $PT / $ST"
fi

# ---- 3. resend while still full: nothing queued, counts true ----
R=$("$OBDGW" dms resend --all --daemon 2>&1); RR=$?
if [ $RR = 6 ] && echo "$R" | grep -q '0 queued for the DMS, 1 refused again, 2 not tried (outbox full); 3 still pending' \
    && [ "$(sql "SELECT COUNT(*) FROM audit WHERE action='dms_resend'")" = 0 ]; then
    ok "3. dms resend --all with the outbox full: exit 6, '0 queued, 1 refused again, 2 not tried; 3 still pending', no audit entry"
else
    bad "3. resend while full: exit $RR: $R"
fi

# ---- 4. the broker is back: drained, pending queued by obdgwd, every scan told ----
SUB="$T/dms.log"
broker_start "$T" "$PORT" || exit 1
dms_sub_start "$T" "$PORT" "" "$SUB"
i=0
while [ $i -lt 150 ]; do
    [ "$(sql "SELECT COUNT(*) FROM dms_pending")" = 0 ] && [ "$(outbox_len "$OBDGW" "$OBDGW_SOCKET")" = 0 ] && break
    sleep 0.2; i=$((i + 1))
done
sleep 1
TOLD=$(grep '^obdgw/v1/ws01/scan ' "$SUB" | sed -n 's/.*"scan_id":\([0-9]*\).*/\1/p' | sort -un | tr '\n' ' ' | sed 's/ $//')
WANTS=$(echo "$WANT" | sed 's/ 3$//')
PT=$("$OBDGW" dms pending --daemon 2>&1)
ST=$("$OBDGW" status 2>&1)
if [ "$TOLD" = "$WANTS" ] && echo "$PT" | grep -q 'nothing pending' && ! echo "$ST" | grep -q '^pending' \
    && echo "$ST" | grep -q 'none pending' && grep -q 'DMS message(s) refused earlier queued now' "$T/obdgwd.log" \
    && grep -q 'nothing pending any more' "$T/obdgwd.log"; then
    ok "4. broker back: the DMS got every stored scan ($TOLD of $STORED), nothing pending, status flag gone"
else
    bad "4. told '$TOLD' (want '$WANTS'); pending: $PT; status: $ST"
fi

# ---- 5. resend with nothing pending ----
R=$("$OBDGW" dms resend --all --daemon 2>&1); RR=$?
[ $RR = 0 ] && echo "$R" | grep -q '0 queued for the DMS, 0 refused again, 0 not tried (outbox full); 0 still pending' \
    && ok "5. dms resend --all with nothing pending: exit 0 ('$R')" || bad "5. exit $RR: $R"

# ---- 6. an RO named like an option, through the daemon: "--" ends the options ----
"$OBDGW" wo add --daemon --complaint dash -- -o >/dev/null 2>&1; RA=$?
W=$("$OBDGW" wo show --daemon -- -o 2>&1); RW=$?
Q=$("$OBDGW" qc --daemon -- -o 2>&1); RQ=$?
if [ $RA = 0 ] && [ $RW = 0 ] && echo "$W" | grep -q 'complaint    dash' && [ $RQ = 5 ] && echo "$Q" | grep -q 'RO -o'; then
    ok "6. wo add/show and qc --daemon -- -o address the RO '-o' (qc: exit 5, '$(echo "$Q" | head -1)')"
else
    bad "6. '--' through the daemon: add $RA, show $RW ($W), qc $RQ ($Q)"
fi

daemon_stop "$T" TERM
echo "pending_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "pending_test: all passed" || { echo "logs in $T"; exit 1; }
