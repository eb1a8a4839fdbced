#!/bin/sh
# Run every unit test binary and replay every fuzz corpus in BUILD; print one
# summary line "check: N passed, M failed". Exit non-zero if anything failed.
BUILD=${1:-build}
pass=0; fail=0; failed=""
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t" >"$t.log" 2>&1; then
        pass=$((pass + 1))
        tail -n 1 "$t.log" | sed "s|^|$(basename "$t"): |"
    else
        fail=$((fail + 1)); failed="$failed $(basename "$t")"
        cat "$t.log"
    fi
done
for r in "$BUILD"/tests/replay_*; do
    [ -x "$r" ] || continue
    name=$(basename "$r" | sed 's/^replay_fuzz_//')
    if "$r" tests/fuzz/corpus/"$name" >"$r.log" 2>&1; then
        pass=$((pass + 1))
        tail -n 1 "$r.log" | sed "s|^|$(basename "$r"): |"
    else
        fail=$((fail + 1)); failed="$failed $(basename "$r")"
        cat "$r.log"
    fi
done
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/cli_test.sh "$BUILD" >"$BUILD/cli_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/cli_test.log"
    else
        fail=$((fail + 1)); failed="$failed cli_test"; cat "$BUILD/cli_test.log"
    fi
fi
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/sim_test.sh "$BUILD" >"$BUILD/sim_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/sim_test.log"
    else
        fail=$((fail + 1)); failed="$failed sim_test"; cat "$BUILD/sim_test.log"
    fi
fi
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/uds_store_test.sh "$BUILD" >"$BUILD/uds_store_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/uds_store_test.log"
    else
        fail=$((fail + 1)); failed="$failed uds_store_test"; cat "$BUILD/uds_store_test.log"
    fi
fi
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/signals_test.sh "$BUILD" >"$BUILD/signals_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/signals_test.log"
    else
        fail=$((fail + 1)); failed="$failed signals_test"; cat "$BUILD/signals_test.log"
    fi
fi
# A live recording cut by kill -9 is closed as interrupted (and obdgwd at its start).
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/recording_test.sh "$BUILD" >"$BUILD/recording_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/recording_test.log"
    else
        fail=$((fail + 1)); failed="$failed recording_test"; cat "$BUILD/recording_test.log"
    fi
fi
# The car's life in the workshop (#13): delivery, lead check, comebacks, vehicle history, follow-up.
if [ -x "$BUILD/obdgw" ]; then
    if sh tests/history_test.sh "$BUILD" >"$BUILD/history_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/history_test.log"
    else
        fail=$((fail + 1)); failed="$failed history_test"; cat "$BUILD/history_test.log"
    fi
fi
if [ -x "$BUILD/tests/test_report" ]; then
    if sh tests/report_test.sh "$BUILD" >"$BUILD/report_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/report_test.log"
    else
        fail=$((fail + 1)); failed="$failed report_test"; cat "$BUILD/report_test.log"
    fi
fi
# Real JSON output (scan, report, QC, obdgwd's DMS messages) against the
# published schemas (python3-jsonschema from Debian).
if [ -x "$BUILD/obdgw" ] && [ -x "$BUILD/obdgwd" ]; then
    if sh tests/schema_test.sh "$BUILD" >"$BUILD/schema_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/schema_test.log"
    else
        fail=$((fail + 1)); failed="$failed schema_test"; cat "$BUILD/schema_test.log"
    fi
fi
# UDS scans and the guarded UDS clear through obdgwd's bays (no broker).
if [ -x "$BUILD/obdgwd" ]; then
    if sh tests/daemon/uds_bay_test.sh "$BUILD" >"$BUILD/uds_bay_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/uds_bay_test.log"
    else
        fail=$((fail + 1)); failed="$failed uds_bay_test"; cat "$BUILD/uds_bay_test.log"
    fi
fi
# The bay service against a real mosquitto (TLS, ACL; faults counted): obdgwd tests.
if [ -x "$BUILD/obdgwd" ] && command -v mosquitto >/dev/null 2>&1; then
    for t in config_test dms_test remote_test identity_test crash_test inbox_test failclosed_test pending_test bridge_test; do
        if sh tests/daemon/$t.sh "$BUILD" >"$BUILD/$t.log" 2>&1; then
            pass=$((pass + 1)); tail -n 1 "$BUILD/$t.log"
        else
            fail=$((fail + 1)); failed="$failed $t"; cat "$BUILD/$t.log"
        fi
    done
fi
# The browser console in headless Chromium (puppeteer-core), over the shipped
# broker's WebSocket listener (tests/console/console_test.sh).
if [ -x "$BUILD/obdgwd" ] && [ -f "$BUILD/console/index.html" ] && command -v mosquitto >/dev/null 2>&1; then
    if sh tests/console/console_test.sh "$BUILD" >"$BUILD/console_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/console_test.log"
    else
        fail=$((fail + 1)); failed="$failed console_test"; cat "$BUILD/console_test.log"
    fi
fi
# make install / uninstall into a temporary DESTDIR (the gcc build only).
if [ -x "$BUILD/obdgwd" ] && [ "$BUILD" = build ]; then
    if sh tests/install_test.sh "$BUILD" >"$BUILD/install_test.log" 2>&1; then
        pass=$((pass + 1)); tail -n 1 "$BUILD/install_test.log"
    else
        fail=$((fail + 1)); failed="$failed install_test"; cat "$BUILD/install_test.log"
    fi
fi
[ -n "$failed" ] && echo "failed:$failed"
echo "check ($BUILD): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
