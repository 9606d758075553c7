# switch-latency.gp - written by bench-report; run: gnuplot switch-latency.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'switch-latency.png'
set title "Switch latency vs display size (median, 95% CI; x: p90)"
set xlabel "display size (pixels, 32 bpp)"
set ylabel "us"
set grid ytics
set key outside right
set logscale x
set logscale y
set offsets graph 0.05, graph 0.05, 0, 0
plot  'switch-latency-0.dat' using 1:2:3:4 with yerrorlines lc 1 title "debian-6.1 copy", '' using 1:5 with points pt 2 lc 1 notitle, \
     'switch-latency-1.dat' using 1:2 with linespoints dt 2 lw 2 title "debian-6.1 limit: memcpy2x", \
     'switch-latency-2.dat' using 1:2:3:4 with yerrorlines lc 3 title "debian-6.1 zerocopy", '' using 1:5 with points pt 2 lc 3 notitle, \
     'switch-latency-3.dat' using 1:2:3:4 with yerrorlines lc 4 title "debian-6.1 native: drm-master", '' using 1:5 with points pt 2 lc 4 notitle, \
     'switch-latency-4.dat' using 1:2:3:4 with yerrorlines lc 5 title "debian-6.1 native: drm-master-redraw", '' using 1:5 with points pt 2 lc 5 notitle, \
     'switch-latency-5.dat' using 1:2:3:4 with yerrorlines lc 6 title "debian-6.1 native: vt-process", '' using 1:5 with points pt 2 lc 6 notitle, \
     'switch-latency-6.dat' using 1:2:3:4 with yerrorlines lc 7 title "debian-6.12 copy", '' using 1:5 with points pt 2 lc 7 notitle, \
     'switch-latency-7.dat' using 1:2 with linespoints dt 2 lw 2 title "debian-6.12 limit: memcpy2x", \
     'switch-latency-8.dat' using 1:2:3:4 with yerrorlines lc 9 title "debian-6.12 zerocopy", '' using 1:5 with points pt 2 lc 9 notitle, \
     'switch-latency-9.dat' using 1:2:3:4 with yerrorlines lc 10 title "debian-6.12 native: drm-master", '' using 1:5 with points pt 2 lc 10 notitle, \
     'switch-latency-10.dat' using 1:2:3:4 with yerrorlines lc 11 title "debian-6.12 native: drm-master-redraw", '' using 1:5 with points pt 2 lc 11 notitle, \
     'switch-latency-11.dat' using 1:2:3:4 with yerrorlines lc 12 title "debian-6.12 native: vt-process", '' using 1:5 with points pt 2 lc 12 notitle
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'switch-latency.svg'
replot
unset output
