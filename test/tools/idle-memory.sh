#!/usr/bin/env bash
# The hub's idle resident memory on PostgreSQL: `npm start` on a fresh database, 10 s after it answers
# /healthz, VmRSS of the process listening on the port (and its command line).
# Usage: bash test/tools/idle-memory.sh [database-url-without-db]   (default postgres://root@127.0.0.1:5432)
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-postgres://root@127.0.0.1:5432}
db=ccx_idle_$$
port=3977
psql "$base/postgres" -qc "create database $db" >/dev/null
data=$(mktemp -d)
DATABASE_URL="$base/$db" PORT=$port CCX_DATA_DIR="$data" LOG_LEVEL=warn npm start >"$data/log" 2>&1 &
starter=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
sleep 10
pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
echo "process: $(tr '\0' ' ' </proc/$pid/cmdline)"
grep -E 'VmRSS' /proc/$pid/status
kill "$pid" 2>/dev/null || true
wait "$starter" 2>/dev/null || true
psql "$base/postgres" -qc "drop database $db" >/dev/null
rm -rf "$data"
