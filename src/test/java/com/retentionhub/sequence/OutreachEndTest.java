package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioFake;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An opt-out on any channel, a sale or a rejection ends everything queued for that person at once:
 * the enrollments end with the reason, queued follow-ups (later steps, callbacks, re-engagements)
 * are withdrawn with the reason, and the lead's status says so; nothing more leaves afterwards.
 */
class OutreachEndTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    private long sequence;

    @BeforeEach
    void twoStepSequence() {
        toggle.setLive(true);
        String tag = "end-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "SMS", null, null, "Hi {{firstName}}, offer: {{trackingUrl}}", null));
        sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0),
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(2, "days"), tag, List.of(), 0)))).id();
    }

    @Test
    void shouldEndTheEnrollmentWithdrawTheCallbackAndMarkTheLeadWhenTheLeadTextsStop() {
        String phone = newPhone();
        Started s = start(phone);

        assertThat(twilio.text(phone, "STOP").statusCode()).isEqualTo(200);

        // At once, not when the next step comes due.
        assertThat(enrollment(s.enrollment())).containsEntry("status", "EXITED").containsEntry("exit_reason", "opted out (sms)");
        assertThat(outboxRow(s.callback())).containsEntry("status", "BLOCKED").containsEntry("last_error", "withdrawn: opted out (sms)");
        assertThat(leadStatus(phone)).isEqualTo("DO_NOT_CONTACT");
        assertThat(jdbc.queryForObject("SELECT status FROM message WHERE outbox_id = ?", String.class, s.callback())).isEqualTo("blocked");

        assertNothingMoreLeaves(phone);
    }

    @Test
    void shouldEndEverythingWhenTheOptOutComesByEmail() throws Exception {
        String phone = newPhone();
        Started s = start(phone);
        String email = "e" + phone.substring(2) + "@example.com";
        jdbc.update("UPDATE leads SET email = ? WHERE phone = ?", email, phone);
        jdbc.update("UPDATE contact SET email = ? WHERE phone = ?", email, phone);
        Outbox.Enqueued mail = outbox.enqueue(Outbox.Message.email("end-mail:" + phone, phone, email, "Hello", "Hi"));
        jdbc.update(
                "UPDATE outbox SET status = 'SENT', provider = 'instantly', provider_ref = 'camp-default-0001', provider_id = ? WHERE id = ?",
                "ins-" + phone, mail.id());

        String unsubscribed = "{\"timestamp\":\"2026-11-18T20:00:00Z\",\"event_type\":\"lead_unsubscribed\",\"workspace\":\"w\","
                + "\"campaign_id\":\"camp-default-0001\",\"lead_email\":\"" + email + "\"}";
        assertThat(post("/webhooks/instantly?token=instantly-hook-secret", unsubscribed).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> "EXITED".equals(enrollment(s.enrollment()).get("status")));
        assertThat(enrollment(s.enrollment())).containsEntry("exit_reason", "opted out (email)");
        assertThat(outboxRow(s.callback())).containsEntry("status", "BLOCKED");
        assertThat(leadStatus(phone)).isEqualTo("DO_NOT_CONTACT");
    }

    @Test
    void shouldWithdrawTheCallbackAndLaterStepsWhenTheLeadBuys() throws Exception {
        String phone = newPhone();
        Started s = start(phone);

        HttpResponse<String> sale = get("/webhooks/keitaro?token=keitaro-token-1&subid=" + s.attempt() + "&tid=S-1&status=sale&payout=20");
        assertThat(sale.body()).startsWith("created");

        assertThat(enrollment(s.enrollment())).containsEntry("status", "CONVERTED");
        assertThat(outboxRow(s.callback())).containsEntry("status", "BLOCKED").containsEntry("last_error", "withdrawn: converted");
        assertThat(leadStatus(phone)).isEqualTo("CONVERTED");
        assertNothingMoreLeaves(phone);
    }

    @Test
    void shouldEndTheEnrollmentAndWithdrawTheCallbackWhenTheLeadIsRejected() throws Exception {
        String phone = newPhone();
        Started s = start(phone);

        assertThat(get("/webhooks/keitaro?token=keitaro-token-1&subid=" + s.attempt() + "&tid=R-1&status=rejected").body())
                .startsWith("created");

        assertThat(enrollment(s.enrollment())).containsEntry("status", "EXITED").containsEntry("exit_reason", "lead rejected");
        assertThat(outboxRow(s.callback())).containsEntry("status", "BLOCKED").containsEntry("last_error", "withdrawn: lead rejected");
        assertThat(leadStatus(phone)).isEqualTo("REJECTED");
        assertNothingMoreLeaves(phone);
    }

    @Test
    void shouldWithdrawQueuedMessagesWhenTheCustomerIsDeleted() {
        String phone = newPhone();
        Started s = start(phone);
        long contact = jdbc.queryForObject("SELECT id FROM contact WHERE phone = ?", Long.class, phone);

        assertThat(staff.delete("/api/customers/" + contact).statusCode()).isIn(200, 204);

        assertThat(enrollment(s.enrollment())).containsEntry("status", "EXITED");
        assertThat(outboxRow(s.callback())).containsEntry("status", "BLOCKED");
    }

    private record Started(long enrollment, String attempt, long callback) {}

    /** Enrolled, the first step sent, and a callback call queued for tomorrow (as a VAPI "call me back" report leaves it). */
    private Started start(String phone) {
        long lead = intake.accept(new LeadIntake.NewLead("Jo Park", phone, null, LeadIntake.Source.BULK, null, null, null)).id();
        long enrollment = enrollments.enroll(sequence, lead, null).orElseThrow();
        processor.processDue();
        await().atMost(Duration.ofSeconds(10)).until(() -> TwilioFake.requestsTo(TWILIO, phone).size() == 1);
        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE phone = ?", String.class, phone);
        long callback = outbox
                .enqueue(Outbox.Message.call("reengage:callback:test-" + phone, phone, "")
                        .notBefore(clock.instant().plus(Duration.ofDays(1))))
                .id();
        return new Started(enrollment, attempt, callback);
    }

    /** Three days on, the sequence ticks and dispatch runs: no second text, no call. */
    private void assertNothingMoreLeaves(String phone) {
        clock.advance(Duration.ofDays(3));
        processor.processDue();
        workers.nudge();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1);
            assertThat(count(
                    "SELECT count(*) FROM outbox WHERE phone = ? AND status IN ('PENDING', 'SENDING', 'SENT', 'SIMULATED') AND channel <> 'sms'",
                    phone)).isZero();
        });
    }

    private Map<String, Object> enrollment(long id) {
        return jdbc.queryForMap("SELECT status, exit_reason FROM enrollment WHERE id = ?", id);
    }

    private Map<String, Object> outboxRow(long id) {
        return jdbc.queryForMap("SELECT status, last_error FROM outbox WHERE id = ?", id);
    }

    private String leadStatus(String phone) {
        return jdbc.queryForObject("SELECT status FROM leads WHERE phone = ?", String.class, phone);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
