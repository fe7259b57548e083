#!/usr/bin/env bash
# Analytics views at scale: LEADS leads (100,000) over 90 days, enrolled in two three-step sequences,
# and MESSAGES messages (1,000,000: the steps' sends, a cold batch, and customers' texts) with tracker
# sales and rebills, all on PostgreSQL. Times every /api/analytics view over HTTP under four filters
# (none, one campaign, one channel, the last 30 days): RUNS runs each after one warm-up, median printed.
#
#   bash bench/analytics.sh
#   LEADS=10000 MESSAGES=100000 bash bench/analytics.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

LEADS=${LEADS:-100000}
MESSAGES=${MESSAGES:-1000000}
RUNS=${RUNS:-5}
ensure_jar
fresh_database
export HUB_ANALYTICS_WORDS_REFRESH_DELAY_MS=86400000
start_hub
trap 'stop_hub' EXIT

echo "seeding $LEADS leads and $MESSAGES messages"
seed_start=$(date +%s)
"${PSQL[@]}" <<SQL
SELECT setseed(0.42);
INSERT INTO campaign (id, name, status, sources, created_at, updated_at) VALUES (1, 'spring', 'ACTIVE', '', now(), now()), (2, 'winback', 'ACTIVE', '', now(), now());
INSERT INTO sequence (id, name, status, created_at, updated_at) VALUES (1001, 'Bench A', 'ACTIVE', now(), now()), (1002, 'Bench B', 'ACTIVE', now(), now());
INSERT INTO sequence_step (id, sequence_id, position, channel, delay_minutes, script) VALUES
  (2001, 1001, 1, 'SMS', 0, 'a1'), (2002, 1001, 2, 'EMAIL', 1440, 'a2'), (2003, 1001, 3, 'CALL', 2880, 'a3'),
  (2004, 1002, 1, 'SMS', 0, 'b1'), (2005, 1002, 2, 'SMS', 1440, 'b2'), (2006, 1002, 3, 'EMAIL', 2880, 'b3');
INSERT INTO leads (id, phone, name, source, status, created_at, updated_at)
  SELECT g, '+1' || (2000000000 + g), (ARRAY['Ana','Ben','Carla','Dev','Erin','Femi','Gus','Hana'])[1 + g % 8] || ' ' || g, 'API', 'CONTACTED',
    now() - random() * interval '90 days', now() FROM generate_series(1, $LEADS) g;
INSERT INTO contact (id, phone, name, created_at, lead_score, warm_lead_at, warm_lead_campaign)
  SELECT id, phone, name, created_at, (random() * 100)::int, CASE WHEN random() < 0.02 THEN now() - random() * interval '30 days' END, 'cold' FROM leads;
INSERT INTO conversation (id, contact_id, state, created_at, updated_at) SELECT id, id, 'start', created_at, created_at FROM leads;
INSERT INTO campaign_lead (campaign_id, lead_id, joined_at) SELECT 1 + id % 2, id, created_at FROM leads;
INSERT INTO enrollment (id, sequence_id, lead_id, campaign, status, next_position, completed_steps, enrolled_at, updated_at)
  SELECT id, 1001 + id % 2, id, CASE WHEN id % 2 = 0 THEN 'winback' ELSE 'spring' END,
    CASE id % 5 WHEN 1 THEN 'EXITED' WHEN 2 THEN 'EXITED' ELSE 'COMPLETED' END, 99, 3, created_at + interval '5 minutes', now()
  FROM leads WHERE id % 10 <> 0;
INSERT INTO step_execution (enrollment_id, step_id, status, executed_at)
  SELECT e.id, s.id, CASE WHEN random() < 0.9 THEN 'EXECUTED' ELSE 'SKIPPED' END,
    e.enrolled_at + (s.position - 1) * interval '1 day' + random() * interval '2 hours'
  FROM enrollment e JOIN sequence_step s ON s.sequence_id = e.sequence_id
  WHERE s.position = 1 OR (s.position = 2 AND e.id % 5 <> 1) OR (s.position = 3 AND e.id % 5 NOT IN (1, 2));
INSERT INTO outbox (id, idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at, purpose, campaign, attempt_id, sent_at)
  SELECT x.id, 'step:' || x.id, l.phone, CASE s.channel WHEN 'SMS' THEN 'sms' WHEN 'EMAIL' THEN 'email' ELSE 'voice' END,
    (ARRAY['Hi ', 'Hello ', 'Hey '])[1 + x.id % 3] || split_part(l.name, ' ', 1) || ', ' ||
    (ARRAY['a free termite inspection is yours this week', 'our spring pest plan starts at 49 dollars', 'limited offer on pest control ends today',
           'we can come by tomorrow morning', 'your neighbours booked a free inspection'])[1 + (x.id / 3) % 5]
    || '. Book: https://trk.example/c?sub_id=att-' || x.id || ' Reply STOP to opt out.',
    'SENT', x.executed_at, x.executed_at, x.executed_at, 'message', e.campaign, 'att-' || x.id, x.executed_at
  FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id JOIN leads l ON l.id = e.lead_id JOIN sequence_step s ON s.id = x.step_id
  WHERE x.status = 'EXECUTED';
