#!/bin/bash
# test-tools.sh - unit tests of ktap-report and console-scan (ci/tools)
# against the recorded logs in ci/tests/fixtures, of the runner's death
# classification, the defect patches' tools and kcidb-report (results/tools,
# against ci/tests/kcidb-rules.jq). Builds the tools first.
#   ci/tests/test-tools.sh [--help]
# Env: BIN=dir of the tools (default build/bin; built there if missing).
# Ends with "N passed, N failed"; exit 1 on any failure.
set -euo pipefail

if [[ ${1:-} == --help || ${1:-} == -h ]]; then
	sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fx=$here/fixtures
BIN=${BIN:-$root/build/bin}
make -s -C "$root/ci/tools" BUILD="$BIN"
KR=$BIN/ktap-report
CS=$BIN/console-scan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"

# kr NAME FIXTURE WANT_RC "P passed, F failed, S skipped" [ktap-report args]
# Runs ktap-report and checks exit status, summary and --counts file.
kr() {
	local name=$1 fixture=$2 want_rc=$3 want_sum=$4 rc=0
	shift 4
	"$KR" --summary --counts "$tmp/counts" "$@" "$fx/$fixture" > "$tmp/out" || rc=$?
	expect "$name: exit status" "$want_rc" "$rc"
	expect "$name: summary" "$want_sum" "$(tail -n 1 "$tmp/out")"
	read -r p f s <<< "$(echo "$want_sum" | tr -dc '0-9 ' | tr -s ' ')"
	expect "$name: counts file" "passed $p failed $f skipped $s" \
		"$(tr '\n' ' ' < "$tmp/counts" | sed 's/ $//')"
}

# cs NAME FIXTURE WANT_RC WANT_SUMMARY: console-scan exit status + summary
cs() {
	local rc=0
	"$CS" "$fx/$2" > "$tmp/scan" || rc=$?
	expect "$1: exit status" "$3" "$rc"
	expect "$1: summary" "$4" "$(tail -n 1 "$tmp/scan" | sed 's/^console-scan: [^:]*: //')"
}

# taint N WANT_LETTER_LINE WANT_RC
taint() {
	local rc=0 out
	out=$("$CS" --taint "$1") || rc=$?
	expect "taint $1: letters" "$2" "${out%%$'\n'*}"
	expect "taint $1: exit status" "$3" "$rc"
}

echo "# ktap-report"
kr "flat harness 6.12 output" harness-6.12-flat.ktap 1 "4 passed, 2 failed, 4 skipped" --flat fb_demo
has_line "flat: assertion text is the FAIL reason" "$tmp/out" \
	'^FAIL  fb_demo: global\.bad \(t\.c:16:bad:Expected 1 \(1\) == 0 \(0\)\)$'
has_line "flat: harness timeout is a FAIL" "$tmp/out" '^FAIL  fb_demo: fb\.bpp32\.slow '
has_line "flat: XFAIL shown" "$tmp/out" '^XFAIL fb_demo: fb\.bpp32\.fails'
has_line "flat: SKIP with reason" "$tmp/out" '^SKIP  fb_demo: fb\.bpp16\.ok \(no 16bpp\)$'
kr "flat output read as a runner stream" harness-6.12-flat.ktap 1 "0 passed, 6 failed, 4 skipped"

kr "clean run" runner-clean.ktap 0 "5 passed, 0 failed, 2 skipped" \
	--json "$tmp/clean.json" --tsv "$tmp/clean.tsv" --kernel debian-6.12
has_line "clean: section label streamed" "$tmp/out" '^PASS  \[clean\] suite/pass.sh: pass.first$'
expect "clean: one TSV row per leaf" 7 "$(wc -l < "$tmp/clean.tsv")"
has_line "clean: TSV row format" "$tmp/clean.tsv" \
	$'^clean\tsuite/fb_demo\tfb.bpp16.ok\tSKIP\tno 16bpp$'
if python3 - "$tmp/clean.json" > "$tmp/json.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "devns-ktap-report/1" and d["kernel"] == "debian-6.12"
assert d["complete"] is True and d["totals"] == {"passed": 5, "failed": 0, "skipped": 2}
assert [p["name"] for p in d["programs"]] == ["suite/pass.sh", "suite/fb_demo"]
assert all(p["result"] == "PASS" and p["duration_s"] is not None for p in d["programs"])
assert len(d["programs"][1]["tests"]) == 4
PY
then ok "clean: JSON document"; else bad "clean: JSON document" "$(cat "$tmp/json.txt")"; fi

kr "timeout, crash mid-way, XPASS, failure" runner-mixed.ktap 1 "4 passed, 5 failed, 2 skipped" \
	--label ignored --json "$tmp/mixed.json"
