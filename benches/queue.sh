#!/usr/bin/env bash
# The queue benchmark on SQLite and on a throwaway PostgreSQL (started as tests/run.sh starts
# one, unless PERCH_TEST_POSTGRES_URL names a server): `bash benches/queue.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source tests/postgres.sh
cargo bench --locked --bench queue
