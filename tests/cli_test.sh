#!/bin/sh
# CLI end-to-end checks: runs build/obdgw the way users do and checks what it
# prints and its exit codes. Usage: tests/cli_test.sh BUILD_DIR
B=${1:-build}
OBDGW="$B/obdgw"
pass=0; fail=0
check() { # name, expected exit, grep pattern (or -), command...
    name=$1; want=$2; pat=$3; shift 3
    out=$("$@" 2>&1); rc=$?
    out=$(printf '%s\n' "$out" | tr '\t' ' ') # cJSON indents and separates with tabs
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    if [ "$pat" != "-" ] && ! printf '%s\n' "$out" | grep -q -- "$pat"; then
        echo "FAIL $name: output lacks '$pat'"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    pass=$((pass + 1))
}
check dtc_en 0 "Misfire" "$OBDGW" dtc P0301
check dtc_zh 0 "失火" "$OBDGW" --lang zh dtc P0301
check dtc_lang_after 0 "失火" "$OBDGW" dtc P0301 --lang zh
check dtc_json 0 '"code": "P0301"' "$OBDGW" dtc P0301 --json
check dtc_uds 0 "Circuit open" "$OBDGW" dtc P0301-13
check dtc_unknown 3 "no description" "$OBDGW" dtc P1FFF
check dtc_bad 2 "not a trouble code" "$OBDGW" dtc P03X1
check dtc_stats 0 "U  Network" "$OBDGW" dtc --stats
check dtc_stats_json 0 '"zh":' "$OBDGW" dtc --stats --json
check dtc_no_db 1 "DTC database" env OBDGW_DTC_DB=/nonexistent/dtc.db "$OBDGW" dtc P0301
check pid_list 0 "0x0C" "$OBDGW" pid --list
check pid_list_zh 0 "发动机转速" "$OBDGW" --lang zh pid --list
check pid_list_json 0 '"pid": "0x0C"' "$OBDGW" pid --list --json
check pid_decode 0 "1726" "$OBDGW" pid rpm --data 1AF8
check pid_decode_short 4 "" "$OBDGW" pid rpm --data 1A
check pid_unknown 3 "not a known PID" "$OBDGW" pid nosuchpid
check decode_multi 0 "1726" "$OBDGW" decode 41 0C 1A F8 0D 32
check decode_dtcs 0 "P0301" "$OBDGW" decode 43 02 03 01 01 33
check decode_legacy 0 "P0133" "$OBDGW" decode --legacy 43 03 01 01 33 00 00
check decode_neg 0 "NRC 0x11" "$OBDGW" decode 7F 0A 11
check decode_bad 4 "does not parse" "$OBDGW" decode 43 03 03 01
check decode_nothex 2 "hex" "$OBDGW" decode 4G
check decode_readiness 0 "NOT complete" "$OBDGW" decode 41 01 81 07 65 04
check decode_vin 0 "LFV2A21K6M3012345" "$OBDGW" decode 49 02 01 4C 46 56 32 41 32 31 4B 36 4D 33 30 31 32 33 34 35
check vin 0 "2021" "$OBDGW" vin LFV2A21K6M3012345
check vin_bad 2 "not a VIN" "$OBDGW" vin LFV2A21K6M30123
check unknown_cmd 2 "unknown command" "$OBDGW" frobnicate
check bad_lang 2 "not en or zh" "$OBDGW" --lang fr dtc P0301
# OBD on UDS (SAE J1979-2): the same scan, live data and gated clear through 22/19/14
# (tests/scenarios/obdonuds.ini: engine idling, clears allowed while it runs).
UT=$(mktemp -d)
U=sim:tests/scenarios/obdonuds.ini
UVIN=1G1ZD5ST7VF027001
check onuds_scan_json 0 '"obd_protocol": "obd_on_uds"' env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U --json
check onuds_scan_vin 0 "\"vin\": \"$UVIN\"" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U --json
check onuds_scan_stored 0 "stored     P0420" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_pending 0 "P0137" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_permanent 0 "permanent  P0420" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_ff 0 "freeze frame (P0420)" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_ff_rpm 0 "1840 rpm" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_readiness 0 "1 incomplete: Catalyst" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U
check onuds_scan_zh 0 "催化" env OBDGW_STORE="$UT/s.db" "$OBDGW" --lang zh scan --adapter $U
check onuds_classic_json 0 '"obd_protocol": "classic"' env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter sim --json
check onuds_live 0 "Engine speed" env OBDGW_STORE="$UT/s.db" "$OBDGW" live --adapter $U --pid rpm,speed --count 3
check onuds_live_speed 0 "Vehicle speed" env OBDGW_STORE="$UT/s.db" "$OBDGW" live --adapter $U --pid rpm,speed --count 4
check onuds_wo 0 "RO-U1" env OBDGW_STORE="$UT/s.db" "$OBDGW" wo add RO-U1 --vin $UVIN --complaint "MIL on"
check onuds_clear_no_pre 5 "pre-repair" env OBDGW_STORE="$UT/s.db" "$OBDGW" clear --adapter $U --ro RO-U1 --yes
check onuds_scan_pre 0 "RO-U1" env OBDGW_STORE="$UT/s.db" "$OBDGW" scan --adapter $U --ro RO-U1 --stage pre
check onuds_clear_running 5 "engine is running" env OBDGW_STORE="$UT/s.db" "$OBDGW" clear --adapter $U --ro RO-U1 --yes
check onuds_clear_ok 0 "0 stored, 0 pending, 1 permanent" env OBDGW_STORE="$UT/s.db" "$OBDGW" clear --adapter $U \
    --ro RO-U1 --yes --force --save "$UT/pre.json"
