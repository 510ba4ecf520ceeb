#!/usr/bin/env bash
# Every check and test perch has: formatting, lints, then the unit and integration tests
# (which start real perch instances on loopback). Run from anywhere: `bash tests/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
