#!/usr/bin/env bash
# Screenshots of the Aspire dashboard (Resources, Traces, Metrics) into docs/dashboard/ (or $1), as a new user sees
# it: the AppHost run as the README runs it (http profile: dashboard at :18888, gateway :4000, orchestrator :3000),
# one key pinned to each layer (redis, lambda, s3) and GETs until each is served by its layer, then headless
# Chromium (npm puppeteer-core, installed into scripts/dashboard/ when missing). Needs the solution built.
# Everything it starts is stopped when it ends. Usage: scripts/dashboard-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/dashboard}")
mkdir -p "$out"

for port in 18888 4000 3000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use (another AppHost?): stop it first" >&2
    exit 1
  fi
done

if [ ! -d scripts/dashboard/node_modules/puppeteer-core ]; then
  npm install --prefix scripts/dashboard --no-audit --no-fund --loglevel=error >/dev/null
fi

key=$(openssl rand -hex 24)
objects=$(mktemp -d)
log=$(mktemp)
setsid dotnet run --project ReactiveCache.AppHost --no-build --launch-profile http -- \
  "Parameters:control-api-key=$key" "ObjectStore:Root=$objects" CacheNode:BootDelay=00:00:02 >"$log" 2>&1 &
apphost=$!
stop() {
  kill -TERM -- "-$apphost" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$apphost" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$apphost" 2>/dev/null || true
  rm -rf "$objects" "$log"
}
trap stop EXIT

wait_for() { # URL WHAT
  for _ in $(seq 180); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 1
  done
  echo "$2 did not come up; AppHost log:" >&2
  tail -40 "$log" >&2
  exit 1
}
wait_for http://localhost:18888/ "the dashboard"
wait_for http://localhost:4000/health "the gateway"
wait_for http://localhost:3000/health "the orchestrator"

declare -A pins=([1KB.txt]=redis [100B.txt]=lambda [index.html]=s3)
for object in "${!pins[@]}"; do
  curl -fs -o /dev/null -X PUT -H "Authorization: Bearer $key" "http://localhost:3000/routes/$object?layer=${pins[$object]}"
done
for object in "${!pins[@]}"; do
  layer=${pins[$object]}
  served=""
  for _ in $(seq 120); do
    served=$(curl -fs -o /dev/null -D - "http://localhost:4000/objects/$object" | tr -d '\r' | sed -n 's/^[Cc]ontent-[Oo]rigin: //p')
    [ "$served" = "$layer" ] && break
    sleep 1
  done
  [ "$served" = "$layer" ] || { echo "$object was not served by $layer (last: $served)" >&2; exit 1; }
  echo "$object served by $layer"
done
# A few more of each, so that the metrics have a curve.
for _ in $(seq 5); do
  for object in "${!pins[@]}"; do curl -fs -o /dev/null "http://localhost:4000/objects/$object"; done
  sleep 1
done
sleep 5
node scripts/dashboard/screenshots.mjs "$out" http://localhost:18888
