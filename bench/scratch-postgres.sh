#!/usr/bin/env bash
# A throwaway PostgreSQL cluster in memory (/dev/shm), to tell the database's disk apart from the
# code in a benchmark: same server binaries and defaults as the machine's cluster, fsync and
# synchronous_commit on, but its WAL flushes land in RAM. Not durable: for measurements only.
#
#   bench/scratch-postgres.sh start            # prints the BENCH_PG_URL to use (port 5433)
#   BENCH_PG_URL=postgres://postgres@127.0.0.1:5433/postgres node bench/chat/run.mjs
#   bench/scratch-postgres.sh stop             # stops it and deletes its files
#
# PG_BIN (default: the newest /usr/lib/postgresql/*/bin), PORT (default 5433), DIR (default
# /dev/shm/kinship-bench-pg). Run as root, it runs the server as the postgres user.
set -euo pipefail

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PORT="${PORT:-5433}"
DIR="${DIR:-/dev/shm/kinship-bench-pg}"

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-}" in
  start)
    [ -x "$PG_BIN/initdb" ] || { echo "no initdb in '$PG_BIN' (set PG_BIN)" >&2; exit 1; }
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      as_owner "'$PG_BIN/initdb' -D '$DIR/data' -U postgres --auth=trust >'$DIR/initdb.log'"
    fi
    as_owner "'$PG_BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w \
      -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1\" start" >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "'$PG_BIN/pg_ctl' -D '$DIR/data' -m fast -w stop" >/dev/null
    fi
    rm -rf "$DIR"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
