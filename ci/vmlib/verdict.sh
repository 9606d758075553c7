# shellcheck shell=bash disable=SC2154 # globals set by ci/vm
# ci/vmlib/verdict.sh: turning a finished guest run into ci/vm's exit status
# (sourced by ci/vm). Uses ci/vm's globals: top ctl console interactive
# qemu_rc timeout_s elapsed.

# Taint bits that mean the kernel misbehaved during the command:
# B bad page (5), D died/oops (7), W warning (9), L soft lockup (14).
readonly BAD_TAINT_MASK=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))

# scan_console: 0 clean, 1 badness found (matched lines printed to stderr)
# or no scanner: a console nobody read is no proof of a clean kernel.
scan_console() {
	local scan=${DEVNS_CONSOLE_SCAN:-$top/build/bin/console-scan} rc=0
	if [[ ! -x $scan && -z ${DEVNS_CONSOLE_SCAN:-} ]]; then
		make -s -C "$top/ci/tools" BUILD=../../build/bin >&2 || say "building console-scan failed"
	fi
	if [[ ! -x $scan ]]; then
		say "FAIL: no console scanner ($scan): the console was not checked for oops/WARN/BUG"
		return 1
	fi
	"$scan" "$console" >&2 || rc=$?
	case $rc in
	0) return 0 ;;
	1) say "FAIL: kernel badness in the console ($console), lines above"; return 1 ;;
	*) say "FAIL: console-scan failed with status $rc on $console"; return 1 ;;
	esac
}

# new_bad_taint: prints the newly set bad taint bits, if any.
new_bad_taint() {
	[[ -f $ctl/taint.before && -f $ctl/taint.after ]] || return 0
	local before after
	before=$(<"$ctl/taint.before") after=$(<"$ctl/taint.after")
	[[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ ]] || return 0
	local new=$((after & ~before & BAD_TAINT_MASK))
	((new == 0)) || echo "$new"
}

console_tail() {
	say "last console lines ($console):"
	tail -n 25 "$console" | sed 's/^/  | /' >&2
}

verdict() {
	local status="" fail=0 taint
	[[ -f $ctl/status ]] && status=$(<"$ctl/status")
	if ((!interactive && timeout_s > 0)) && [[ $qemu_rc == 124 || $qemu_rc == 137 ]]; then
		say "FAIL: TIMEOUT: the guest did not finish within $timeout_s s; QEMU killed"
		fail=1
	elif ((qemu_rc != 0)); then
		say "FAIL: QEMU exited with status $qemu_rc (its messages, if any, are above)"
		fail=1
	fi
	if [[ -f $ctl/reason ]]; then
		say "FAIL: guest: $(<"$ctl/reason")"
		fail=1
	fi
	grep -a 'devns-init: FATAL:' "$console" 2>/dev/null | sed 's/^/ci\/vm: guest: /' >&2 || true
	if grep -aq 'Kernel panic - not syncing' "$console" 2>/dev/null; then
		say "FAIL: the kernel panicked: $(death_cause "$console")"
		fail=1
	fi
	local emu
	emu=$(emulator_fault "$console" 2>/dev/null || true)
	[[ -z $emu ]] || say "the cause: $emu: a fault of QEMU's TCG, not of the kernel or the module (README: Guest deaths under TCG)"
	if [[ -z $status ]] && ((!fail)); then
		if ((interactive)); then
			say "QEMU quit before the guest wrote a status (Ctrl-A X)"
			status=0
		else
			say "FAIL: the guest wrote no exit status (kernel panic, crash or init failure)"
			fail=1
		fi
	fi
	((fail)) && console_tail
	scan_console || fail=1
	taint=$(new_bad_taint)
	if [[ -n $taint ]]; then
		say "FAIL: the kernel tainted itself during the command (new taint bits $taint: $(<"$ctl/taint.after"))"
		fail=1
	fi
	if ((fail)); then
		say "finished in $elapsed s: exit status 255 (command status: ${status:-none})"
		exit 255
	fi
	say "finished in $elapsed s: exit status $status"
	exit "$status"
}
