#!/usr/bin/env bash
# Every check and test perch has: formatting, lints, then the unit and integration tests
# (which start real perch instances on loopback), on SQLite and on PostgreSQL. Run from anywhere: `bash tests/run.sh`.
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
# The interop suite (tests/it/interop.rs) runs independent ActivityPub servers beside perch: one
# built on Fedify (npm packages pinned in tests/interop/fedify/package-lock.json, installed with
# `npm ci` into its gitignored node_modules) and one built on bovine (pinned in
# tests/interop/bovine/requirements.txt, in a venv under target/). Each is redone only when its
# pins change. Node.js 20 or newer and npm must be on PATH.
if ! command -v npm >/dev/null || ! node -e 'process.exit(Number(process.versions.node.split(".")[0] < 20))'; then
  echo "tests/run.sh: the interop suite needs Node.js 20 or newer and npm on PATH" >&2
  exit 1
fi
fedify=tests/interop/fedify
if ! cmp -s "$fedify/package-lock.json" "$fedify/node_modules/.perch-lock"; then
  (cd "$fedify" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$fedify/package-lock.json" "$fedify/node_modules/.perch-lock"
fi
export PERCH_NODE="$(command -v node)"
interop_venv=target/interop-venv
if [ ! -x "$interop_venv/bin/python" ] \
  || ! cmp -s tests/interop/bovine/requirements.txt "$interop_venv/requirements.txt"; then
  python3 -m venv "$interop_venv"
  "$interop_venv/bin/pip" install --quiet --disable-pip-version-check \
    -r tests/interop/bovine/requirements.txt
  cp tests/interop/bovine/requirements.txt "$interop_venv/requirements.txt"
fi
export PERCH_BOVINE_PYTHON="$PWD/$interop_venv/bin/python"
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
# Every test on SQLite, then every test again on PostgreSQL (tests/postgres.sh starts one
# unless PERCH_TEST_POSTGRES_URL names one): each instance a test starts gets a database of
# its own there (tests/it/support/database.rs).
given_postgres="${PERCH_TEST_POSTGRES_URL:-}"
PERCH_TEST_POSTGRES_URL= cargo test --locked
PERCH_TEST_POSTGRES_URL="$given_postgres"
source tests/postgres.sh
cargo test --locked
