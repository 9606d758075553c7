#!/bin/bash
# fake_warn.sh - passes, but writes a WARN-like line to the kernel log so
# that console-scan must flag the console (it does not taint the kernel).
set -euo pipefail
# shellcheck source=ci/tests/progs/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_start 1
require_guest
echo "WARNING: CPU: 0 PID: 1 at fake" > /dev/kmsg
echo "ok 1 warn.fake_line"
