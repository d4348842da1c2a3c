#!/usr/bin/env bash
# Build the lab's patched guest kernel and print its directory (the
# kernel/stock/fetch.sh layout: kernel.json + root/usr/lib/modules/REL/).
# Runs inside the lab rootfs.
#
#   KSRC=DIR        build this kernel tree (a git tree on a lab host) instead
#                   of Debian's linux-source-7.3; the tree is copied, never
#                   modified
#   SERIES=DIR|FILE apply a user's patch series after the lab's patches: a
#                   directory (its `series` file, else its *.patch, *.diff,
#                   *.txt in name order) or a series file listing patches
#   KCONFIG_BASE=F  start from this config instead of Debian's for 7.3
#   INVLAB_KEEP_KBUILD=1  keep the object tree (5-6 GB) after the build
#
# The result is cached under $INVLAB_CACHE/kernels/lab-<version>-<key>, the
# key hashing the source, every patch, the base config, the fragment, the
# module list, this script and the compiler: with nothing changed, a second
# run only prints the directory. Objects go through ccache
# ($INVLAB_CACHE/ccache), so a changed patch recompiles only what it touches.
set -euo pipefail
. "$(dirname "$0")/../lab/lib.sh"

# A failing command must never end the build without a word.
trap 'printf "invlab: error: kernel/build.sh line %s: %s failed\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

kernel_dir=$INVLAB_TOP/kernel
fragment=$kernel_dir/config/lab.fragment
modlist=$kernel_dir/config/lab-modules.lsmod
# Debian's source package and the stock kernel whose config we start from.
src_pkg=linux-source-7.3
src_suite=trixie-backports
stock_label=7.3

step() { say "kernel: [$1/7] $2"; }

# ---- 1. source ---------------------------------------------------------------
step 1 "resolving the source"
src_kind= src_desc= src_fp= src_deb= src_ver=
if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] && [ -f "$KSRC/drivers/iommu/amd/iommu.c" ] ||
		die "KSRC=$KSRC is not a Linux source tree with drivers/iommu/amd/iommu.c"
	KSRC=$(cd "$KSRC" && pwd)
	src_ver=$(make -s -C "$KSRC" kernelversion 2>/dev/null) ||
		die "KSRC=$KSRC: 'make kernelversion' failed"
	if git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1; then
		git config --global --add safe.directory "$KSRC" 2>/dev/null || true
		src_kind=git
		src_desc=$(git -C "$KSRC" describe --always --tags --dirty)
		# A dirty tree is keyed by its diff too, so edits make a new build.
		src_fp=$({
			git -C "$KSRC" rev-parse HEAD
			git -C "$KSRC" diff HEAD
		} | sha256sum | cut -d' ' -f1)
	else
		src_kind=tree
		src_desc="$KSRC ($src_ver)"
		# No history to name it by: the newest file time stands in.
		src_fp=$({
			echo "$KSRC"
			find "$KSRC" -type f -not -path '*/.git/*' -printf '%T@\n' | sort -n | tail -n 1
		} | sha256sum | cut -d' ' -f1)
	fi
else
	src_kind=debian-package
	mkdir -p "$INVLAB_CACHE/src"
	src_ver=$(apt-cache madison "$src_pkg" | awk -F' *\\| *' -v s="$src_suite" '$3 ~ (" " s "/") { print $2 }' | sort -V | tail -n 1)
	if [ -z "$src_ver" ]; then
		apt-get -q update >/dev/null 2>&1 || die "apt-get update failed: cannot reach Debian's registry at $INVLAB_MIRROR"
		src_ver=$(apt-cache madison "$src_pkg" | awk -F' *\\| *' -v s="$src_suite" '$3 ~ (" " s "/") { print $2 }' | sort -V | tail -n 1)
	fi
	[ -n "$src_ver" ] || die "Debian's $src_suite has no $src_pkg"
	src_deb=$INVLAB_CACHE/src/${src_pkg}_${src_ver}_all.deb
	# The registry's hash names the source: nothing is downloaded unless
	# this build is not in the cache yet (step 4).
	src_fp=$(apt-cache show "$src_pkg=$src_ver" | awk '/^SHA256:/ { print $2; exit }')
	[ -n "$src_fp" ] || die "apt-cache show $src_pkg=$src_ver gives no SHA256"
	src_desc="$src_pkg=$src_ver"
fi

