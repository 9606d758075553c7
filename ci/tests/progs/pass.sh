#!/bin/bash
# pass.sh - a well-behaved program: two passing tests, one skipped.
set -euo pipefail
# shellcheck source=ci/tests/progs/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_start 3
echo "ok 1 pass.first"
echo "# a diagnostic line"
echo "ok 2 pass.second"
echo "ok 3 pass.third # SKIP nothing to do"
