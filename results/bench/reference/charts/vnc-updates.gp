# vnc-updates.gp - written by bench-report; run: gnuplot vnc-updates.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'vnc-updates.png'
set title "devnsctl vnc to a local client, a container drawing at 60 Hz (median, 95% CI)"
set xlabel ""
set ylabel "updates/s"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'vnc-updates.dat' using 2:3:4:xtic(1) title "debian-6.1 rect64", \
     'vnc-updates.dat' using 5:6:7 title "debian-6.1 full", \
     'vnc-updates.dat' using 8:9:10 title "debian-6.12 rect64", \
     'vnc-updates.dat' using 11:12:13 title "debian-6.12 full"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'vnc-updates.svg'
replot
unset output
