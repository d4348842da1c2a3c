# invlab: IOMMU commands per I/O by opcode, one stacked bar per cell.
#
#   gnuplot -e "datafile='cmdmix.dat'; outfile='cmdmix.svg'; terminal='svg'; n=2" plots/cmdmix.gp
#
# datafile (bench/src/plot_run.c): a header line, "cell" and then one quoted
# opcode per column; then a row per cell: its quoted id and the median
# commands per I/O of each opcode. n: the number of opcode columns.
# terminal: svg or pngcairo. plottitle, maxlabel (longest id): optional.
if (!exists("datafile") || !exists("outfile") || !exists("n")) {
	print "cmdmix.gp: give datafile, outfile and n with -e"
	exit status 2
}
if (!exists("terminal")) terminal = 'svg'
if (terminal eq 'svg') {
	set terminal svg size 900,480 font 'sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 900,480 font 'sans,10' background rgb 'white'
}
set output outfile
set datafile missing NaN
if (exists("plottitle")) set title plottitle noenhanced

set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set key outside right top noenhanced
set xtics noenhanced rotate by -30 nomirror
# Room below for the slanted cell ids (maxlabel: the longest, in characters).
if (exists("maxlabel")) set bmargin (maxlabel * 0.25 + 2)
set ylabel "commands per I/O (median over windows)"
set yrange [0:*]
set grid ytics
plot for [i=2:n+1] datafile using i:xtic(1) title columnheader(i)
