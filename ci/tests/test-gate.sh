#!/bin/bash
# test-gate.sh - ci/gate on three synthetic series of the reference module (a
# git repository built here from reference-impl/ and include/):
#   regress  base, a comment, a commit that adds the defect no_flags_check
#            (DEVNS-4: the activate ioctl accepts unknown flags), a commit that
#            waits 5 ms in every framebuffer switch, another comment: gate must
#            exit 1, name the defect's commit as the first bad commit of the
#            tests that fail (found by git bisect run: --bisect-above 2; the
#            linear scan of short series is the same code without bisect's
#            choice of probes) and no other commit, the slow commit as the
#            first bad commit of the switch latency (and no other), and call
#            no terminal metric slower
#   null     base and two commits that change only comments: gate must exit
#            0 and report no failure and no slower metric
#   broken   base, a commit that does not build, its fix: gate must exit 1 and
#            name the commit that does not build (a series must bisect)
#   kernel   --kind kernel without building one (a first build is 10 minutes:
#            README shows a real run): a tree that is not a kernel tree and a
#            missing --config are usage errors; ci/kernels resolves a kernel
#            registered in $DEVNS_KERNELS (what gate does per commit) and
#            refuses a name that is not there
#   ci/tests/test-gate.sh [--kernel debian-6.12] [--out DIR] [--help]
# One kernel, the devns suite; the gate runs' folders are DIR/regress,
# DIR/null and DIR/broken. Ends with "N passed, N failed, N skipped".
set -euo pipefail

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"
kernel=debian-6.12
guest_test_args 24 "$@"

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${out:-$root/build/test-gate}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"

# A repository holding the module as this checkout has it.
tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree"
git ls-files -z reference-impl include | tar -c --null -T - | tar -x -C "$tree"
git -C "$tree" init -q
git -C "$tree" config user.name "gate test"
git -C "$tree" config user.email "gate-test@devns-suite.invalid"
commit() {
	git -C "$tree" add -A &&
		git -C "$tree" commit -q -s -m "$1" -m "A commit of the synthetic series of ci/tests/test-gate.sh." &&
		git -C "$tree" rev-parse --short=12 HEAD
}
comment() { printf '/* %s */\n' "$1" >>"$tree/reference-impl/devns_main.c"; }

