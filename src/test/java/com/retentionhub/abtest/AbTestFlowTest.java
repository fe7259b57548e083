package com.retentionhub.abtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.sequence.Enrollments;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.SequenceProcessor;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Variants assigned by a stable hash through the sequence path; a sale postback, sent three times, records one outcome; a clear result ends the test. */
class AbTestFlowTest extends HubIntegrationTest {

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
    AbTests tests;

    @Test
    void shouldSplitLeadsStablyAndRecordOneOutcomePerSale() throws Exception {
        String tag = "ab-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag + "-a", "SMS", null, null, "Variant A {{trackingUrl}}", null));
        scripts.create(new Scripts.Definition(tag + "-b", "SMS", null, null, "Variant B {{trackingUrl}}", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE",
                List.of(new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-a", List.of(), 0)))).id();
        var created = staff.post("/api/ab-tests",
                "{\"name\":\"" + tag + "\",\"campaign\":\"" + tag + "\",\"channel\":\"sms\",\"variants\":["
                        + "{\"name\":\"A\",\"script\":\"" + tag + "-a\"},{\"name\":\"B\",\"script\":\"" + tag + "-b\"}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        long testId = StaffClient.json(created).path("id").asLong();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String phone = newPhone();
            phones.add(phone);
            long lead = intake.accept(new LeadIntake.NewLead(null, phone, null, LeadIntake.Source.BULK, null, null, null)).id();
            enrollments.enroll(sequence, lead, tag).orElseThrow();
        }

        processor.processDue();

        assertThat(count("SELECT count(*) FROM ab_assignment WHERE test_id = ?", testId)).isEqualTo(40);
        for (String phone : phones) {
            long lead = jdbc.queryForObject("SELECT id FROM leads WHERE phone = ?", Long.class, phone);
            boolean first = AbTests.bucket(testId, lead, 2) == 0;
            assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ?", String.class, phone))
                    .startsWith("Green Shield Pest Control: " + (first ? "Variant A" : "Variant B")); // a first text names the business (FirstContact)
            // The step's record names the variant's script it went out with, not the step's own.
            assertThat(jdbc.queryForObject(
                    "SELECT x.script FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id WHERE e.lead_id = ?",
                    String.class, lead)).isEqualTo(tag + (first ? "-a" : "-b"));
        }
        long a = count("SELECT count(*) FROM outbox WHERE phone LIKE '+1415%' AND body LIKE '%: Variant A%' AND campaign = ?", tag);
        assertThat(a).isBetween(8L, 32L); // a hash, not a coin that always lands one way

        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE phone = ?", String.class, phones.get(0));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/webhooks/keitaro?token=keitaro-token-1&subid=" + attempt + "&tid=sale-1&status=sale")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }

        JsonNode verdict = StaffClient.json(staff.get("/api/ab-tests/" + testId));
        long converted = 0;
        for (JsonNode v : verdict.path("variants")) {
            converted += v.path("converted").asLong();
        }
        assertThat(converted).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ab_assignment WHERE test_id = ? AND converted_at IS NOT NULL", testId)).isEqualTo(1);
        assertThat(verdict.path("status").asText()).isEqualTo("RUNNING");
        assertThat(verdict.path("sampleRatioAlarm").asBoolean()).isFalse();
    }

    @Test
    void shouldEndTheTestWhenTheSequentialTestDecidesAndRaiseTheSampleRatioAlarm() {
        long decided = testWith("clear-" + System.nanoTime(), 500, 50, 500, 110);
        long uneven = testWith("srm-" + System.nanoTime(), 500, 50, 650, 65);

        AbTests.Verdict clear = tests.evaluate(decided).orElseThrow();
        AbTests.Verdict skewed = tests.evaluate(uneven).orElseThrow();

        assertThat(clear.status()).isEqualTo("ENDED");
        assertThat(clear.winner()).isEqualTo("B");
        assertThat(clear.sequentialPValue()).isLessThan(0.05);
        assertThat(skewed.sampleRatioAlarm()).isTrue();
        assertThat(skewed.status()).isEqualTo("RUNNING");
    }

    /** A test with the given assignments and conversions written straight into its tables. */
    private long testWith(String name, int assignedA, int convertedA, int assignedB, int convertedB) {
        // A campaign of its own, so the test never touches other tests' messages.
        long id = tests
                .create(new AbTests.Definition(name, name, "EMAIL", null, null, List.of(new String[] {"A", "x"}, new String[] {"B", "y"})));
        List<Long> variants = jdbc.queryForList("SELECT id FROM ab_variant WHERE test_id = ? ORDER BY position", Long.class, id);
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(
                "INSERT INTO ab_assignment (test_id, lead_id, variant_id, assigned_at, converted_at) SELECT ?, -g, ?, ?, CASE WHEN g <= ? THEN"
                        + " CAST(? AS TIMESTAMP WITH TIME ZONE) END FROM generate_series(1, ?) g",
                id, variants.get(0), now, convertedA, now, assignedA);
        jdbc.update(
                "INSERT INTO ab_assignment (test_id, lead_id, variant_id, assigned_at, converted_at) SELECT ?, -1000000 - g, ?, ?, CASE WHEN g <= ? THEN"
                        + " CAST(? AS TIMESTAMP WITH TIME ZONE) END FROM generate_series(1, ?) g",
                id, variants.get(1), now, convertedB, now, assignedB);
        return id;
    }
}
