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

# Starts a hub called NAME on PORT in the background, pid in $OUT/NAME.pid and log in $OUT/NAME.log,
# and waits until it answers. HUB_PROFILES, PUBLIC_URL and HUB_ARGS (extra Spring arguments) adjust it.
launch_hub() {
  local name=$1 port=$2
  SPRING_PROFILES_ACTIVE=${HUB_PROFILES:-postgres} \
  DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" DATABASE_USER=postgres DATABASE_PASSWORD= \
  TWILIO_AUTH_TOKEN=$BENCH_TOKEN PUBLIC_BASE_URL="${PUBLIC_URL:-http://localhost:$port}" PORT=$port \
  HUB_API_KEYS=bench-key HUB_OPS_PASSWORD=bench-ops SMS_BOT_ENABLED=${SMS_BOT_ENABLED:-false} \
  nohup java ${HUB_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC} -jar target/retention-hub.jar \
    --logging.level.root=WARN --hub.recovery.grace-seconds=5 ${HUB_ARGS:-} > "$OUT/$name.log" 2>&1 &
  echo $! > "$OUT/$name.pid"
  # HUB_START_SECONDS: a loaded machine can take longer than two minutes to start a hub.
  for _ in $(seq 1 "${HUB_START_SECONDS:-120}"); do
    curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && { echo "$name up on $port (pid $(cat "$OUT/$name.pid"))"; return 0; }
    sleep 1
  done
  echo "$name did not start; see $OUT/$name.log" >&2
  return 1
}

start_hub() {
  launch_hub hub "$HUB_PORT"
  HUB_PID=$(cat "$OUT/hub.pid")
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

# CPU time (clock ticks, user + system) used so far by the given processes; PostgreSQL's by "postgres".
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ "$pid" = "postgres" ] && { for p in $(pgrep -x postgres); do total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; continue; }
    total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# CPU time (clock ticks) the whole machine has spent busy so far.
machine_ticks() {
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat
}
