#!/bin/bash
# hang.sh - reports one of two tests, then hangs until killed (TIMEOUT).
set -euo pipefail
# shellcheck source=ci/tests/progs/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_start 2
echo "ok 1 hang.before"
while :; do sleep 1; done
