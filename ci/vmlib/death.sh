# shellcheck shell=bash
# ci/vmlib/death.sh: naming why a guest kernel died, from its console (sourced
# by ci/vm and ci/boots).

# death_cause CONSOLE: one line: the first oops, BUG or panic line with its
# RIP and the kernel's time stamp, or what the console ended with.
death_cause() {
	awk '
		function stamp(l) { return match(l, /^\[ *[0-9.]+\]/) ? substr(l, 2, RLENGTH - 2) + 0 : -1 }
		{ sub(/\r$/, ""); line = $0; sub(/^\[ *[0-9.]+\] /, "", line) }
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

# emulator_fault CONSOLE: one line if the console holds a register dump that
# no x86 CPU can produce, the mark of a fault of the emulator itself rather
# than of the kernel: EFLAGS with a reserved bit set (bit 1 clear, or any of
# bits 3, 5, 15, 22 and up set).  Nothing if there is none.
emulator_fault() {
	awk '
		function hex(s,    i, n) {
			n = 0
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		function bit(n, b) { return int(n / 2 ^ b) % 2 }
		match($0, /EFLAGS: [0-9a-f]+/) {
			v = substr($0, RSTART + 8, RLENGTH - 8); n = hex(v)
			if (!bit(n, 1) || bit(n, 3) || bit(n, 5) || bit(n, 15) || n >= 2 ^ 22) {
				at = match($0, /^\[ *[0-9.]+\]/) ? substr($0, 2, RLENGTH - 2) + 0 : -1
				printf "the emulator: a register dump with EFLAGS %s (reserved bits set), which no x86 CPU produces", v
				if (at >= 0) printf " (at %.1f s)", at
				printf "\n"
				exit
			}
		}' "$1"
}
