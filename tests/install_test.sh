#!/bin/sh
# make install / uninstall into a DESTDIR: every file lands, the shipped
# config validates, the unit and man pages are well-formed, the site's
# config survives uninstall. Usage: tests/install_test.sh BUILD_DIR
B=${1:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT INT TERM
fails=0
ok() { :; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
make --no-print-directory -s BUILD="$B" DESTDIR="$T" PREFIX=/usr install >"$T.log" 2>&1 || { cat "$T.log"; bad "make install"; }
for f in usr/bin/obdgw usr/bin/obdgwd usr/share/obdgw/dtc.db usr/share/man/man1/obdgw.1 \
         usr/share/man/man5/obdgw.conf.5 usr/share/man/man8/obdgwd.8 usr/lib/systemd/system/obdgwd.service \
         usr/lib/udev/rules.d/99-obdgw.rules etc/obdgw/obdgw.conf; do
    [ -f "$T/$f" ] && ok || bad "missing $f"
done
# the browser console (built by make console; test-run builds it first)
if [ -f "$B/console/index.html" ]; then
    for f in index.html app.js app.css VERSIONS; do [ -f "$T/usr/share/obdgw/console/$f" ] || bad "missing console/$f"; done
    ! grep -qE 'src="https?:|href="https?:' "$T/usr/share/obdgw/console/index.html" || bad "console/index.html loads from outside"
fi
grep -q '^ExecStart=/usr/bin/obdgwd ' "$T/usr/lib/systemd/system/obdgwd.service" || bad "unit ExecStart not rewritten to PREFIX"
"$T/usr/bin/obdgwd" --check --config "$T/etc/obdgw/obdgw.conf" >/dev/null 2>&1 || bad "shipped obdgw.conf does not validate"
"$T/usr/bin/obdgw" dtc P0301 | grep -q Misfire || bad "installed obdgw cannot find its DTC database"
for m in usr/share/man/man1/obdgw.1 usr/share/man/man5/obdgw.conf.5 usr/share/man/man8/obdgwd.8; do
    w=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$T/$m" 2>&1)
    [ -z "$w" ] || bad "$m: $w"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    # unknown directives or malformed lines; a missing user/binary path is fine here
    w=$(systemd-analyze verify "$T/usr/lib/systemd/system/obdgwd.service" 2>&1 | grep -Ei 'unknown|invalid|failed to parse' || true)
    [ -z "$w" ] || bad "obdgwd.service: $w"
fi
echo "; edited by the site" >>"$T/etc/obdgw/obdgw.conf"
make --no-print-directory -s BUILD="$B" DESTDIR="$T" PREFIX=/usr install >/dev/null 2>&1
grep -q "edited by the site" "$T/etc/obdgw/obdgw.conf" || bad "install overwrote the site's config"
make --no-print-directory -s BUILD="$B" DESTDIR="$T" PREFIX=/usr uninstall >/dev/null 2>&1
[ ! -e "$T/usr/bin/obdgw" ] && [ ! -e "$T/usr/bin/obdgwd" ] || bad "uninstall left binaries"
[ ! -e "$T/usr/share/obdgw/console" ] || bad "uninstall left the console"
[ -f "$T/etc/obdgw/obdgw.conf" ] || bad "uninstall removed the site's config"
rm -f "$T.log"
[ $fails -eq 0 ] && echo "install_test: all passed"
[ $fails -eq 0 ]
