# SPDX-License-Identifier: GPL-2.0
# Trend of one metric over a nightly history (invlab nightly report), as PNG
# (pngcairo) and SVG. invlab writes a driver that sets these, then loads
# this file once per series:
#
#   datafile   columns: x median min max segment_median date run_id
#   out        output path without extension (.png and .svg are added)
#   plottitle, ylab
#   cps        x of each change point (between two runs), space separated
#   cpcolors   one colour per change point (red regressed, green improved)
#   ctx        x of each context change (kernel, config, patches, ...)
#   xstep      label every xstep-th run with its start date

reset
set encoding utf8
set title plottitle noenhanced
set ylabel ylab noenhanced
unset xlabel
set grid ytics
set key below noenhanced
set xtics rotate by -45 nomirror scale 0.5
set ytics nomirror
set offsets 0.5, 0.5, graph 0.05, graph 0.05
set bars small
unset arrow
do for [k = 1:words(cps)] {
	set arrow from real(word(cps, k)), graph 0 to real(word(cps, k)), graph 1 \
		nohead lw 2 lc rgb word(cpcolors, k) front
}
do for [k = 1:words(ctx)] {
	set arrow from real(word(ctx, k)), graph 0 to real(word(ctx, k)), graph 1 \
		nohead dt 2 lw 1 lc rgb 'gray40' back
}

cptitle = words(cps) > 0 ? 'change point (red regressed, green improved)' : ''
ctxtitle = words(ctx) > 0 ? 'context changed' : ''
trend = 'plot datafile using 1:2:3:4:xtic(int($1) % xstep == 0 ? strcol(6) : "") ' . \
	'with yerrorbars pt 7 ps 0.5 lc rgb "#1f77b4" title "run median, min..max", ' . \
	'"" using ($1 - 0.5):5:(1):(0) with vectors nohead lw 2 lc rgb "#ff7f0e" title "segment median", ' . \
	'NaN with lines lw 2 lc rgb "#d62728" title cptitle, ' . \
	'NaN with lines dt 2 lc rgb "gray40" title ctxtitle'

set terminal pngcairo size 1100,500 font 'sans,9' noenhanced
set output out . '.png'
eval trend
set terminal svg size 1100,500 dynamic font 'sans,9' noenhanced
set output out . '.svg'
eval trend
set output