has_line "mixed: hang is TIMEOUT" "$tmp/out" '^TIMEOUT \[mixed\] suite/hang.sh: timed out after 2s$'
has_line "mixed: hang's missing result is CRASH" "$tmp/out" '^CRASH \[mixed\] suite/hang.sh: missing 1 of 2 results$'
has_line "mixed: killed program is CRASH" "$tmp/out" '^CRASH \[mixed\] suite/crash_midway.sh: missing 2 of 3 results$'
has_line "mixed: XPASS reported" "$tmp/out" '^XPASS \[mixed\] suite/xpass_demo: a.one.passes'
if grep -q 'PASS  .*crash_midway.sh: crash.first' "$tmp/out" &&
	! grep -Eq '^PASS  .*crash_midway.sh: [^c]' "$tmp/out"; then
	ok "mixed: crashed program has no PASS but its one reported test"
else
	bad "mixed: crashed program has no PASS but its one reported test" "$(grep crash_midway "$tmp/out")"
fi
if python3 - "$tmp/mixed.json" > "$tmp/json.txt" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
r = {p["name"]: p["result"] for p in d["programs"]}
assert r == {"suite/pass.sh": "PASS", "suite/hang.sh": "TIMEOUT",
             "suite/crash_midway.sh": "CRASH", "suite/xpass_demo": "FAIL",
             "suite/fb_demo": "FAIL"}, r
PY
then ok "mixed: JSON program results"; else bad "mixed: JSON program results" "$(cat "$tmp/json.txt")"; fi

kr "taint W/D fails programs" runner-taint.ktap 1 "3 passed, 3 failed, 0 skipped"
has_line "taint: passing program with taint W" "$tmp/out" '^TAINT ci/tests/progs/set_taint_w.sh: taint gained W$'
has_line "taint: D and W after exit code" "$tmp/out" '^TAINT suites/core/devns_oops: taint gained DW$'
has_line "taint: timeout and taint together" "$tmp/out" '^TAINT suites/core/devns_slow_warn: taint gained W$'

kr "no plan / no output" runner-noplan.ktap 1 "1 passed, 2 failed, 0 skipped"
has_line "noplan: program died before its plan" "$tmp/out" '^CRASH \[noplan\] suites/core/dies_early: no plan$'
has_line "noplan: program never started" "$tmp/out" '^CRASH \[noplan\] suites/core/missing: no plan'

kr "sections with console noise, cut mid-document" stream-sections-noise.ktap 1 "5 passed, 5 failed, 1 skipped"
has_line "noise: first section label" "$tmp/out" '^PASS  \[reference\] suites/core/devns_core: core.identity$'
has_line "noise: second section label" "$tmp/out" '^FAIL  \[defect:no_perm_check\] suites/core/devns_core: core.privilege$'
has_line "noise: running program cut" "$tmp/out" '^CRASH \[defect:no_perm_check\] suites/core/devns_core: missing 2 of 4 results$'
has_line "noise: programs never run" "$tmp/out" '^CRASH \[defect:no_perm_check\] -: missing 2 of 3 results$'
kr "runner document without plan" runner-cut-noplan.ktap 1 "0 passed, 1 failed, 0 skipped"
kr "empty stream" empty.ktap 1 "0 passed, 1 failed, 0 skipped"

# Streaming: the first verdict must appear while the stream is still open.
mkfifo "$tmp/fifo"
"$KR" < "$tmp/fifo" > "$tmp/stream" &
krpid=$!
exec {w}> "$tmp/fifo"
printf 'KTAP version 1\n1..1\n  # Subtest: p\n  KTAP version 1\n  1..2\n  ok 1 early\n' >&"$w"
for _ in $(seq 50); do [[ -s $tmp/stream ]] && break; sleep 0.1; done
expect "streams a verdict before the stream ends" "PASS  p: early" "$(head -n 1 "$tmp/stream")"
printf '  ok 2 late\nok 1 p\n' >&"$w"
exec {w}>&-
rc=0; wait "$krpid" || rc=$?
expect "streamed run: exit status" 0 "$rc"

rc=0; "$KR" --bogus < /dev/null > /dev/null 2>&1 || rc=$?
expect "ktap-report: usage error exits 2" 2 "$rc"

echo "# console-scan"
cs "clean boot (benign WARNING/ODEBUG/sysrq trace)" console-clean.log 0 ""
cs "panic" console-panic.log 1 "2 problem line(s) (panic 2)"
cs "WARN splat" console-warn.log 1 "1 problem line(s) (warning 1)"
has_line "WARN: attributed to the running program" "$tmp/scan" \
	'^console-scan: warning: 4: \[suites/core/devns_lifecycle\] \[ +7\.300511\] WARNING: CPU: 1 '
