#!/usr/bin/env bash
# Outbound dispatch: MESSAGES outbox rows (one per recipient) sent live through the http-sms-sink
# connector (sms-retail preset) to bench/FakeSmsGateway.java on loopback, with PostgreSQL.
#
#   RATE=10 MESSAGES=500 bash bench/dispatch.sh      # paced: never more than RATE in any second
#   RATE=0 MESSAGES=20000 bash bench/dispatch.sh     # unpaced: messages per second
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RATE=${RATE:-10}
MESSAGES=${MESSAGES:-500}
ensure_jar
fresh_database
# TCP_NODELAY: without it every answer waits ~40 ms for a delayed ACK (Nagle), and the fake, not the hub, sets the pace.
java -Dsun.net.httpserver.nodelay=true bench/FakeSmsGateway.java --port 8097 > "$OUT/fake-gateway.log" 2>&1 &
GW_PID=$!
export OUTBOUND_LIVE_TOGGLE=1 HUB_SMS_PROVIDER=sms-retail SMS_RETAIL_BASE_URL=http://127.0.0.1:8097 SMS_RETAIL_API_KEY=bench \
  SMS_RETAIL_FROM=+15550001111 SMS_RETAIL_RATE_PER_SECOND=$RATE HUB_QUIET_HOURS_FILE=bench/quiet-hours-open.yaml
start_hub
trap 'stop_hub; kill $GW_PID 2>/dev/null || true' EXIT

# Warm-up (JIT, connections), then the measured batch, queued in one statement so it is all due at once.
queue() { # $1 = key prefix, $2 = count
  "${PSQL[@]}" -c "INSERT INTO outbox (idempotency_key, phone, channel, body, purpose, campaign, attempt_id, status, next_attempt_at, created_at, updated_at)
    SELECT '$1:' || g, '+1415' || (2000000 + g), 'sms', 'Spring special: 20% off your first visit', 'message', 'bench', md5(g::text), 'PENDING',
           now() + interval '2 seconds', now(), now() FROM generate_series(1, $2) g"
}
done_count() { "${PSQL[@]}" -c "SELECT count(*) FROM outbox WHERE idempotency_key LIKE '$1:%' AND status NOT IN ('PENDING', 'SENDING')"; }

# A warm hub: the first sends load classes and open connections, which a running hub has long done.
WARM=$([ "$RATE" = "0" ] && echo 5000 || echo 30)
queue warm "$WARM"
until [ "$(done_count warm)" = "$WARM" ]; do sleep 1; done
sleep 2
curl -s -o /dev/null http://127.0.0.1:8097/reset
queue run "$MESSAGES"
until [ "$(done_count run)" = "$MESSAGES" ]; do sleep 0.5; done
stats=$(curl -s http://127.0.0.1:8097/stats)
echo "gateway saw: $stats"
echo "outbox: $("${PSQL[@]}" -c "SELECT status || ' ' || count(*) FROM outbox WHERE idempotency_key LIKE 'run:%' GROUP BY status" | tr '\n' ' ')"
python3 - "$stats" "$MESSAGES" "$RATE" <<'PY'
import json, sys
s = json.loads(sys.argv[1]); n = int(sys.argv[2]); rate = float(sys.argv[3])
print(f"{s['count']} accepted of {n}; {s['count'] / s['spanSeconds']:.0f} messages/s over {s['spanSeconds']:.1f} s; most in any one-second window: {s['maxPerSecondWindow']}")
print(f"gaps between arrivals: min {s['gapMs']['min']} ms, 1st percentile {s['gapMs']['p1']} ms, median {s['gapMs']['median']} ms")
if rate > 0:
    ideal = (n - 1) / rate
    print(f"paced at {rate:g}/s: took {s['spanSeconds']:.2f} s against an ideal {ideal:.2f} s ({100 * (s['spanSeconds'] - ideal) / ideal:+.1f}%)")
PY