check onuds_clear_evidence 0 "P0420" grep -h P0420 "$UT/pre.json"
check onuds_clear_audit 0 "intact" env OBDGW_STORE="$UT/s.db" "$OBDGW" audit verify
# An RO named like an option (#19 item 10: "-o" was accepted from the DMS by
# older builds; no command could address it): "--" ends the options.
S="env OBDGW_STORE=$UT/o.db"
check ro_dash_add 0 "RO -o" $S "$OBDGW" wo add --complaint "x" -- -o
check ro_dash_show 0 "complaint    x" $S "$OBDGW" wo show -- -o
check ro_dash_show_json 0 '"ro": "-o"' $S "$OBDGW" wo show --json -- -o
check ro_dash_show_zh 0 "客户描述" $S "$OBDGW" --lang zh wo show -- -o
check ro_dash_sub_after 2 "before --" $S "$OBDGW" wo -- show -o
check ro_dash_scan 0 "RO -o" $S "$OBDGW" scan --adapter sim --ro -o --stage pre
check ro_dash_report 0 '"ro": "-o"' $S "$OBDGW" report --format json -- -o
check ro_dash_qc 5 "RO -o has no post-repair scan" $S "$OBDGW" qc -- -o
check ro_dash_two 2 "unknown argument" $S "$OBDGW" qc -- -o RO-2
check ro_dash_close 0 "closed" $S "$OBDGW" wo close -- -o
# obdgw dms on a store no daemon runs on: nothing pending; resend needs an id or --all
check dms_pending_none 0 "nothing pending" $S "$OBDGW" dms pending
check dms_pending_json 0 '"pending": 0' $S "$OBDGW" dms pending --json
check dms_pending_zh 0 "无待发消息" $S "$OBDGW" --lang zh dms pending
check dms_resend_unknown 3 "no pending DMS message #5" $S "$OBDGW" dms resend 5
check dms_resend_usage 2 "one message id or --all" $S "$OBDGW" dms resend
check dms_resend_all 0 "0 queued for the DMS" $S "$OBDGW" dms resend --all
rm -rf "$UT"
# USB adapters (libusb; nothing may be plugged in here: either answer is checked for its form)
check adapters 0 "no USB adapter is plugged in\|VID:PID" "$OBDGW" adapters
check adapters_zh 0 "未插入任何 USB 诊断接头\|工位" "$OBDGW" --lang zh adapters
check adapters_json 0 '"adapters": \[' "$OBDGW" adapters --json
check adapters_all 0 "USB devices\|VID:PID" "$OBDGW" adapters --all
check adapters_no_config 1 "nonexistent.conf" "$OBDGW" adapters --config /nonexistent.conf
check adapters_bad_ids 2 "OBDGW_USB_IDS" env OBDGW_USB_IDS=0403-6001 "$OBDGW" adapters
UC=$(mktemp); printf '[usb]\nextra_ids = 0403:6010 x, 12\n' > "$UC"
check adapters_bad_config_ids 4 "line 2" "$OBDGW" adapters --config "$UC"; rm -f "$UC"
check scan_usb_missing 1 "usb:9-9.9: no such adapter plugged in; " "$OBDGW" scan --adapter usb:9-9.9
check scan_usb_serial_zh 1 "未找到该诊断接头" "$OBDGW" --lang zh scan --adapter usb-serial:NOSUCH1
check scan_usb_bad_port 1 "BUS-PORT" "$OBDGW" scan --adapter usb:1-1.
check live_usb_missing 1 "no such adapter" "$OBDGW" live --adapter usb:9-9 --pid rpm --count 1
# --version and --help answered by every command (issue 15 item 6); the
# version is hw/VERSION's.
V=$(cat hw/VERSION)
check version 0 "^obdgw $V" "$OBDGW" --version
check version_daemon 0 "^obdgwd $V" "$B/obdgwd" --version
for c in scan live uds-scan clear wo qc report audit purge sim dtc pid decode vin consent confirm remote status; do
    check "version_$c" 0 "^obdgw $V" "$OBDGW" $c --version
    check "help_$c" 0 "usage" "$OBDGW" $c --help
