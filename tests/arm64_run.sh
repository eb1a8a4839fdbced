#!/bin/sh
# make check-arm64: the cross-built arm64 tree's unit tests, fuzz corpus
# replays and CLI tests, run under qemu-user. With binfmt_misc registered
# for aarch64 the binaries run as they are; without it (a container) each
# one is started through qemu-aarch64-static, and the CLI tests get wrapper
# scripts in place of obdgw/obdgwd. Prints "check-arm64: N passed, N failed".
# Usage: tests/arm64_run.sh BUILD_DIR (e.g. build/arm64)
B=$(cd "${1:-build/arm64}" && pwd)
pass=0; fail=0; failed=""
file "$B/obdgw" 2>/dev/null | grep -q "ARM aarch64" || [ "$(od -An -tx1 -j18 -N2 "$B/obdgw" | tr -d ' ')" = b700 ] || {
    echo "arm64_run: $B/obdgw is not an arm64 binary"; exit 1; }
if "$B/obdgw" --version >/dev/null 2>&1; then
    RUN=""                                   # binfmt_misc runs aarch64 binaries
elif command -v qemu-aarch64-static >/dev/null; then
    RUN="qemu-aarch64-static"
else
    echo "arm64_run: no qemu-user (make deps-arm64 installs qemu-user-static)"; exit 1
fi
echo "arm64: $($RUN "$B/obdgw" --version) under ${RUN:-binfmt_misc}"
for t in "$B"/tests/test_* "$B"/tests/replay_*; do
    [ -x "$t" ] || continue
    case $t in *.log) continue ;; esac
    name=$(basename "$t")
    case $name in
    test_rec_interrupt)
        # qemu-user answers a guest's /proc/self/stat itself, and a forked
        # child's start time there is its parent's (checked: the child reads
        # the parent's starttime while the host's /proc/PID/stat has its own),
        # so the recording-owner check (pid + start time) cannot match under
        # emulation. make check runs it natively; real arm64 hardware too.
        skipped="${skipped:-} $name"; continue ;;
    esac
    if [ "${name#replay_fuzz_}" != "$name" ]; then
        set -- tests/fuzz/corpus/"${name#replay_fuzz_}"
    else
        set --
    fi
    if $RUN "$t" "$@" >"$t.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed="$failed $name"; tail -20 "$t.log"
    fi
done
# the CLI tests call $B/obdgw and $B/obdgwd: wrappers when qemu is explicit
W=$B
if [ -n "$RUN" ]; then
    W=$B/qemu; mkdir -p "$W"
    for p in obdgw obdgwd; do
        printf '#!/bin/sh\nexec %s %s/%s "$@"\n' "$RUN" "$B" "$p" >"$W/$p"; chmod +x "$W/$p"
    done
fi
if sh tests/cli_test.sh "$W" >"$B/cli_test.log" 2>&1; then
    pass=$((pass + 1)); tail -n 1 "$B/cli_test.log"
else
    fail=$((fail + 1)); failed="$failed cli_test"; cat "$B/cli_test.log"
fi
[ -n "$failed" ] && echo "failed:$failed"
echo "check-arm64: $pass passed, $fail failed${skipped:+ (skipped under qemu-user:$skipped)}"
[ "$fail" -eq 0 ]
