#!/bin/bash
# test-runner.sh - end-to-end self-test of the guest runner: boots ONE guest
# with ci/vm, runs ci/guest/run-tests on the misbehaving programs of
# ci/tests/progs, and checks what ktap-report and console-scan make of it.
#   ci/tests/test-runner.sh [--kernel debian-6.1|debian-6.12] [--out DIR] [--help]
# Env: TEST_RUNNER_VM=path runs another runner than ci/vm (development only).
# Output files in DIR (default results/runs/<date>-<pid>-test-runner-<kernel>):
# stream.ktap, console.log, vm.stderr, report.txt, results.tsv, results.json,
# scan.txt. Ends with "N passed, N failed".
#
# ci/vm exit status: run-tests exits 1 here (programs fail on purpose), and
# ci/vm turns that into 255 because set_taint_w.sh adds taint W and
# fake_warn.sh puts a WARNING: line on the console; a panic, hang or timeout
# would also give 255. They are told apart by evidence, not by the status:
# 255 is accepted only if the KTAP stream is complete (every program has its
# result line), ci/vm's stderr reports no timeout, QEMU failure or missing
# exit status (the guest finished its command), and console-scan finds
# exactly one badness line, the fake WARNING. Any other status fails.
set -euo pipefail

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"
kernel=debian-6.12
guest_test_args 18 "$@"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=$root/build/bin
out=${out:-$root/results/runs/$(date +%Y%m%d-%H%M%S)-$$-test-runner-$kernel}
progs=ci/tests/progs
limit=$(sed -n 's/^timeout=//p' "$root/$progs/settings")

vm=${TEST_RUNNER_VM:-$root/ci/vm}
if [[ ! -x $vm ]]; then
	bad "ci/vm exists" "$vm is missing or not executable"
	finish
fi
make -s -C "$root/ci/tools" BUILD="$BIN"
mkdir -p "$out"
cd "$root"

echo "# booting $kernel (TCG, about 10-30 s) ..."
start=$SECONDS
vm_rc=0
"$vm" --kernel "$kernel" --no-module --timeout 300 \
	--console "$out/console.log" -- \
	"$root/ci/guest/run-tests" --scale 1 --label runner-selftest \
	"$progs/pass.sh" "$progs/hang.sh" "$progs/set_taint_w.sh" \
	"$progs/fake_warn.sh" "$progs/crash_midway.sh" 2> "$out/vm.stderr" \
	| tee "$out/stream.ktap" | sed 's/^/  | /' || vm_rc=${PIPESTATUS[0]}
sed 's/^/  vm: /' "$out/vm.stderr"
echo "# ci/vm exited $vm_rc after $((SECONDS - start)) s"

report_rc=0
"$BIN/ktap-report" --summary --kernel "$kernel" --tsv "$out/results.tsv" \
	--json "$out/results.json" "$out/stream.ktap" > "$out/report.txt" ||
	report_rc=$?
sed 's/^/  > /' "$out/report.txt"
scan_rc=0
"$BIN/console-scan" "$out/console.log" > "$out/scan.txt" 2>&1 || scan_rc=$?
sed 's/^/  ! /' "$out/scan.txt"

# row PROGRAM TEST RESULT: the reason of that TSV row, "(no such row)" if none
row() {
	awk -F '\t' -v p="$progs/$1" -v t="$2" -v r="$3" \
		'$2 == p && $3 == t && $4 == r { print $5; found = 1; exit }
		END { if (!found) print "(no such row)" }' "$out/results.tsv"
}
# program_field PROGRAM FIELD: a field of the program's JSON object
program_field() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(next((p[sys.argv[3]] for p in d["programs"] if p["name"] == sys.argv[2]), "(none)"))' \
		"$out/results.json" "$progs/$1" "$2"
}

if grep -q '^CRASH .* -: ' "$out/report.txt"; then
	bad "runner document complete (guest neither panicked nor hung)" \
		"$(grep '^CRASH .* -: ' "$out/report.txt")"
