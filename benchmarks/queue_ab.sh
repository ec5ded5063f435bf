#!/usr/bin/env bash
# The work-queue page served by this checkout and by another revision, alternately, in one
# sitting: what a change to the queue costs, apart from the machine's hour (docs/benchmarks.md,
# run U). Needs a loaded benchmark database (benchmarks/server.py --keep) whose schema both
# revisions can read, and wrk.
#
#   benchmarks/queue_ab.sh REV [ROUNDS] [SECONDS]
#
# KETEN_DATABASE_URL: the benchmark database (default: scripts/postgres's keten_bench on 54350).
# An index the other revision reads must exist too (create it beforehand, drop it after).
set -euo pipefail
rev=${1:?usage: benchmarks/queue_ab.sh REV [ROUNDS] [SECONDS]}
rounds=${2:-3}
seconds=${3:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
export KETEN_DATABASE_URL=${KETEN_DATABASE_URL:-postgresql://keten:keten@127.0.0.1:54350/keten_bench}
other=$(mktemp -d)
git -C "$here" worktree add -q --detach "$other" "$rev"
lua=$(mktemp --suffix=.lua)
trap 'git -C "$here" worktree remove --force "$other"; rm -f "$lua"' EXIT
token=$(psql "$KETEN_DATABASE_URL" -Atc "SELECT t.key FROM authtoken_token t JOIN auth_user u ON u.id = t.user_id WHERE u.username = 'ind'")
cat > "$lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/queue?page=" .. math.random(1, 20),
    {["Authorization"] = "Token $token"})
end
LUA
port=8155
for round in $(seq 1 "$rounds"); do
  for variant in this "$rev"; do
    dir=$here; [ "$variant" = this ] || dir=$other
    PYTHONPATH=$dir "$here/.venv/bin/python" -c "from keten.cli import main; main()" \
      server run --port $port --workers 2 --threads 2 --connections-per-worker 25 \
      >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 1 40); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/me" && break; sleep 0.5; done
    wrk -c50 -t2 -d5s -s "$lua" "http://127.0.0.1:$port" >/dev/null  # warm up
    out=$(wrk -c50 -t2 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port")
    echo "round $round $variant: $(echo "$out" | grep -E '^ +50%|^ +90%|Requests/sec|Non-2xx' | tr -s ' ' | tr '\n' ' ')"
    kill "$server" 2>/dev/null || true
    pkill -f "granian.*--port $port" 2>/dev/null || true
    sleep 2
  done
done
