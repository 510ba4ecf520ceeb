#!/usr/bin/env bash
# The performance benchmark of issue 12: `bash benches/perf.sh` (release build; about 15
# minutes, 10 of them mixed load; PERCH_BENCH_SOAK_SECS=60 shortens that). Runs on SQLite,
# the default, whatever PERCH_TEST_POSTGRES_URL says.
set -euo pipefail
cd "$(dirname "$0")/.."
unset PERCH_TEST_POSTGRES_URL
cargo bench --locked --bench perf
