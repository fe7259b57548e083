#!/usr/bin/env bash
# Fault suite: two hubs on the postgres,kafka profiles share one PostgreSQL database and one Kafka
# broker (a real KRaft broker in its own JVM, from the test classpath), behind one public URL as in
# docker-compose.yml, and reply live to bench/FakeSmsGateway.java. For each fault, signed texts
# arrive at both hubs for LOAD_SECONDS (each text a new conversation that deserves one reply) while,
# after FAULT_AFTER seconds, the suite
#   kill     kills hub-2 with SIGKILL and starts it again,
#   postgres restarts PostgreSQL,
#   kafka    stops the broker and starts it again on the same data,
#   provider makes the SMS gateway answer 503 for PROVIDER_OUTAGE seconds,
# then waits for the backlog to drain (at most DRAIN_SECONDS) and prints, per fault: texts
# acknowledged (2xx), persisted, processed, replies sent (at the gateway), duplicates (a text applied
# twice, or a reply arriving twice) and lost (an acknowledged text without its reply at the gateway).
# Loopback only; exits non-zero if anything was lost or duplicated.
#
#   bash bench/faults.sh                  # all four, about six minutes
#   FAULTS="kill kafka" bash bench/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

FAULTS=${FAULTS:-kill postgres kafka provider}
LOAD_SECONDS=${LOAD_SECONDS:-25}
RATE=${RATE:-60}
FAULT_AFTER=${FAULT_AFTER:-8}
PROVIDER_OUTAGE=${PROVIDER_OUTAGE:-10}
DRAIN_SECONDS=${DRAIN_SECONDS:-180}
KAFKA_PORT=19092
GATEWAY=http://127.0.0.1:8097
PG_CLUSTER=$(ls /etc/postgresql | head -n 1)

ensure_jar
[ -s "$OUT/test.cp" ] || ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/test.cp"
KAFKA_CP=$(cat "$OUT/test.cp")
fresh_database

# --- the broker: KRaft, one node, data kept across its restart -----------------------------------
KAFKA_DIR=$OUT/kafka
rm -rf "$KAFKA_DIR" && mkdir -p "$KAFKA_DIR/data"
cat > "$KAFKA_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
cat > "$KAFKA_DIR/logback.xml" <<'EOF'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%d %level %logger{20} %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
EOF
KAFKA_JAVA=(java -Xmx512m -Dlogback.configurationFile="$KAFKA_DIR/logback.xml" -cp "$KAFKA_CP")
"${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$("${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid)" \
  -c "$KAFKA_DIR/server.properties" > "$KAFKA_DIR/format.log" 2>&1

start_kafka() {
  nohup "${KAFKA_JAVA[@]}" kafka.Kafka "$KAFKA_DIR/server.properties" >> "$KAFKA_DIR/kafka.log" 2>&1 &
  KAFKA_PID=$!
  for _ in $(seq 1 60); do
    (exec 3<>/dev/tcp/127.0.0.1/$KAFKA_PORT) 2>/dev/null && { echo "kafka up on $KAFKA_PORT (pid $KAFKA_PID)"; return 0; }
    sleep 1
  done
  echo "kafka did not start; see $KAFKA_DIR/kafka.log" >&2
  return 1
}

# --- the stand-ins and the two hubs -------------------------------------------------------------
# The hubs stop first, while the broker is still there to close their consumers; then the rest.
cleanup() {
  local pids=()
  for name in hub-1 hub-2; do [ -f "$OUT/$name.pid" ] && pids+=("$(cat "$OUT/$name.pid")"); done
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 30); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  [ -n "${KAFKA_PID:-}" ] && kill "$KAFKA_PID" 2>/dev/null || true
  [ -n "${GW_PID:-}" ] && kill "$GW_PID" 2>/dev/null || true
  pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$PG_CLUSTER" main start
}
trap cleanup EXIT
start_kafka
java -Dsun.net.httpserver.nodelay=true bench/FakeSmsGateway.java --port 8097 > "$OUT/fake-gateway.log" 2>&1 &
GW_PID=$!

export HUB_PROFILES=postgres,kafka KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT PUBLIC_URL=http://localhost:8080 SMS_BOT_ENABLED=true \
  OUTBOUND_LIVE_TOGGLE=1 HUB_SMS_PROVIDER=sms-retail SMS_RETAIL_BASE_URL=$GATEWAY SMS_RETAIL_API_KEY=bench SMS_RETAIL_FROM=+15550001111 \
  SMS_RETAIL_RATE_PER_SECOND=0 HUB_QUIET_HOURS_FILE=bench/quiet-hours-open.yaml HUB_JAVA_OPTS="-Xmx1g -XX:+UseParallelGC"
# A row a killed hub left in SENDING is looked up after 30 s instead of the production 300 s, so a run stays short.
export HUB_ARGS="--hub.dispatch.stuck-after-seconds=30 --hub.recovery.interval-seconds=5"
launch_hub hub-1 8081
launch_hub hub-2 8082

