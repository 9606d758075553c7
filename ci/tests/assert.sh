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

# guest_test_args HELP_LAST_LINE "$@": the options of the tests that boot one
# guest (--kernel, --out, --help: the script's comment lines 2..HELP_LAST_LINE);
# sets kernel (keeps its default) and out.
# shellcheck disable=SC2034 # kernel and out are the caller's
guest_test_args() {
	local help_end=$1
	shift
	out=""
	while (($# > 0)); do
		case "$1" in
		--help|-h) sed -n "2,${help_end}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		--kernel) kernel=${2:?--kernel needs a value}; shift 2 ;;
		--out) out=${2:?--out needs a directory}; shift 2 ;;
		*) echo "$(basename "$0"): unknown argument '$1' (see --help)" >&2; exit 2 ;;
		esac
	done
}

finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	((failed == 0)) || exit 1
	exit 0
}
