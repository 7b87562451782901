#!/usr/bin/env bash
# Starts `npm start` on a throwaway data folder and free ports, waits for /readyz, submits one application, stops.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
data=$(mktemp -d "$PWD/.tmp/smoke-XXXXXX")
chmod 755 "$data" # embedded PostgreSQL runs as its own user when we are root
log="$data/start.log"
export DOUDI_DATA_DIR="$data" PORT=${SMOKE_PORT:-3900} DOUDI_PG_PORT=${SMOKE_PG_PORT:-5499} \
  DOUDI_TEMPORAL_PORT=${SMOKE_TEMPORAL_PORT:-7299} DOUDI_TEMPORAL_UI_PORT=${SMOKE_TEMPORAL_UI_PORT:-8299}
unset DATABASE_URL TEMPORAL_ADDRESS
start=$(date +%s.%N)
setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -INT -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 180); do
  if curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "npm start died"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/readyz" || { tail -50 "$log"; exit 1; }
ready=$(date +%s.%N)
echo
awk -v a="$start" -v b="$ready" 'BEGIN { printf "npm start: /readyz 200 after %.1f s\n", b - a }'
token=$(npx tsx scripts/token.ts --role caseworker --region 410721100)
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/tasks" -H "Authorization: Bearer $token")
[ "$code" = 200 ] || { echo "GET /api/v1/tasks answered $code"; tail -50 "$log"; exit 1; }
echo "smoke check passed"
