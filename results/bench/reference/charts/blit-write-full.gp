# blit-write-full.gp - written by bench-report; run: gnuplot blit-write-full.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'blit-write-full.png'
set title "Blit throughput, write-full (median, 95% CI; largest size per device)"
set xlabel ""
set ylabel "MB/s"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'blit-write-full.dat' using 2:3:4:xtic(1) title "debian-6.1", \
     'blit-write-full.dat' using 5:6:7 title "debian-6.12"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'blit-write-full.svg'
replot
unset output
