# invlab: log2 histograms of the fan-out probe, one line per cell (or per
# side of a comparison), as shares of the line's events.
#
#   gnuplot -e "datafile='hist.dat'; outfile='hist.svg'; terminal='svg'; n=2" plots/hist.gp
#
# datafile (bench/src/plot_hist.c): a header line, "ge_ns" "lt_ns" and one
# quoted title per line; then a row per bucket [ge, lt): its bounds and the
# percentage of each line's events in it. n: the number of lines.
# terminal: svg or pngcairo. plottitle: optional.
if (!exists("datafile") || !exists("outfile") || !exists("n")) {
	print "hist.gp: give datafile, outfile and n with -e"
	exit status 2
}
if (!exists("terminal")) terminal = 'svg'
if (terminal eq 'svg') {
	set terminal svg size 900,480 font 'sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 900,480 font 'sans,10' background rgb 'white'
}
set output outfile
if (exists("plottitle")) set title plottitle noenhanced

# Buckets are powers of two: a log2 x axis spaces them evenly. Empty
# buckets (0%) cannot sit on the log y axis and are left as gaps.
set logscale x 2
set logscale y 10
set encoding utf8
# Round times on the axis (1 µs, 10 µs, ...; minor ticks at 2 and 5),
# while the points sit at 2^k ns.
set xtics () nomirror
units = "ns µs ms s"
do for [d = 0:10] {
	t = 10.0 ** (d - 9)
	set xtics add (sprintf("%d %s", 10 ** (d % 3), word(units, d / 3 + 1)) t)
	set xtics add ("" 2 * t 1, "" 5 * t 1)
}
set format y "%g"
set xlabel "time (log2 buckets; a point at its bucket's upper bound)"
set ylabel "% of events"
# Fixed side margins: the tick list covers ns to s, labels beyond the range
# would otherwise reserve room.
set lmargin 10
set rmargin 4
set key top right noenhanced opaque
set grid
plot for [i=3:n+2] datafile using ($2 / 1e9):(column(i) > 0 ? column(i) : 1/0) \
	with linespoints pt 7 ps 0.6 lw 1.5 title columnheader(i)