else
	ok "runner document complete (guest neither panicked nor hung)"
fi
complete=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["complete"])' \
	"$out/results.json")
expect "every program has its result line" 5 "$(grep -Ec '^(not )?ok [0-9]+ ' "$out/stream.ktap")"
expect "ktap-report: exact counts" "6 passed, 4 failed, 1 skipped" "$(tail -n 1 "$out/report.txt")"
expect "ktap-report: exit status 1" 1 "$report_rc"
expect "ktap-report: JSON marks the crashed document incomplete" False "$complete"

expect "pass.sh: its tests pass" "- -" "$(row pass.sh pass.first PASS) $(row pass.sh pass.second PASS)"
expect "pass.sh: program result" PASS "$(program_field pass.sh result)"

expect "hang.sh: reported TIMEOUT" "timed out after ${limit}s" "$(row hang.sh - TIMEOUT)"
dur=$(program_field hang.sh duration_s)
if [[ $dur =~ ^[0-9.]+$ ]] &&
	awk -v d="$dur" -v l="$limit" 'BEGIN { exit !(d >= l && d < l + 5) }'; then
	ok "hang.sh: killed within its ${limit} s limit (took $dur s)"
else
	bad "hang.sh: killed within its ${limit} s limit" "took $dur s"
fi

expect "set_taint_w.sh: fails with taint W" "taint gained W" "$(row set_taint_w.sh - TAINT)"
expect "set_taint_w.sh: its own test passed" "-" "$(row set_taint_w.sh taint.set_w PASS)"

expect "crash_midway.sh: program is CRASH" CRASH "$(program_field crash_midway.sh result)"
expect "crash_midway.sh: missing results are CRASH" "missing 2 of 3 results" \
	"$(row crash_midway.sh - CRASH)"
expect "crash_midway.sh: no PASS except its one reported test" crash.first \
	"$(awk -F '\t' -v p="$progs/crash_midway.sh" '$2 == p && $4 == "PASS" { print $3 }' "$out/results.tsv")"

expect "console: kmsg marker written before each program" 5 \
	"$(grep -c 'devns-suite: running ' "$out/console.log" || true)"
expect "console-scan flags the console" 1 "$scan_rc"
if grep -q "^console-scan: warning: [0-9]*: \[$progs/fake_warn.sh\] .*WARNING: CPU: 0 PID: 1 at fake" "$out/scan.txt"; then
	ok "console-scan: the fake WARN, attributed to fake_warn.sh"
else
	bad "console-scan: the fake WARN, attributed to fake_warn.sh" "$(head -n 3 "$out/scan.txt")"
fi
expect "console-scan: no other badness (no real oops/WARN)" "1 problem line(s) (warning 1)" \
	"$(tail -n 1 "$out/scan.txt" | sed 's/^console-scan: [^:]*: //')"

case "$vm_rc" in
1) ok "ci/vm exit status: 1 (run-tests failed)" ;;
255)
	why=""
	if grep -q '^CRASH .* -: ' "$out/report.txt"; then why+="KTAP stream incomplete; "; fi
	if grep -Eq 'TIMEOUT|QEMU exited|wrote no exit status|FATAL' "$out/vm.stderr"; then
		why+="ci/vm reports a guest failure; "
	fi
	if [[ $(tail -n 1 "$out/scan.txt") != *": 1 problem line(s) (warning 1)" ]]; then
		why+="console badness other than the fake WARN; "
	fi
	if [[ -z $why ]]; then
		ok "ci/vm exit status 255 explained by the intended taint W and fake WARN"
	else
		bad "ci/vm exit status 255 explained by the intended taint W and fake WARN" "$why"
	fi ;;
*) bad "ci/vm exit status" "want 1 or 255 (see --help), got $vm_rc" ;;
esac
finish
