#!/bin/sh
# The Debian package on this machine (root; issue 15 item 3): dpkg -i, the
# files and their owners, the obdgw system user, the unit enabled and not
# started (systemd-analyze verify), obdgw --version and a simulator scan as
# the service user, the site's config kept across a reinstall, dpkg -r keeps
# config and store, dpkg -P removes them. Leaves the machine as it found it
# (the user too, when the test created it).
# Usage: tests/deb_test.sh PACKAGE.deb
DEB=$1
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
t() { # name, command...: passes when the command succeeds
    n=$1; shift
    if "$@" >/dev/null 2>&1; then ok; else bad "$n"; fi
}
[ -f "$DEB" ] || { echo "deb_test: no package $DEB (make deb)"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "deb_test: must run as root (dpkg -i)"; exit 1; }
if dpkg-query -W -f='${Status}' obdgw 2>/dev/null | grep -q "ok installed"; then
    echo "deb_test: obdgw is already installed here; refusing to remove it"; exit 1
fi
had_user=$(getent passwd obdgw >/dev/null && echo yes)
V=$(dpkg-deb -f "$DEB" Version)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT INT TERM

t "dpkg -i" dpkg -i "$DEB"
for f in /usr/bin/obdgw /usr/bin/obdgwd /usr/share/obdgw/dtc.db /usr/share/man/man1/obdgw.1.gz \
         /usr/share/man/man5/obdgw.conf.5.gz /usr/share/man/man8/obdgwd.8.gz /lib/systemd/system/obdgwd.service \
         /lib/udev/rules.d/99-obdgw.rules /etc/obdgw/obdgw.conf /usr/share/doc/obdgw/examples/site-bridge.conf; do
    t "file $f" test -f "$f"
done
t "conffile" grep -qx /etc/obdgw/obdgw.conf /var/lib/dpkg/info/obdgw.conffiles
# the service user: a system account (uid below 1000, no login shell), its group, dialout
uid=$(getent passwd obdgw | cut -d: -f3)
t "user obdgw" test -n "$uid"
t "system uid ($uid)" test "${uid:-1000}" -lt 1000
t "no login shell" sh -c 'getent passwd obdgw | cut -d: -f7 | grep -Eq "(nologin|false)$"'
t "group obdgw" getent group obdgw
t "obdgw in dialout" sh -c 'id -nG obdgw | tr " " "\n" | grep -qx dialout'
t "/var/lib/obdgw obdgw:obdgw 750" sh -c '[ "$(stat -c "%U:%G %a" /var/lib/obdgw)" = "obdgw:obdgw 750" ]'
t "obdgw.conf root:obdgw 640" sh -c '[ "$(stat -c "%U:%G %a" /etc/obdgw/obdgw.conf)" = "root:obdgw 640" ]'
# enabled (the wants symlink dpkg made), not started
t "unit enabled" test -L /etc/systemd/system/multi-user.target.wants/obdgwd.service
if [ -d /run/systemd/system ]; then
    t "unit not started" sh -c '! systemctl is-active -q obdgwd'
fi
out=$(systemd-analyze verify /lib/systemd/system/obdgwd.service 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then ok; else bad "systemd-analyze verify: $out"; fi
# as the service user
out=$(runuser -u obdgw -- obdgw --version 2>&1)
if [ "$out" = "obdgw $V" ] || printf '%s' "$out" | grep -q "^obdgw $V (git "; then ok; else bad "obdgw --version as obdgw: $out"; fi
t "obdgwd --version" sh -c "runuser -u obdgw -- obdgwd --version | grep -q '^obdgwd $V'"
out=$(runuser -u obdgw -- obdgw --store /var/lib/obdgw/obdgw.db scan --adapter sim 2>&1)
if printf '%s' "$out" | grep -q "P0301"; then ok; else bad "sim scan as obdgw: $(printf '%s' "$out" | head -3)"; fi
t "scan stored as obdgw" sh -c '[ "$(stat -c %U /var/lib/obdgw/obdgw.db)" = obdgw ]'
t "dtc as obdgw" sh -c 'runuser -u obdgw -- obdgw dtc P0301 | grep -q Misfire'
# the service reads its config (group obdgw) and its store
out=$(runuser -u obdgw -- obdgwd --check --config /etc/obdgw/obdgw.conf 2>&1)
if printf '%s' "$out" | grep -q "passes the quick check"; then ok; else bad "obdgwd --check as obdgw: $out"; fi
t "others cannot read obdgw.conf" sh -c '! runuser -u nobody -- cat /etc/obdgw/obdgw.conf'
# the site's edit survives a reinstall
echo "; edited by the site" >>/etc/obdgw/obdgw.conf
t "reinstall" dpkg -i "$DEB"
t "config kept on reinstall" grep -q "edited by the site" /etc/obdgw/obdgw.conf
# remove: binaries go, config and store stay
t "dpkg -r" dpkg -r obdgw
t "binaries removed" sh -c '[ ! -e /usr/bin/obdgw ] && [ ! -e /usr/bin/obdgwd ]'
t "config kept on remove" grep -q "edited by the site" /etc/obdgw/obdgw.conf
t "store kept on remove" test -f /var/lib/obdgw/obdgw.db
# purge: config, store, state and enablement go
t "dpkg -P" dpkg -P obdgw
t "config purged" test ! -e /etc/obdgw
t "store purged" test ! -e /var/lib/obdgw
t "statoverride removed" sh -c '! dpkg-statoverride --list /etc/obdgw/obdgw.conf'
t "unit link removed" test ! -e /etc/systemd/system/multi-user.target.wants/obdgwd.service
[ -n "$had_user" ] || deluser --system --quiet obdgw >/dev/null 2>&1 || true
echo "deb_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
