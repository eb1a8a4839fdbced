#!/bin/sh
# obdgwd's configuration: a bad value names the key and the value and the
# daemon refuses to start; SIGHUP with a bad file keeps the running config;
# SIGHUP with a good file swaps it (a bay added, an adapter rebound);
# SIGTERM stops cleanly and removes the control socket; the control socket
# is mode 0660. No broker needed. Usage: sh tests/daemon/config_test.sh BUILD
set -u
BUILD=$(cd "${1:-build}" && pwd)
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d /tmp/obdgw-cfg-test.XXXXXX)
fails=0
trap 'daemon_stop "$T" KILL; [ $fails -eq 0 ] && rm -rf "$T"' EXIT INT TERM
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
export OBDGW_SOCKET="$T/obdgwd.sock"
base() { printf '[gateway]\nsite = ws01\nstore = %s/obdgw.db\nsocket = %s/obdgwd.sock\n' "$T" "$T"; }
refuses() { # CONF-TEXT EXPECTED-SUBSTRING
    printf '%s\n' "$1" >"$T/bad.conf"
    out=$("$BUILD/obdgwd" --config "$T/bad.conf" 2>&1); rc=$?
    if [ $rc -eq 2 ] && printf '%s' "$out" | grep -qF -- "$2"; then ok "refused: $2"; else bad "not refused ($rc): $out"; fi
}
refuses "$(base; printf '[bay 1]\nprotocol = Z\nadapter = sim\n')" "[bay 1] protocol = 'Z'"
refuses "$(base; printf '[mqtt]\nkeepalive = 2\n')" "[mqtt] keepalive = '2': outside 5..3600"
refuses "$(base; printf 'language = fr\n')" "[gateway] language = 'fr'"
refuses "$(base; printf 'sitee = x\n')" "[gateway] sitee = 'x': unknown key"
refuses "$(base; printf '[mqtt]\nbroker = ssl://127.0.0.1:8883\n')" "[mqtt] ca = '': a TLS broker"
refuses "$(printf '[gateway]\nsite = a/b\nstore = %s/obdgw.db\nsocket = %s/obdgwd.sock\n' "$T" "$T")" "site = 'a/b'"
refuses "$(base; printf '[bay 0]\nadapter = sim\n')" "bay sections are [bay N]"
# #19: duplicate sections and keys, empty values, over-long lines, a directory
refuses "$(base; printf '[bay 1]\nadapter = sim\n[bay 1]\nadapter = /dev/ttyUSB0\n')" "section [bay 1] appears twice"
refuses "$(base; printf '[bay 1]\nadapter = sim\n[bay1]\nprotocol = 6\n')" "section [bay 1] appears twice"
refuses "$(base; printf '[bay 1]\nadapter = sim\nadapter = /dev/ttyUSB0\n')" "[bay 1] adapter = '/dev/ttyUSB0': given twice"
refuses "$(base; printf '[mqtt]\nbroker =\n')" "[mqtt] broker = '': empty"
refuses "$(base; printf '[bay 1]\nadapter = sim:%s\n' "$(head -c 300 /dev/zero | tr '\0' a)")" "is longer than 198 characters"
# #11: USB bindings — by port or serial, once per bay, never one adapter for two bays
refuses "$(base; printf '[bay 1]\nusb_port = 1-1.3\n[bay 3]\nusb_port = 1-1.3\n')" "[bay 1] and [bay 3] both claim usb_port = 1-1.3"
refuses "$(base; printf '[bay 2]\nusb_serial = A50285BI\n[bay 4]\nusb_serial = A50285BI\n')" "[bay 2] and [bay 4] both claim usb_serial = A50285BI"
refuses "$(base; printf '[bay 1]\nadapter = /dev/ttyUSB0\n[bay 2]\nadapter = /dev/ttyUSB0\n')" "[bay 1] and [bay 2] both claim adapter = /dev/ttyUSB0"
refuses "$(base; printf '[bay 1]\nusb_port = 1-1.\n')" "[bay 1] usb_port = '1-1.': a USB port path"
refuses "$(base; printf '[bay 1]\nusb_serial = A5 0\n')" "[bay 1] usb_serial = 'A5 0'"
refuses "$(base; printf '[bay 1]\nusb_port = 1-2\nadapter = sim\n')" "[bay 1]: give one of adapter, usb_port, usb_serial"
refuses "$(base; printf '[bay 1]\nusb_port = 1-2\non_plug = yes\n')" "[bay 1] on_plug = 'yes'"
refuses "$(base; printf '[bay 1]\nadapter = sim\non_plug = scan\n')" "on_plug = scan: needs usb_port or usb_serial"
refuses "$(base; printf '[usb]\nextra_ids = 0403:6010 ok, 12345\n[bay 1]\nadapter = sim\n')" "[usb] extra_ids = '0403:6010 ok, 12345': '12345'"
refuses "$(base; printf '[usb]\nids = 0403:6010\n')" "[usb] ids = '0403:6010': unknown key"
printf '%s\n' "$(base; printf '[usb]\nextra_ids = 0403:6010 FT2232H\n[bay 1]\nusb_port = 1-1.3\non_plug = scan\n[bay 2]\nusb_serial = A50285BI\n')" >"$T/usb.conf"
out=$("$BUILD/obdgwd" --config "$T/usb.conf" --check 2>&1) && ok "usb bindings accepted" || bad "usb bindings refused: $out"
mkdir -p "$T/conf.d"
out=$("$BUILD/obdgwd" --config "$T/conf.d" --check 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s' "$out" | grep -q 'not a regular file (a directory)' && ok "refused: --config DIR ($out)" \
    || bad "--config DIR accepted ($rc): $out"

{ base; printf '[bay 1]\nadapter = sim\n'; } >"$T/obdgw.conf"
daemon_start "$T" "$BUILD/obdgwd" || exit 1
m=$(stat -c %a "$T/obdgwd.sock")
[ "$m" = 660 ] && ok "control socket mode 0660" || bad "control socket mode $m"
"$BUILD/obdgw" status | grep -q '^bay 1 ' && ok "status lists bay 1" || bad "status"
printf 'garbage line\n' >>"$T/obdgw.conf"
kill -HUP "$(cat "$T/obdgwd.pid")"; sleep 0.5
grep -q 'reload refused' "$T/obdgwd.log" && "$BUILD/obdgw" status | grep -q '^bay 1 ' \
    && ok "SIGHUP with a bad file: refused, still serving" || bad "bad reload"
{ base; printf '[bay 1]\nadapter = sim:%s/tests/scenarios/clean.ini\n[bay 3]\nadapter = sim\n' "$(pwd)"; } >"$T/obdgw.conf"
kill -HUP "$(cat "$T/obdgwd.pid")"; sleep 0.5
"$BUILD/obdgw" status | grep -q '^bay 3 ' && "$BUILD/obdgw" status | grep -q 'clean.ini' \
    && ok "SIGHUP: bay 3 added, bay 1 rebound" || bad "good reload"
"$BUILD/obdgw" scan --bay 3 >/dev/null && ok "scan on the new bay 3" || bad "scan on bay 3"
"$BUILD/obdgw" scan --bay 7 >/dev/null 2>&1; [ $? -eq 3 ] && ok "unknown bay: exit 3" || bad "unknown bay"
"$BUILD/obdgw" clear --bay 1 --ro X >/dev/null 2>&1; [ $? -eq 2 ] && ok "clear without --yes: refused (exit 2)" || bad "clear --yes"
daemon_stop "$T" TERM
[ ! -e "$T/obdgwd.sock" ] && grep -q 'stopped:' "$T/obdgwd.log" && ok "SIGTERM: clean stop, socket removed" || bad "stop"
echo "config_test: $fails failure(s)"
[ $fails -eq 0 ] && echo "config_test: all passed"
[ $fails -eq 0 ]
