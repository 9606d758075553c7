# tty-roundtrip.gp - written by bench-report; run: gnuplot tty-roundtrip.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'tty-roundtrip.png'
set title "Terminal round trip: vtty vs pty (median, 95% CI)"
set xlabel ""
set ylabel "us"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'tty-roundtrip.dat' using 2:3:4:xtic(1) title "debian-6.1 vtty", \
     'tty-roundtrip.dat' using 5:6:7 title "debian-6.1 pty", \
     'tty-roundtrip.dat' using 8:9:10 title "debian-6.12 vtty", \
     'tty-roundtrip.dat' using 11:12:13 title "debian-6.12 pty"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'tty-roundtrip.svg'
replot
unset output
