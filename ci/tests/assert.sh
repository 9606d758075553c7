# shellcheck shell=bash
# Assertions for the runner self-tests (ci/tests/test-*.sh): source it, call
# ok/bad/skip/expect/has_line, end with finish ("N passed, N failed, N
# skipped" alone on a line; exit 1 on any failure).
passed=0 failed=0 skipped=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; shift; printf '       %s\n' "$@"; }
skip() { skipped=$((skipped + 1)); echo "skip $1: $2"; }

# expect NAME WANT GOT
expect() {
	if [[ $2 == "$3" ]]; then ok "$1"; else bad "$1" "want: $2" "got:  $3"; fi
}

# has_line NAME FILE REGEX: some line of FILE matches REGEX
has_line() {
	if grep -Eq -- "$3" "$2"; then ok "$1"; else bad "$1" "no line matching: $3"; fi
}

finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	((failed == 0)) || exit 1
	exit 0
}
