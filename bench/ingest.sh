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
# A fresh JVM spends its first tens of thousands of requests compiling; the warm-up run is
# verified like the measured one but its figures are not the result.
WARMUP=${WARMUP:-100000}

ensure_jar
fresh_database
start_hub
trap stop_hub EXIT

if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: $WARMUP requests"
  java -Xmx1g bench/IngestBench.java --requests "$WARMUP" --concurrency "$CONCURRENCY" ${BODIES:+--bodies "$BODIES"} --port "$HUB_PORT" \
    --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked-warmup.txt" | grep -E "throughput|latency"
  wait_processed 60
fi

RUNS=${RUNS:-3}
: > "$OUT/ingest.txt"
cp "$OUT/acked-warmup.txt" "$OUT/acked-all.txt" 2>/dev/null || : > "$OUT/acked-all.txt"
for run in $(seq 1 "$RUNS"); do
  echo "run $run of $RUNS"
  sample_backlog &
  SAMPLER=$!
  java -Xmx1g bench/IngestBench.java --requests "$REQUESTS" --concurrency "$CONCURRENCY" --rate "$RATE" ${BODIES:+--bodies "$BODIES"} --port "$HUB_PORT" \
    --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked.txt" | tee -a "$OUT/ingest.txt"
  kill "$SAMPLER" 2>/dev/null || true
  echo "unprocessed right after the last answer: $(unprocessed)"
  wait_processed 60
  cat "$OUT/acked.txt" >> "$OUT/acked-all.txt"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median of $RUNS runs: $(grep -oE 'throughput: [0-9]+' "$OUT/ingest.txt" | awk '{print $2}' | median) requests/s," \
  "p50 $(grep -oE 'p50 [0-9.]+' "$OUT/ingest.txt" | awk '{print $2}' | median) ms," \
  "p99 $(grep -oE 'p99 [0-9.]+' "$OUT/ingest.txt" | awk '{print $2}' | median) ms"
verify_acked "$OUT/acked-all.txt"
