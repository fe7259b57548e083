#!/usr/bin/env bash
# Sequence processing at scale: TOTAL enrollments of which DUE are due now, one SMS step each, handed
# by the processor to dispatch and sent live to bench/FakeSmsGateway.java (unpaced), with PostgreSQL.
# Prints how long until the gateway had every due step, and the cost per due step. A warm-up batch
# (WARMUP due enrollments, 5,000 by default) runs first and is not counted.
#
#   TOTAL=1000000 DUE=100000 bash bench/sequences.sh
#   TOTAL=10000 DUE=1000 bash bench/sequences.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

TOTAL=${TOTAL:-1000000}
DUE=${DUE:-100000}
WARMUP=${WARMUP:-5000}
ensure_jar
fresh_database
# TCP_NODELAY: without it every answer waits ~40 ms for a delayed ACK (Nagle), and the fake sets the pace.
java -Dsun.net.httpserver.nodelay=true bench/FakeSmsGateway.java --port 8097 > "$OUT/fake-gateway.log" 2>&1 &
GW_PID=$!
# The schedule is moved out of the way: the run is triggered once, through the API, and timed.
export OUTBOUND_LIVE_TOGGLE=1 HUB_SMS_PROVIDER=sms-retail SMS_RETAIL_BASE_URL=http://127.0.0.1:8097 SMS_RETAIL_API_KEY=bench \
  SMS_RETAIL_FROM=+15550001111 SMS_RETAIL_RATE_PER_SECOND=0 HUB_QUIET_HOURS_FILE=bench/quiet-hours-open.yaml \
  HUB_SEQUENCES_CRON='0+0+0+1+1+?'
start_hub
trap 'stop_hub; kill $GW_PID 2>/dev/null || true' EXIT
API=(curl -sf -H "X-API-Key: bench-key" -H "Content-Type: application/json")

"${API[@]}" -o /dev/null -X POST "http://127.0.0.1:$HUB_PORT/api/scripts" \
  -d '{"name":"bench-offer","channel":"SMS","body":"Hi {{firstName}}, {{business}} has a spring offer for you."}'
SEQ=$("${API[@]}" -X POST "http://127.0.0.1:$HUB_PORT/api/sequences" \
  -d '{"name":"bench","status":"ACTIVE","steps":[{"channel":"SMS","delay":{"value":0,"unit":"minutes"},"script":"bench-offer"}]}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

count_at_gateway() { curl -s http://127.0.0.1:8097/stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])'; }

# Warm-up: a JVM's first thousands of steps are spent compiling; a running hub has long done that.
echo "warm-up: $WARMUP due enrollments"
"${PSQL[@]}" -c "INSERT INTO leads (phone, name, source, status, created_at, updated_at)
  SELECT '+1' || (3000000000 + g), 'Warm ' || g, 'BULK', 'NEW', now(), now() FROM generate_series(1, $WARMUP) g"
"${PSQL[@]}" -c "INSERT INTO enrollment (sequence_id, lead_id, status, next_position, next_run_at, enrolled_at, updated_at)
  SELECT $SEQ, id, 'ACTIVE', 1, now() - interval '1 minute', now(), now() FROM leads"
"${API[@]}" -o /dev/null -X POST --max-time 600 "http://127.0.0.1:$HUB_PORT/api/scheduler/process-sequences"
until [ "$(count_at_gateway)" -ge "$WARMUP" ]; do sleep 0.5; done

echo "creating $TOTAL enrollments, $DUE due now"
"${PSQL[@]}" -c "INSERT INTO leads (phone, name, source, status, created_at, updated_at)
  SELECT '+1' || (2000000000 + g), 'Lead ' || g, 'BULK', 'NEW', now(), now() FROM generate_series(1, $TOTAL) g"
"${PSQL[@]}" -c "INSERT INTO enrollment (sequence_id, lead_id, status, next_position, next_run_at, enrolled_at, updated_at)
  SELECT $SEQ, id, 'ACTIVE', 1, CASE WHEN phone <= '+1' || (2000000000 + $DUE) THEN now() - interval '1 minute' ELSE now() + interval '30 days' END,
    now(), now() FROM leads WHERE phone LIKE '+12%'"
"${PSQL[@]}" -c "VACUUM ANALYZE leads" -c "VACUUM ANALYZE enrollment"
curl -s -o /dev/null http://127.0.0.1:8097/reset

start=$(date +%s.%N)
pass=$("${API[@]}" -X POST --max-time 600 "http://127.0.0.1:$HUB_PORT/api/scheduler/process-sequences")
handed=$(date +%s.%N)
echo "processor: $pass in $(echo "$handed - $start" | bc -l | cut -c1-6) s"
until [ "$(count_at_gateway)" -ge "$DUE" ]; do
  sleep 0.5
  [ "$(echo "$(date +%s) - ${start%.*} > 600" | bc)" = 1 ] && { echo "gave up after 600 s"; break; }
done
end=$(date +%s.%N)
sent=$(count_at_gateway)
executions=$("${PSQL[@]}" -c "SELECT count(*) FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id JOIN leads l ON l.id = e.lead_id
  WHERE l.phone LIKE '+12%'")
python3 - "$start" "$handed" "$end" "$DUE" "$TOTAL" "$sent" "$executions" <<'PY'
import sys
start, handed, end = map(float, sys.argv[1:4]); due, total, sent, executions = map(int, sys.argv[4:8])
print(f"{total} enrollments, {due} due: {executions} steps executed, {sent} at the gateway")
print(f"handed to dispatch in {handed - start:.1f} s; all at the gateway {end - start:.1f} s after the trigger")
print(f"cost per due step: {1000 * (handed - start) / due:.3f} ms in the processor, {1000 * (end - start) / due:.3f} ms to the gateway")
PY