cs "oops" console-oops.log 1 "2 problem line(s) (bug 1, oops 1)"
cs "lockdep splat" console-lockdep.log 1 "1 problem line(s) (lockdep 1)"
cs "RCU stall" console-rcu-stall.log 1 "3 problem line(s) (rcu-stall 3)"
cs "hung task and soft lockup" console-hung-task.log 1 "2 problem line(s) (hung-task 1, soft-lockup 1)"
cs "lone Call Trace and reboot" console-lone-trace.log 1 "2 problem line(s) (call-trace 1, reboot 1)"
rc=0; out=$("$CS" --quiet "$fx/console-warn.log") || rc=$?
expect "--quiet: no output" "" "$out"
expect "--quiet: exit status" 1 "$rc"
rc=0; "$CS" "$tmp/does-not-exist" 2> /dev/null || rc=$?
expect "missing file exits 2" 2 "$rc"
rc=0; "$CS" > /dev/null 2>&1 || rc=$?
expect "no argument exits 2" 2 "$rc"

taint 0 "taint 0: (not tainted)" 0
taint 4096 "taint 4096: O" 0
taint 12288 "taint 12288: OE" 0
taint 512 "taint 512: W" 1
taint 128 "taint 128: D" 1
taint 12928 "taint 12928: DWOE" 1
taint 262144 "taint 262144: N" 0
rc=0; "$CS" --taint 12x > /dev/null 2>&1 || rc=$?
expect "taint: bad number exits 2" 2 "$rc"

echo "# death causes (ci/vmlib/death.sh)"
# shellcheck source=ci/vmlib/death.sh
source "$here/../vmlib/death.sh"
expect "emulator_fault: impossible EFLAGS named" \
	"the emulator: a register dump with EFLAGS c1508022 (reserved bits set), which no x86 CPU produces (at 13.8 s)" \
	"$(emulator_fault "$fx/console-emulator-eflags.log")"
expect "emulator_fault: a real oops with sane EFLAGS is the kernel's" "" \
	"$(emulator_fault "$fx/console-int3-oops.log")"
expect "death_cause: the int3 oops" \
	"Oops: int3: 0000 [#1] PREEMPT SMP NOPTI, RIP __schedule+0x98/0xbf0; Kernel panic - not syncing: Fatal exception in interrupt (at 66.3 s)" \
	"$(death_cause "$fx/console-int3-oops.log")"

echo "# defect patches (reference-impl/defects)"
# A copy of the module's tree whose source moved under a patch: applying it
# fails and names it; the others still apply; a bad header is named too.
dtmp=$(mktemp -d)
cp -r reference-impl "$dtmp/ri"
rm -rf "$dtmp/ri/defects/"*.patch
cp reference-impl/defects/no_zap.patch reference-impl/defects/stale_proc.patch "$dtmp/ri/defects/"
sed -i 's/unmap_mapping_range(st->inode->i_mapping, 0, 0, 1);/unmap_mapping_range(st->inode->i_mapping, 0, 0, 0);/' "$dtmp/ri/devns_vfb.c"
rc=0
"$dtmp/ri/defects/apply" no_zap "$dtmp/out" 2>"$dtmp/err" || rc=$?
expect "apply: a patch that no longer applies fails" 1 "$rc"
has_line "apply: ... naming it" "$dtmp/err" 'defects/no_zap.patch does not apply'
rc=0
"$dtmp/ri/defects/apply" stale_proc "$dtmp/out" 2>"$dtmp/err" || rc=$?
expect "apply: the others still apply" 0 "$rc"
expect "apply: the copy has the defect (no active marker)" 0 "$(grep -c 'if (d->active)' "$dtmp/out/devns_proc.c")"
sed -i 's/^Requirements: DEVNS-13$/Requirements: devns-13/' "$dtmp/ri/defects/stale_proc.patch"
rc=0
"$dtmp/ri/defects/index" >/dev/null 2>"$dtmp/err" || rc=$?
expect "index: a malformed header fails" 1 "$rc"
has_line "index: ... naming the patch and the line" "$dtmp/err" '^defects/stale_proc.patch: bad Requirements: devns-13'
rm -rf "$dtmp"

