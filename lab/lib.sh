# Shared shell helpers for the lab's host-side scripts. Sourced, not run.
# shellcheck shell=bash

INVLAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INVLAB_MIRROR=${INVLAB_MIRROR:-http://deb.debian.org/debian}
if [ -z "${INVLAB_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		INVLAB_CACHE=/var/cache/invlab
	else
		INVLAB_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/invlab
	fi
fi
export INVLAB_TOP INVLAB_MIRROR INVLAB_CACHE

# Bump when the way the rootfs is assembled changes (not its package list,
# which is hashed directly).
INVLAB_ROOTFS_FORMAT=1

say() { printf '[invlab] %s\n' "$*" >&2; }
die() {
	printf 'invlab: error: %s\n' "$*" >&2
	exit 1
}

need_root() {
	[ "$(id -u)" = 0 ] || die "$1 needs root (debootstrap, chroot and mounts); run it as root or with sudo"
}

# Free space in MiB on the filesystem holding $1 (or its nearest parent).
free_mib() {
	local d=$1
	while [ ! -d "$d" ]; do d=$(dirname "$d"); done
	df -Pm "$d" | awk 'NR == 2 { print $4 }'
}

need_space() { # dir MiB what
	local have
	have=$(free_mib "$1")
	[ "$have" -ge "$2" ] ||
		die "not enough disk space for $3: ${have} MiB free under $1, need ${2} MiB; free some space or set INVLAB_CACHE to a larger filesystem"
}

rootfs_key() {
	{
		echo "format=$INVLAB_ROOTFS_FORMAT"
		grep -v '^#' "$INVLAB_TOP/lab/rootfs/packages.list" | sed '/^$/d'
		grep -v '^#' "$INVLAB_TOP/lab/rootfs/sources.list"
	} | sha256sum | cut -c1-16
}

rootfs_dir() { echo "$INVLAB_CACHE/rootfs/trixie-$(rootfs_key)"; }

# Print a line every 10% of an apt/dpkg status stream (APT::Status-Fd).
apt_progress() { # label
	awk -F: -v label="$1" '
		/^(dlstatus|pmstatus):/ {
			kind = ($1 == "dlstatus") ? "downloading" : "installing"
			pct = int($3)
			step = int(pct / 10) * 10
			if (kind != last_kind || step > last_step) {
				printf "[invlab] %s: %s %3d%% (%s)\n", label, kind, pct, $4 > "/dev/stderr"
				last_kind = kind; last_step = step
			}
		}'
}
