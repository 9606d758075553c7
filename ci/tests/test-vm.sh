#!/bin/bash
# test-vm.sh - robustness tests of the QEMU runner ci/vm: real guest boots
# (TCG here). Exit-status passthrough, live output streaming, panic, outer
# timeout, console draining, module loading, oops detection, guest setup.
#   ci/tests/test-vm.sh [--help]
# Env: KERNELS="debian-6.12 debian-6.1" (the first gets every test, the others
#      the cheap ones); TESTS="status panic module guest_setup streaming
#      closed_stdout console_drain oops_detection bad_module early_death clone_anywhere
#      timeout" (a subset); VM=runner
#      (default ci/vm). Logs: build/vm/tests/ (VM_TEST_LOGS=DIR: elsewhere, for
#      two instances at once).
# Ends with "N passed, N failed, N skipped"; exit 1 on any failure.
# Guest commands are single-quoted on purpose: they expand in the guest.
# shellcheck disable=SC2016
set -euo pipefail

if [[ ${1:-} == --help || ${1:-} == -h ]]; then
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
VM=${VM:-$root/ci/vm}
read -r -a kernels <<<"${KERNELS:-debian-6.12 debian-6.1}"
logs=${VM_TEST_LOGS:-$root/build/vm/tests}
rm -rf "$logs"
mkdir -p "$logs"

# shellcheck source=ci/tests/assert.sh
source "$(dirname "$0")/assert.sh"

# vm NAME [ci/vm args...]: one guest run; sets rc, secs; output in $logs/NAME.{out,err}.
vm() {
	local name=$1 t0
	shift
	t0=$EPOCHREALTIME
	rc=0
	(cd "${VM_IN:-.}" && "${VM_BIN:-$VM}" --console "$logs/$name.console" "$@") \
		>"$logs/$name.out" 2>"$logs/$name.err" || rc=$?
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 0.5 }')
}

# expect_rc NAME WANT: checks the last vm run's status.
expect_rc() {
	if [[ $rc == "$2" ]]; then
		ok "$1 (status $rc, ${secs}s)"
	else
		bad "$1" "want status $2, got $rc after ${secs}s" "stderr: $logs/${1%% *}.err" \
			"$(tail -n 5 "$logs/${1%% *}.err")"
	fi
}

# check NAME CONDITION-COMMAND...: ok when the command succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name" "failed: $*"; fi
}

test_status() { # 1. exit status passthrough
	local k=$1
	vm "$k-exit7" --kernel "$k" --no-module -- sh -c 'exit 7'
	expect_rc "$k-exit7 exit status passthrough" 7
	[[ $k == "${kernels[0]}" ]] || return 0
	vm "$k-true" --kernel "$k" --no-module -- true
	expect_rc "$k-true exit status 0" 0
}

test_guest_setup() { # working directory, environment, shares, read-only root
	local k=$1
	local probe=$logs/rw-probe.$k
	vm "$k-setup" --kernel "$k" --no-module -- bash -c '
		pwd
		echo "env $DEVNS_VM $DEVNS_KERNEL $DEVNS_ACCEL module=$DEVNS_MODULE"
		echo written-in-guest >"$1"
		touch /usr/devns-ro-probe 2>/dev/null && echo "root is writable"
		touch /tmp/x && echo tmp-writable
		exit 0' _ "$probe"
	expect_rc "$k-setup guest setup run" 0
	local out=$logs/$k-setup.out
	check "$k-setup starts in the host's working directory" grep -qx "$PWD" "$out"
	check "$k-setup exports DEVNS_VM, DEVNS_KERNEL, DEVNS_ACCEL" grep -qE "^env 1 $k (tcg|kvm) module=\$" "$out"
	check "$k-setup build/ is shared read-write at the same path" grep -qx written-in-guest "$probe"
	check "$k-setup host root is read-only, /tmp writable" \
		bash -c '! grep -q "root is writable" "$1" && grep -qx tmp-writable "$1"' _ "$out"
	check "$k-setup progress goes to stderr only" \
		bash -c '! grep -q "^ci/vm:" "$1" && grep -q "^ci/vm: booting" "$2"' _ "$out" "$logs/$k-setup.err"
}

