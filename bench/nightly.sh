#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# One night of invlab on a lab host: run a suite, append the run to the
# history, write the trend report over the whole history (docs/nightly.md).
#
#   bench/nightly.sh [--suite NAME] [--history DIR] [--report DIR]
#                    [--host NAME] [--real [--device DEV] [--allow-rebind PCI]
#                    [--allow-knob MOD.PARAM,...]]
#                    [--run-dir RUN_DIR]
#
# --real: this is a real AMD host, run the suite's cells here (`make host`:
# invlab lab --host from inside the lab rootfs, or natively with NATIVE=1 in
# the environment) instead of booting them in the QEMU lab (`make lab`), on
# the device named (--device, or the host's /etc/invlab/devices; see
# docs/real-host.md). --run-dir: run
# nothing, append RUN_DIR (a run made earlier) and report. The settings also
# come from the environment (INVLAB_NIGHTLY_SUITE, INVLAB_HISTORY,
# INVLAB_NIGHTLY_REPORT, INVLAB_NIGHTLY_HOST, INVLAB_NIGHTLY_REAL=1,
# INVLAB_NIGHTLY_DEVICE, INVLAB_NIGHTLY_ALLOW_REBIND, INVLAB_NIGHTLY_ALLOW_KNOB), which
# is how the systemd unit sets them. Defaults: suite smoke, history
# results/history, report results/nightly, host `hostname -s`.
#
# Exit status: 0 nothing regressed; 1 a series ends in a regression (the
# report's gate); 2 error (no run, append or report failed); 3 the run had
# failed cells (appended with their status, report written, no regression).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
suite=${INVLAB_NIGHTLY_SUITE:-smoke}
history=${INVLAB_HISTORY:-$top/results/history}
report=${INVLAB_NIGHTLY_REPORT:-$top/results/nightly}
host=${INVLAB_NIGHTLY_HOST:-$(hostname -s)}
real=${INVLAB_NIGHTLY_REAL:-0}
device=${INVLAB_NIGHTLY_DEVICE:-}
allow_rebind=${INVLAB_NIGHTLY_ALLOW_REBIND:-}
allow_knob=${INVLAB_NIGHTLY_ALLOW_KNOB:-}
native=${NATIVE:-}
run_dir=

die() {
	echo "nightly: $*" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--suite) suite=${2:?}; shift ;;
	--history) history=${2:?}; shift ;;
	--report) report=${2:?}; shift ;;
	--host) host=${2:?}; shift ;;
	--real) real=1 ;;
	--device) device=${2:?}; shift ;;
	--allow-rebind) allow_rebind=${2:?}; shift ;;
	--allow-knob) allow_knob=${2:?}; shift ;;
	--run-dir) run_dir=$(cd "${2:?}" && pwd) || die "no run directory $2"; shift ;;
	*) die "unknown option $1 (see the head of $0)" ;;
	esac
	shift
done

cd "$top" || die "no work tree at $top"
mkdir -p "$history" "$report" || die "cannot create $history or $report"
history=$(cd "$history" && pwd) report=$(cd "$report" && pwd)
if [ "$real" = 1 ] && [ -n "$native" ]; then
	invlab=(build/invlab)
else
	# invlab runs in the lab rootfs, which sees only the work tree and the
	# cache (writable) at their host paths.
	invlab=(lab/enter.sh build/invlab)
	cache=${INVLAB_CACHE:-/var/cache/invlab}
	for d in "$history" "$report"; do
		case $d/ in
		"$top"/* | "$cache"/*) ;;
		*) die "$d is outside the work tree and $cache: the lab rootfs cannot write it (or use --real with NATIVE=1)" ;;
		esac
	done
fi
# One nightly at a time: a slow run must not overlap the next night's.
exec 9>"$history/.nightly.lock"
flock -n 9 || die "another nightly holds $history/.nightly.lock"

log=$(mktemp "${TMPDIR:-/tmp}/invlab-nightly.XXXXXX") || die "mktemp failed"
trap 'rm -f "$log"' EXIT
stamp=$(date -u +%Y%m%d-%H%M%S)
run_status=0
if [ -n "$run_dir" ]; then
	:
elif [ "$real" = 1 ]; then
	# every cell on this host, into a run directory like the lab's
	if [ -n "$native" ]; then
		make --no-print-directory build NATIVE=1 >"$log" 2>&1 || {
			cat "$log" >&2
			die "make build failed"
		}
		build/invlab lab --host --suite "$suite" ${device:+--device "$device"} \
			${allow_rebind:+--allow-rebind "$allow_rebind"} \
			${allow_knob:+--allow-knob "$allow_knob"} 2>&1 | tee "$log"
	else
		make --no-print-directory host SUITE="$suite" DEVICE="$device" \
			ALLOW_REBIND="$allow_rebind" ALLOW_KNOB="$allow_knob" 2>&1 | tee "$log"
	fi
	run_status=${PIPESTATUS[0]}
	run_dir=$(sed -n 's/^results dir: *//p' "$log" | tail -n 1)
else
	make --no-print-directory lab SUITE="$suite" 2>&1 | tee "$log"
	run_status=${PIPESTATUS[0]}
	run_dir=$(sed -n 's/^results dir: *//p' "$log" | tail -n 1)
fi
[ -n "$run_dir" ] && [ -f "$run_dir/run.json" ] ||
	die "the $suite run left no run directory (exit $run_status)"

"${invlab[@]}" nightly append --history "$history" --host "$host" "$run_dir" ||
	die "could not append $run_dir to $history"
"${invlab[@]}" nightly report --history "$history" -o "$report"
gate=$?
[ "$gate" -eq 0 ] && [ "$run_status" -ne 0 ] && exit 3
exit "$gate"
