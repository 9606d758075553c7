set -u
cd './build'
rmmod devns 2>/dev/null || true
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 1/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 1/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 2/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 2/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 3/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 3/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 4/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 4/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 5/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 5/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 6/7: memset64 done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 6/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset/debian-6.12/loads'
insmod './build/basemods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset"
rmmod devns || { echo "# bench-quick: rmmod after memset failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 7/7: memset done"
mkdir -p './results/bench/experiments/memset64/memset64/debian-6.12/loads'
insmod './build/clr/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of memset64 failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with memset64"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/experiments/memset64/memset64/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with memset64"
rmmod devns || { echo "# bench-quick: rmmod after memset64 failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 7/7: memset64 done"