test_streaming() { # 2. output arrives while the guest still runs
	local k=$1 t0
	local stamps=$logs/$k-stream.stamps
	t0=$EPOCHREALTIME
	rc=0
	"$VM" --kernel "$k" --no-module --console "$logs/$k-stream.console" -- \
		sh -c 'echo early; sleep 8; echo late' 2>"$logs/$k-stream.err" |
		while IFS= read -r line; do echo "$EPOCHREALTIME $line"; done >"$stamps" || rc=$?
	local end=$EPOCHREALTIME
	secs=$(awk -v a="$t0" -v b="$end" 'BEGIN { printf "%d", b - a + 0.5 }')
	expect_rc "$k-stream streaming run" 0
	local early late
	early=$(awk '$2 == "early" { print $1 }' "$stamps")
	late=$(awk '$2 == "late" { print $1 }' "$stamps")
	if [[ -n $early && -n $late ]] &&
		awk -v e="$early" -v l="$late" -v x="$end" 'BEGIN { exit !(l - e >= 6 && x - e >= 6) }'; then
		ok "$k-stream a line before 'sleep 8' reached the host $(awk -v e="$early" -v x="$end" 'BEGIN { printf "%.1f", x - e }')s before the run ended"
	else
		bad "$k-stream live streaming" "early=$early late=$late end=$end (want late-early >= 6 s)" "$(cat "$stamps")"
	fi
}

test_closed_stdout() { # a reader that stops early must not stall the guest
	local k=$1 t0
	t0=$EPOCHREALTIME
	rc=0
	"$VM" --kernel "$k" --no-module --timeout 120 --console "$logs/$k-closed.console" -- \
		sh -c 'seq 1 300000; exit 3' 2>"$logs/$k-closed.err" | head -n 1 >"$logs/$k-closed.out" ||
		rc=${PIPESTATUS[0]}
	secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", b - a + 0.5 }')
	expect_rc "$k-closed output reader closing early keeps the status" 3
	check "$k-closed the reader got the first line" grep -qx 1 "$logs/$k-closed.out"
}

test_panic() { # 3. a guest panic is 255, quickly
	local k=$1
	vm "$k-panic" --kernel "$k" --no-module -- sh -c 'echo c > /proc/sysrq-trigger; sleep 100'
	expect_rc "$k-panic panic gives 255" 255
	# Well before the 600 s outer timeout, with margin for a loaded host.
	check "$k-panic returns within 120 s, not at the outer timeout (${secs}s)" test "$secs" -lt 120
	check "$k-panic console holds the panic" grep -q 'Kernel panic' "$logs/$k-panic.console"
	# The trace of the panicking call, not only the panic line: the guest
	# must end after the kernel flushed its console (no pvpanic exit).
	check "$k-panic console holds the call trace of the sysrq write" \
		awk '/Call Trace:/ { t = 1 } t && /sysrq_handle_crash|write_sysrq_trigger/ { f = 1 } END { exit !f }' \
		"$logs/$k-panic.console"
	check "$k-panic console holds what the panic notifiers print after the trace" \
		awk '/Kernel panic - not syncing/ { p = 1 } p && /Kernel Offset:/ { f = 1 } END { exit !f }' "$logs/$k-panic.console"
	check "$k-panic ci/vm names the panic" grep -q 'FAIL: the kernel panicked: ' "$logs/$k-panic.err"
}

test_clone_anywhere() { # the runner works from a clone under /tmp or /var/tmp, path with a space
	local k=$1 base dir n=0
	for base in /tmp /var/tmp; do
		n=$((n + 1))
		dir=$(mktemp -d "$base/devns clone.XXXXXX")
		# The runner's own files, as a clone has them (uncommitted changes included):
		# ci/, and lib/ whose util.c the host tools (console-scan) are built with.
		cp -a "$root/ci" "$root/lib" "$dir/"
		VM_IN=$dir VM_BIN=$dir/ci/vm vm "$k-clone$n" --kernel "$k" --no-module -- \
			bash -c 'ci/guest/run-tests --scale 10 ci/tests/progs/pass.sh && pwd && touch build/written && mktemp'
		expect_rc "$k-clone$n run-tests from a clone under $base (path with a space)" 0
		check "$k-clone$n the program passed" grep -q '^ok 1 ci/tests/progs/pass.sh' "$logs/$k-clone$n.out"
		check "$k-clone$n the guest worked in the clone" grep -qx "$dir" "$logs/$k-clone$n.out"
		check "$k-clone$n build/ of the clone is written" test -f "$dir/build/written"
		cp "$root/Makefile" "$dir/"
		check "$k-clone$n make says at once why a path with a space cannot work" \
			bash -c 'make -C "$1" -n check 2>&1 | grep -q "has a space, which make cannot handle"' _ "$dir"
		rm -rf "$dir"
	done
}

