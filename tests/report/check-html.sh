#!/usr/bin/env bash
# The HTML report in a real browser: every plot of report.html (and of
# invlab compare --html) must load in headless Chromium, the page must need
# no other file, and a run whose plots cannot be drawn must not get a
# report.html. No QEMU; runs inside the lab rootfs (make report-test).
#
#   tests/report/check-html.sh            synthetic runs (tests/report/gen-run.py)
#   tests/report/check-html.sh RUN_DIR... also real lab runs (copied first,
#                                         the run itself is left alone)
set -uo pipefail
cd "${INVLAB_TOP:?}"
invlab=$(realpath "${INVLAB:-build/invlab}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL - $*"; failed=$((failed + 1)); }

# Plots that decoded in Chromium, from the page's own count (data-plots-loaded).
loaded() { # page
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--virtual-time-budget=5000 --dump-dom "file://$1" 2>/dev/null |
		sed -n 's/.*<body[^>]* data-plots-loaded="\([-0-9]*\)".*/\1/p' | head -1
}

# page what [min_plots]: all plots load, none is external, files kept.
check_page() {
	local page=$1 what=$2 min=${3:-1} n got ext
	if [ ! -s "$page" ]; then
		not_ok "$what: no $page"
		return
	fi
	n=$(sed -n 's/.*<body data-plots="\([0-9]*\)".*/\1/p' "$page" | head -1)
	got=$(loaded "$page")
	if [ -n "$n" ] && [ "$n" -ge "$min" ] && [ "$got" = "$n" ]; then
		ok "$what: $got of $n plots loaded in Chromium"
	else
		not_ok "$what: ${got:-no count} of ${n:-?} plots loaded (want at least $min, all loaded)"
	fi
	[ "$(grep -o '<img class="plot"' "$page" | wc -l)" = "$n" ] &&
		ok "$what: one image per plot" || not_ok "$what: image count differs from data-plots"
	# Self-contained: no src/href but data: URIs and in-page anchors, no <link>.
	ext=$( (grep -oE '(src|href)="[^"]{0,40}' "$page" | grep -vE '="(data:|#)'; grep -o '<link [^>]*' "$page") | head -3)
	[ -z "$ext" ] && ok "$what: self-contained" || not_ok "$what: refers to other files: $ext"
	local missing=0
	for f in $(grep -oE 'plots/[^ ,<]+\.(svg|png)' "$page" | sort -u); do
		[ -s "$(dirname "$page")/$f" ] || missing=$((missing + 1))
	done
	[ "$missing" -eq 0 ] && ok "$what: every plot kept as SVG and PNG" ||
		not_ok "$what: $missing plot files missing beside the page"
}

# The check itself must see a broken plot: corrupt one image of a copy.
check_detects_broken() { # page
	local bad="$tmp/broken.html" n got
	sed '0,/src="data:image\/svg+xml;base64,/s//src="data:image\/svg+xml;base64,AAAA/' "$1" >"$bad"
	n=$(sed -n 's/.*<body data-plots="\([0-9]*\)".*/\1/p' "$bad" | head -1)
	got=$(loaded "$bad")
	[ -n "$got" ] && [ "$got" -lt "$n" ] && ok "a corrupt plot is counted as not loaded ($got of $n)" ||
		not_ok "a corrupt plot went unnoticed (${got:-no count} of $n)"
}

report() { # run_dir what
	local out
	if out=$("$invlab" report "$1" 2>&1) && grep -q 'report.html' <<<"$out"; then
		ok "$2: invlab report wrote report.html"
	else
		not_ok "$2: invlab report: $out"
	fi
}