done
check version_bay 0 "^obdgw $V" "$OBDGW" scan --bay 2 --version
check help_zh 0 "用法" "$OBDGW" --lang zh --help
# obdgw remote: bad input said before any network (docs/remote.md)
check remote_nosub 2 "give bays, live, dtc, scan or propose-clear" "$OBDGW" remote --broker tcp://127.0.0.1:1 --user eng-li
check remote_nosite 2 "give --site S --bay N" "$OBDGW" remote --broker tcp://127.0.0.1:1 --user eng-li live --pid rpm
check remote_password 2 "no password on the command line" "$OBDGW" remote --user eng-li --password x bays
check remote_nobroker 2 "give --broker URL" env -u OBDGW_REMOTE_BROKER "$OBDGW" remote --user eng-li bays
check remote_baduser 2 "1 to 63 of" "$OBDGW" remote --broker tcp://127.0.0.1:1 --user "eng li" bays
check remote_nouser 2 "give --user NAME" env -u OBDGW_REMOTE_USER "$OBDGW" remote --broker tcp://127.0.0.1:1 bays
check remote_zh 2 "请用 --site S --bay N" "$OBDGW" --lang zh remote --broker tcp://127.0.0.1:1 --user eng-li dtc
check remote_rate 2 "takes 0.1 to 20" "$OBDGW" remote --broker tcp://127.0.0.1:1 --user eng-li live --site ws01 --bay 1 --pid rpm --rate 50
check remote_unreachable 1 "cannot connect to the broker tcp://127.0.0.1:1" "$OBDGW" remote --broker tcp://127.0.0.1:1 --user eng-li bays
check confirm_nodaemon 1 "cannot reach obdgwd" env OBDGW_SOCKET=/nonexistent/sock "$OBDGW" confirm --bay 1
# A car that does not answer: the reason once, the hint once, in the user's language.
ST=$(mktemp -d)
printf '[vehicle]\nprotocol = can11_500\n[ecu engine]\naddress = 7E8\nsilent = yes\n' >"$ST/silent.ini"
check silent_car 1 "could not reach the vehicle" env OBDGW_STORE="$ST/s.db" "$OBDGW" scan --adapter "sim:$ST/silent.ini"
n=$(env OBDGW_STORE="$ST/s.db" "$OBDGW" scan --adapter "sim:$ST/silent.ini" 2>&1 | grep -o "ignition" | wc -l)
if [ "$n" -eq 1 ]; then pass=$((pass + 1)); else echo "FAIL silent_car_hint: the hint appears $n times"; fail=$((fail + 1)); fi
check silent_car_zh 1 "请确认点火开关" env OBDGW_STORE="$ST/s.db" "$OBDGW" --lang zh scan --adapter "sim:$ST/silent.ini"
# An adapter whose ATI answer carries terminal escapes: quoted as \xNN, no
# control character reaches the terminal (a one-connection fake on loopback).
python3 - "$ST/port" <<'PY' &
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(20)
c, _ = s.accept(); c.settimeout(20); buf = b""
try:
    while True:
        d = c.recv(256)
        if not d: break
        buf += d
        while b"\r" in buf:
            cmd, buf = buf.split(b"\r", 1)
            ans = b"\x1b]0;owned\x07\x1b[2JEVIL" if cmd.strip().upper() == b"ATI" else b"OK"
            c.sendall(ans + b"\r\r>")
except Exception:
    pass
PY
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$ST/port" ] && break; sleep 0.2; done
out=$("$OBDGW" scan --adapter "tcp://127.0.0.1:$(cat "$ST/port")" 2>&1)
if printf '%s' "$out" | grep -q 'x1b\]0;owned\\x07\\x1b\[2JEVIL' && ! printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')"; then
    pass=$((pass + 1))
else
    echo "FAIL adapter_escape: $(printf '%s' "$out" | od -c | head -3)"; fail=$((fail + 1))
fi
wait
rm -rf "$ST"
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