test_timeout() { # 4. the outer wall-clock limit
	local k=$1
	vm "$k-timeout" --kernel "$k" --no-module --timeout 30 -- sleep 1000
	expect_rc "$k-timeout --timeout 30 gives 255" 255
	check "$k-timeout took about 30 s (${secs}s)" test "$secs" -ge 29 -a "$secs" -le 60
	check "$k-timeout says TIMEOUT" grep -q TIMEOUT "$logs/$k-timeout.err"
}

test_console_drain() { # 5. a flood of kernel messages all reaches the console file
	local k=$1 marker=devns-drain-marker-$$ n=1500
	vm "$k-drain" --kernel "$k" --no-module -- bash -c '
		for ((i = 1; i <= $1; i++)); do echo "devns-drain line $i of $1" >/dev/kmsg; done
		echo "$2" >/dev/kmsg' _ "$n" "$marker"
	expect_rc "$k-drain kmsg flood run" 0
	check "$k-drain console has the final marker" grep -q "$marker" "$logs/$k-drain.console"
	local got
	got=$(grep -c 'devns-drain line' "$logs/$k-drain.console" || true)
	check "$k-drain console has all $n lines (got $got)" test "$got" -eq "$n"
}

test_module() { # 6. the module under test is loaded before the command
	local k=$1
	vm "$k-module" --kernel "$k" -- grep -q '^devns ' /proc/modules
	if [[ $rc == 255 ]] && grep -q 'reference-impl/Makefile does not exist\|building the module failed' "$logs/$k-module.err"; then
		skip "$k-module devns is loaded" "the module cannot be built yet ($logs/$k-module.err)"
		return 0
	fi
	expect_rc "$k-module devns is loaded" 0
	vm "$k-nomodule" --kernel "$k" --no-module -- grep -q '^devns ' /proc/modules
	expect_rc "$k-nomodule --no-module: devns is not loaded" 1
}

test_bad_module() { # a module that fails to load is a runner failure
	local k=$1 bogus=$logs/bogus.ko
	echo "not an ELF module" >"$bogus"
	vm "$k-badmod" --kernel "$k" --module "$bogus" -- true
	expect_rc "$k-badmod insmod failure gives 255" 255
	check "$k-badmod says why" grep -q 'insmod .*bogus.ko failed' "$logs/$k-badmod.err"
}

test_oops_detection() { # 7. a WARNING line in the console fails the run, so does no scanner
	local k=$1
	vm "$k-warn" --kernel "$k" --no-module -- sh -c 'echo "WARNING: CPU: 0 PID: 1 at x" >/dev/kmsg'
	expect_rc "$k-warn fake WARNING gives 255" 255
	check "$k-warn names the matched line" grep -q 'WARNING: CPU: 0 PID: 1 at x' "$logs/$k-warn.err"
	DEVNS_CONSOLE_SCAN=/nonexistent/console-scan vm "$k-noscan" --kernel "$k" --no-module -- true
	expect_rc "$k-noscan a console nobody scanned gives 255" 255
	check "$k-noscan says why" grep -q 'FAIL: no console scanner' "$logs/$k-noscan.err"
}

test_early_death() { # a kernel that dies before the guest init is booted twice, then 255
	local k=$1
	local notes=$logs/$k-early.notes
	DEVNS_VM_NOTES=$notes vm "$k-early" --kernel "$k" --no-module --append "rdinit=/no-such-init" -- true
	expect_rc "$k-early kernel death before init gives 255" 255
	check "$k-early booted a second time, saying why" \
		grep -q 'RETRY: the kernel died before the guest init ran (Kernel panic - not syncing: ' "$logs/$k-early.err"
	check "$k-early the retry is in the caller's notes" grep -q "^$k: booted twice: the first boot died before the guest init: Kernel panic" "$notes"
	check "$k-early kept the first boot's console" test -s "$logs/$k-early.console.boot1"
}

# run NAME KERNEL: test_NAME unless TESTS names other tests.
run() {
	[[ -z ${TESTS:-} || " $TESTS " == *" $1 "* ]] || return 0
	"test_$1" "$2"
}

for k in "${kernels[@]}"; do
	echo "# kernel $k"
	run status "$k"
	run panic "$k"
	run module "$k"
	run guest_setup "$k"
	[[ $k == "${kernels[0]}" ]] || continue
	run streaming "$k"
	run closed_stdout "$k"
	run console_drain "$k"
	run oops_detection "$k"
	run bad_module "$k"
	run early_death "$k"
	run clone_anywhere "$k"
	run timeout "$k"
done

finish
