#!/bin/bash
# test-bench.sh - unit tests of bench-report and bench-compare (results/tools)
# on the synthetic raw runs in ci/tests/fixtures/bench (copied to a temp dir).
#   ci/tests/test-bench.sh [--help]
# Env: BIN=dir of the tools (default build/bin; built there if missing).
# Ends with "N passed, N failed"; exit 1 on any failure.
set -euo pipefail

if [[ ${1:-} == --help || ${1:-} == -h ]]; then
	sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BIN=${BIN:-$root/build/bin}
make -s -C "$root/results/tools" BUILD="$BIN"
BR=$BIN/bench-report
BC=$BIN/bench-compare
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$here/fixtures/bench/." "$tmp/"

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"

# jq-free JSON checks: python3 -c CODE FILE (CODE sees d = the document)
pyjson() {
	python3 -c "import json, sys; d = json.load(open(sys.argv[1])); $2" "$1" 2>&1
}

echo "# bench-report"
rc=0
"$BR" "$tmp/run" > "$tmp/summary" 2> "$tmp/err" || rc=$?
expect "report: exit status" 0 "$rc"
has_line "summary: ratio that meets" "$tmp/summary" '^debian-6\.12 +fg/panel mmap-memcpy +1\.01 +\[0\.98, 1\.01\] +>= 0\.97 +yes$'
has_line "summary: ratio that does not" "$tmp/summary" '^debian-6\.12 +fg/panel write +0\.8 .* NO$'
has_line "summary: missing ratio is not measured" "$tmp/summary" '^debian-6\.12 +bg/panel write +- +- +>= 0\.95 +not measured$'
has_line "summary: second kernel" "$tmp/summary" '^debian-6\.1 +tty vtty/pty throughput +0\.95 '
has_line "summary: report path" "$tmp/summary" "^report: $tmp/run/report.md$"
expect "bench.json: schema, runs, merged samples, known median" "ok" "$(pyjson "$tmp/run/bench.json" '
assert d["schema"] == "devns-bench/1"
assert [r["kernel"] for r in d["runs"]] == ["debian-6.1", "debian-6.12"]
r = {(x["kernel"], x["key"]): x for x in d["results"]}
fg = r[("debian-6.12", "blit/vfb-fg{\"height\":480,\"method\":\"mmap-memcpy\",\"region\":\"full\",\"width\":640}")]
assert fg["n"] == 5 and fg["median"] == 100 and fg["p50"] == 100, fg
assert fg["ci95"][0] <= 100 <= fg["ci95"][1] and fg["ci95"][0] >= 98 and fg["ci95"][1] <= 102
sw = r[("debian-6.12", "switch_latency/copy{\"height\":1080,\"mappers\":0,\"namespaces\":2,\"width\":1920}")]
assert sw["median"] == 12 and sw["per_op"] == {"page_faults": 4, "context_switches": 2}, sw
print("ok")')"
expect "bench.json: ratios, smallest switch config, paired ratio, meets null" "ok" "$(pyjson "$tmp/run/bench.json" '
q = {(x["kernel"], x["name"]): x for x in d["ratios"]}
c = q[("debian-6.12", "copy switch/memcpy2x 1080p")]
# paired: the median of the per-sample ratios (1.1), not 12 us / 10 us
assert "switch_over_limit" in c["numerator"] and "\"namespaces\":2" in c["numerator"], c
assert c["denominator"] is None and abs(c["ratio"] - 1.1) < 1e-9, c
# a rerun interval: 1.96 sqrt(2) sd either side (no rounds: no correction), wider than the CI
lo, hi = c["rerun95"]
assert abs(hi - c["ratio"] - 1.959964 * 2 ** 0.5 * c["sd"]) < 1e-6 and abs(c["ratio"] - lo - (hi - c["ratio"])) < 1e-6, c
assert lo < c["ci95"][0] and hi > c["ci95"][1], c
m = q[("debian-6.12", "bg/panel write")]
assert m["status"] == "not measured" and m["meets"] is None and m["ratio"] is None
assert q[("debian-6.12", "fg/panel write")]["meets"] is False
assert q[("debian-6.12", "hostonly/panel write")]["meets"] is None
print("ok")')"
expect "bench.json: fio after a warning line, perf, devices" "ok" "$(pyjson "$tmp/run/bench.json" '
f = d["fio"][0]
assert f["rw"] == "write" and f["bw_mbs"] == 100 and f["clat_p99_us"] == 9 and f["minf"] == 12, f
assert d["perf"][0]["events"]["page-faults"] == 120
dv = {(x["kernel"], x["name"]): x["reached"] for x in d["devices"]}
assert dv[("debian-6.12", "drm-dumb")] is False and dv[("debian-6.1", "drm-dumb")] is True
print("ok")')"
cp "$tmp/run/bench.json" "$tmp/first.json"
"$BR" "$tmp/run" > /dev/null 2>&1
if cmp -s "$tmp/first.json" "$tmp/run/bench.json"; then ok "bench.json is reproducible (fixed-seed bootstrap)"
else bad "bench.json is reproducible (fixed-seed bootstrap)" "two runs differ"; fi
has_line "report.md: ratio table row" "$tmp/run/report.md" '^\| debian-6\.12 \| fg/panel write \| 0\.8 \| \[0\.798, 0\.802\] \| \[0\.79.*, 0\.80.*\] \| >= 0\.95 \| NO \| `blit_over_panel/vfb-fg\{.*\}` \(paired per sample\) \|$'
has_line "report.md: devices" "$tmp/run/report.md" '^\| debian-6\.12 \| drm-dumb \| \*\*no\*\* \|'
has_line "report.md: how to reproduce" "$tmp/run/report.md" '^`make bench KERNELS="debian-6\.1 debian-6\.12"`'
if command -v gnuplot > /dev/null; then
	for c in switch-latency switch-namespaces blit-mmap-memcpy-full blit-write-full tty-throughput; do
		if [[ -s $tmp/run/charts/$c.png && -s $tmp/run/charts/$c.svg ]]; then ok "chart $c: PNG and SVG"
		else bad "chart $c: PNG and SVG" "missing in $tmp/run/charts"; fi
	done
	has_line "report.md: chart embedded" "$tmp/run/report.md" '^!\[.*\]\(charts/switch-latency\.png\)$'
