# shellcheck shell=bash
# ci/vmlib/death.sh: naming why a guest kernel died, from its console (sourced
# by ci/vm and ci/boots).

# death_cause CONSOLE: one line: the first oops, BUG or panic line with its
# RIP and the kernel's time stamp, or what the console ended with.
death_cause() {
	awk '
		function stamp(l) { return match(l, /^\[ *[0-9.]+\]/) ? substr(l, 2, RLENGTH - 2) + 0 : -1 }
		{ line = $0; sub(/^\[ *[0-9.]+\] /, "", line) }
		line ~ /^Kernel panic - not syncing/ && !panic { panic = line }
		!what && line ~ /^(Oops: |BUG: |watchdog: BUG: |general protection fault|Kernel panic - not syncing)/ {
			what = line; at = stamp($0); next
		}
		what && !rip && line ~ /^RIP: / { rip = line; sub(/^RIP: ([0-9a-f]+:)?/, "", rip) }
		NF { last = line }
		END {
			if (!what) { printf "no oops or panic in the console (it ends with: %s)\n", last; exit }
			printf "%s", what
			if (rip) printf ", RIP %s", rip
			if (panic && panic != what) printf "; %s", panic
			if (at >= 0) printf " (at %.1f s)", at
			printf "\n"
		}' "$1"
}
