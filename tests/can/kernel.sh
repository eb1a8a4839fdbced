#!/bin/sh
# Fetch Debian's stock kernel (apt-get download, never installed) and unpack
# only boot/ and the modules the CAN tests need into build/can/kernel.
# Cached: does nothing when build/can/kernel/READY exists.
# Prints "KVER VMLINUX MODDIR" on success.
set -eu
OUT=${1:-build/can}
K=$OUT/kernel
if [ -f "$K/READY" ]; then cat "$K/READY"; exit 0; fi
mkdir -p "$OUT/deb"
# The versioned image package behind the metapackage (its name changes with
# security updates).
PKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1)
if [ -z "$PKG" ]; then
    echo "kernel.sh: cannot resolve linux-image-amd64 (apt-get update?)" >&2
    exit 1
fi
DEB=$(ls "$OUT"/deb/"$PKG"_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$DEB" ]; then
    (cd "$OUT/deb" && apt-get download "$PKG" >&2) || {
        apt-get update -qq >&2 && (cd "$OUT/deb" && apt-get download "$PKG" >&2); }
    DEB=$(ls "$OUT"/deb/"$PKG"_*.deb | head -n 1)
fi
rm -rf "$K.tmp" && mkdir -p "$K.tmp"
# Unpack boot/ and the module dirs we need (can, 9p/virtio not needed).
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$K.tmp" --wildcards \
    './boot/vmlinuz-*' './lib/modules/*/kernel/net/can/*' './lib/modules/*/kernel/drivers/net/can/*' \
    './lib/modules/*/modules.order' './lib/modules/*/modules.builtin*' 2>/dev/null ||
dpkg-deb --fsys-tarfile "$DEB" | tar -x -C "$K.tmp" --wildcards \
    './boot/vmlinuz-*' './lib/modules/*/kernel/net/can/*' './lib/modules/*/kernel/drivers/net/can/*'
KVER=$(ls "$K.tmp/lib/modules" | head -n 1)
depmod -b "$K.tmp" "$KVER"
# The uncompressed vmlinux boots ~2x faster under emulation (PVH entry).
VMLINUZ=$K.tmp/boot/vmlinuz-$KVER
VMLINUX=$K.tmp/boot/vmlinux-$KVER
if [ -x /usr/src/linux-headers-$KVER/scripts/extract-vmlinux ]; then
    /usr/src/linux-headers-$KVER/scripts/extract-vmlinux "$VMLINUZ" > "$VMLINUX" || rm -f "$VMLINUX"
else
    # Find the xz stream inside the bzImage and decompress it.
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | head -n 1 | cut -d: -f1 || true)
    if [ -n "$off" ]; then
        tail -c +$((off + 1)) "$VMLINUZ" | xz -dc 2>/dev/null > "$VMLINUX" || true
    fi
    case "$(head -c 4 "$VMLINUX" 2>/dev/null | od -An -c | tr -d ' ')" in
        177ELF) ;;
        *) rm -f "$VMLINUX" ;;
    esac
fi
KIMG=$VMLINUZ
[ -s "$VMLINUX" ] && KIMG=$VMLINUX
rm -rf "$K" && mv "$K.tmp" "$K"
KIMG=$(echo "$KIMG" | sed "s|$K.tmp|$K|")
echo "$KVER $KIMG $K" > "$K/READY"
cat "$K/READY"
