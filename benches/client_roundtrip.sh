#!/usr/bin/env bash
# The client round trip: two release perch instances on loopback (temporary data dirs), the
# Mastodon.py venv of tests/run.sh, and benches/client_roundtrip.py between them.
# Run from anywhere: `bash benches/client_roundtrip.sh` (after `bash tests/run.sh` made the venv).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
python=target/pyvenv/bin/python
[ -x "$python" ] || { echo "run bash tests/run.sh first (it makes the Mastodon.py venv)"; exit 1; }
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
urls=()
for name in a b; do
  port=$(free_port)
  export PERCH__FEDERATION__DEBUG=true PERCH__SERVER__DATA_DIR="$work/$name" \
    PERCH__SERVER__BIND="127.0.0.1:$port" PERCH__SERVER__DOMAIN="localhost:$port"
  printf 'pw-for-roundtrip' | target/release/perch passwd >/dev/null
  target/release/perch serve >"$work/$name.log" 2>&1 &
  pids+=($!)
  urls+=("http://localhost:$port")
done
sleep 1
"$python" benches/client_roundtrip.py "${urls[0]}" "${urls[1]}"
