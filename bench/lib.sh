# Shared helpers for the bench scripts: a hub on PostgreSQL on this machine only (loopback).
OUT=${OUT:-bench/out}
HUB_PORT=${HUB_PORT:-8080}
BENCH_DB=${BENCH_DB:-hub_bench}
BENCH_TOKEN=bench-token
PSQL=(psql -h 127.0.0.1 -U postgres -d "$BENCH_DB" -qtA)
mkdir -p "$OUT"

ensure_jar() {
  [ -f target/retention-hub.jar ] || ./mvnw -B -q -DskipTests package
}

fresh_database() {
  pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $BENCH_DB" -c "CREATE DATABASE $BENCH_DB"
}

start_hub() {
  SPRING_PROFILES_ACTIVE=postgres \
  DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" DATABASE_USER=postgres DATABASE_PASSWORD= \
  TWILIO_AUTH_TOKEN=$BENCH_TOKEN PUBLIC_BASE_URL="http://localhost:$HUB_PORT" PORT=$HUB_PORT \
  HUB_API_KEYS=bench-key HUB_OPS_PASSWORD=bench-ops SMS_BOT_ENABLED=${SMS_BOT_ENABLED:-false} \
  nohup java ${HUB_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC} -jar target/retention-hub.jar \
    --logging.level.root=WARN --hub.recovery.grace-seconds=5 > "$OUT/hub.log" 2>&1 &
  HUB_PID=$!
  for _ in $(seq 1 90); do
    curl -sf "http://127.0.0.1:$HUB_PORT/actuator/health" >/dev/null 2>&1 && { echo "hub up (pid $HUB_PID)"; return 0; }
    sleep 1
  done
  echo "hub did not start; see $OUT/hub.log" >&2
  return 1
}

stop_hub() {
  [ -n "${HUB_PID:-}" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
}

unprocessed() {
  "${PSQL[@]}" -c "SELECT count(*) FROM inbound_event WHERE processed_at IS NULL"
}

# Prints the processing backlog (stored, not yet processed) every few seconds while the load runs:
# it must stay small rather than keep growing. Counting only unprocessed rows uses an index, so the
# sampling itself stays cheap.
sample_backlog() {
  while true; do
    sleep 3
    echo "  backlog $(date +%T): unprocessed $(unprocessed)"
  done
}

wait_processed() {
  local limit=$1
  for _ in $(seq 1 "$limit"); do
    [ "$(unprocessed)" = "0" ] && { echo "all stored events processed"; return 0; }
    sleep 1
  done
  echo "still unprocessed after ${limit}s: $(unprocessed)"
}

# Every acknowledged sid must be stored exactly once and processed; nothing else may be stored.
verify_acked() {
  local acked=$1
  "${PSQL[@]}" -c "CREATE TABLE IF NOT EXISTS bench_acked (sid text)" -c "TRUNCATE bench_acked"
  "${PSQL[@]}" -c "\\copy bench_acked FROM '$acked'"
  local acks lost dup extra unproc msgs
  acks=$("${PSQL[@]}" -c "SELECT count(*) FROM bench_acked")
  lost=$("${PSQL[@]}" -c "SELECT count(*) FROM bench_acked a WHERE NOT EXISTS (SELECT 1 FROM inbound_event e WHERE e.dedupe_key = a.sid)")
  dup=$("${PSQL[@]}" -c "SELECT count(*) FROM (SELECT dedupe_key FROM inbound_event GROUP BY dedupe_key HAVING count(*) > 1) d")
  extra=$("${PSQL[@]}" -c "SELECT count(*) FROM inbound_event e WHERE NOT EXISTS (SELECT 1 FROM bench_acked a WHERE a.sid = e.dedupe_key)")
  unproc=$(unprocessed)
  msgs=$("${PSQL[@]}" -c "SELECT count(*) - count(DISTINCT inbound_event_id) FROM message WHERE direction = 'IN'")
  echo "verify: acknowledged $acks, lost $lost, duplicated rows $dup, stored but not acknowledged $extra, unprocessed $unproc, duplicated messages $msgs"
  [ "$lost" = "0" ] && [ "$dup" = "0" ] && [ "$unproc" = "0" ] && [ "$msgs" = "0" ]
}