echo "# kcidb-report (results/tools) against the KCIDB rules (ci/tests/kcidb-rules.jq)"
make -s -C "$root/results/tools" BUILD="$BIN"
KC=$BIN/kcidb-report
rules=$here/kcidb-rules.jq
commit=0123456789abcdef0123456789abcdef01234567
"$KC" --origin devns_test --checkout fx1 --commit $commit --describe v1-2-gabc --environment "QEMU 7.2 TCG" \
	"$fx/results-kcidb-6.1.tsv" "$fx/results-kcidb-6.12.tsv" >"$tmp/k.json"
expect "kcidb: the document keeps every rule checked" "" "$(jq -r -f "$rules" "$tmp/k.json")"
expect "kcidb: one build per kernel, under the checkout" \
	"devns_test:fx1-debian-6.1@devns_test:fx1 devns_test:fx1-debian-6.12@devns_test:fx1" \
	"$(jq -r '[.builds[] | .id + "@" + .checkout_id] | join(" ")' "$tmp/k.json")"
kt() { jq -r --arg p "$1" --arg b "$2" '.tests[] | select(.path == $p and (.build_id | endswith($b))) |
	[.status, (.misc.result // "-"), (.comment // "-")] | join("|")' "$tmp/k.json" | head -n 1; }
expect "kcidb: PASS" "PASS|-|-" "$(kt devns.vfb.abi.vfb.native.info -6.1)"
expect "kcidb: FAIL with its reason, a space in the name made '_'" \
	"FAIL|-|vfb/abi.c:12:bad: Expected 0 (0) == ret (-22)" "$(kt devns.vfb.abi.vfb.fg.bad_ioctl -6.1)"
expect "kcidb: SKIP with its reason" "SKIP|-|no panel" "$(kt devns.vfb.abi.vfb.bg.poll -6.1)"
expect "kcidb: XFAIL is PASS, saying so" "PASS|XFAIL|documented deviation" "$(kt devns.vfb.clients.client.passive.fbset -6.1)"
expect "kcidb: TIMEOUT is FAIL, saying so" "FAIL|TIMEOUT|timeout after 30 s" "$(kt devns.vtty.races.race.one -6.1)"
expect "kcidb: TAINT is FAIL, saying so" "FAIL|TAINT|taint W" "$(kt devns.fuzz.trinity.trinity.on_the_device_nodes -6.1)"
expect "kcidb: CRASH is ERROR, saying so" "ERROR|CRASH|no plan" "$(kt devns.vtty.races -6.1)"
expect "kcidb: XPASS is FAIL, saying so" "FAIL|XPASS|stale expectation" "$(kt devns.vfb.abi.vfb.native.info -6.12)"
expect "kcidb: a program's summary is its worst status" \
	"FAIL PASS" "$(jq -r '[.tests[] | select(.path == "devns.vfb.abi" or .path == "devns.vfb.clients") |
	select(.build_id | endswith("-6.1")) | .status] | join(" ")' "$tmp/k.json")"
expect "kcidb: a build's summary (devns) is its worst status" "FAIL FAIL" \
	"$(jq -r '[.tests[] | select(.path == "devns") | .status] | join(" ")' "$tmp/k.json")"
expect "kcidb: the checkout names the commit" "$commit v1-2-gabc" \
	"$(jq -r '.checkouts[0] | .git_commit_hash + " " + .git_commit_name' "$tmp/k.json")"
jq '.tests[3].path = "a..b" | .tests[4].build_id = "x:y" | .checkouts[0].valid = null | .builds[0].status = "OK"' \
	"$tmp/k.json" >"$tmp/bad.json"
expect "kcidb rules: a null, a bad path, a test without its build and an unknown status are found" 4 \
	"$(jq -r -f "$rules" "$tmp/bad.json" | wc -l)"
rc=0
"$KC" --origin Devns --checkout x "$fx/results-kcidb-6.1.tsv" >/dev/null 2>&1 || rc=$?
expect "kcidb-report: a bad origin is a usage error" 2 "$rc"
rc=0
"$KC" --origin o --checkout x --commit abc "$fx/results-kcidb-6.1.tsv" >/dev/null 2>"$tmp/err" || rc=$?
expect "kcidb-report: a bad commit is a usage error" 2 "$rc"
has_line "kcidb-report: ... saying why" "$tmp/err" 'not 40 hex digits'

echo "# compare-report (results/tools): configurations side by side (make compare)"
CR=$BIN/compare-report
cf=$fx/compare
"$CR" --map "$cf/reqmap.tsv" --md "$tmp/c.md" --json "$tmp/c.json" \
	copy="$cf/copy" zerocopy="$cf/zerocopy" >"$tmp/c.out"
expect "compare: counts per configuration" "copy 8 1 1 3 2 1 0|zerocopy 4 1 1 3 2 1 0" \
	"$(jq -r '[.configurations[] | [.name, .passed, .failed, .skipped, .requirements.met,
	.requirements.not_met, .requirements.skipped, .requirements.not_run] | join(" ")] | join("|")' "$tmp/c.json")"
