# input-latency.gp - written by bench-report; run: gnuplot input-latency.gp
set terminal pngcairo size 1000,600 noenhanced font ',10'
set output 'input-latency.png'
set title "A uinput event at 1 kHz to a reader: native evdev vs a container's vinput (median, 95% CI)"
set xlabel ""
set ylabel "us"
set grid ytics
set key outside right
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.6 border -1
set yrange [0:*]
set xtics rotate by -20
plot  'input-latency.dat' using 2:3:4:xtic(1) title "debian-6.1 native-evdev", \
     'input-latency.dat' using 5:6:7 title "debian-6.1 vinput", \
     'input-latency.dat' using 8:9:10 title "debian-6.12 native-evdev", \
     'input-latency.dat' using 11:12:13 title "debian-6.12 vinput"
set terminal svg size 1000,600 noenhanced font 'sans,10'
set output 'input-latency.svg'
replot
unset output