# ---- 2. patches ----------------------------------------------------------------
step 2 "collecting patches"
# Print the patches of a series, one path per line, in order.
series_list() { # dir-or-file
	local s=$1 dir
	if [ -d "$s" ]; then
		dir=$(cd "$s" && pwd)
		if [ -f "$dir/series" ]; then
			series_list "$dir/series"
		else
			find "$dir" -maxdepth 1 -type f \( -name '*.patch' -o -name '*.diff' -o -name '*.txt' \) | sort
		fi
	elif [ -f "$s" ]; then
		dir=$(cd "$(dirname "$s")" && pwd)
		sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$s" | sed '/^$/d' | while read -r p; do
			case "$p" in /*) echo "$p" ;; *) echo "$dir/$p" ;; esac
		done
	else
		die "SERIES=$s: no such directory or series file"
	fi
}
lab_patches=$(series_list "$kernel_dir/patches/series")
user_patches=
if [ -n "${SERIES:-}" ]; then
	user_patches=$(series_list "$SERIES")
	[ -n "$user_patches" ] || die "SERIES=$SERIES holds no patches (no series file, *.patch, *.diff or *.txt)"
fi
for p in $lab_patches $user_patches; do
	[ -f "$p" ] || die "patch listed in a series does not exist: $p"
done

# ---- 3. base config ------------------------------------------------------------
step 3 "finding the base config"
if [ -n "${KCONFIG_BASE:-}" ]; then
	[ -f "$KCONFIG_BASE" ] || die "KCONFIG_BASE=$KCONFIG_BASE does not exist"
	base_config=$(cd "$(dirname "$KCONFIG_BASE")" && pwd)/$(basename "$KCONFIG_BASE")
	base_desc="$base_config"
else
	stock=$("$kernel_dir/stock/fetch.sh" "$stock_label")
	base_config=$stock/$(sed -n 's/^ *"config": "\(.*\)",$/\1/p' "$stock/kernel.json")
	base_desc="Debian $(sed -n 's/^ *"meta": "\(.*\)",$/\1/p' "$stock/kernel.json") config"
fi
grep -q '^CONFIG_X86_64=y' "$base_config" || die "$base_config is not an x86_64 kernel config"

# ---- key -----------------------------------------------------------------------
gcc_ver=$(gcc --version | head -n 1)
key=$({
	echo "script $(sha256sum "$0" | cut -d' ' -f1)"
	echo "source $src_kind $src_fp"
	echo "base $(sha256sum "$base_config" | cut -d' ' -f1)"
	echo "fragment $(sha256sum "$fragment" | cut -d' ' -f1)"
	echo "modules $(sha256sum "$modlist" | cut -d' ' -f1)"
	echo "gcc $gcc_ver"
	for p in $lab_patches; do echo "lab $(sha256sum "$p" | cut -d' ' -f1)"; done
	for p in $user_patches; do echo "user $(sha256sum "$p" | cut -d' ' -f1)"; done
} | sha256sum | cut -c1-12)
kdir=$INVLAB_CACHE/kernels/lab-$src_ver-$key
if [ -f "$kdir/kernel.json" ]; then
	say "kernel: up to date ($kdir)"
	echo "$kdir"
	exit 0
fi

work=$INVLAB_CACHE/kbuild/$key
logdir=$INVLAB_CACHE/logs/kbuild-$key
mkdir -p "$INVLAB_CACHE/kernels" "$INVLAB_CACHE/kbuild" "$logdir"
rm -rf "$work"
need_space "$INVLAB_CACHE" 8000 "the lab kernel build (source, objects and ccache)"
mkdir -p "$work/src" "$work/obj"
cleanup() {
	[ "${INVLAB_KEEP_KBUILD:-}" = 1 ] || rm -rf "$work"
	rm -rf "$kdir.partial.$$"
}
trap cleanup EXIT

# ---- 4. unpack -----------------------------------------------------------------
if [ "$src_kind" = debian-package ]; then
	if [ ! -f "$src_deb" ] || [ "$(sha256sum "$src_deb" | cut -d' ' -f1)" != "$src_fp" ]; then
		need_space "$INVLAB_CACHE" 400 "the $src_pkg package"
		step 4 "downloading $src_desc (about 170 MB)"
		rm -f "$src_deb"
		(cd "$INVLAB_CACHE/src" && apt-get -q download "$src_pkg=$src_ver" >/dev/null) ||
			die "apt-get download $src_pkg=$src_ver failed"
		# apt escapes an epoch in the file name; give it ours.
		f=$(ls -t "$INVLAB_CACHE/src/${src_pkg}_"*"_all.deb" | head -n 1)
		[ "$f" = "$src_deb" ] || mv "$f" "$src_deb"
		[ "$(sha256sum "$src_deb" | cut -d' ' -f1)" = "$src_fp" ] ||
			die "$src_deb does not have the SHA256 Debian's registry gives ($src_fp)"
	fi
	step 4 "unpacking $src_desc"
	dpkg-deb --fsys-tarfile "$src_deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' |
		xz -dc -T0 | tar -x -C "$work/src" --strip-components=1
else
	step 4 "copying $src_desc"
	rsync -a --exclude=.git "$KSRC/" "$work/src/"
	make -s -C "$work/src" mrproper >/dev/null 2>&1 || true
fi
[ -f "$work/src/drivers/iommu/amd/iommu.c" ] || die "$src_desc did not unpack to a kernel tree"

# ---- 5. patch ------------------------------------------------------------------
# Lab patches must apply exactly (no fuzz); a user's series may need fuzz
# against Debian's tree, which the log and kernel.json record.
apply() { # kind patch fuzz index total
	local kind=$1 p=$2 fuzz=$3 out name
	name=$(basename "$p")
	say "kernel: [5/7] applying $kind patch $4/$5: $name"
	if ! out=$(cd "$work/src" && patch -p1 -N -F"$fuzz" --no-backup-if-mismatch \
		-r "$logdir/$name.rej" <"$p" 2>&1); then
		printf '%s\n' "$out" >&2
		[ -s "$logdir/$name.rej" ] && {
			printf -- '--- reject (%s) ---\n' "$logdir/$name.rej" >&2
			head -n 60 "$logdir/$name.rej" >&2
		}
		die "$kind patch $p does not apply to $src_desc (see the reject above)"
	fi
	printf '%s\n' "$out" >"$logdir/$name.log"
	rm -f "$logdir/$name.rej"
}
n=$(echo "$lab_patches" | sed '/^$/d' | wc -l)
i=0
for p in $lab_patches; do
	i=$((i + 1))
	apply lab "$p" 0 "$i" "$n"
done
n=$(echo "$user_patches" | sed '/^$/d' | wc -l)
i=0
for p in $user_patches; do
	i=$((i + 1))
	apply user "$p" 2 "$i" "$n"
done

# ---- 6. config -----------------------------------------------------------------
step 6 "config: $base_desc, trimmed to kernel/config/lab-modules.lsmod, plus kernel/config/lab.fragment"
kmake() { make -C "$work/src" O="$work/obj" "$@"; }
cp "$base_config" "$work/obj/.config"
grep -v '^#' "$modlist" >"$work/lsmod"
kmake LSMOD="$work/lsmod" localmodconfig </dev/null >"$logdir/config.log" 2>&1 ||
	die "make localmodconfig failed; see $logdir/config.log"
"$work/src/scripts/kconfig/merge_config.sh" -m -O "$work/obj" "$work/obj/.config" "$fragment" \
	>>"$logdir/config.log" 2>&1 || die "merging $fragment failed; see $logdir/config.log"
kmake olddefconfig >>"$logdir/config.log" 2>&1 || die "make olddefconfig failed; see $logdir/config.log"
# Kconfig drops what it cannot satisfy without a word: check every line.
grep -E '^(CONFIG_|# CONFIG_)' "$fragment" | while read -r line; do
	grep -qxF -- "$line" "$work/obj/.config" && continue
	name=$(echo "$line" | sed -E 's/^# (CONFIG_[A-Za-z0-9_]+).*/\1/; s/=.*//')
	# "is not set" also holds for an option whose dependencies hide it.
	case "$line" in "# "*) grep -q "^$name=" "$work/obj/.config" || continue ;; esac
	got=$(grep -E "^(# )?$name[= ]" "$work/obj/.config" | head -n 1)
	die "kernel/config/lab.fragment: '$line' did not survive olddefconfig (the config has '${got:-nothing}'): another option selects or excludes it"
