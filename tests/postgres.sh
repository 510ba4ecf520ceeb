# Sourced by tests/run.sh: a throwaway PostgreSQL for the suite's second pass, unless
# PERCH_TEST_POSTGRES_URL already names one. It is the distribution's server (Debian's
# postgresql package, installed with apt where it is missing), a new cluster in a temporary
# directory that listens on a Unix socket there only (no TCP port to collide on), with
# password authentication as a real server has, and fsync off (its data is thrown away).
# Sets PERCH_TEST_POSTGRES_URL and stops the cluster when the script exits.
if [ -z "${PERCH_TEST_POSTGRES_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql libpq-dev >/dev/null
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    else
      echo "tests/run.sh: the PostgreSQL pass needs PostgreSQL's server (Debian: apt install postgresql)," >&2
      echo "or PERCH_TEST_POSTGRES_URL naming a server whose user may create databases" >&2
      exit 1
    fi
  fi
  pg_dir=$(mktemp -d /tmp/perch-pg.XXXXXX)
  pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$pg_password" >"$pg_dir/password"
  # initdb and the server refuse to run as root: there they run as the postgres user.
  as_owner=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    as_owner=(runuser -u postgres --)
  fi
  "${as_owner[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U perch --pwfile="$pg_dir/password" \
    --auth=scram-sha-256 -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-k $pg_dir -c listen_addresses= -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=400" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; exit 1; }
  trap '"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
  PERCH_TEST_POSTGRES_URL="postgres://perch:$pg_password@$(printf %s "$pg_dir" | sed 's|/|%2F|g')/postgres"
  export PERCH_TEST_POSTGRES_URL
fi
