#!/bin/sh
# Evidence and its DMS message commit together (outbox.h, "one transaction"):
# obdgwd is SIGKILLed at random moments while 4 bays scan over and over, then
# restarted; at the end every scan in the store must have reached the DMS
# stand-in or still be in the outbox, and no scan message may exist for a
# scan that is not in the store.
# OBDGWD_TEST_TX_HOLD_MS holds each evidence transaction open between the
# scan and its messages, so that many kills land inside one.
# Then, with the outbox full (no broker, outbox_max_messages = 100), a scan
# is still saved and the refused message is kept pending and reported
# (exit 6, CLI, status, log; tests/daemon/pending_test.sh follows it up);
# and SIGTERM stops the daemon and its bays' simulator processes.
# Usage: sh tests/daemon/crash_test.sh BUILD
set -u
BUILD=${1:-build}
OBDGW=$(cd "$BUILD" && pwd)/obdgw
OBDGWD=$(cd "$BUILD" && pwd)/obdgwd
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-crash-test.XXXXXX)
PORT=$(pick_port)
ROUNDS=${CRASH_ROUNDS:-8}
fails=0
LOOPS=""
stop_loops() { for p in $LOOPS; do kill "$p" 2>/dev/null; done; for p in $LOOPS; do wait "$p" 2>/dev/null; done; LOOPS=""; }
cleanup() { stop_loops; daemon_stop "$T" KILL; dms_sub_stop "$T"; broker_stop "$T"; [ $fails -eq 0 ] && rm -rf "$T"; }
trap cleanup EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
START=$(date +%s)

broker_conf "$T" "$PORT" ""
broker_start "$T" "$PORT" || exit 1
daemon_conf "$T" "$PORT" "" 4 "sim"
SUB="$T/dms.log"
dms_sub_start "$T" "$PORT" "" "$SUB"

# a scan loop on one bay (its CLI fails when the daemon dies under it)
scan_loop() { while :; do "$OBDGW" scan --bay "$1" >/dev/null 2>&1 || sleep 0.05; done; }

r=1
while [ $r -le "$ROUNDS" ]; do
    OBDGWD_TEST_TX_HOLD_MS=150 daemon_start "$T" "$OBDGWD" || exit 1
    for b in 1 2 3 4; do scan_loop $b & LOOPS="$LOOPS $!"; done
    # a random moment: 0.4 .. 1.9 s into the round
    ms=$(( 400 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 1500 ))
    sleep "$(echo "scale=3; $ms / 1000" | bc)"
    daemon_stop "$T" KILL
    stop_loops
    r=$((r + 1))
done

# the last start: no kill; let the outbox drain, then compare
daemon_start "$T" "$OBDGWD" || exit 1
# Memory: PDFs are rendered by the CLI in a child, so the daemon never maps
# pango/cairo/glib (about 4 MB resident; bench.sh prints the 8-bay figure).
if grep -qE 'libpango|libcairo|libglib' /proc/"$(cat "$T/obdgwd.pid")"/maps; then
    bad "0. obdgwd maps pango/cairo/glib (report rendering pulled back in-process?)"
else
    ok "0. obdgwd maps no pango/cairo/glib"
fi
# one scan that is not interrupted (so the check below never runs on nothing)
"$OBDGW" scan --bay 1 >/dev/null 2>&1 || bad "a scan after the last restart failed"
wait_drained "$OBDGW" "$OBDGW_SOCKET" 60 || bad "outbox not drained after the last restart"
sleep 1.5
daemon_stop "$T" TERM
dms_sub_stop "$T"

python3 - "$T/obdgw.db" "$SUB" <<'PY' >"$T/check.out" 2>&1
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT id FROM scans")}
queued = {int(r[0].rsplit("-", 1)[1]) for r in db.execute("SELECT msg_id FROM outbox WHERE msg_id LIKE 'ws01-scan-%'")}
got = set()
for line in open(sys.argv[2], errors="replace"):
    topic, _, body = line.partition(" ")
    if topic == "obdgw/v1/ws01/scan":
        try:
            got.add(int(json.loads(body)["scan_id"]))
        except Exception:
            pass
lost = stored - got - queued
phantom = (got | queued) - stored
print("stored %d delivered %d queued %d lost %d phantom %d" % (len(stored), len(stored & got), len(stored & queued), len(lost), len(phantom)))
if lost:
    print("lost scan ids:", sorted(lost)[:20])