UPDATE step_execution SET outbox_id = id WHERE status = 'EXECUTED';
SQL
steps_out=$("${PSQL[@]}" -c "SELECT count(*) FROM outbox")
cold=$(( (MESSAGES * 6 / 10) - steps_out ))
inbound=$(( MESSAGES - steps_out - cold ))
"${PSQL[@]}" <<SQL
SELECT setseed(0.43);
INSERT INTO outbox (id, idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at, purpose, campaign, attempt_id, sent_at)
  SELECT 10000000 + g, 'batch:' || g, '+1' || (2000000000 + 1 + g % $LEADS), 'sms',
    'Green Shield here: ' || (ARRAY['free termite inspection for your street', 'spring special on ant treatment', 'limited offer ends today',
      'we are in your area tomorrow'])[1 + g % 4] || '. Reply YES for a time. Reply STOP to opt out.',
    'SENT', t, t, t, 'message', 'cold', 'att-c' || g, t
  FROM (SELECT g, now() - random() * interval '90 days' AS t FROM generate_series(1, $cold) g) s;
INSERT INTO message (conversation_id, direction, body, segments, encoding, status, outbox_id, created_at, updated_at, channel)
  SELECT c.id, 'OUT', o.body, 1, 'GSM-7', (ARRAY['delivered', 'delivered', 'read', 'failed', 'sent'])[1 + o.id % 5], o.id, o.sent_at, o.sent_at, o.channel
  FROM outbox o JOIN contact c ON c.phone = o.phone;
INSERT INTO message (conversation_id, direction, body, segments, encoding, status, created_at, updated_at, channel, intent)
  SELECT 1 + g % $LEADS, 'IN', (ARRAY['yes', 'Can I book a termite check?', 'How much for mosquito spraying', 'can you stop by tomorrow?'])[1 + g % 4],
    1, 'GSM-7', 'received', t, t, 'sms', (ARRAY['interest', 'booking', 'pricing', 'scheduling'])[1 + g % 4]
  FROM (SELECT g, now() - random() * interval '90 days' AS t FROM generate_series(1, $inbound) g) s;
INSERT INTO conversion (sub_id, tid, status, payout, currency, outbox_id, lead_id, campaign, received_at, updated_at)
  SELECT o.attempt_id, 't1', 'sale', round((20 + random() * 180)::numeric, 2), 'USD', o.id, l.id, o.campaign, o.sent_at + random() * interval '20 hours', now()
  FROM outbox o JOIN leads l ON l.phone = o.phone WHERE random() < CASE WHEN o.body LIKE '%free%' THEN 0.04 ELSE 0.012 END;
INSERT INTO conversion (sub_id, tid, status, payout, currency, outbox_id, lead_id, campaign, received_at, updated_at)
  SELECT sub_id, 't2', 'rebill', payout / 2, 'USD', outbox_id, lead_id, campaign, received_at + interval '30 days', now()
  FROM conversion WHERE random() < 0.2 AND received_at < now() - interval '30 days';
UPDATE leads SET status = 'CONVERTED' WHERE id IN (SELECT lead_id FROM conversion WHERE status = 'sale');
VACUUM ANALYZE;
SQL
echo "seeded in $(( $(date +%s) - seed_start )) s: $("${PSQL[@]}" -c "SELECT (SELECT count(*) FROM message) || ' messages, ' || (SELECT count(*) FROM leads) || ' leads, '
  || (SELECT count(*) FROM outbox) || ' sends, ' || (SELECT count(*) FROM step_execution) || ' step executions, ' || (SELECT count(*) FROM conversion) || ' conversions'")"

API=(curl -sf -H "X-API-Key: bench-key")
t0=$(date +%s.%N)
"${API[@]}" -X POST "http://127.0.0.1:$HUB_PORT/api/analytics/words/refresh"
echo " <- word statistics built in $(echo "$(date +%s.%N) - $t0" | bc -l | cut -c1-5) s"

month=$(date -u -d '30 days ago' +%F)
printf '%-20s %10s %10s %10s %10s   (median of %d, seconds)\n' view none campaign channel 30-days "$RUNS"
for view in overview conversations funnel steps time-to-conversion heatmap words leaderboard operations warm-leads insights drafts; do
  line=$(printf '%-20s' "$view")
  for filter in "" "campaign=spring" "channel=sms" "from=$month"; do
    url="http://127.0.0.1:$HUB_PORT/api/analytics/$view?$filter"
    "${API[@]}" -o /dev/null "$url"
    times=()
    for _ in $(seq 1 "$RUNS"); do
      times+=("$("${API[@]}" -o /dev/null -w '%{time_total}' "$url")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
    line+=$(printf ' %10s' "$median")
  done
  echo "$line"
done
