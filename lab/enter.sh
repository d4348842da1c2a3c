#!/usr/bin/env bash
# Run a command inside the lab rootfs: a private mount namespace (so nothing
# leaks onto the host or outlives the command) with /dev, /proc, /sys, the work
# tree and the cache at their host paths, so every path means the same inside
# and out. The rootfs itself is also bound, without submounts, at
# /run/invlab/rootfs: that clean view is what guests get as their root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_root "entering the lab rootfs"
root=$(rootfs_dir)
[ -f "$root/.invlab-complete" ] || die "the lab rootfs is not built ($root); run 'make rootfs' (or 'make lab')"
[ $# -gt 0 ] || die "usage: lab/enter.sh COMMAND [ARG...]"

# Mount points that guests also need in their read-only root.
for d in "$INVLAB_TOP" "$INVLAB_CACHE"; do mkdir -p "$root$d"; done
export INVLAB_BIND=${INVLAB_BIND:-}
exec unshare --mount --propagation private -- bash -c '
	set -e
	root=$1 top=$2 cache=$3 cwd=$4; shift 4
	mount --bind "$root" "$root/run/invlab/rootfs"
	mount -o remount,bind,ro "$root/run/invlab/rootfs"
	mount -t proc proc "$root/proc"
	mount --rbind /dev "$root/dev"
	mount --rbind /sys "$root/sys"
	mount -t tmpfs -o size=2g tmpfs "$root/tmp"
	# Again, in case the tmpfs just hid them (a work tree under /tmp).
	mkdir -p "$root$cache" "$root$top"
	mount --bind "$cache" "$root$cache"
	mount --bind "$top" "$root$top"
	# Paths a user named (KSRC, SERIES, KCONFIG_BASE), read-only.
	for b in $INVLAB_BIND; do
		[ -e "$b" ] || continue
		[ -d "$b" ] || b=$(dirname "$b")
		mkdir -p "$root$b"
		mount --bind "$b" "$root$b"
		mount -o remount,bind,ro "$root$b"
	done
	[ -f /etc/resolv.conf ] && mount --bind /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	case "$cwd" in "$top"*|"$cache"*) ;; *) cwd=$top ;; esac
	exec chroot "$root" /usr/bin/env -C "$cwd" "$@"' sh "$root" "$INVLAB_TOP" "$INVLAB_CACHE" "$PWD" \
	env INVLAB_IN_LAB=1 INVLAB_TOP="$INVLAB_TOP" INVLAB_CACHE="$INVLAB_CACHE" \
	INVLAB_MIRROR="$INVLAB_MIRROR" LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM="${TERM:-dumb}" CI="${CI:-}" INVLAB_KEEP_KBUILD="${INVLAB_KEEP_KBUILD:-}" "$@"
