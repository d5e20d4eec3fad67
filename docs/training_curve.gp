# Plots the per-epoch history that an example writes with --csv (columns: epoch, learning
# rate, training loss, training accuracy, validation loss, validation accuracy) as an SVG on
# standard output: the losses on a log scale on the left, the accuracies on the right.
#   gnuplot -e "data='digits.csv'; title_text='digits, 64-64-10'" docs/training_curve.gp > out.svg
if (!exists("data")) data = 'digits.csv'
if (!exists("title_text")) title_text = 'training curve'
set terminal svg size 760,420 dynamic font 'sans,12' background '#ffffff'
set datafile separator ','
set key autotitle columnhead
set multiplot layout 1,2 title title_text
set xlabel 'epoch'
set grid
set logscale y
set ylabel 'loss'
set key top right
plot data using ($1 + 1):3 with lines lw 2 title 'training loss', \
     data using ($1 + 1):5 with lines lw 2 dt 2 title 'test loss'
unset logscale y
set ylabel 'accuracy'
set yrange [0.8:1.005]
set key bottom right
plot data using ($1 + 1):4 with lines lw 2 title 'training accuracy', \
     data using ($1 + 1):6 with lines lw 2 dt 2 title 'test accuracy'
unset multiplot
