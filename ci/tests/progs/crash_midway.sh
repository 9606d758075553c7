#!/bin/bash
# crash_midway.sh - plans three tests, reports one, then dies of SIGKILL
# (CRASH: two results missing).
set -euo pipefail
# shellcheck source=ci/tests/progs/lib.sh
source "$(dirname "$0")/lib.sh"
ktap_start 3
echo "ok 1 crash.first"
kill -KILL $$
