#!/bin/bash
# test-ksft.sh - the kselftest tarball (ci/ksft) runs unchanged with the
# kernel's own run_kselftest.sh in ONE guest, and the LAVA definition names
# what the tarball holds.
#   ci/tests/test-ksft.sh [--kernel debian-6.12] [--out DIR] [--help]
# Cases: the tarball is flat and lists only programs it holds, with the
# module for the kernel; in the guest, no module loaded: collection
# devns/devns passes (its programs load devns.ko themselves), `-t
# devns/vfb:abi` runs one program, and with a module built for another
# kernel the program exits 4 before its harness starts and the runner says
# SKIP; every TAP document's plan matches its results; the LAVA names are
# unique; ci/lava/devns-kselftest.yaml parses, names its script and only
# collections the tarball has. Ends with "N passed, N failed, N skipped".
set -euo pipefail

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"
kernel=debian-6.12
guest_test_args 14 "$@"

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${out:-$root/build/test-ksft}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
case $kernel in debian-6.1) other=debian-6.12 ;; *) other=debian-6.1 ;; esac
eval "$(ci/kernels resolve "$kernel")"

tarball=$out/devns-kselftest-$kernel.tar.gz
ci/ksft --kernel "$kernel" --tar "$tarball" --timeout-scale 10 >"$out/ksft.log" 2>&1 ||
	{ bad "ci/ksft builds the tarball" "$(tail -n 3 "$out/ksft.log")"; finish; }
ok "ci/ksft builds the tarball"
tar -tzf "$tarball" >"$out/tar-list.txt"
has_line "flat: ./run_kselftest.sh at the root" "$out/tar-list.txt" '^\./run_kselftest\.sh$'
inst=$out/install
mkdir -p "$inst"
tar -xzf "$tarball" -C "$inst"
missing=$(while IFS=: read -r c p; do [[ -x $inst/$c/$p ]] || echo "$c:$p"; done <"$inst/kselftest-list.txt")
expect "every listed program is in the tarball" "" "$missing"
expect "the module is built for $KERNEL_RELEASE" "$KERNEL_RELEASE" \
	"$(modinfo -F vermagic "$inst/devns/modules/devns.ko" | cut -d' ' -f1)"
has_line "settings are scaled" "$inst/devns/vfb/settings" '^timeout=450$'
eval "$(ci/kernels resolve "$other")"
other_ko=$root/build/$other/module/devns.ko
[[ -f $other_ko ]] || { bad "a module of $other to refuse" "$other_ko missing (make build)"; finish; }

# The guest: the runner as a lab would call it, piped.
cat >"$out/guest.sh" <<EOT
set -u
cd '$inst'
echo '=== collection'
./run_kselftest.sh -c devns/devns | cat
echo '=== one program'
./run_kselftest.sh -t devns/vfb:abi | cat
rmmod devns
cp '$other_ko' devns/modules/devns.ko
echo '=== wrong module'
./run_kselftest.sh -t devns/vfb:abi | cat
lsmod | grep -q '^devns ' && echo 'devns is loaded' || echo 'devns is not loaded'
EOT
rc=0
ci/vm --no-module --kernel "$kernel" --console "$out/console.log" -- bash "$out/guest.sh" \
	>"$out/guest.log" 2>"$out/vm.log" || rc=$?
expect "the guest ran to its end" 0 "$rc"
part() { awk -v p="=== $1" '/^=== / { on = ($0 == p); next } on' "$out/guest.log" >"$out/$2.log"; }
part collection collection
part "one program" one
part "wrong module" wrong

# tap_ok LOG: every "TAP version 13" document has a plan and as many results.
tap_ok() {
	awk '
		/^TAP version 13$/ { if (doc && plan != got) bad = 1; doc++; plan = -1; got = 0; next }
		/^1\.\.[0-9]+$/ && doc { plan = substr($0, 4) + 0; next }
		/^(not )?ok [0-9]+ selftests: / { got++ }
		END { if (doc && plan != got) bad = 1; exit !(doc && !bad) }' "$1"
}
n_devns=$(grep -c '^devns/devns:' "$inst/kselftest-list.txt")
if tap_ok "$out/collection.log"; then ok "collection: TAP plan matches its results"; else bad "collection: TAP plan matches its results" "$out/collection.log"; fi
expect "collection: every devns/devns program passed" "$n_devns" "$(grep -cE '^ok [0-9]+ selftests: devns/devns: [a-z]+$' "$out/collection.log" || true)"
has_line "collection: the nested results are there" "$out/collection.log" '^# ok [0-9]+ ctl\.exactly_one_active$'
expect "one program: -t devns/vfb:abi ran only it" "ok 1 selftests: devns/vfb: abi" \
	"$(grep -E '^(not )?ok [0-9]+ selftests:' "$out/one.log" | tr -d '\r')"
if tap_ok "$out/wrong.log"; then ok "wrong module: TAP plan matches its results"; else bad "wrong module: TAP plan matches its results" "$out/wrong.log"; fi
has_line "wrong module: the runner reports SKIP" "$out/wrong.log" '^ok 1 selftests: devns/vfb: abi # SKIP$'
has_line "wrong module: the program says why, before its harness" "$out/wrong.log" \
	'^# 1\.\.0 # SKIP devns: cannot load the module \(DEVNS_MODULE\): '
if grep -q 'Starting' "$out/wrong.log"; then bad "wrong module: no harness output" "$(grep Starting "$out/wrong.log")"; else ok "wrong module: no harness output"; fi
has_line "wrong module: nothing was loaded" "$out/guest.log" '^devns is not loaded$'

# LAVA: names from the logs, and the definition.
ci/lava/devns-kselftest.sh -r "$out/collection.log" -o "$out/lava" >"$out/lava.log" 2>&1 ||
	bad "the LAVA script parses the log" "$(cat "$out/lava.log")"
expect "LAVA: one result per program and per test, all pass" \
	"$(($(grep -c '^# ok [0-9]' "$out/collection.log") + n_devns)) 0" \
	"$(wc -l <"$out/lava/result.txt") $(grep -vc ' pass$' "$out/lava/result.txt" || true)"
expect "LAVA: names are unique" "" "$(cut -d' ' -f1 "$out/lava/result.txt" | sort | uniq -d)"
yaml=ci/lava/devns-kselftest.yaml
if python3 - "$yaml" "$inst/kselftest-list.txt" >"$out/yaml.log" 2>&1 <<'EOF'
import os, re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["metadata"]["format"] == "Lava-Test Test Definition 1.0", "metadata.format"
assert d["metadata"]["name"], "metadata.name"
steps = d["run"]["steps"]
assert steps and all(isinstance(s, str) for s in steps), "run.steps"
script = steps[0].split()[0]
assert os.access(script, os.X_OK), "the step's script %s is executable" % script
have = {l.split(":")[0] for l in open(sys.argv[2])}
for c in d["params"]["TST_CMDFILES"].split():
    assert c in have, "collection %s is in the tarball" % c
for m in re.findall(r"\$\{(\w+)\}", " ".join(steps)):
    assert m in d["params"], "parameter %s is declared" % m
print("yaml ok")
EOF
then ok "LAVA: the definition parses and names what exists"; else bad "LAVA: the definition parses and names what exists" "$(cat "$out/yaml.log")"; fi
finish
