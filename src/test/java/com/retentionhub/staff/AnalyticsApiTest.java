package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.analytics.BestHours;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.sequence.Enrollments;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.SequenceProcessor;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The analytics endpoints: JSON and CSV of the same figures, filters refused when malformed, and best-hour steps. */
class AnalyticsApiTest extends HubIntegrationTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Autowired
    Sequences sequences;

    @Autowired
    Enrollments enrollments;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    Scripts scripts;

    @Autowired
    LeadIntake intake;

    @Autowired
    BestHours bestHours;

    @Test
    void shouldShowAPostbackSaleInTheOverviewAsJsonAndCsv() throws Exception {
        String tag = "an-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "SMS", null, null, "Hi {{firstName}}, free inspection: {{trackingUrl}}", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0)))).id();
        String phone = newPhone();
        long lead = intake.accept(new LeadIntake.NewLead("Ana Ruiz", phone, null, LeadIntake.Source.BULK, null, null, null)).id();
        enrollments.enroll(sequence, lead, tag).orElseThrow();
        processor.processDue();
        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE phone = ?", String.class, phone);
        // Dispatch sends on its own threads; a send counts in the views once it has left.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT sent_at IS NOT NULL FROM outbox WHERE phone = ?",
                Boolean.class, phone));
        assertThat(staff.get("/webhooks/keitaro?token=keitaro-token-1&subid=" + attempt + "&tid=A-1&status=sale&payout=49.00").statusCode())
                .isEqualTo(200);

        JsonNode overview = StaffClient.json(staff.get("/api/analytics/overview?campaign=" + tag));
        assertThat(overview.path("summary").path("conversions").asLong()).isEqualTo(1);
        assertThat(overview.path("summary").path("revenue").decimalValue()).isEqualByComparingTo("49.00");
        assertThat(overview.path("summary").path("contacted").asLong()).isEqualTo(1);
        assertThat(overview.path("summary").path("bestChannel").asText()).isEqualTo("sms");
        assertThat(overview.path("filter").path("campaign").asText()).isEqualTo(tag);

        HttpResponse<String> csv = staff.get("/api/analytics/overview?format=csv&campaign=" + tag);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().split("\r\n")).containsExactly("channel,sends,contacted,conversions,revenue,conversionRate",
                "sms,1,1,1,49.00,1.0");

        JsonNode steps = StaffClient.json(staff.get("/api/analytics/steps?sequence=" + sequence));
        assertThat(steps.path("rows").get(0).path("executed").asLong()).isEqualTo(1);
        assertThat(steps.path("rows").get(0).path("converted").asLong()).isEqualTo(1);
        JsonNode funnel = StaffClient.json(staff.get("/api/analytics/funnel?sequence=" + sequence + "&campaign=" + tag));
        assertThat(funnel.path("summary").path("converted").asLong()).isEqualTo(1);
        assertThat(funnel.path("summary").path("revenue").decimalValue()).isEqualByComparingTo("49.00");
    }

    @Test
    void shouldAnswerEveryViewAndRefuseBadFilters() {
        JsonNode index = StaffClient.json(staff.get("/api/analytics"));
        assertThat(index.path("views")).hasSize(12);
        for (JsonNode view : index.path("views")) {
            HttpResponse<String> json = staff.get("/api/analytics/" + view.asText() + "?from=2026-10-01&to=2026-11-30");
            assertThat(json.statusCode()).as(view.asText()).isEqualTo(200);
            assertThat(StaffClient.json(json).path("view").asText()).isEqualTo(view.asText());
            assertThat(staff.get("/api/analytics/" + view.asText() + "?format=csv").statusCode()).isEqualTo(200);
        }
        assertThat(staff.post("/api/analytics/words/refresh", "").statusCode()).isEqualTo(200);

        HttpResponse<String> badChannel = staff.get("/api/analytics/overview?channel=fax");
        assertThat(badChannel.statusCode()).isEqualTo(400);
        assertThat(badChannel.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(badChannel.body()).contains("channel must be sms, email or voice").doesNotContain("Exception");
        assertThat(staff.get("/api/analytics/funnel?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/analytics/funnel?from=2026-11-10&to=2026-11-01").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/analytics/steps?sequence=first").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/analytics/words?minSample=0").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/analytics/overview?format=xml").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/analytics/nothing").statusCode()).isEqualTo(404);
        assertThat(new StaffClient(port, "wrong-key").get("/api/analytics/overview").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldHoldABestHourStepForTheHourItsChannelConvertsBest() {
        // Voice sends of the last weeks: 10:00 sells 10 in 40, 15:00 sells 1 in 40 (business time).
        LocalDate day = clock.instant().atZone(NEW_YORK).toLocalDate().minusDays(3);
        seedCalls(day.atTime(10, 5).atZone(NEW_YORK).toInstant(), 40, 10);
        seedCalls(day.atTime(15, 5).atZone(NEW_YORK).toInstant(), 40, 1);
        bestHours.forget();

        String tag = "bh-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "CALL", null, null, "Call {{firstName}} about the inspection.", null));
        long timed = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("CALL", new SequenceDefinition.Delay(0, "minutes"), tag, List.of("best-hour"), 0)))).id();
        long plain = sequences.create(new SequenceDefinition(tag + "-plain", "ACTIVE", List.of(
                new SequenceDefinition.Step("CALL", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0)))).id();
        long lead = intake.accept(new LeadIntake.NewLead("Bo Li", newPhone(), null, LeadIntake.Source.BULK, null, null, null)).id();

        Instant enrolledAt = clock.instant();
        long held = enrollments.enroll(timed, lead, null).orElseThrow();
        long now = enrollments.enroll(plain, lead, null).orElseThrow();

        ZonedDateTime due = jdbc.queryForObject("SELECT next_run_at FROM enrollment WHERE id = ?", Timestamp.class, held).toInstant()
                .atZone(NEW_YORK);
        assertThat(due.getHour()).isEqualTo(10);
        assertThat(due.getMinute()).isZero();
        assertThat(due.toInstant()).isAfter(enrolledAt).isBefore(enrolledAt.plusSeconds(24 * 3600));
        Instant plainDue = jdbc.queryForObject("SELECT next_run_at FROM enrollment WHERE id = ?", Timestamp.class, now).toInstant();
        assertThat(plainDue).isBetween(enrolledAt.minusSeconds(5), enrolledAt.plusSeconds(5));
        assertThat(StaffClient.json(staff.get("/api/analytics/heatmap?channel=voice")).path("summary").path("bestHourByChannel")
                .path("voice").asInt())
                .isEqualTo(10);
    }

    private void seedCalls(Instant at, int calls, int sold) {
        for (int i = 0; i < calls; i++) {
            String key = "seed-call-" + System.nanoTime();
            jdbc.update(
                    "INSERT INTO outbox (idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at, purpose, campaign, sent_at)"
                            + " VALUES (?, ?, 'voice', 'call', 'SENT', ?, ?, ?, 'message', 'best-hour-seed', ?)",
                    key, newPhone(), Timestamp.from(at),
                    Timestamp.from(at), Timestamp.from(at), Timestamp.from(at));
            if (i < sold) {
                long id = jdbc.queryForObject("SELECT id FROM outbox WHERE idempotency_key = ?", Long.class, key);
                jdbc.update(
                        "INSERT INTO conversion (sub_id, tid, status, outbox_id, received_at, updated_at) VALUES (?, 't', 'sale', ?, ?, ?)",
                        key, id,
                        Timestamp.from(at), Timestamp.from(at));
            }
        }
    }
}
