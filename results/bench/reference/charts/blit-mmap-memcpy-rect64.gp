# blit-mmap-memcpy-rect64.gp - written by bench-report; run: gnuplot blit-mmap-memcpy-rect64.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'blit-mmap-memcpy-rect64.png'
set title "Blit throughput, mmap-memcpy-rect64 (median, 95% CI; largest size per device)"
set xlabel ""
set ylabel "MB/s"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'blit-mmap-memcpy-rect64.dat' using 2:3:4:xtic(1) title "debian-6.1", \
     'blit-mmap-memcpy-rect64.dat' using 5:6:7 title "debian-6.12"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'blit-mmap-memcpy-rect64.svg'
replot
unset output
