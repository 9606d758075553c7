# damage-fetch.gp - written by bench-report; run: gnuplot damage-fetch.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'damage-fetch.png'
set title "One damage fetch after stores into N pages (median, 95% CI)"
set xlabel ""
set ylabel "us"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'damage-fetch.dat' using 2:3:4:xtic(1) title "debian-6.1 vfb-bg", \
     'damage-fetch.dat' using 5:6:7 title "debian-6.12 vfb-bg"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'damage-fetch.svg'
replot
unset output