expect "compare: 6 tests differ (4 only in one configuration)" 6 "$(jq '.differences | length' "$tmp/c.json")"
expect "compare: only the tests whose verdicts differ, a missing one as null" \
	"debian-6.1 vtty/attach - CRASH null|debian-6.12 vfb/switch switch.b PASS FAIL|debian-6.12 vtty/attach vt.f PASS XFAIL" \
	"$(jq -r '[.differences[] | select(.kernel == "debian-6.12" or .test == "-") |
	[.kernel, .program, .test, (.verdicts.copy // "null"), (.verdicts.zerocopy // "null")] | join(" ")] |
	join("|")' "$tmp/c.json")"
expect "compare: a failure on one kernel makes its requirements not met; a crash, all of its program's" \
	"DMG-1 met met|DMG-2 skipped skipped|VFB-12 met not met|VFB-13 met not met|VTTY-2 not met met|VTTY-3 not met met" \
	"$(jq -r '.requirements | to_entries | map(.key + " " + .value.copy + " " + .value.zerocopy) | join("|")' "$tmp/c.json")"
has_line "compare: the summary names the requirements that differ, not the others" "$tmp/c.out" '^\| VFB-13 \| met \| not met \|$'
expect "compare: ... and leaves the same ones out" 0 "$(grep -c '^| DMG-1 ' "$tmp/c.out")"
has_line "compare: the markdown report lists every requirement, marking those that differ" "$tmp/c.md" '^\| VTTY-3 \* \| not met \| met \|$'
sf=$fx/soak
mkdir -p "$tmp/exp"
"$CR" --map "$sf/reqmap.tsv" --expectations "$tmp/exp" --prefix ref --label abc123 \
	run-1="$sf/run-1" run-2="$sf/run-2" run-3="$sf/run-3" >"$tmp/s.out"
expect "soak: failed in every run that ran it: fails.txt, drm-ci's statuses" \
	"vfb/a:t.broken,Fail|vtty/b:t.slow,Timeout" "$(paste -sd'|' "$tmp/exp/ref-debian-6.12-fails.txt")"
expect "soak: failed in some runs (a crash too): flakes.txt, rate and first seen, escaped regex" \
	'# Failure rate: 1/3|# First seen: debian-6.12 abc123|^vfb/a:t\.flaky$|# Failure rate: 1/3|# First seen: debian-6.12 abc123|^vtty/b:-$' \
	"$(paste -sd'|' "$tmp/exp/ref-debian-6.12-flakes.txt")"
has_line "soak: the summary counts them" "$tmp/s.out" 'ref-debian-6.12-flakes.txt: 2 flaky$'
# ci/expectations reads what soak wrote: check, compare and gate judge with it.
expect "expectations: run 2's failures are all known (fails and flakes lists)" \
	"vfb/a:t.flaky FAIL flakes|vfb/a:t.broken FAIL fails|vtty/b:- CRASH flakes" \
	"$(ci/expectations known "$tmp/exp" ref debian-6.12 "$sf/run-2/debian-6.12/results.tsv" | tr '\t' ' ' | paste -sd'|')"
sed 's/\tt\.broken\tFAIL\t.*/\tt.broken\tPASS\t-/; s/\tt\.ok\tPASS/\tt.ok\tFAIL/' "$sf/run-1/debian-6.12/results.tsv" >"$tmp/fixed.tsv"
expect "expectations: a new failure is not known, a listed one that passed is stale" \
	"vtty/b:t.slow TIMEOUT fails||vfb/a:t.broken PASS" \
	"$(ci/expectations known "$tmp/exp" ref debian-6.12 "$tmp/fixed.tsv" | tr '\t' ' ' | paste -sd'|')||$(ci/expectations stale "$tmp/exp" ref debian-6.12 "$tmp/fixed.tsv" | tr '\t' ' ')"
expect "expectations: no files, nothing known" "" "$(ci/expectations known "$tmp/none" ref debian-6.12 "$sf/run-2/debian-6.12/results.tsv")"
rc=0
"$CR" --map "$cf/reqmap.tsv" copy="$cf/nonexistent" >/dev/null 2>"$tmp/err" || rc=$?
expect "compare: a configuration without results fails" 2 "$rc"
rc=0
"$CR" --map "$cf/reqmap.tsv" "$cf/copy" >/dev/null 2>&1 || rc=$?
expect "compare: an argument that is not NAME=DIR is a usage error" 2 "$rc"

finish