base=$(commit "devns: the module as devns-suite has it")
comment "a comment"
commit "devns: a comment" >/dev/null
patch -s -p1 -d "$tree/reference-impl" <reference-impl/defects/no_flags_check.patch
c_defect=$(commit "devns: accept every flag of DEVNS_IOC_ACTIVATE")
# The slowdown: a 5 ms sleep in every switch to a namespace's framebuffer.
vfb=$tree/reference-impl/devns_vfb.c
awk '
	/^#include <linux\/bitmap.h>/ { print; print "#include <linux/delay.h>"; next }
	/^static void devns_vfb_switch_states\(/ { in_act = 1 }
	in_act && /devns_vfb_switch_lock\(\);/ { print; print "\tusleep_range(5000, 6000);"; in_act = 0; next }
	{ print }' "$vfb" >"$vfb.new"
mv "$vfb.new" "$vfb"
grep -q 'usleep_range(5000, 6000);' "$vfb" || { bad "the slowdown commit" "devns_vfb_switch_states() not found in $vfb"; finish; }
c_slow=$(commit "vfb: let the panel settle before a switch")
comment "another comment"
c_last=$(commit "devns: another comment")

# regress
rc=0
ci/gate --tree "$tree/reference-impl" --base "$base" --head "$c_last" --kernels "$kernel" \
	--suites devns --bisect-above 2 --kcidb "$out/regress/kcidb.json" --out "$out/regress" >"$out/regress.log" 2>&1 || rc=$?
expect "regress: gate exits 1 (a regression)" 1 "$rc"
r=$out/regress
if [[ -s $r/first-bad.tsv ]]; then
	expect "regress: every failing test's first bad commit is the defect's ($c_defect)" \
		"$c_defect" "$(cut -f4 "$r/first-bad.tsv" | sort -u | tr '\n' ' ' | sed 's/ $//')"
	has_line "regress: the einval test is among them" "$r/first-bad.tsv" 'ctl\.einval_bad_arguments'
	has_line "regress: git bisect run found it" "$out/regress.log" "git bisect: first bad commit $c_defect after [0-9]+ probes"
else
	bad "regress: a first bad commit for the failing tests" "$r/first-bad.tsv is empty (see $out/regress.log)"
fi
if [[ -s $r/bench-regressions.tsv ]]; then
	expect "regress: every slower metric's first bad commit is the slow one ($c_slow)" \
		"$c_slow" "$(cut -f2 "$r/bench-regressions.tsv" | sort -u | tr '\n' ' ' | sed 's/ $//')"
	has_line "regress: the switch latency is slower" "$r/bench-regressions.tsv" '^[^	]*switch_latency/vfb'
	if grep -q 'tty_' "$r/bench-regressions.tsv"; then
		bad "regress: no terminal metric is called slower" "$(grep tty_ "$r/bench-regressions.tsv")"
	else
		ok "regress: no terminal metric is called slower"
	fi
else
	bad "regress: a slower metric" "$r/bench-regressions.tsv is empty (see $out/regress.log)"
fi
named=$(grep -oE '^  Fixes: [0-9a-f]{12}|first bad commit: [0-9a-f]{12}' "$r/report.txt" | grep -oE '[0-9a-f]{12}$' | sort -u | tr '\n' ' ')
expect "regress: the report names exactly the two bad commits" \
	"$(printf '%s\n' "$c_defect" "$c_slow" | sort | tr '\n' ' ')" "$named"
has_line "regress: the report says how to reproduce" "$r/report.txt" '^reproduce: ci/gate '
if jq -e '.regression and (.commits | length) == 5' "$r/gate.json" >/dev/null 2>&1; then
	ok "regress: gate.json has the verdict and the 5 commits"
else
	bad "regress: gate.json has the verdict and the 5 commits" "$r/gate.json"
fi

violations=$(jq -r -f ci/tests/kcidb-rules.jq "$r/kcidb.json" 2>&1) || violations="jq failed: $violations"
expect "regress: the KCIDB document keeps the rules of kcidb-rules.jq" "" "$violations"
expect "regress: KCIDB checkouts are the base and head commits" \
	"$(git -C "$tree" rev-parse "$base" "$c_last" | sort | tr '\n' ' ')" \
	"$(jq -r '.checkouts[].git_commit_hash' "$r/kcidb.json" 2>/dev/null | sort | tr '\n' ' ')"
expect "regress: KCIDB has the profile's switch latency as DONE with a number" "2" \
	"$(jq '[.tests[] | select(.status == "DONE" and (.path | startswith("devns_bench.switch_latency.vfb.")) and .number.value > 0)] | length / 2' "$r/kcidb.json" 2>/dev/null)"

# null: a series of comments on top of the same base
git -C "$tree" checkout -q -b null "$base"
comment "a third comment"
commit "devns: a third comment" >/dev/null
comment "a fourth comment"
n2=$(commit "devns: a fourth comment")
rc=0
ci/gate --tree "$tree/reference-impl" --base "$base" --head "$n2" --kernels "$kernel" \
	--suites devns --no-sparse --out "$out/null" >"$out/null.log" 2>&1 || rc=$?
expect "null: gate exits 0 (nothing to report)" 0 "$rc"
expect "null: no new failure" 0 "$(wc -l <"$out/null/candidates.tsv")"
expect "null: no slower metric" 0 "$(wc -l <"$out/null/bench-regressions.tsv")"
has_line "null: the report says clean" "$out/null/report.txt" '^verdict: clean'
# broken: a commit that does not build, then its fix; the endpoints build
git -C "$tree" checkout -q -b broken "$base"
printf 'this is not C;\n' >>"$tree/reference-impl/devns_main.c"
c_broken=$(commit "devns: a commit that does not build")
git -C "$tree" show "$base:reference-impl/devns_main.c" >"$tree/reference-impl/devns_main.c"
c_fixed=$(commit "devns: build again")
rc=0
ci/gate --tree "$tree/reference-impl" --base "$base" --head "$c_fixed" --kernels "$kernel" \
	--suites devns --no-bench --no-sparse --out "$out/broken" >"$out/broken.log" 2>&1 || rc=$?
expect "broken: gate exits 1 (a commit of the series does not build)" 1 "$rc"
has_line "broken: the report names it" "$out/broken/report.txt" "^  DOES NOT BUILD: $c_broken \$"
expect "broken: no new failure between the endpoints" 0 "$(wc -l <"$out/broken/candidates.tsv")"

# kernel
rc=0
ci/gate --kind kernel --tree "$tree/reference-impl" --base "$base" --head "$c_fixed" --out "$out/kernel" \
	>"$out/kernel.log" 2>&1 || rc=$?
expect "kernel: a module's tree is not a kernel tree: usage error" 2 "$rc"
has_line "kernel: ... and gate says so" "$out/kernel.log" 'is not a kernel tree'
rc=0
ci/gate --kind kernel --config "$out/no-such.config" --tree "$tree" --base "$base" --head "$c_fixed" \
	--out "$out/kernel" >"$out/kernel.log" 2>&1 || rc=$?
expect "kernel: a missing --config: usage error" 2 "$rc"
eval "$(ci/kernels resolve "$kernel")"
mkdir -p "$out/kernels/gate-0123456789ab"
ln -sf "$KERNEL_IMAGE" "$out/kernels/gate-0123456789ab/bzImage"
echo "$KERNEL_RELEASE" >"$out/kernels/gate-0123456789ab/release"
expect "kernel: ci/kernels resolves a registered kernel" \
	"$out/kernels/gate-0123456789ab/bzImage $KERNEL_RELEASE" \
	"$(eval "$(DEVNS_KERNELS=$out/kernels ci/kernels resolve gate-0123456789ab)"; echo "$KERNEL_IMAGE $KERNEL_RELEASE")"
rc=0
DEVNS_KERNELS=$out/kernels ci/kernels resolve gate-ba9876543210 >/dev/null 2>&1 || rc=$?
expect "kernel: ... and refuses one that is not there" 2 "$rc"
echo "# reports: $out/regress/report.txt, $out/null/report.txt, $out/broken/report.txt"
finish
