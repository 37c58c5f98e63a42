#!/bin/bash
# Builds the Vireo test guest: a Debian cloud kernel plus a busybox initramfs whose /init (guest/init) brings up
# virtio, takes its address from ip= on the kernel command line, powers off on the ACPI power button and writes
# VIREO-GUEST-READY and then "VIREO-TICK n" once a second on the serial console.
#
# Usage: guest/build-test-guest.sh OUTDIR
# Output: OUTDIR/vmlinuz, OUTDIR/initramfs.cpio.gz (the layout of a KERNEL_INITRD image).
# The downloaded packages are kept in OUTDIR/debs, so a rerun needs no network.
# Needs: bash, apt-get, apt-cache, dpkg-deb, gzip (Debian 12). Run as root so that /dev/console is a real node in the
# initramfs; without root the guest's /init opens the console itself.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
DEBS=$OUT/debs
WORK=$OUT/work
# The cloud kernel builds these as modules; listed in load order (each after what it depends on).
MODULES="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_net
virtio_blk virtio_balloon button evdev"

log() { echo "build-test-guest: $*" >&2; }

download_packages() {
    mkdir -p "$DEBS"
    if ls "$DEBS"/linux-image-*.deb "$DEBS"/busybox-static_*.deb >/dev/null 2>&1; then
        log "using cached packages in $DEBS"
        return
    fi
    local kernel
    kernel=$(kernel_package || true)
    if [ -z "$kernel" ]; then
        log "package lists have no linux-image-cloud-amd64; running apt-get update"
        apt-get update -q >&2
        kernel=$(kernel_package)
    fi
    log "downloading $kernel and busybox-static"
    local tmp
    tmp=$(mktemp -d "$DEBS/.download.XXXXXX")
    (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$kernel" busybox-static >&2)
    mv "$tmp"/*.deb "$DEBS"/
    rmdir "$tmp"
}

# The versioned kernel package that the linux-image-cloud-amd64 metapackage depends on.
kernel_package() {
    apt-cache depends linux-image-cloud-amd64 2>/dev/null \
        | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }' \
        | grep .
}

unpack_packages() {
    rm -rf "$WORK"
    mkdir -p "$WORK/pkg"
    for deb in "$DEBS"/*.deb; do
        dpkg-deb -x "$deb" "$WORK/pkg"
    done
}

make_rootfs() {
    local pkg=$WORK/pkg root=$WORK/rootfs kernel_version
    kernel_version=$(ls "$pkg/lib/modules")
    if [ "$(echo "$kernel_version" | wc -l)" -ne 1 ]; then
        log "expected one kernel in the packages, found: $kernel_version"
        exit 1
    fi
    mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc/acpi/PWRF,lib/modules}
    cp "$pkg/bin/busybox" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
    done
    for module in $MODULES; do
        local file
        file=$(find "$pkg/lib/modules/$kernel_version/kernel" -name "$module.ko" | head -n 1)
        if [ -z "$file" ]; then
            log "module $module not found in kernel $kernel_version"
            exit 1
        fi
        cp "$file" "$root/lib/modules/"
    done
    echo $MODULES > "$root/etc/modules"
    install -m 0755 "$HERE/init" "$root/init"
    cat > "$root/etc/acpi/PWRF/00000080" <<'HANDLER'
#!/bin/sh
echo "VIREO-GUEST-POWEROFF acpi power button" >/dev/console
poweroff -f
HANDLER
    chmod 0755 "$root/etc/acpi/PWRF/00000080"
    if [ "$(id -u)" -eq 0 ]; then
        mknod -m 600 "$root/dev/console" c 5 1
        mknod -m 666 "$root/dev/null" c 1 3
    fi
    cp "$pkg/boot/vmlinuz-$kernel_version" "$WORK/vmlinuz"
    log "kernel $kernel_version"
}

pack() {
    local busybox=$WORK/pkg/bin/busybox
    (cd "$WORK/rootfs" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc 2>/dev/null) \
        | gzip -9 -n > "$WORK/initramfs.cpio.gz"
    # Replace the outputs only once both are complete, so that a failed run never leaves a half-written guest.
    mv "$WORK/vmlinuz" "$OUT/vmlinuz"
    mv "$WORK/initramfs.cpio.gz" "$OUT/initramfs.cpio.gz"
    rm -rf "$WORK"
}

download_packages
unpack_packages
make_rootfs
pack
ls -l "$OUT/vmlinuz" "$OUT/initramfs.cpio.gz" >&2