# --- a synthetic matrix run: hdomids x viommus, fan-out histograms ----------
tests/report/gen-run.py "$tmp/sweep" --kind sweep || not_ok "gen-run.py sweep"
report "$tmp/sweep" "sweep run"
check_page "$tmp/sweep/report.html" "sweep run" 15
for t in 'IOMMU commands per I/O by opcode' 'Latency of nest_parent invalidations' \
	'Completion-wait time' 'Command-buffer-full stall time' \
	'cmds_per_io against hdomids' 'clat_p99_us against viommus' \
	'cmds_per_unmap against hdomids' 'unmap_ns against viommus' 'iops against hdomids'; do
	grep -q "<strong>Plot [0-9]*: $t" "$tmp/sweep/report.html" && ok "sweep run: plot '$t'" ||
		not_ok "sweep run: no plot '$t'"
done
grep -q 'lab@hdomids=16+viommus=1 (no valid result' "$tmp/sweep/report.html" &&
	ok "sweep run: the failed cell is named as left out" ||
	not_ok "sweep run: the failed cell is not named"
check_detects_broken "$tmp/sweep/report.html"

# --- a plain run: no parameters, no fan-out probe ---------------------------
tests/report/gen-run.py "$tmp/plain" --kind plain || not_ok "gen-run.py plain"
report "$tmp/plain" "plain run"
check_page "$tmp/plain/report.html" "plain run" 1
grep -q 'Fan-out latency histograms (all cells): no window has any' "$tmp/plain/report.html" &&
	grep -q 'Metrics against a parameter: no two cells differ' "$tmp/plain/report.html" &&
	ok "plain run: the plots not drawn say why" || not_ok "plain run: no reason for the missing plots"

# --- invlab compare --html: base vs new histograms per cell pair -----------
# (no failed cell: compare would call that an error, exit 2)
tests/report/gen-run.py "$tmp/base" --kind sweep --no-failed || not_ok "gen-run.py base"
tests/report/gen-run.py "$tmp/new" --kind sweep --no-failed --scale 2 || not_ok "gen-run.py new"
mkdir -p "$tmp/cmp"
"$invlab" compare "$tmp/base" "$tmp/new" --html "$tmp/cmp/compare.html" \
	-o "$tmp/cmp.md" >/dev/null 2>"$tmp/cmp.err"
st=$?
[ "$st" -le 1 ] && ok "compare --html: exit $st" || not_ok "compare --html: exit $st: $(cat "$tmp/cmp.err")"
check_page "$tmp/cmp/compare.html" "compare page" 8
grep -q 'Latency of nest_parent invalidations (cell lab@hdomids=8+viommus=2, base vs new)' \
	"$tmp/cmp/compare.html" && ok "compare page: base vs new histogram of a cell" ||
	not_ok "compare page: no base vs new histogram"

# --- without gnuplot: an error naming it, and no report.html ---------------
tests/report/gen-run.py "$tmp/nognuplot" --kind plain >/dev/null
out=$(env PATH=/nonexistent "$invlab" report "$tmp/nognuplot" 2>&1)
st=$?
if [ "$st" -ne 0 ] && grep -q 'gnuplot' <<<"$out" && [ ! -e "$tmp/nognuplot/report.html" ] &&
	[ -z "$(find "$tmp/nognuplot" -name '*.tmp.*')" ]; then
	ok "gnuplot missing: exit $st, named, no report.html"
else
	not_ok "gnuplot missing: exit $st, $out, $(ls "$tmp/nognuplot")"
fi
out=$(env PATH=/nonexistent "$invlab" compare "$tmp/base" "$tmp/new" --html "$tmp/x.html" 2>&1 >/dev/null)
st=$?
[ "$st" -eq 2 ] && grep -q gnuplot <<<"$out" && [ ! -e "$tmp/x.html" ] &&
	ok "compare --html without gnuplot: exit 2, named" || not_ok "compare --html without gnuplot: exit $st: $out"

# --- real runs, if given ------------------------------------------------------
for run in "$@"; do
	name=$(basename "$run")
	mkdir -p "$tmp/real"
	cp -r "$run" "$tmp/real/$name" || { not_ok "cannot copy $run"; continue; }
	rm -rf "$tmp/real/$name/plots" "$tmp/real/$name/report.html"
	report "$tmp/real/$name" "run $run"
	check_page "$tmp/real/$name/report.html" "run $run" 1
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
