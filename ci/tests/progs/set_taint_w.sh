#!/bin/bash
# set_taint_w.sh - its only test passes, but it sets taint W (warning) the
# way root may: writing a mask to /proc/sys/kernel/tainted adds those bits.
set -euo pipefail
# shellcheck source=ci/tests/progs/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_start 1
require_guest
echo 512 > /proc/sys/kernel/tainted
echo "ok 1 taint.set_w"