else
	skip "charts" "gnuplot is not installed"
fi
if [[ ! -e $tmp/run/charts/tty-roundtrip.gp ]]; then ok "no chart without data"
else bad "no chart without data" "tty-roundtrip.gp written"; fi

echo "# bench-report --smoke-check"
rc=0
"$BR" "$tmp/run" --smoke-check --expect-devices vfb,panel --no-charts > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "smoke: good run passes" 0 "$rc"
has_line "smoke: ok line" "$tmp/out" '^smoke-check: ok: 2 kernel\(s\)'
rc=0
"$BR" "$tmp/run" --smoke-check --expect-devices vfb,drm-dumb --no-charts > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "smoke: unreached device fails" 1 "$rc"
has_line "smoke: unreached device named" "$tmp/err" '^bench-report: debian-6\.12: device drm-dumb not reached \(/dev/dri/card0: no /dev/dri/card0\)$'
rc=0
"$BR" "$tmp/smoke-bad" --smoke-check --expect-devices vfb,panel,pty --no-charts > "$tmp/out" 2> "$tmp/err" || rc=$?
expect "smoke: bad run fails" 1 "$rc"
expect "smoke: one message per problem" 6 "$(grep -c '^bench-report: ' "$tmp/err")"
has_line "smoke: malformed line" "$tmp/err" 'samples\.jsonl:1: not a JSON object'
has_line "smoke: missing fields" "$tmp/err" 'samples\.jsonl:2: point without'
has_line "smoke: point without samples" "$tmp/err" 'tty_throughput/vtty\{"chunk":1\}: no samples$'
has_line "smoke: broken fio file" "$tmp/err" 'fio/broken\.json: not fio JSON'
has_line "smoke: device without record" "$tmp/err" 'device pty: no device record$'
rc=0
"$BR" "$tmp/smoke-bad" --no-charts > /dev/null 2>&1 || rc=$?
expect "without --smoke-check problems are warnings" 0 "$rc"
rc=0; "$BR" "$tmp/nothing" > /dev/null 2>&1 || rc=$?
expect "report: no run folder exits 2" 2 "$rc"
rc=0; "$BR" --bogus > /dev/null 2>&1 || rc=$?
expect "report: usage error exits 2" 2 "$rc"

