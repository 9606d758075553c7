set -u
cd './build'
rmmod devns 2>/dev/null || true
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 1/7: A done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/0.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 1/7: B done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 2/7: B done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/1.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 2/7: A done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 3/7: A done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/2.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 3/7: B done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 4/7: B done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/3.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 4/7: A done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 5/7: A done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/4.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 5/7: B done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 6/7: B done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/5.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 6/7: A done"
mkdir -p './results/bench/quick-aa/A/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of A failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/A/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with A"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/A/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with A"
rmmod devns || { echo "# bench-quick: rmmod after A failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 7/7: A done"
mkdir -p './results/bench/quick-aa/B/debian-6.12/loads'
insmod './build/aa/mods/debian-6.12/devns.ko'  || { echo "# bench-quick: insmod of B failed"; exit 3; }
bench/fb/switch --namespaces 2 --mappers 0,1 --samples 5 --warmup 1 --out './results/bench/quick-aa/B/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: switch failed with B"
bench/tty/tty --samples 5 --warmup 1 --bytes 16384 --trips 50 --out './results/bench/quick-aa/B/debian-6.12/loads/6.jsonl' >/dev/null 2>&1 || echo "# bench-quick: tty failed with B"
rmmod devns || { echo "# bench-quick: rmmod after B failed"; exit 3; }
echo "# bench-quick: debian-6.12 round 7/7: B done"
