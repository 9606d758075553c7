# switch-namespaces.gp - written by bench-report; run: gnuplot switch-namespaces.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'switch-namespaces.png'
set title "Switch latency vs number of namespaces"
set xlabel "namespaces"
set ylabel "us"
set grid ytics
set key outside right
set logscale y
set offsets graph 0.05, graph 0.05, 0, 0
plot  'switch-namespaces-0.dat' using 1:2:3:4 with yerrorlines lc 1 title "debian-6.1 copy 640x480 mappers=0", '' using 1:5 with points pt 2 lc 1 notitle, \
     'switch-namespaces-1.dat' using 1:2:3:4 with yerrorlines lc 2 title "debian-6.1 copy 640x480 mappers=1", '' using 1:5 with points pt 2 lc 2 notitle, \
     'switch-namespaces-2.dat' using 1:2:3:4 with yerrorlines lc 3 title "debian-6.1 zerocopy 640x480 mappers=0", '' using 1:5 with points pt 2 lc 3 notitle, \
     'switch-namespaces-3.dat' using 1:2:3:4 with yerrorlines lc 4 title "debian-6.1 zerocopy 640x480 mappers=1", '' using 1:5 with points pt 2 lc 4 notitle, \
     'switch-namespaces-4.dat' using 1:2:3:4 with yerrorlines lc 5 title "debian-6.1 copy 1920x1080 mappers=0", '' using 1:5 with points pt 2 lc 5 notitle, \
     'switch-namespaces-5.dat' using 1:2:3:4 with yerrorlines lc 6 title "debian-6.1 copy 1920x1080 mappers=1", '' using 1:5 with points pt 2 lc 6 notitle, \
     'switch-namespaces-6.dat' using 1:2:3:4 with yerrorlines lc 7 title "debian-6.1 copy 1920x1080 mappers=4", '' using 1:5 with points pt 2 lc 7 notitle, \
     'switch-namespaces-7.dat' using 1:2:3:4 with yerrorlines lc 8 title "debian-6.1 zerocopy 1920x1080 mappers=0", '' using 1:5 with points pt 2 lc 8 notitle, \
     'switch-namespaces-8.dat' using 1:2:3:4 with yerrorlines lc 9 title "debian-6.1 zerocopy 1920x1080 mappers=1", '' using 1:5 with points pt 2 lc 9 notitle, \
     'switch-namespaces-9.dat' using 1:2:3:4 with yerrorlines lc 10 title "debian-6.1 zerocopy 1920x1080 mappers=4", '' using 1:5 with points pt 2 lc 10 notitle, \
     'switch-namespaces-10.dat' using 1:2:3:4 with yerrorlines lc 11 title "debian-6.1 copy 3840x2160 mappers=0", '' using 1:5 with points pt 2 lc 11 notitle, \
     'switch-namespaces-11.dat' using 1:2:3:4 with yerrorlines lc 12 title "debian-6.1 copy 3840x2160 mappers=1", '' using 1:5 with points pt 2 lc 12 notitle, \
     'switch-namespaces-12.dat' using 1:2:3:4 with yerrorlines lc 13 title "debian-6.1 zerocopy 3840x2160 mappers=0", '' using 1:5 with points pt 2 lc 13 notitle, \
     'switch-namespaces-13.dat' using 1:2:3:4 with yerrorlines lc 14 title "debian-6.1 zerocopy 3840x2160 mappers=1", '' using 1:5 with points pt 2 lc 14 notitle, \
     'switch-namespaces-20.dat' using 1:2:3:4 with yerrorlines lc 21 title "debian-6.12 copy 640x480 mappers=0", '' using 1:5 with points pt 2 lc 21 notitle, \
     'switch-namespaces-21.dat' using 1:2:3:4 with yerrorlines lc 22 title "debian-6.12 copy 640x480 mappers=1", '' using 1:5 with points pt 2 lc 22 notitle, \
     'switch-namespaces-22.dat' using 1:2:3:4 with yerrorlines lc 23 title "debian-6.12 zerocopy 640x480 mappers=0", '' using 1:5 with points pt 2 lc 23 notitle, \
     'switch-namespaces-23.dat' using 1:2:3:4 with yerrorlines lc 24 title "debian-6.12 zerocopy 640x480 mappers=1", '' using 1:5 with points pt 2 lc 24 notitle, \
     'switch-namespaces-24.dat' using 1:2:3:4 with yerrorlines lc 25 title "debian-6.12 copy 1920x1080 mappers=0", '' using 1:5 with points pt 2 lc 25 notitle, \
     'switch-namespaces-25.dat' using 1:2:3:4 with yerrorlines lc 26 title "debian-6.12 copy 1920x1080 mappers=1", '' using 1:5 with points pt 2 lc 26 notitle, \
     'switch-namespaces-26.dat' using 1:2:3:4 with yerrorlines lc 27 title "debian-6.12 copy 1920x1080 mappers=4", '' using 1:5 with points pt 2 lc 27 notitle, \
     'switch-namespaces-27.dat' using 1:2:3:4 with yerrorlines lc 28 title "debian-6.12 zerocopy 1920x1080 mappers=0", '' using 1:5 with points pt 2 lc 28 notitle, \
     'switch-namespaces-28.dat' using 1:2:3:4 with yerrorlines lc 29 title "debian-6.12 zerocopy 1920x1080 mappers=1", '' using 1:5 with points pt 2 lc 29 notitle, \
     'switch-namespaces-29.dat' using 1:2:3:4 with yerrorlines lc 30 title "debian-6.12 zerocopy 1920x1080 mappers=4", '' using 1:5 with points pt 2 lc 30 notitle, \
     'switch-namespaces-30.dat' using 1:2:3:4 with yerrorlines lc 31 title "debian-6.12 copy 3840x2160 mappers=0", '' using 1:5 with points pt 2 lc 31 notitle, \
     'switch-namespaces-31.dat' using 1:2:3:4 with yerrorlines lc 32 title "debian-6.12 copy 3840x2160 mappers=1", '' using 1:5 with points pt 2 lc 32 notitle, \
     'switch-namespaces-32.dat' using 1:2:3:4 with yerrorlines lc 33 title "debian-6.12 zerocopy 3840x2160 mappers=0", '' using 1:5 with points pt 2 lc 33 notitle, \
     'switch-namespaces-33.dat' using 1:2:3:4 with yerrorlines lc 34 title "debian-6.12 zerocopy 3840x2160 mappers=1", '' using 1:5 with points pt 2 lc 34 notitle
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'switch-namespaces.svg'
replot
unset output
