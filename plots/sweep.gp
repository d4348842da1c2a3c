# invlab: one metric against a parameter the cells sweep, one line per
# value of the other parameters (and kernel).
#
#   gnuplot -e "datafile='s.dat'; outfile='s.svg'; terminal='svg'; n=2; logx=1; xlabel='hdomids'; ylabel='iops'" plots/sweep.gp
#
# datafile (bench/src/plot.c, plot_lines_text): n blocks two blank lines
# apart, each a header line (the quoted line title and metric) and then
# "x y" rows. logx: 1 for a log2 x axis (powers of two).
# terminal: svg or pngcairo. plottitle: optional.
if (!exists("datafile") || !exists("outfile") || !exists("n")) {
	print "sweep.gp: give datafile, outfile and n with -e"
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

if (exists("logx") && logx) set logscale x 2
if (exists("xlabel")) set xlabel xlabel noenhanced
if (exists("ylabel")) set ylabel ylabel noenhanced
set key outside right top noenhanced
set yrange [0:*]
set offsets graph 0.02, graph 0.02, 0, 0
set grid
plot for [i=0:n-1] datafile index i using 1:2 with linespoints pt 7 lw 1.5 \
	title columnheader(1)
