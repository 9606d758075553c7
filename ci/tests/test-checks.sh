#!/bin/bash
# test-checks.sh - the suites' own checks can fail: boots ONE guest with the
# clean module and runs a suite program against a broken tool, expecting the
# program to fail and to say why.
#   ci/tests/test-checks.sh [--kernel debian-6.1|debian-6.12] [--out DIR] [--help]
# Cases:
#   trinity_stops_early  fuzz/trinity with a fake trinity that reports 3 calls
#                        and exits 0: the test must fail, naming "ran 3 of"
#                        (a trinity that stops at once, or blocks and is killed
#                        at the deadline, must not pass SEC-3).
# Output files in DIR (default results/runs/<date>-<pid>-test-checks): the
# guest's output (guest.log) and console (console.log). Ends with
# "N passed, N failed, N skipped".
set -euo pipefail

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"
kernel=debian-6.1
guest_test_args 13 "$@"

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${out:-$root/results/runs/$(date +%Y%m%d-%H%M%S)-$$-test-checks}
mkdir -p "$out"
cd "$root"

prog=build/suites/fuzz/trinity
if [[ ! -x $prog ]]; then
	bad "$prog is built" "run make build first"
	finish
fi

echo "# booting $kernel with the module (TCG, about 30-60 s) ..."
start=$SECONDS
rc=0
ci/vm --kernel "$kernel" --timeout 300 --console "$out/console.log" -- bash -c '
	printf "#!/bin/sh\necho \"Ran 3 syscalls. Successes: 3  Failures: 0\"\n" >/tmp/fake-trinity
	chmod 0755 /tmp/fake-trinity
	DEVNS_TRINITY=/tmp/fake-trinity "$1"
	echo "exit=$?"' guest "$root/$prog" >"$out/guest.log" 2>"$out/vm.stderr" || rc=$?
echo "# ci/vm exited $rc after $((SECONDS - start)) s"
sed 's/^/  | /' "$out/guest.log"

expect "trinity_stops_early: the guest finished (ci/vm status 0)" 0 "$rc"
has_line "trinity_stops_early: the program failed" "$out/guest.log" '^exit=1$'
has_line "trinity_stops_early: the test failed" "$out/guest.log" '^not ok 1 trinity\.on_the_device_nodes'
has_line "trinity_stops_early: it says how many calls ran" "$out/guest.log" 'trinity ran 3 of [0-9]+ system calls'
finish
