#!/usr/bin/env bash
# Upgrade check: an older commit's `npm start` makes a data folder with a case in the middle of its process (timers
# running), then this checkout's `npm start` opens the same folder, replays the case on the new code and moves it on.
# Usage: bash scripts/upgrade-check.sh <older-commit>   (e.g. the commit before a workflow change)
set -euo pipefail
cd "$(dirname "$0")/.."
old_ref=${1:?usage: upgrade-check.sh <older-commit>}
here=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/doudi-upgrade-XXXXXX")
chmod 755 "$work" # embedded PostgreSQL runs as its own user when we are root
git worktree add --detach "$work/old" "$old_ref" >/dev/null
trap 'git -C "$here" worktree remove --force "$work/old" >/dev/null 2>&1 || true' EXIT
ln -s "$here/node_modules" "$work/old/node_modules"
ln -s "$here/.temporal-bin" "$work/old/.temporal-bin"
# The console is an npm workspace: its own node_modules, where npm put any (most packages are hoisted to the root).
if [ -d "$work/old/web" ] && [ -d "$here/web/node_modules" ]; then ln -s "$here/web/node_modules" "$work/old/web/node_modules"; fi
export DOUDI_DATA_DIR="$work/data" PORT=${UPGRADE_PORT:-3950} DOUDI_PG_PORT=${UPGRADE_PG_PORT:-5490} \
  DOUDI_TEMPORAL_PORT=${UPGRADE_TEMPORAL_PORT:-7290} DOUDI_TEMPORAL_UI_PORT=${UPGRADE_TEMPORAL_UI_PORT:-8290}
unset DATABASE_URL TEMPORAL_ADDRESS
mkdir -p "$DOUDI_DATA_DIR"; chmod 755 "$DOUDI_DATA_DIR"
API="http://127.0.0.1:$PORT/api/v1"

start() { # dir log
  (cd "$1" && setsid npm start >"$2" 2>&1) &
  pid=$!
  for _ in $(seq 1 180); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  tail -30 "$2"; echo "not ready"; exit 1
}
stop() { kill -INT -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
token() { (cd "$1" && npx tsx scripts/token.ts --role "$2" --region "$3" 2>/dev/null | tail -1); }
complete() { # token task outcome data
  curl -fsS -X POST "$API/tasks/$CASE:$2/complete" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' \
    -d "{\"outcome\":\"$3\",\"data\":$4}"
}

echo "== $old_ref: a case accepted, its deadlines running"
start "$work/old" "$work/old.log"
CW=$(token "$work/old" caseworker 410721100)
day() { date -d "$1 days ago" +%F; }
BODY=$(tr -d "\n" < test/support/application.json | sed "s/\"SELF_DECLARED\"/\"SELF_DECLARED\", \"receivedOn\": \"$(day 6)\"/")
CASE=$(curl -fsS -X POST "$API/applications" -H "Authorization: Bearer $CW" -H 'Content-Type: application/json' -d "$BODY" \
  | sed 's/.*"caseId":"\([^"]*\)".*/\1/')
complete "$CW" accept:1 ACCEPTED "{\"effectiveOn\":\"$(day 5)\"}" >/dev/null
stop

echo "== $(git rev-parse --short HEAD): the same data folder"
start "$here" "$work/new.log"
CW=$(token "$here" caseworker 410721100)
complete "$CW" homeVisit:1 DONE "{\"effectiveOn\":\"$(day 4)\"}" >/dev/null
answer=$(complete "$CW" economicCheck:1 DONE "{\"effectiveOn\":\"$(day 4)\"}")
stop
if grep -qi nondetermin "$work/new.log"; then echo "nondeterminism on replay:"; grep -i nondetermin "$work/new.log" | head -3; exit 1; fi
echo "$answer" | grep -q '"firstReview"' || { echo "the case did not move on: $answer"; exit 1; }
echo "upgrade check passed: case $CASE started on $old_ref moved on to firstReview on this checkout"