done || exit 1

# ---- 7. build ------------------------------------------------------------------
export CCACHE_DIR=$INVLAB_CACHE/ccache CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=1
ccache -M 8G >/dev/null
# Fixed build identity (the source's own date), so unchanged objects stay
# cache hits.
export KBUILD_BUILD_USER=invlab KBUILD_BUILD_HOST=lab
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$(stat -c %Y "$work/src/Makefile")" '+%Y-%m-%d %H:%M:%S UTC')
export KBUILD_BUILD_TIMESTAMP
jobs=$(nproc)
estimate=$(cat "$INVLAB_CACHE/kbuild/objects.last" 2>/dev/null || echo 0)
step 7 "building $src_ver with $jobs jobs (log: $logdir/build.log)"
start=$(date +%s)
(kmake -j"$jobs" CC="ccache gcc" bzImage modules >"$logdir/build.log" 2>&1; echo $? >"$work/build.rc") &
bpid=$!
# Progress: objects compiled so far against the last build's count.
while kill -0 "$bpid" 2>/dev/null; do
	sleep 30
	kill -0 "$bpid" 2>/dev/null || break
	done_n=$(grep -c '^  CC ' "$logdir/build.log" || true)
	el=$(($(date +%s) - start))
	if [ "$estimate" -gt 0 ]; then
		say "kernel: [7/7] building: $done_n of about $estimate objects, $((el / 60))m$((el % 60))s"
	else
		say "kernel: [7/7] building: $done_n objects compiled, $((el / 60))m$((el % 60))s (a cold build compiles about 2800, 25 min on 2 cores)"
	fi
