#!/bin/sh
# Debian's stock kernel for the USB tests: the same package tests/can/kernel.sh
# fetches (apt-get download, never installed; the .deb cached in build/can/deb),
# unpacked with the USB host, usb-serial and cdc-acm modules into
# build/usb/kernel. Cached: does nothing when build/usb/kernel/READY exists.
# Prints "KVER VMLINUX MODDIR" on success.
set -eu
OUT=${1:-build/usb}
DEBDIR=${2:-build/can/deb}
K=$OUT/kernel
if [ -f "$K/READY" ]; then cat "$K/READY"; exit 0; fi
mkdir -p "$DEBDIR"
PKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
[ -n "$PKG" ] || { echo "usb kernel.sh: cannot resolve linux-image-amd64 (apt-get update?)" >&2; exit 1; }
DEB=$(ls "$DEBDIR"/"$PKG"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$DEB" ]; then
    (cd "$DEBDIR" && apt-get download "$PKG" >&2) || {
        apt-get update -qq >&2 && (cd "$DEBDIR" && apt-get download "$PKG" >&2); }
    DEB=$(ls "$DEBDIR"/"$PKG"_*.deb | head -n 1)
fi
rm -rf "$K.tmp" && mkdir -p "$K.tmp"
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$K.tmp" --wildcards \
    './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/usb/*' \
    './lib/modules/*/modules.order' './lib/modules/*/modules.builtin*'
KVER=$(ls "$K.tmp/lib/modules" | head -n 1)
depmod -b "$K.tmp" "$KVER"
# The uncompressed vmlinux boots faster under emulation (PVH entry).
VMLINUZ=$K.tmp/boot/vmlinuz-$KVER
VMLINUX=$K.tmp/boot/vmlinux-$KVER
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | head -n 1 | cut -d: -f1 || true)
if [ -n "$off" ]; then
    tail -c +$((off + 1)) "$VMLINUZ" | xz -dc 2>/dev/null > "$VMLINUX" || true
fi
case "$(head -c 4 "$VMLINUX" 2>/dev/null | od -An -c | tr -d ' ')" in
    177ELF) ;;
    *) rm -f "$VMLINUX" ;;
esac
KIMG=$VMLINUZ
[ -s "$VMLINUX" ] && KIMG=$VMLINUX
rm -rf "$K" && mv "$K.tmp" "$K"
KIMG=$(echo "$KIMG" | sed "s|$K.tmp|$K|")
echo "$KVER $KIMG $K" > "$K/READY"
cat "$K/READY"
