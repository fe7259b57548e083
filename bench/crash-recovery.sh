#!/usr/bin/env bash
# kill -9 under load: the hub on PostgreSQL takes signed webhooks at concurrency 32, is killed with
# SIGKILL mid-run and restarted while the load goes on. Afterwards every request that got a 2xx must
# be in the database exactly once and processed (the recovery sweep picks up what the dead process
# had acknowledged but not processed).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

KILL_AFTER=${KILL_AFTER:-10}
REQUESTS=${REQUESTS:-400000}
SECONDS_OF_LOAD=${SECONDS_OF_LOAD:-45}

ensure_jar
fresh_database
start_hub
trap stop_hub EXIT

java -Xmx1g bench/IngestBench.java --requests "$REQUESTS" --concurrency 32 --port "$HUB_PORT" --max-seconds "$SECONDS_OF_LOAD" \
  --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked-crash.txt" > "$OUT/crash-load.txt" 2>&1 &
LOAD=$!

sleep "$KILL_AFTER"
kill -9 "$HUB_PID"
wait "$HUB_PID" 2>/dev/null || true
echo "hub killed with SIGKILL after ${KILL_AFTER}s of load"
echo "stored at the kill: $("${PSQL[@]}" -c 'SELECT count(*) FROM inbound_event'), of which unprocessed: $(unprocessed)"

start_hub
wait "$LOAD" || true
cat "$OUT/crash-load.txt" | grep -E "requests:|throughput"
wait_processed 90
verify_acked "$OUT/acked-crash.txt"
