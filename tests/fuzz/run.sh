#!/usr/bin/env bash
# Run the libFuzzer harnesses (make fuzz, make fuzz-check; tests/fuzz/README).
#
#   tests/fuzz/run.sh fuzz SECONDS build-fuzz/fuzz/NAME...
#	each harness fuzzes for SECONDS from its corpus; what it finds new
#	goes to build-fuzz/corpus/NAME (kept between runs), never the tree's
#   tests/fuzz/run.sh check SECONDS build-fuzz/fuzz/NAME...
#	every input of tests/fuzz/corpus/NAME, then SECONDS of fuzzing from a
#	fixed seed (make test: CI catches a new crash)
#
# One line per harness: executions, corpus, and any crash, leak, UB or
# timeout with the input that caused it (build-fuzz/crashes/NAME/) and its
# sanitizer summary. Exits 1 if any harness failed.
set -uo pipefail
cd "${INVLAB_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}"
export INVLAB_TOP=$PWD
mode=${1:?usage: run.sh fuzz|check SECONDS HARNESS...} secs=${2:?}
shift 2
case $mode in fuzz | check) ;; *) echo "run.sh: unknown mode $mode" >&2; exit 2 ;; esac

# Any finding stops the harness: memory errors, leaks, undefined behaviour.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The largest input worth trying, by what the harness reads: the real
# files are a few KB (results up to ~30 KB).
max_len() {
	case $1 in
	result) echo 65536 ;;
	run | history | fio_json) echo 16384 ;;
	qemu_trace | ksyms) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

# JSON keys and tokens for the harnesses that read JSON, libpq's tokens for
# dburl (json-c and libpq are not instrumented, so libFuzzer cannot learn
# what they compare).
dict() {
	case $1 in
	result | run | history | fio_json) echo "-dict=tests/fuzz/json.dict" ;;
	dburl) echo "-dict=tests/fuzz/dburl.dict" ;;
	esac
}

failed=0 total=0
for h in "$@"; do
	name=$(basename "$h")
	out=$(dirname "$(dirname "$h")")
	seeds=tests/fuzz/corpus/$name
	crashes=$out/crashes/$name
	log=$out/logs/$mode-$name.log
	if [ "$mode" = fuzz ]; then
		work=$out/corpus/$name
		extra=()
	else
		work=$out/check/$name
		rm -rf "$work"
		extra=(-seed=1)
	fi
	mkdir -p "$work" "$crashes" "$(dirname "$log")"
	[ -d "$seeds" ] || { echo "FAIL - fuzz $name: no corpus $seeds"; failed=$((failed + 1)); continue; }
	start=$SECONDS
	"$h" -max_total_time="$secs" -max_len="$(max_len "$name")" \
		-rss_limit_mb=1024 -timeout=10 -print_final_stats=1 $(dict "$name") \
		-artifact_prefix="$crashes/" "${extra[@]}" "$work" "$seeds" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	corpus=$(find "$work" "$seeds" -type f | wc -l)
	total=$((total + ${runs:-0}))
	if [ "$rc" -eq 0 ]; then
		echo "ok - fuzz $name: ${runs:-?} executions in $((SECONDS - start)) s ($(find "$seeds" -type f | wc -l) seeds, $corpus inputs)"
	else
		failed=$((failed + 1))
		echo "FAIL - fuzz $name: exit $rc after ${runs:-?} executions; log $log"
		grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY)|runtime error|ERROR: libFuzzer' "$log" | sed 's/^/    /'
		grep -m1 'SUMMARY' "$log" | sed 's/^/    /'
		sed -n 's/^artifact_prefix=.*; Test unit written to /    input: /p' "$log"
	fi
done
echo "fuzz $mode: $# harnesses, $total executions, $failed failed"
[ "$failed" -eq 0 ]
