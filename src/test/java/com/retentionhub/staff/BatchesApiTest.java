package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Batches: a re-engagement preview over 100,000 customers checked against candidates computed here
 * from the seed; a run's pace, max_active, progress against the outbox, and cancel; the daily cold
 * batch from a 100,000-number list, its exclusions and its once-a-day rule.
 */
class BatchesApiTest extends HubIntegrationTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 18); // the test clock's day in the business's zone

    /** One seeded customer, as this test knows it. */
    record Seeded(String phone, String status, LocalDate cancelledOn, boolean tagged, boolean optedOut, boolean stopped) {}

    @Test
    void shouldPreviewExactlyTheCandidatesARuleSelectsAmong100000Customers() {
        String tag = "pv" + UUID.randomUUID().toString().substring(0, 6);
        Random random = new Random(7);
        List<Seeded> seed = new ArrayList<>();
        List<Object[]> contacts = new ArrayList<>();
        List<Object[]> optOuts = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        String prefix = "+1" + (200 + random.nextInt(700)) + "7";
        for (int i = 0; i < 100_000; i++) {
            String phone = prefix + String.format("%06d", i);
            String status = List.of("active", "paused", "cancelled").get(random.nextInt(3));
            LocalDate cancelled = status.equals("cancelled") ? TODAY.minusDays(random.nextInt(800)) : null;
            boolean tagged = random.nextInt(4) > 0;
            boolean optedOut = random.nextInt(20) == 0;
            seed.add(new Seeded(phone, status, cancelled, tagged, optedOut, false));
            contacts.add(new Object[] {phone, status, cancelled == null ? null : Date.valueOf(cancelled),
                    tagged ? "," + tag + ",other," : ",other,",
                    now});
            if (optedOut) {
                optOuts.add(new Object[] {phone, "sms", "OPTED_OUT", now});
            }
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "contact", List.of("phone", "service_status", "cancelled_on", "tags", "created_at"),
                contacts);
        MultiRowInsert.insertIgnoringConflicts(jdbc, "consent_state", List.of("phone", "channel", "status", "updated_at"), optOuts);
        jdbc.update("ANALYZE contact");
        // A few stopped conversations: the preview must skip them as well.
        Set<String> stopped = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String phone = seed.get(random.nextInt(seed.size())).phone();
            stopped.add(phone);
        }
        jdbc.update(
                "INSERT INTO conversation (contact_id, state, created_at, updated_at) SELECT id, 'stop', created_at, created_at FROM contact"
                        + " WHERE phone IN (" + MultiRowInsert.placeholders(stopped.size()) + ")",
                stopped.toArray());
        // What autovacuum does after a load this size; with the empty-table statistics PostgreSQL joins consent by nested loop (3.6 s).
        jdbc.update("ANALYZE consent_state");
        jdbc.update("ANALYZE conversation");

        List<String> expected = seed.stream().filter(s -> s.status().equals("cancelled") && s.tagged() && !s.optedOut()
                && !stopped.contains(s.phone()) && !s.cancelledOn().isAfter(TODAY.minusDays(30))
                && !s.cancelledOn().isBefore(TODAY.minusDays(365)))
                .map(Seeded::phone).toList();
        String rule = "{\"serviceStatus\":[\"cancelled\"],\"minDaysSinceCancelled\":30,\"maxDaysSinceCancelled\":365,\"tags\":[\"" + tag
                + "\"]}";

        JsonNode preview = StaffClient.json(staff.post("/api/reach-out/preview", "{\"rule\":" + rule + "}"));
        // Timing is for the log (bench/README.md quotes the benchmark), never asserted here.
        long[] millis = new long[5];
        for (int i = 0; i < millis.length; i++) {
            long started = System.nanoTime();
            staff.post("/api/reach-out/preview", "{\"rule\":" + rule + "}");
            millis[i] = (System.nanoTime() - started) / 1_000_000;
        }
        JsonNode all = StaffClient.json(staff.post("/api/reach-out/preview", "{\"rule\":" + rule + ",\"limit\":100000}"));

        System.out.printf("reach-out preview over 100,000 customers: %d candidates, %s ms%n", preview.get("count").asInt(),
                Arrays.toString(millis));
        assertThat(expected).hasSizeGreaterThan(5_000);
        assertThat(preview.get("count").asInt()).isEqualTo(expected.size());
        assertThat(preview.get("candidates")).hasSize(200);
        assertThat(all.get("candidates").findValues("phone").stream().map(JsonNode::asText).toList()).isEqualTo(expected);
        assertThat(
                staff.post("/api/reach-out/preview", "{\"rule\":{\"minDaysSinceCancelled\":40,\"maxDaysSinceCancelled\":10}}").statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/reach-out/preview", "{\"rule\":{\"serviceStatus\":[\"sleeping\"]}}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldKeepARunsPaceAndMaxActiveMatchTheOutboxAndStopOnCancel() {
        String tag = "run" + UUID.randomUUID().toString().substring(0, 6);
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String phone = newPhone();
            phones.add(phone);
            assertThat(staff
                    .post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Run Person" + i + "\",\"serviceStatus\":\"cancelled\","
                            + "\"tags\":[\"" + tag + "\"]}")
                    .statusCode()).isEqualTo(201);
        }
        String rule = "{\"serviceStatus\":[\"cancelled\"],\"tags\":[\"" + tag + "\"]}";
        HttpResponseCheck.created(
                staff.post("/api/reach-out/runs", "{\"rule\":" + rule + ",\"template\":\"Hi {{firstName}}, we miss you at {{business}}!"
                        + " Reply STOP to opt out.\",\"pacePerMinute\":300,\"maxActive\":3}"));
        long runId = jdbc.queryForObject("SELECT max(id) FROM outreach_run WHERE rule LIKE ?", Long.class, "%" + tag + "%");

        // Three conversations await a reply: the run waits for a slot.
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 3);
        List<String> handed = jdbc.queryForList("SELECT phone FROM outreach_target WHERE run_id = ? AND status = 'HANDED' ORDER BY seq",
                String.class,
                runId);
        twilio.text(handed.get(0), "yes please");
        twilio.text(handed.get(1), "who is this?");

        // Two replies free two slots; the last target stays queued.
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 5);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 5);
        List<Instant> times = jdbc.queryForList("SELECT handed_at FROM outreach_target WHERE run_id = ? AND status = 'HANDED' ORDER BY seq",
                Timestamp.class, runId).stream().map(Timestamp::toInstant).toList();
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(0), times.get(i)).toMillis()).as("hand-over " + i).isGreaterThanOrEqualTo(i * 200L - 5);
        }
        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE run_id = ?", String.class, runId))
                .allMatch(b -> b.startsWith("Hi Run, we miss you"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode progress = StaffClient.json(staff.get("/api/reach-out/runs/" + runId));
            assertThat(progress.get("total").asInt()).isEqualTo(6);
            assertThat(progress.get("queued").asInt()).isEqualTo(1);
            assertThat(progress.get("sent").asInt())
                    .isEqualTo(count("SELECT count(*) FROM outbox WHERE run_id = ? AND status IN ('SENT', 'SIMULATED')",
                            runId))
                    .isEqualTo(5);
            assertThat(progress.get("replies").asInt()).isEqualTo(2);
            assertThat(progress.get("active").asInt()).isEqualTo(3);
            assertThat(progress.get("status").asText()).isEqualTo("RUNNING");
        });

        JsonNode cancelled = StaffClient.json(staff.delete("/api/reach-out/runs/" + runId));
        twilio.text(handed.get(2), "ok");
        assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("cancelled").asInt()).isEqualTo(1);
        // The reply frees a slot, but a cancelled run hands the queued target to nobody.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM inbound_event WHERE phone = ? AND processed_at IS NOT NULL",
                        handed.get(2)) == 1);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 5);
        assertThat(staff.delete("/api/reach-out/runs/987654321").statusCode()).isEqualTo(404);
        assertThat(staff.post("/api/reach-out/runs", "{\"rule\":" + rule + ",\"template\":\"Hi {{firstName\",\"pacePerMinute\":10}")
                .statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/reach-out/runs", "{\"rule\":" + rule + ",\"template\":\"Hi\",\"pacePerMinute\":0}").statusCode())
                .isEqualTo(400);
    }

    @Test
    void shouldSendTheDailyBatchToTheNextEligibleNumbersOnceADay() {
        Random random = new Random(11);
        String prefix = "+1" + (200 + random.nextInt(700)) + "8";
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp longAgo = Timestamp.from(clock.instant().minus(Duration.ofDays(90)));
        Timestamp lastWeek = Timestamp.from(clock.instant().minus(Duration.ofDays(7)));
        List<Object[]> leads = new ArrayList<>();
        List<Object[]> contacts = new ArrayList<>();
        List<Object[]> optOuts = new ArrayList<>();
        List<Object[]> outbox = new ArrayList<>();
        Set<String> excluded = new HashSet<>();
        List<String> eligibleInOrder = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            String phone = prefix + String.format("%06d", i);
            leads.add(new Object[] {phone, "IMPORT", "NEW", now, now});
            // The first 3,000 numbers mix every exclusion with eligible ones, so the batch meets them all.
            int kind = i < 3_000 ? random.nextInt(5) : 0;
            contacts.add(new Object[] {phone, kind == 2 ? now : null, now});
            switch (kind) {
                case 1 -> optOuts.add(new Object[] {phone, "sms", "OPTED_OUT", now});
                case 3 -> outbox.add(
                        new Object[] {"seed-recent:" + phone, phone, "sms", "earlier text", "SIMULATED", lastWeek, lastWeek, lastWeek});
                case 4 ->
                    outbox.add(new Object[] {"seed-old:" + phone, phone, "sms", "older text", "SIMULATED", longAgo, longAgo, longAgo});
                default -> {
                }
            }
            if (kind == 1 || kind == 2 || kind == 3) {
                excluded.add(phone);
            } else {
                eligibleInOrder.add(phone);
            }
        }
        MultiRowInsert.insertIgnoringConflicts(jdbc, "leads", List.of("phone", "source", "status", "created_at", "updated_at"), leads);
        MultiRowInsert.insertIgnoringConflicts(jdbc, "contact", List.of("phone", "warm_lead_at", "created_at"), contacts);
        MultiRowInsert.insertIgnoringConflicts(jdbc, "consent_state", List.of("phone", "channel", "status", "updated_at"), optOuts);
        MultiRowInsert.insertIgnoringConflicts(jdbc, "outbox",
                List.of("idempotency_key", "phone", "channel", "body", "status", "next_attempt_at",
                        "created_at", "updated_at"),
                outbox);
        jdbc.update("ANALYZE leads");
        jdbc.update("ANALYZE consent_state");
        jdbc.update("ANALYZE outbox");

        HttpResponseCheck.created(staff.post("/api/batches/daily", "{\"pacePerMinute\":6000}"));
        long runId = jdbc.queryForObject("SELECT id FROM outreach_run WHERE kind = 'daily-batch' AND run_on = ?", Long.class,
                Date.valueOf(TODAY));
        List<String> batch = jdbc.queryForList("SELECT phone FROM outreach_target WHERE run_id = ? ORDER BY seq", String.class, runId);

        assertThat(batch).hasSize(450).doesNotHaveDuplicates().doesNotContainAnyElementsOf(excluded);
        // Numbers other tests imported come first in list order; after them, exactly our next eligible numbers.
        List<String> ours = batch.stream().filter(p -> p.startsWith(prefix)).toList();
        assertThat(ours).isEqualTo(eligibleInOrder.subList(0, ours.size()));
        assertThat(ours.size()).isGreaterThan(300);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox WHERE run_id = ?", runId) == 450);
        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE run_id = ?", String.class, runId))
                .allMatch(b -> b.contains("Green Shield Pest Control") && b.contains("Reply STOP to opt out"));

        // Again the same day: the same run, nothing new queued or sent.
        JsonNode again = StaffClient.json(staff.post("/api/batches/daily", "{}"));
        assertThat(again.get("id").asLong()).isEqualTo(runId);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> count(
                        "SELECT count(*) FROM outbox WHERE run_id IN (SELECT id FROM outreach_run WHERE kind = 'daily-batch')") == 450);

        // The next day's batch leaves out everyone texted today.
        clock.advance(Duration.ofDays(1));
        HttpResponseCheck.created(staff.post("/api/batches/daily", "{\"size\":100}"));
        long next = jdbc.queryForObject("SELECT id FROM outreach_run WHERE kind = 'daily-batch' AND run_on = ?", Long.class,
                Date.valueOf(TODAY.plusDays(1)));
        staff.delete("/api/reach-out/runs/" + next);
        assertThat(jdbc.queryForList("SELECT phone FROM outreach_target WHERE run_id = ?", String.class, next)).hasSize(100)
                .doesNotContainAnyElementsOf(batch).doesNotContainAnyElementsOf(excluded);
        assertThat(staff.post("/api/batches/daily", "{\"template\":\"Hi {{firstName}}, want a quote?\"}").statusCode()).isEqualTo(400);
    }

    /** A launch answers 201 with the run. */
    private static final class HttpResponseCheck {
        static void created(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
    }
}
