#!/usr/bin/env bash
# The README's start command, checked: `npm start` on a throwaway data folder and spare ports reaches /readyz, takes an
# application, stops on Ctrl-C, and a second `npm start` finds the same case with its process still running.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp
data=$(mktemp -d "$PWD/.tmp/smoke-XXXXXX")
chmod 755 "$data" # embedded PostgreSQL runs as its own user when we are root
export DOUDI_DATA_DIR="$data" PORT=${SMOKE_PORT:-3900} DOUDI_PG_PORT=${SMOKE_PG_PORT:-5499} \
  DOUDI_TEMPORAL_PORT=${SMOKE_TEMPORAL_PORT:-7299} DOUDI_TEMPORAL_UI_PORT=${SMOKE_TEMPORAL_UI_PORT:-8299}
unset DATABASE_URL TEMPORAL_ADDRESS
API="http://127.0.0.1:$PORT"
pid=""

start() {
  local t0 t1
  t0=$(date +%s.%N)
  setsid npm start >>"$data/start.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 180); do
    curl -fsS "$API/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$data/start.log"; echo "npm start died"; exit 1; }
    sleep 0.5
  done
  curl -fsS "$API/readyz" >/dev/null || { tail -50 "$data/start.log"; echo "not ready"; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" -v n="$1" 'BEGIN { printf "npm start (%s): /readyz 200 after %.1f s\n", n, b - a }'
}
stop() {
  [ -n "$pid" ] || return 0
  kill -INT -- -"$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap 'stop; rm -rf "$data"' EXIT

start "cold"
curl -fsS "$API/" | grep -q '<div id="root">' || { echo "the console is not served at /"; exit 1; }
echo "the console is served at /"
for _ in $(seq 1 20); do grep -q 'Console sign-ins' "$data/start.log" && break; sleep 0.5; done
grep -q 'Console sign-ins' "$data/start.log" || { echo "npm start printed no console sign-ins"; exit 1; }
token=$(npx tsx scripts/token.ts --role caseworker --region 410721100)
case_id=$(curl -fsS -X POST "$API/api/v1/applications" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{
  "regionCode": "410721100", "people": [{ "memberId": "m1", "name": "测试", "idNumber": "410721197506150021" }],
  "household": { "residence": "RURAL", "members": [{ "memberId": "m1", "relation": "APPLICANT", "birthDate": "1975-06-15",
    "laborCapacity": "PARTIAL", "seriousIllness": false, "studentLevel": "NONE", "employed": false }], "incomes": [],
    "assets": { "deposits": 0, "vehicles": 0, "vehicleValue": 0, "extraHousing": 0, "businessAssets": 0 },
    "rigidExpenditure12m": { "medical": 0, "education": 0, "rehabilitation": 0 }, "legalSupporters": [] } }' \
  | sed 's/.*"caseId":"\([^"]*\)".*/\1/')
echo "submitted case $case_id"
stop
echo "stopped with Ctrl-C"

start "warm, same data"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$API/api/v1/tasks/$case_id:accept:1/complete" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"outcome":"ACCEPTED"}')
[ "$code" = 200 ] || { echo "completing the case's accept task after a restart answered $code"; tail -50 "$data/start.log"; exit 1; }
echo "the case survived the restart and its process moved on"
echo "smoke check passed"
