#!/usr/bin/env bash
# Ingest benchmark: the hub on PostgreSQL (a fresh database hub_bench), signed webhooks replayed at
# concurrency 32, then the database is checked against every 2xx answer.
#
#   bash bench/ingest.sh                 # closed loop, as fast as the hub answers
#   RATE=2500 bash bench/ingest.sh       # paced at 2,500 requests/s (latency at a fixed load)
#   REQUESTS=200000 bash bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

REQUESTS=${REQUESTS:-150000}
CONCURRENCY=${CONCURRENCY:-32}
RATE=${RATE:-0}

ensure_jar
fresh_database
start_hub
trap stop_hub EXIT

sample_backlog &
SAMPLER=$!
java -Xmx1g bench/IngestBench.java --requests "$REQUESTS" --concurrency "$CONCURRENCY" --rate "$RATE" --port "$HUB_PORT" \
  --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked.txt" | tee "$OUT/ingest.txt"
kill "$SAMPLER" 2>/dev/null || true

echo "unprocessed right after the last answer: $(unprocessed)"
wait_processed 60
verify_acked "$OUT/acked.txt"
