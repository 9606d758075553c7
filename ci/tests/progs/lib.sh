# shellcheck shell=bash
# lib.sh - sourced by the misbehaving test programs of ci/tests/progs.
# They exist to prove that ci/guest/run-tests and ktap-report catch them.

ktap_start() {   # ktap_start N: version line and plan
	echo "TAP version 13"
	echo "1..$1"
}

# Programs that change kernel state (taint, kmsg) only run in a QEMU guest;
# elsewhere they skip (KSFT_SKIP = exit 4) so a host is never tainted.
require_guest() {
	local vendor=""
	if [[ -r /sys/class/dmi/id/sys_vendor ]]; then
		vendor=$(< /sys/class/dmi/id/sys_vendor)
	fi
	if [[ $vendor != QEMU && ${DEVNS_PROGS_ANYWHERE:-} != 1 ]]; then
		echo "ok 1 # SKIP not inside a QEMU guest"
		exit 4
	fi
}