# --- the faults -------------------------------------------------------------------------------
fault_kill() {
  local pid
  pid=$(cat "$OUT/hub-2.pid")
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  echo "  hub-2 killed with SIGKILL"
  sleep 3
  launch_hub hub-2 8082 | sed 's/^/  /'
}
fault_postgres() {
  pg_ctlcluster --skip-systemctl-redirect "$PG_CLUSTER" main restart
  echo "  PostgreSQL restarted"
}
fault_kafka() {
  kill "$KAFKA_PID"
  wait "$KAFKA_PID" 2>/dev/null || true
  echo "  kafka stopped"
  sleep 5
  start_kafka | sed 's/^/  /'
  KAFKA_PID=$(pgrep -f "kafka.Kafka $KAFKA_DIR/server.properties")
}
fault_provider() {
  curl -s "$GATEWAY/fail?seconds=$PROVIDER_OUTAGE" > /dev/null
  echo "  gateway answers 503 for ${PROVIDER_OUTAGE}s"
}

"${PSQL[@]}" -c "CREATE TABLE fault_acked (fault text, sid text)" -c "CREATE TABLE fault_gateway (reference text, n int)"

# Acknowledged texts of one fault without their reply at the gateway yet.
unanswered() {
  curl -s "$GATEWAY/references" > "$OUT/gateway-references.tsv"
  "${PSQL[@]}" -c "TRUNCATE fault_gateway" -c "\\copy fault_gateway FROM '$OUT/gateway-references.tsv'"
  "${PSQL[@]}" -c "SELECT count(*) FROM fault_acked a WHERE a.fault = '$1'
    AND NOT EXISTS (SELECT 1 FROM fault_gateway g WHERE g.reference = 'reply:' || a.sid)"
}

report() {
  "${PSQL[@]}" -F ' ' -c "
    WITH a AS (SELECT sid FROM fault_acked WHERE fault = '$1'),
    e AS (SELECT e.id, e.dedupe_key, e.processed_at FROM inbound_event e JOIN a ON e.dedupe_key = a.sid),
    m AS (SELECT m.inbound_event_id, count(*) AS n FROM message m JOIN e ON e.id = m.inbound_event_id WHERE m.direction = 'IN' GROUP BY 1),
    g AS (SELECT g.n FROM fault_gateway g JOIN a ON g.reference = 'reply:' || a.sid)
    SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM e),
      (SELECT count(*) FROM e WHERE processed_at IS NOT NULL AND EXISTS (SELECT 1 FROM m WHERE m.inbound_event_id = e.id)),
      (SELECT count(*) FROM g),
      (SELECT count(*) FROM e) - (SELECT count(DISTINCT dedupe_key) FROM e) + (SELECT coalesce(sum(n - 1), 0) FROM m) + (SELECT coalesce(sum(n - 1), 0) FROM g),
      (SELECT count(*) FROM a) - (SELECT count(*) FROM g)"
}

RESULTS=()
phone=3000000
for fault in $FAULTS; do
  echo "== $fault: ${LOAD_SECONDS}s of texts at ${RATE}/s over hub-1 and hub-2, the fault after ${FAULT_AFTER}s"
  java bench/FaultLoad.java --ports 8081,8082 --rate "$RATE" --seconds "$LOAD_SECONDS" --token "$BENCH_TOKEN" --public-url "$PUBLIC_URL" \
    --acked "$OUT/acked-$fault.txt" --first-phone "$phone" > "$OUT/load-$fault.txt" 2>&1 &
  LOAD=$!
  sleep "$FAULT_AFTER"
  "fault_$fault"
  wait "$LOAD"
  sed 's/^/  /' "$OUT/load-$fault.txt"
  "${PSQL[@]}" -c "\\copy fault_acked (sid) FROM '$OUT/acked-$fault.txt'" -c "UPDATE fault_acked SET fault = '$fault' WHERE fault IS NULL"
  start=$(date +%s)
  while [ "$(unanswered "$fault")" != "0" ] && [ $(( $(date +%s) - start )) -lt "$DRAIN_SECONDS" ]; do sleep 2; done
  echo "  drained in $(( $(date +%s) - start ))s after the load"
  if [ "$fault" = kafka ]; then
    refused=0
    for port in 8081 8082; do
      n=$(curl -s "http://127.0.0.1:$port/actuator/prometheus" | awk '/^hub_bus_handoff_failures_total/ {print int($2)}')
      refused=$((refused + ${n:-0}))
    done
    echo "  hand-offs the broker refused meanwhile, answered 200 and offered again by the recovery sweep: $refused"
  fi
  sleep 3 # a late duplicate would arrive now
  unanswered "$fault" > /dev/null
  RESULTS+=("$fault $(report "$fault")")
  phone=$((phone + 100000))
done

echo
printf '%-10s %12s %10s %10s %6s %11s %5s\n' fault acknowledged persisted processed sent duplicates lost
failed=0
for row in "${RESULTS[@]}"; do
  read -r f acked persisted processed sent dup lost <<< "$row"
  printf '%-10s %12s %10s %10s %6s %11s %5s\n' "$f" "$acked" "$persisted" "$processed" "$sent" "$dup" "$lost"
  [ "$dup" = "0" ] && [ "$lost" = "0" ] || failed=1
done
exit $failed
