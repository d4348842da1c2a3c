#!/usr/bin/env bash
# Build the guest initramfs for one kernel directory (kernel/stock/fetch.sh
# layout) and print its path. Runs inside the lab rootfs. The initramfs holds
# only busybox, the modules needed to mount the 9p root, and lab/guest/init;
# everything else comes from the rootfs over 9p. Keyed by the init script and
# this builder, so editing either makes a new one.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

kdir=${1:?usage: lab/guest/mkinitramfs.sh KERNEL_DIR}
[ -f "$kdir/kernel.json" ] || die "$kdir is not a prepared kernel directory (no kernel.json)"
release=$(sed -n 's/^ *"release": "\(.*\)",$/\1/p' "$kdir/kernel.json")
[ -n "$release" ] || die "$kdir/kernel.json has no release"
modbase="$kdir/root/usr"
[ -d "$modbase/lib/modules/$release" ] || die "no modules for $release under $modbase/lib/modules"

# Modules the initramfs loads, in this order, with their dependencies.
mods="virtio_pci 9pnet_virtio 9p"
key=$(cat "$INVLAB_TOP/lab/guest/init" "$0" | sha256sum | cut -c1-12)
out="$kdir/initramfs-$key.cpio.gz"
if [ -f "$out" ]; then
	echo "$out"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,mnt,modules}
cp /bin/busybox "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$INVLAB_TOP/lab/guest/init" "$tmp/init"
chmod 755 "$tmp/init"
: >"$tmp/modules/load.list"
for m in $mods; do
	# Built-in modules print "builtin NAME"; others the insmod lines to run.
	modprobe -d "$modbase" -S "$release" --show-depends "$m" |
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			name=$(basename "$path")
			name=${name%.xz}
			name=${name%.zst}
			grep -qx "$name" "$tmp/modules/load.list" && continue
			case "$path" in
			*.xz) xz -dc "$path" >"$tmp/modules/$name" ;;
			*.zst) zstd -qdc "$path" >"$tmp/modules/$name" ;;
			*) cp "$path" "$tmp/modules/$name" ;;
			esac
			echo "$name" >>"$tmp/modules/load.list"
		done
done
(cd "$tmp" && find . | sort | cpio -o -H newc --quiet | gzip -1) >"$out.partial"
mv "$out.partial" "$out"
echo "$out"
