#!/bin/bash
# ci/lava/devns-kselftest.sh: runs a devns-suite kselftest tarball (ci/ksft)
# with its run_kselftest.sh and reports every program and test to LAVA
# (lava-test-case, when it is on PATH) and to OUTDIR/result.txt.
set -euo pipefail

usage() {
	cat <<'EOT'
usage: devns-kselftest.sh [-u URL] [-f TARBALL] [-d DIR] [-c "COLLECTIONS"] [-o OUTDIR]
       devns-kselftest.sh -r LOG [-o OUTDIR]

  -u URL          download the tarball (wget)
  -f TARBALL      or take it from this path on the target
  -d DIR          unpack it here (default /opt/devns-kselftest); with neither
                  -u nor -f, DIR already holds an unpacked tarball
  -c COLLECTIONS  run_kselftest.sh -c for each, in order (default: every
                  collection of kselftest-list.txt)
  -o OUTDIR       kselftest.log and result.txt (default ./output)
  -r LOG          only turn a run_kselftest.sh log into results
Results: one line "NAME RESULT" per program (devns_<suite>_<program>) and per
test (devns_<suite>_<program>_<test>), names as Linaro's parse-output.py
makes them (every run of characters other than [A-Za-z0-9_-] becomes "_");
RESULT is pass, fail or skip (the harness's XFAIL is a pass, a TIMEOUT a
fail).  Each goes to lava-test-case when it exists.
EOT
}

url="" file="" dir=/opt/devns-kselftest collections="" outdir=./output log=""
while getopts "u:f:d:c:o:r:h" opt; do
	case $opt in
	u) url=$OPTARG ;;
	f) file=$OPTARG ;;
	d) dir=$OPTARG ;;
	c) collections=$OPTARG ;;
	o) outdir=$OPTARG ;;
	r) log=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
mkdir -p "$outdir"

if [[ -z $log ]]; then
	if [[ -n $url ]]; then
		mkdir -p "$dir"
		wget -q -O "$dir/devns-kselftest.tar" "$url"
		file=$dir/devns-kselftest.tar
	fi
	if [[ -n $file ]]; then
		mkdir -p "$dir"
		tar -xaf "$file" -C "$dir"
	fi
	[[ -x $dir/run_kselftest.sh ]] || { echo "devns-kselftest: no run_kselftest.sh in $dir" >&2; exit 2; }
	[[ -n $collections ]] || collections=$(cut -d: -f1 "$dir/kselftest-list.txt" | uniq | tr '\n' ' ')
	log=$outdir/kselftest.log
	: >"$log"
	for c in $collections; do
		# piped, never redirected: the runner reopens its stdout for appending
		(cd "$dir" && ./run_kselftest.sh -c "$c") | tee -a "$log"
	done
fi

# Program lines: "ok N selftests: devns/vfb: abi [# SKIP]"; their tests, in
# the "# "-prefixed output before it: "# ok N fixture.variant.test [# XFAIL ...]".
awk '
	function slug(s) { gsub(/[^A-Za-z0-9_-]+/, "_", s); return s }
	function res(line) {
		if (line ~ /^not ok/) return "fail"
		if (line ~ /# *SKIP/) return "skip"
		return "pass"
	}
	/^# (not )?ok [0-9]+ / {
		t = $0; sub(/^# (not )?ok [0-9]+ /, "", t); sub(/ *#.*/, "", t)
		tests[++n] = t; tres[n] = res(substr($0, 3))
		next
	}
	/^(not )?ok [0-9]+ selftests: / {
		p = $0; sub(/^(not )?ok [0-9]+ selftests: /, "", p); sub(/ *#.*/, "", p)
		split(p, a, ": "); name = slug(a[1] "_" a[2])
		print name, res($0)
		for (i = 1; i <= n; i++) print slug(name "_" tests[i]), tres[i]
		n = 0
	}' "$log" >"$outdir/result.txt"
if command -v lava-test-case >/dev/null; then
	while read -r name result; do
		lava-test-case "$name" --result "$result"
	done <"$outdir/result.txt"
fi
echo "devns-kselftest: $(wc -l <"$outdir/result.txt") results in $outdir/result.txt ($(grep -c ' pass$' "$outdir/result.txt" || true) pass, $(grep -c ' fail$' "$outdir/result.txt" || true) fail, $(grep -c ' skip$' "$outdir/result.txt" || true) skip)"
