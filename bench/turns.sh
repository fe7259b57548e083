#!/usr/bin/env bash
# Conversation turns: signed texts in at a fixed rate, model-written replies into the outbox, against
# a fake chat model on loopback (bench/FakeChatModel.java). Outbound stays simulated.
#
#   bash bench/turns.sh                                     # instant model, 2,000 conversations
#   MODEL_DELAY_MS=1000 PHONES=200 RATE=200 bash bench/turns.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

MODEL_DELAY_MS=${MODEL_DELAY_MS:-0}
PHONES=${PHONES:-2000}
RATE=${RATE:-600}
SECONDS_OF_LOAD=${SECONDS_OF_LOAD:-30}
WARMUP=${WARMUP:-20000}
REQUESTS=$(( RATE * SECONDS_OF_LOAD ))

ensure_jar
fresh_database
# TCP_NODELAY: without it every answer waits ~40 ms for a delayed ACK, and an "instant" model is not.
java -Dsun.net.httpserver.nodelay=true bench/FakeChatModel.java --port 8099 --delay-ms "$MODEL_DELAY_MS" > "$OUT/fake-model.log" 2>&1 &
MODEL_PID=$!
# The product's guards (30 texts per phone per hour, 20 model turns per conversation) would stop a
# benchmark's conversations early; they are lifted here so every text is a turn.
export SMS_BOT_ENABLED=true OPENAI_API_KEY=bench-not-a-real-key OPENAI_BASE_URL=http://127.0.0.1:8099/v1 \
  SMS_RATE_LIMIT_PER_HOUR=1000000 SMS_MAX_AI_TURNS=1000000
start_hub
trap 'stop_hub; kill $MODEL_PID 2>/dev/null || true' EXIT

# A turn: a text answered by a model-written reply in the outbox.
replies() { "${PSQL[@]}" -c "SELECT count(*) FROM reply_task WHERE outcome = 'ai'"; }

echo "warm-up: $WARMUP texts"
java -Xmx1g bench/IngestBench.java --requests "$WARMUP" --concurrency 32 --rate 1000 --phones "$PHONES" --bodies ordinary --port "$HUB_PORT" \
  --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked-turns-warmup.txt" | grep -E "throughput|latency"
for _ in $(seq 1 120); do [ "$("${PSQL[@]}" -c "SELECT count(*) FROM reply_task WHERE status = 'PENDING'")" = "0" ] && break; sleep 1; done

before=$(replies)
MODEL_JVM=$(pgrep -f "FakeChatModel.java --port 8099" | head -n 1) # the JVM itself, not a shell around it
cpu_before=($(cpu_ticks "$HUB_PID") $(cpu_ticks postgres) $(cpu_ticks "$MODEL_JVM") $(machine_ticks))
start=$(date +%s.%N)
java -Xmx1g bench/IngestBench.java --requests "$REQUESTS" --concurrency 32 --rate "$RATE" --phones "$PHONES" --bodies ordinary \
  --port "$HUB_PORT" --public-url "http://localhost:$HUB_PORT" --token "$BENCH_TOKEN" --acked "$OUT/acked-turns.txt" | tee "$OUT/turns-load.txt" \
  | grep -E "requests:|throughput|latency"
end=$(date +%s.%N)
during=$(( $(replies) - before ))
cpu_after=($(cpu_ticks "$HUB_PID") $(cpu_ticks postgres) $(cpu_ticks "$MODEL_JVM") $(machine_ticks))
echo "turns completed during the ${SECONDS_OF_LOAD}s of load: $during -> $(echo "$during / ($end - $start)" | bc -l | cut -d. -f1) turns/s (model delay ${MODEL_DELAY_MS} ms, $PHONES conversations)"
# Where the machine's CPU went, per completed turn (ticks are 10 ms); "other" is mostly the load generator.
per_turn() { echo "scale=2; ($2 - $1) * 10 / $during" | bc; }
hub_ms=$(per_turn "${cpu_before[0]}" "${cpu_after[0]}"); pg_ms=$(per_turn "${cpu_before[1]}" "${cpu_after[1]}")
model_ms=$(per_turn "${cpu_before[2]}" "${cpu_after[2]}"); all_ms=$(per_turn "${cpu_before[3]}" "${cpu_after[3]}")
echo "CPU per turn: hub $hub_ms ms, PostgreSQL $pg_ms ms, fake model $model_ms ms, machine $all_ms ms (other $(echo "$all_ms - $hub_ms - $pg_ms - $model_ms" | bc) ms)"
for _ in $(seq 1 120); do [ "$("${PSQL[@]}" -c "SELECT count(*) FROM reply_task WHERE status = 'PENDING'")" = "0" ] && break; sleep 1; done
echo "after draining: $("${PSQL[@]}" -c "SELECT status || ' ' || count(*) FROM reply_task GROUP BY status ORDER BY 1" | tr '\n' ' ')"
echo "replies from the model: $("${PSQL[@]}" -c "SELECT count(*) FROM reply_task WHERE outcome = 'ai'"), fallbacks: $("${PSQL[@]}" -c "SELECT count(*) FROM reply_task WHERE outcome LIKE 'fallback%'")"
