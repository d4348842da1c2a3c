#!/usr/bin/env bash
# Build (once) the lab's Debian trixie root filesystem and print its path.
# The rootfs is keyed by its package list and sources, built in a temporary
# directory and renamed into place only when complete, so an interrupted build
# is never mistaken for a finished one.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

root=$(rootfs_dir)
if [ -f "$root/.invlab-complete" ]; then
	echo "$root"
	exit 0
fi
# One builder at a time: a second caller waits, then finds it complete.
mkdir -p "$INVLAB_CACHE/rootfs"
exec 9>"$INVLAB_CACHE/rootfs/.build.lock"
flock 9
if [ -f "$root/.invlab-complete" ]; then
	echo "$root"
	exit 0
fi

need_root "building the lab rootfs"
# debootstrap is the one host package the lab needs; install it on a Debian
# host, otherwise say what to do.
if ! command -v debootstrap >/dev/null && command -v apt-get >/dev/null; then
	say "installing the host package debootstrap (apt-get install debootstrap)"
	{ apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get -q -y install debootstrap; } >/dev/null 2>&1 ||
		die "debootstrap is not installed and 'apt-get install debootstrap' failed: install it by hand (it builds the lab rootfs)"
fi
command -v debootstrap >/dev/null ||
	die "debootstrap not found: install it with your package manager (the lab rootfs is built with it)"
[ -f /usr/share/debootstrap/scripts/trixie ] ||
	die "this debootstrap ($(debootstrap --version)) does not know Debian trixie; install a newer debootstrap (bookworm's 1.0.128 or later does)"
mkdir -p "$INVLAB_CACHE/rootfs" "$INVLAB_CACHE/logs"
need_space "$INVLAB_CACHE" 6000 "the lab rootfs"

# A clear word on the network before debootstrap's own, less clear, one.
if command -v wget >/dev/null && ! wget -q -T 20 -t 2 -O /dev/null "$INVLAB_MIRROR/dists/trixie/Release"; then
	die "cannot reach Debian's registry at $INVLAB_MIRROR (fetching dists/trixie/Release failed); check the network or set INVLAB_MIRROR to a reachable Debian mirror"
fi

tmp="$root.partial.$$"
log="$INVLAB_CACHE/logs/rootfs-$(basename "$root").log"
trap 'rm -rf --one-file-system "$tmp"' EXIT
rm -rf --one-file-system "$root".partial.*
: >"$log"
say "building lab rootfs $(basename "$root") (log: $log)"

say "rootfs step 1/3: debootstrap trixie minbase"
start=$SECONDS
debootstrap --variant=minbase --components=main trixie "$tmp" "$INVLAB_MIRROR" 2>&1 |
	tee -a "$log" | awk '/^I: (Retrieving|Validating|Extracting|Unpacking|Configuring)/ { n++; if (n % 40 == 0) printf "[invlab] rootfs: debootstrap %s\n", $0 > "/dev/stderr" }
		/^[EW]:/ { print > "/dev/stderr" }'
[ -x "$tmp/usr/bin/apt-get" ] || die "debootstrap failed; see $log"
say "debootstrap done in $((SECONDS - start)) s"

sed "s|@MIRROR@|$INVLAB_MIRROR|" "$INVLAB_TOP/lab/rootfs/sources.list" >"$tmp/etc/apt/sources.list"
cp /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$tmp/etc/apt/apt.conf.d/90invlab"

pkgs=$(grep -v '^#' "$INVLAB_TOP/lab/rootfs/packages.list" | sed '/^$/d' | tr '\n' ' ')
in_root() {
	unshare --mount --propagation private -- sh -c '
		root=$1; shift
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount --rbind /sys "$root/sys"
		exec chroot "$root" "$@"' sh "$tmp" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

say "rootfs step 2/3: apt-get update"
in_root apt-get -q update >>"$log" 2>&1 || die "apt-get update in the rootfs failed; see $log"

say "rootfs step 3/3: installing $(echo "$pkgs" | wc -w) packages and their dependencies"
start=$SECONDS
in_root apt-get -q -y -o APT::Status-Fd=3 -o Dpkg::Use-Pty=0 install $pkgs 3>&1 >>"$log" 2>&1 |
	apt_progress rootfs || true
# A line may pick a suite (linux-perf/trixie-backports); dpkg knows names.
in_root sh -c "dpkg-query -W $(echo "$pkgs" | sed 's,/[^ ]*,,g')" >/dev/null 2>>"$log" || die "installing the lab packages failed; see $log"
say "packages installed in $((SECONDS - start)) s"

# Mount points the lab needs on a root that guests see read-only.
mkdir -p "$tmp/usr/lib/modules" "$tmp/run/invlab/rootfs" "$tmp/sys/kernel/tracing"
in_root apt-get clean >>"$log" 2>&1
in_root dpkg-query -W -f '${Package}\t${Version}\n' >"$tmp/.invlab-packages"
{
	echo "key=$(rootfs_key)"
	echo "suite=trixie"
	echo "mirror=$INVLAB_MIRROR"
	echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$tmp/.invlab-rootfs"
touch "$tmp/.invlab-complete"
mv "$tmp" "$root"
trap - EXIT
say "lab rootfs ready: $root ($(du -sm "$root" | cut -f1) MiB)"
echo "$root"
