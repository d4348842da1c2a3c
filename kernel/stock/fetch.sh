#!/usr/bin/env bash
# Fetch a stock Debian guest kernel described by kernel/stock/LABEL.conf and
# print the directory holding it. Runs inside the lab rootfs (lab/enter.sh),
# whose apt knows trixie and trixie-backports. Packages are resolved with apt
# from the config's meta package (no hand-made URLs), downloaded with
# apt-get download and unpacked with dpkg -x; modules come from the same
# packages. The result is cached under $INVLAB_CACHE/kernels, keyed by the
# exact package versions.
set -euo pipefail
. "$(dirname "$0")/../../lab/lib.sh"

label=${1:?usage: kernel/stock/fetch.sh LABEL}
conf="$INVLAB_TOP/kernel/stock/$label.conf"
[ -f "$conf" ] || die "no stock kernel '$label': $conf does not exist (have: $(cd "$INVLAB_TOP/kernel/stock" && ls -- *.conf | sed 's/\.conf$//' | tr '\n' ' '))"
suite= meta= version=
# shellcheck disable=SC1090
. <(grep -E '^(suite|meta|version)=' "$conf")
[ -n "$suite" ] && [ -n "$meta" ] && [ -n "$version" ] || die "$conf: needs suite=, meta= and version="

# Newest version of the meta package in that suite that matches the glob.
pick() { # package suite glob
	apt-cache madison "$1" | awk -F' *\\| *' -v s="$2" '$3 ~ (" " s "/") { print $2 }' |
		while read -r v; do
			# shellcheck disable=SC2254
			case "$v" in $3) echo "$v" ;; esac
		done | sort -V | tail -n 1
}
metaver=$(pick "$meta" "$suite" "$version")
if [ -z "$metaver" ]; then
	say "no $meta $version in $suite in the rootfs's package lists; refreshing them"
	apt-get -q update >/dev/null 2>&1 || die "apt-get update failed: cannot reach Debian's registry at $INVLAB_MIRROR"
	metaver=$(pick "$meta" "$suite" "$version")
	[ -n "$metaver" ] || die "$conf: Debian's $suite has no $meta matching version $version"
fi

# The concrete kernel packages: the meta package's versioned linux-image-,
# -binary-, -modules- and -base- dependencies, followed one level down (7.x
# splits the image into binary, modules and base).
deps_of() { # package=version
	apt-cache show "$1" | awk '/^Depends:/ { sub(/^Depends: */, ""); print; exit }' | tr ',' '\n' |
		sed -n 's/^ *\(linux-\(image\|binary\|modules\|base\)-[0-9][^ ]*\) *(= *\([^)]*\)).*/\1=\3/p'
}
pkgs=$(deps_of "$meta=$metaver")
for p in $pkgs; do pkgs="$pkgs $(deps_of "$p")"; done
pkgs=$(echo "$pkgs" | tr ' ' '\n' | sed '/^$/d' | sort -u)
[ -n "$pkgs" ] || die "$meta=$metaver ($suite) depends on no kernel package; is this still Debian's kernel packaging?"

key=$(echo "$pkgs" | sha256sum | cut -c1-12)
kdir="$INVLAB_CACHE/kernels/stock-$label-$metaver-$key"
if [ -f "$kdir/kernel.json" ]; then
	echo "$kdir"
	exit 0
fi
mkdir -p "$INVLAB_CACHE/kernels"
need_space "$INVLAB_CACHE" 1500 "the $label guest kernel"
tmp="$kdir.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debs" "$tmp/root"
n=$(echo "$pkgs" | wc -l)
i=0
for p in $pkgs; do
	i=$((i + 1))
	say "kernel $label: fetching $i/$n ${p%%=*} ${p#*=}"
	(cd "$tmp/debs" && apt-get -q download "$p" >/dev/null 2>&1) ||
		(apt-get -q update >/dev/null 2>&1 && cd "$tmp/debs" && apt-get -q download "$p" >/dev/null) ||
		die "apt-get download $p failed (registry unreachable or version gone from $suite)"
done
for deb in "$tmp"/debs/*.deb; do
	say "kernel $label: unpacking $(basename "$deb")"
	dpkg -x "$deb" "$tmp/root"
done

# Debian 6.x ships boot/vmlinuz-REL and boot/config-REL; 7.x keeps both
# beside the modules, in usr/lib/modules/REL/.
moddir=$(cd "$tmp/root" && find usr/lib/modules lib/modules -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1) || true
[ -n "$moddir" ] || die "no modules directory in $pkgs"
release=$(basename "$moddir")
first_file() { for f in "$@"; do [ -f "$tmp/root/$f" ] && echo "$f" && return; done; }
vmlinuz=$(first_file "boot/vmlinuz-$release" "$moddir/vmlinuz")
[ -n "$vmlinuz" ] || die "no kernel image (boot/vmlinuz-$release or $moddir/vmlinuz) in $pkgs"
config=$(first_file "boot/config-$release" "$moddir/config")
[ -n "$config" ] || die "no kernel config (boot/config-$release or $moddir/config) in $pkgs"
# Everything the guest needs under one usr/lib/modules, which it mounts.
if [ "$moddir" != "usr/lib/modules/$release" ]; then
	mkdir -p "$tmp/root/usr/lib/modules"
	mv "$tmp/root/$moddir" "$tmp/root/usr/lib/modules/$release"
	case "$vmlinuz" in "$moddir"/*) vmlinuz=usr/lib/modules/$release/vmlinuz ;; esac
	case "$config" in "$moddir"/*) config=usr/lib/modules/$release/config ;; esac
fi
say "kernel $label: depmod $release"
depmod -b "$tmp/root/usr" "$release" 2>/dev/null || depmod -b "$tmp/root" "$release"
[ -s "$tmp/root/usr/lib/modules/$release/modules.dep" ] || die "depmod produced no modules.dep for $release"

{
	printf '{\n  "label": "%s",\n  "source": "debian-package",\n  "suite": "%s",\n' "$label" "$suite"
	printf '  "meta": "%s=%s",\n  "release": "%s",\n' "$meta" "$metaver" "$release"
	printf '  "vmlinuz": "root/%s",\n  "config": "root/%s",\n' "$vmlinuz" "$config"
	printf '  "config_sha256": "%s",\n' "$(sha256sum "$tmp/root/$config" | cut -d' ' -f1)"
	printf '  "packages": ['
	sep=
	for deb in "$tmp"/debs/*.deb; do
		printf '%s\n    { "name": "%s", "version": "%s", "sha256": "%s" }' "$sep" \
			"$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" "$(sha256sum "$deb" | cut -d' ' -f1)"
		sep=,
	done
	printf '\n  ]\n}\n'
} >"$tmp/kernel.json"
rm -rf "$tmp/debs"
mv "$tmp" "$kdir"
trap - EXIT
say "kernel $label: $release ready in $kdir"
echo "$kdir"
