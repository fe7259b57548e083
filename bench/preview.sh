#!/usr/bin/env bash
# Reach-out preview over 100,000 customers: seeds them in SQL (a third cancelled over the last 800
# days, three in four tagged, 5% opted out, 200 stopped conversations), then times the preview of
# "cancelled 30 to 365 days ago, tagged winback" through the API. Loopback only.
#
#   bash bench/preview.sh              # 100,000 customers, 15 timed calls after 3 warm-ups
#   CUSTOMERS=500000 bash bench/preview.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

CUSTOMERS=${CUSTOMERS:-100000}
CALLS=${CALLS:-15}

ensure_jar
fresh_database
start_hub
trap stop_hub EXIT

# Days count in the business's time zone, as the hub counts them.
ZONE=$(sed -n 's/^timeZone: *//p' config/business.yaml)
TODAY="(now() AT TIME ZONE '$ZONE')::date"

# Deterministic: each row's status, date, tag and consent follow from its number.
"${PSQL[@]}" <<SQL
INSERT INTO contact (phone, service_status, cancelled_on, tags, created_at)
SELECT '+1415' || lpad(i::text, 7, '0'),
       (ARRAY['active', 'paused', 'cancelled'])[1 + i % 3],
       CASE WHEN i % 3 = 2 THEN $TODAY - ((i * 7919) % 800) END,
       CASE WHEN i % 4 = 0 THEN ',other,' ELSE ',winback,other,' END,
       now()
FROM generate_series(1, $CUSTOMERS) i;
INSERT INTO consent_state (phone, channel, status, updated_at)
SELECT '+1415' || lpad(i::text, 7, '0'), 'sms', 'OPTED_OUT', now() FROM generate_series(1, $CUSTOMERS) i WHERE i % 20 = 7;
INSERT INTO conversation (contact_id, state, created_at, updated_at)
SELECT id, 'stop', now(), now() FROM contact ORDER BY id LIMIT 200;
ANALYZE contact; ANALYZE consent_state; ANALYZE conversation;
SQL

rule='{"rule":{"serviceStatus":["cancelled"],"minDaysSinceCancelled":30,"maxDaysSinceCancelled":365,"tags":["winback"]}}'
expected=$("${PSQL[@]}" -c "SELECT count(*) FROM contact k WHERE k.service_status = 'cancelled' AND k.tags LIKE '%,winback,%'
  AND k.cancelled_on BETWEEN $TODAY - 365 AND $TODAY - 30
  AND NOT EXISTS (SELECT 1 FROM consent_state s WHERE s.phone = k.phone AND s.status = 'OPTED_OUT')
  AND NOT EXISTS (SELECT 1 FROM conversation c WHERE c.contact_id = k.id AND c.state IN ('stop', 'done'))")
call() {
  curl -s -o "$OUT/preview.json" -w '%{time_total}\n' -H 'X-API-Key: bench-key' -H 'Content-Type: application/json' \
    -d "$rule" "http://127.0.0.1:$HUB_PORT/api/reach-out/preview"
}
for _ in 1 2 3; do call > /dev/null; done
times=$(for _ in $(seq 1 "$CALLS"); do call; done | awk '{printf "%.1f\n", $1 * 1000}' | sort -n)
count=$(grep -o '"count":[0-9]*' "$OUT/preview.json" | cut -d: -f2)
echo "customers: $CUSTOMERS, candidates: $count (computed in SQL: $expected)"
echo "preview ms over $CALLS calls: min $(echo "$times" | head -1), median $(echo "$times" | sed -n "$(( (CALLS + 1) / 2 ))p"), max $(echo "$times" | tail -1)"
[ "$count" = "$expected" ]