if phantom:
    print("messages without a stored scan:", sorted(phantom)[:20])
PY
cat "$T/check.out"
line=$(grep '^stored' "$T/check.out")
set -- $line
STORED=$2; LOST=$8; PHANTOM=${10}
KILLED=$(grep -c 'obdgwd ready' "$T/obdgwd.log")
[ "${STORED:-0}" -gt 0 ] && [ "$LOST" = 0 ] \
    && ok "1. $ROUNDS kill -9 at random moments during repeated scans: $STORED scan(s) stored, every one delivered or still queued, 0 lost" \
    || bad "1. kill -9 during scans: $STORED stored, $LOST lost (stored but never told to the DMS)"
[ "$PHANTOM" = 0 ] && ok "2. no DMS scan message for a scan that was rolled back (0 phantom)" \
                   || bad "2. $PHANTOM scan message(s) for scans not in the store"
# The kills landed inside evidence transactions: jobs started but never answered.
STARTED=$(grep -c 'control: scan on bay' "$T/obdgwd.log")
DONE=$(grep -c 'job [0-9]* done' "$T/obdgwd.log")
echo "     daemon starts $KILLED, scan jobs started $STARTED, finished $DONE (the rest died with the daemon)"

# ---- 3. evidence beats notification: a full outbox refuses the message, the scan is saved ----
# No broker (the outbox only fills) and room for 100 messages, all taken.
sed -i -e '/^broker = /d' -e 's/^\[mqtt\]$/[mqtt]\noutbox_max_messages = 100/' "$T/obdgw.conf"
daemon_start "$T" "$OBDGWD" || exit 1
"$OBDGW" inject --daemon --count 100 --ro RO-FILL >/dev/null || bad "3: inject"
BEFORE=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM scans").fetchone()[0])' "$T/obdgw.db")
OUT=$("$OBDGW" scan --bay 1 2>&1); RC=$?
AFTER=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM scans").fetchone()[0])' "$T/obdgw.db")
Q=$(outbox_len "$OBDGW" "$OBDGW_SOCKET")
ST=$("$OBDGW" status 2>&1)
if [ $RC = 6 ] && [ "$AFTER" = $((BEFORE + 1)) ] && [ "$Q" = 100 ] && echo "$OUT" | grep -q 'saved' \
    && echo "$OUT" | grep -q 'WARNING: saved, but the DMS was NOT told: 1 message(s) refused (outbox full' \
    && echo "$ST" | grep -q 'pending  1 message(s) the DMS was NOT told yet'; then
    ok "3. outbox full: the scan is saved ($BEFORE -> $AFTER scans), its message refused, kept pending and said so (exit 6, CLI warning, status, log)"
else
    bad "3. outbox full: exit $RC, scans $BEFORE -> $AFTER, outbox $Q; output: $OUT"
fi
grep -q 'DMS message(s) NOT queued (the evidence is saved)' "$T/obdgwd.log" || bad "3: refusal not logged"

# ---- 4. SIGTERM with simulator bays: the daemon and its simulators exit ----
for b in 2 3 4; do "$OBDGW" scan --bay $b >/dev/null 2>&1; done # a simulator per bay
DPID=$(cat "$T/obdgwd.pid")
KIDS=$(pgrep -P "$DPID" | tr '\n' ' ')
kill -TERM "$DPID"
i=0; while kill -0 "$DPID" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
LEFT=""; for k in $KIDS; do kill -0 "$k" 2>/dev/null && LEFT="$LEFT $k"; done
if kill -0 "$DPID" 2>/dev/null; then
    bad "4. obdgwd still running 10 s after SIGTERM"; kill -KILL "$DPID"
elif [ -n "$LEFT" ]; then
    bad "4. simulator process(es)$LEFT left after obdgwd stopped"; for k in $LEFT; do kill -KILL "$k"; done
else
    ok "4. SIGTERM: obdgwd and its $(echo $KIDS | wc -w) simulator process(es) gone in $((i * 50)) ms or less"
fi
rm -f "$T/obdgwd.pid"

echo "crash_test: $(( $(date +%s) - START )) s, $fails failure(s)"
[ $fails -eq 0 ] && echo "crash_test: all passed" || { echo "logs in $T"; exit 1; }