echo "# bench-compare"
"$BR" "$tmp/regress" --no-charts > /dev/null 2>&1
rc=0
"$BC" "$tmp/run/bench.json" "$tmp/run/bench.json" > "$tmp/cmp" || rc=$?
expect "compare: same run, no regression" 0 "$rc"
has_line "compare: LKP-style row" "$tmp/cmp" '^ +0\.8 ± +0% +\+0\.0% +0\.8 ± +0% +SAME +debian-6\.12: fg/panel write$'
rc=0
"$BC" "$tmp/run/bench.json" "$tmp/regress/bench.json" > "$tmp/cmp" || rc=$?
expect "compare: regression exits 1" 1 "$rc"
has_line "compare: regression flagged" "$tmp/cmp" '-25\.0% +0\.6 ± +0% +DIFFERENT +REGRESSION debian-6\.12: fg/panel write$'
has_line "compare: unchanged ratio SAME" "$tmp/cmp" 'SAME +debian-6\.12: fg/panel mmap-memcpy$'
has_line "compare: totals" "$tmp/cmp" '^7 compared: .*1 regression\(s\)$'
# fg viewed/unviewed rose: its numerator is unchanged, its denominator (fg/panel write) fell
has_line "compare: how a differing ratio's sides moved" "$tmp/cmp" '^ +numerator \+0\.0%, denominator -25\.0%$'
rc=0
"$BC" "$tmp/run/bench.json" "$tmp/regress/bench.json" --points > "$tmp/cmp" || rc=$?
expect "compare --points: exit status" 1 "$rc"
has_line "compare --points: point regression" "$tmp/cmp" 'REGRESSION debian-6\.12: blit/vfb-fg\{.*"method":"write".*\} \[MB/s\]$'
rc=0
"$BC" "$tmp/run/bench.json" "$tmp/regress/bench.json" --threshold 30 > "$tmp/cmp" || rc=$?
expect "compare: change under --threshold is no regression" 0 "$rc"
rc=0; "$BC" "$tmp/run/bench.json" > /dev/null 2>&1 || rc=$?
expect "compare: usage error exits 2" 2 "$rc"

# Two runs of four module loads each, tight within a load: 100 or 130 MB/s
# by load in the first, 130 in every load of the second; the foreground vfb
# and the panel move together.  The paired switch ratio: 1.0 in three loads
# of the first and 1.3 in the fourth, 1.3 in every load of the second.
echo "# rounds: intervals over module loads"
"$BR" "$tmp/loads-a" --no-charts > /dev/null 2>&1
"$BR" "$tmp/loads-b" --no-charts > /dev/null 2>&1
expect "groups: samples per load, point interval spans the loads, ratio paired by load" "ok" "$(pyjson "$tmp/loads-a/bench.json" '
r = {x["variant"]: x for x in d["results"]}
assert r["panel"]["groups"] == [5, 5, 5, 5], r["panel"]["groups"]
lo, hi = r["panel"]["ci95"]
assert lo <= 101 and hi >= 129, (lo, hi)
q = {x["name"]: x for x in d["ratios"] if x["kernel"] == "debian-6.12"}
lo, hi = q["fg/panel mmap-memcpy"]["ci95"]
assert 0.97 <= lo <= 1 <= hi <= 1.03, (lo, hi)
# 4 rounds: the rerun interval is sqrt(4/3) wider than without rounds
c = q["copy switch/memcpy2x 1080p"]
half = 1.959964 * 2 ** 0.5 * c["sd"] * (4 / 3) ** 0.5
assert abs(c["rerun95"][1] - c["ratio"] - half) < 1e-6, c
print("ok")')"
rc=0
"$BC" --points "$tmp/loads-a/bench.json" "$tmp/loads-b/bench.json" > "$tmp/cmp" || rc=$?
expect "rounds: compare exit status" 0 "$rc"
has_line "rounds: a load-to-load spread is no difference" "$tmp/cmp" 'UNKNOWN +debian-6\.12: blit/panel\{'
has_line "rounds: nor for a paired ratio" "$tmp/cmp" 'UNKNOWN +debian-6\.12: copy switch/memcpy2x 1080p$'
# the same samples without their loads: the rank tests on samples call it
for s in a b; do
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    r.pop("groups", None)
json.dump(d, open(sys.argv[2], "w"))' "$tmp/loads-$s/bench.json" "$tmp/nogroups-$s.json"
done
"$BC" --points "$tmp/nogroups-a.json" "$tmp/nogroups-b.json" > "$tmp/cmp" || true
has_line "rounds: without loads, the same samples read as a difference" "$tmp/cmp" 'DIFFERENT +debian-6\.12: blit/panel\{'
has_line "rounds: so does the paired ratio" "$tmp/cmp" 'DIFFERENT +(REGRESSION +)?debian-6\.12: copy switch/memcpy2x 1080p$'

rc=0; "$BC" "$tmp/run/bench.json" "$tmp/run/report.md" > /dev/null 2>&1 || rc=$?
expect "compare: not JSON exits 2" 2 "$rc"

finish
