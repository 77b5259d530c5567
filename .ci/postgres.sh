#!/usr/bin/env bash
# Starts a PostgreSQL on localhost for examples/river's tests, from the
# distribution's packages, and prints the URL of an empty test database.
# Fails (and CI goes on, the Postgres tests skipping) when PostgreSQL can
# be neither found nor installed.
set -uo pipefail
log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		log "no PostgreSQL and no apt-get as root to install it"
		exit 1
	fi
	log "installing postgresql"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get update -qq >&2 || { log "apt-get update failed"; exit 1; }
	timeout 600 apt-get install -y -qq postgresql >&2 || { log "apt-get install postgresql failed"; exit 1; }
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main"' | grep -q .; then
	pg_createcluster "$ver" main >&2 || { log "pg_createcluster failed"; exit 1; }
fi
pg_ctlcluster "$ver" main start >&2 2>&1 || true
port=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 30); do
	pg_isready -q -h localhost -p "$port" && break
	sleep 1
done
pg_isready -q -h localhost -p "$port" || { log "PostgreSQL $ver did not start"; exit 1; }
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -p $port -qAt -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'parcours'")" != 1 ]; then
	psql_admin "CREATE ROLE parcours LOGIN SUPERUSER PASSWORD 'parcours'" || exit 1
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'parcours_test'")" != 1 ]; then
	psql_admin "CREATE DATABASE parcours_test OWNER parcours" || exit 1
fi
# A test database: commits need not wait for the disk.
psql_admin "ALTER DATABASE parcours_test SET synchronous_commit = off" || exit 1
echo "postgres://parcours:parcours@localhost:$port/parcours_test"
