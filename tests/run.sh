#!/usr/bin/env bash
# Every check and test perch has: formatting, lints, then the unit and integration tests
# (which start real perch instances on loopback). Run from anywhere: `bash tests/run.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# The real-client suite runs Mastodon.py (pinned in tests/client/requirements.txt) from a venv
# under target/, made here the first time and whenever the requirements change.
venv=target/pyvenv
if [ ! -x "$venv/bin/python" ] || ! cmp -s tests/client/requirements.txt "$venv/requirements.txt"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/client/requirements.txt
  cp tests/client/requirements.txt "$venv/requirements.txt"
fi
export PERCH_PYTHON="$PWD/$venv/bin/python"
# App detection runs megalodon's own detector() (pinned in tests/interop/megalodon/package-lock.json),
# installed there the first time and whenever the lock changes.
megalodon=tests/interop/megalodon
if [ ! -d "$megalodon/node_modules/megalodon" ] \
  || ! cmp -s "$megalodon/package-lock.json" "$megalodon/node_modules/.perch-lock.json"; then
  (cd "$megalodon" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$megalodon/package-lock.json" "$megalodon/node_modules/.perch-lock.json"
fi
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
