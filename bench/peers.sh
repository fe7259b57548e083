#!/usr/bin/env bash
# The hub and Node-RED doing the same ingest job side by side (issue 26): one request file of
# Twilio-signed texts from ../shared/peers, replayed at 32 connections against each in turn
# (hub, Node-RED, hub, Node-RED, ...), every stored row checked against what was sent.
#
#   ../shared/peers/install.sh tools node24 node-red db     # once: wrk, Node 24, Node-RED, its database
#   bash bench/peers.sh                                      # PAIRS=3 DURATION=20
#   SMS_BOT_ENABLED=true bash bench/peers.sh                 # the hub also answers every text
#
# Both servers stay up for the whole run, so neither pays for a restart. The hub is warmed until
# its JIT is done: rounds of new texts until the compiled-method count (jstat -compiler) grows by
# less than 1% in a round and the round's rate is within 5% of the one before.
# Per run: requests/s, p99, the hub's backlog after the load, and CPU per text (from /proc, ticks of
# 10 ms) of the server under load and of PostgreSQL, over the load plus, for the hub, until its
# backlog is 0 again (its processing stage runs after the answer).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

PEERS_DIR=${PEERS_DIR:-$(cd ../shared/peers 2>/dev/null && pwd || true)}
[ -n "$PEERS_DIR" ] && [ -f "$PEERS_DIR/bench.sh" ] || { echo "no peer harness at ../shared/peers (set PEERS_DIR)" >&2; exit 1; }
PAIRS=${PAIRS:-3}
export SMS_BOT_ENABLED=${SMS_BOT_ENABLED:-false}
export DURATION=${DURATION:-20} REQUESTS=${REQUESTS:-150000} WARMUP=${WARMUP:-5}
# shellcheck source=/dev/null
. "$PEERS_DIR/lib/common.sh"
[ -f "$PEERS_HOME/node-red/node_modules/node-red/red.js" ] || {
  echo "Node-RED is not installed: run $PEERS_DIR/install.sh tools node24 node-red db" >&2
  exit 1
}
command -v wrk > /dev/null || { echo "wrk is missing: run $PEERS_DIR/install.sh tools" >&2; exit 1; }

# The warm-up writes its request files before bench.sh has made its directories (on a fresh machine).
mkdir -p "$PEERS_RUN/requests" "$PEERS_RUN/results"
# The hub checks signatures against the same public URL and token as every peer, on the same path.
BENCH_TOKEN=$SMSB_TOKEN
PUBLIC_URL=${SMSB_SIGN_URL%/sms}
export HUB_PGDATABASE=$BENCH_DB
ensure_jar
fresh_database
start_hub
NODE_RED_PID=$("$PEERS_DIR/node-red/start.sh" "$NODE_RED_PORT")
SAMPLER_PID=
trap 'kill $SAMPLER_PID 2>/dev/null || true; stop_pid "$NODE_RED_PID" 30 || true; stop_hub' EXIT

HUB_URL="http://127.0.0.1:$HUB_PORT/sms"
NODE_RED_URL="http://127.0.0.1:$NODE_RED_PORT/sms"
echo "hub pid $HUB_PID, Node-RED pid $NODE_RED_PID; replies on the hub: $SMS_BOT_ENABLED"

# Warm the hub: 10-second rounds, each of texts it has not seen (a repeated MessageSid is answered
# from the dedupe path and would warm the wrong code), until the JIT has settled.
compiled() { jstat -compiler "$HUB_PID" | awk 'NR == 2 {print $1}'; }
previous_rate=0
for round in $(seq 1 30); do
  warm="$PEERS_RUN/requests/hub-warm-$round.txt"
  [ -s "$warm" ] || python3 "$PEERS_DIR/gen_requests.py" --url "$HUB_URL" --sign-url "$SMSB_SIGN_URL" --token "$SMSB_TOKEN" \
    -n 40000 --seed $((9000 + round)) --optout-ratio "$OPTOUT_RATIO" --account-sid "$SMSB_ACCOUNT_SID" -o "$warm" > /dev/null
  before=$(compiled)
  rate=$(SMSB_RESULT="$OUT/warm-round.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d10s --timeout "$WRK_TIMEOUT" \
    -s "$PEERS_DIR/replay.lua" "$HUB_URL" -- "$warm" "$THREADS" once 2> /dev/null | awk '/Requests\/sec/ {printf "%d", $2}')
  after=$(compiled)
  growth=$(echo "scale=2; 100 * ($after - $before) / $after" | bc)
  echo "warm-up round $round: $rate requests/s, compiled methods $after (+$growth%)"
  settled=$(echo "$round >= 3 && $growth < 1 && $previous_rate > 0 && ($rate - $previous_rate)^2 < (0.05 * $previous_rate)^2" | bc)
  [ "$settled" = 1 ] && break
  previous_rate=$rate
  wait_processed 60 > /dev/null
done
"$PEERS_DIR/bench.sh" --name node-red-first --url "$NODE_RED_URL" --duration 10 --warmup 1 > /dev/null 2>&1
sleep 5
wait_processed 60 > /dev/null

# Every 0.25 s: time, CPU ticks of the hub, Node-RED and PostgreSQL, and the hub's backlog.
SAMPLES="$OUT/peers-samples.txt"
: > "$SAMPLES"
(
  while true; do
    echo "$(date +%s.%N) $(cpu_ticks "$HUB_PID") $(cpu_ticks $(pgrep -g "$NODE_RED_PID" | tr '\n' ' ')) $(cpu_ticks postgres) $(unprocessed)" >> "$SAMPLES"
    sleep 0.25
  done
) &
SAMPLER_PID=$!

RESULTS="$OUT/peers-runs.txt"
: > "$RESULTS"
run() { # name url verify
  local name=$1 url=$2 verify=$3 start end
  start=$(date +%s.%N)
  "$PEERS_DIR/bench.sh" --name "$name" --url "$url" --verify "$verify" > "$OUT/$name.bench.txt" 2>&1 || true
  # wrk writes the result when the load ends; the warm-up and the drain are before and after it
  end=$(python3 -c "import os; print(os.path.getmtime('$PEERS_RUN/results/$name.json'))")
  echo "$name $end" >> "$RESULTS"
  tail -n 1 "$OUT/$name.bench.txt"
}
# Each pair replays a request file of its own (the hub keeps what it stored, so a replayed file would
# be all duplicates); the hub and Node-RED of one pair get the same file.
BASE_SEED=$SEED
for pair in $(seq 1 "$PAIRS"); do
  export SEED=$((BASE_SEED + 2 * pair)) # bench.sh warms up with SEED + 1: no file is used twice
  run "hub-$pair" "$HUB_URL" hub
  run "node-red-$pair" "$NODE_RED_URL" db
  wait_processed 60 > /dev/null
done
sleep 2
kill $SAMPLER_PID 2>/dev/null || true

python3 bench/peers_summary.py "$PEERS_RUN/results" "$RESULTS" "$SAMPLES" "$DURATION" "$(getconf CLK_TCK)"