done
wait "$bpid" || true
if [ "$(cat "$work/build.rc")" != 0 ]; then
	grep -E -B2 -A8 'error:|Error [0-9]' "$logdir/build.log" | tail -n 40 >&2 || tail -n 40 "$logdir/build.log" >&2
	die "kernel build failed; full log: $logdir/build.log"
fi
grep -c '^  CC ' "$logdir/build.log" >"$INVLAB_CACHE/kbuild/objects.last" || true
secs=$(($(date +%s) - start))
release=$(cat "$work/obj/include/config/kernel.release")

tmp=$kdir.partial.$$
mkdir -p "$tmp/root/usr"
kmake INSTALL_MOD_PATH="$tmp/root/usr" INSTALL_MOD_STRIP=1 modules_install >"$logdir/install.log" 2>&1 ||
	die "make modules_install failed; see $logdir/install.log"
moddir=$tmp/root/usr/lib/modules/$release
rm -f "$moddir/build" "$moddir/source"
cp "$work/obj/arch/x86/boot/bzImage" "$moddir/vmlinuz"
cp "$work/obj/.config" "$moddir/config"
cp "$work/obj/System.map" "$moddir/System.map"
cp "$work/obj/vmlinux" "$tmp/vmlinux"
# This kernel's uAPI headers (iommufd, vfio) for the workloads that need
# newer ones than the rootfs's linux-libc-dev.
kmake INSTALL_HDR_PATH="$tmp/usr" headers_install >>"$logdir/install.log" 2>&1 ||
	die "make headers_install failed; see $logdir/install.log"
depmod -b "$tmp/root/usr" "$release"

# Which watched functions survived as symbols, as clones, or were inlined.
symbols_json() {
	local f m sep=
	grep -v '^#' "$kernel_dir/config/watched-symbols.list" | sed '/^$/d' | while read -r f; do
		if grep -qE " [tT] $f\$" "$moddir/System.map"; then
			m=symbol
		else
			m=$(grep -oE " [tT] $f\.(isra|part|constprop|cold)[.0-9a-z]*\$" "$moddir/System.map" |
				awk '{ print $2 }' | sort -u | tr '\n' ' ' | sed 's/ $//' || true)
			m=${m:+clone $m}
			m=${m:-inlined}
		fi
		printf '%s\n    "%s": "%s"' "$sep" "$f" "$m"
		sep=,
	done
}

patch_json() { # kind list
	local p
	for p in $2; do
		printf '    { "series": "%s", "name": "%s", "sha256": "%s" },\n' "$1" "$(basename "$p")" \
			"$(sha256sum "$p" | cut -d' ' -f1)"
	done
}
{
	printf '{\n  "label": "lab",\n  "source": "lab-build",\n  "key": "%s",\n' "$key"
	printf '  "kernel_source": { "kind": "%s", "describe": "%s", "version": "%s", "fingerprint": "%s" },\n' \
		"$src_kind" "$src_desc" "$src_ver" "$src_fp"
	printf '  "release": "%s",\n' "$release"
	printf '  "vmlinuz": "root/usr/lib/modules/%s/vmlinuz",\n  "config": "root/usr/lib/modules/%s/config",\n' "$release" "$release"
	printf '  "config_sha256": "%s",\n' "$(sha256sum "$moddir/config" | cut -d' ' -f1)"
	printf '  "base_config": "%s",\n  "base_config_sha256": "%s",\n' "$base_desc" "$(sha256sum "$base_config" | cut -d' ' -f1)"
	printf '  "fragment_sha256": "%s",\n' "$(sha256sum "$fragment" | cut -d' ' -f1)"
	printf '  "modules_list_sha256": "%s",\n' "$(sha256sum "$modlist" | cut -d' ' -f1)"
	printf '  "patches": [\n'
	{
		patch_json lab "$lab_patches"
		patch_json user "$user_patches"
	} | sed '$ s/,$//'
	printf '  ],\n'
	printf '  "compiler": "%s",\n  "build_seconds": %d,\n' "$gcc_ver" "$secs"
	printf '  "bzimage_bytes": %d,\n' "$(stat -c %s "$moddir/vmlinuz")"
	printf '  "headers": "usr/include",\n'
	printf '  "symbols": {'
	symbols_json
	printf '\n  },\n'
	printf '  "packages": []\n}\n'
} >"$tmp/kernel.json"
python3 -m json.tool "$tmp/kernel.json" >/dev/null || die "internal error: $tmp/kernel.json is not valid JSON"
mv "$tmp" "$kdir"
say "kernel: $release built in $((secs / 60))m$((secs % 60))s: $kdir"
echo "$kdir"
