# invlab: one noisy metric at both levels of repetition: every window of
# every boot as a small point, each boot's median as a large one, one
# colour per cell (its boots 1, 2, ... along x).
#
#   gnuplot -e "datafile='b.dat'; outfile='b.svg'; terminal='svg'; n=2; ylabel='iops'" plots/boots.gp
#
# datafile (bench/src/report/plot.c, plot_lines_text): 2n blocks two blank
# lines apart, each a header line (the quoted title, the metric) and "x y"
# rows: block 2i holds cell i's windows (x its boot, spread a little so
# windows do not hide each other), block 2i+1 its boots' medians.
# terminal: svg or pngcairo. plottitle: optional.
if (!exists("datafile") || !exists("outfile") || !exists("n")) {
	print "boots.gp: give datafile, outfile and n with -e"
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
set xlabel 'boot' noenhanced
if (exists("ylabel")) set ylabel ylabel noenhanced
set key outside right top noenhanced
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
set xtics 1
set grid
plot for [i=0:n-1] datafile index 2*i using 1:2 with points pt 7 ps 0.5 lc i+1 \
	title columnheader(1), \
     for [i=0:n-1] datafile index 2*i+1 using 1:2 with linespoints pt 9 ps 1.8 lw 1 lc i+1 \
	title columnheader(1)
