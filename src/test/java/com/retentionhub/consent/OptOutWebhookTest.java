package com.retentionhub.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioFake;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opt-out keywords through the real webhook: the opt-out holds the moment the 200 is out. */
class OptOutWebhookTest extends HubIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", " Stop. ", "STOP!", "STOPALL", "stop all", "Stop-All", "UNSUBSCRIBE", "Unsubscribe!!",
            "CANCEL", "cancel", "END", "end.", "QUIT", "quit", "REVOKE", "OPTOUT", "opt out", "Opt-Out", "OPT OUT!", "baja", "PARAR",
            "arrêt", "Désabonner"})
    void shouldOptOutInsideTheWebhookTransactionWhenTheWholeMessageIsAKeyword(String text) {
        String phone = newPhone();

        HttpResponse<String> response = twilio.text(phone, text);

        assertThat(response.statusCode()).isEqualTo(200);
        // No waiting: the ledger entry committed with the event, before the answer was written.
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ? AND channel = 'sms'", String.class, phone))
                .isEqualTo("OPTED_OUT");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ? AND action = 'OPT_OUT' AND source = 'KEYWORD'", phone))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"don't stop by before noon", "Please cancel my Tuesday appointment", "what time do you end today?",
            "I want to quit paying for roaches", "stop by anytime", "can you come at the end of the week", "Stopping by later",
            "Is it ok to cancel and rebook?"})
    void shouldNotOptOutWhenAnOrdinarySentenceMerelyContainsAKeyword(String text) {
        String phone = newPhone();

        HttpResponse<String> response = twilio.text(phone, text);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("<Response/>");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldAnswerExactlyOneConfirmationWhenLive() {
        toggle.setLive(true);
        String phone = newPhone();

        HttpResponse<String> response = twilio.text(phone, "STOP");

        assertThat(response.body())
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Messages Stopped</Message></Response>");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null && c.get("messages").size() == 2);
        assertThat(staff.conversation(phone).get("state").asText()).isEqualTo("stop");
        // The confirmation went back as TwiML; nothing to this phone through the API (other tests' sends may be in flight).
        assertThat(TwilioFake.requestsTo(TWILIO, phone)).isEmpty();
    }

    @Test
    void shouldRefuseManualSendAndReachNoProviderAfterStopUntilStartRestoresIt() {
        toggle.setLive(true);
        String phone = newPhone();
        twilio.text(phone, "STOP");

        HttpResponse<String> refused = staff.sendText(phone, "We miss you! 20% off this week");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("opted out");

        HttpResponse<String> start = twilio.text(phone, "START");
        assertThat(start.body()).contains("<Message>").contains("subscribed again");
        assertThat(staff.sendText(phone, "Welcome back").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(TwilioFake.requestsTo(TWILIO, phone)).hasSize(1));
        assertThat(TwilioFake.requestsTo(TWILIO, phone).get(0).getBodyAsString()).contains("Body=Welcome+back");
    }

    @ParameterizedTest
    @ValueSource(strings = {"please stop texting me", "Take me off your list!", "don't text me again", "No me manden más mensajes"})
    void shouldOptOutOnAPlainLanguageRevocationInsideTheWebhookTransaction(String text) {
        toggle.setLive(true);
        String phone = newPhone();

        HttpResponse<String> response = twilio.text(phone, text);

        assertThat(response.body()).contains("<Message>Messages Stopped</Message>");
        assertThat(jdbc.queryForObject("SELECT status FROM consent_state WHERE phone = ?", String.class, phone)).isEqualTo("OPTED_OUT");
        assertThat(jdbc.queryForObject("SELECT text FROM consent_event WHERE phone = ? AND source = 'MESSAGE'", String.class, phone))
                .isEqualTo(text);
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone),
                c -> c != null && "stop".equals(c.get("state").asText()));
    }

    @Test
    void shouldAskOnceForStopAndChangeNothingWhenTheTextIsAmbiguous() {
        toggle.setLive(true);
        String phone = newPhone();

        HttpResponse<String> response = twilio.text(phone, "No thanks.");

        assertThat(response.body()).contains("<Message>Reply STOP to stop messages.</Message>");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldStaySilentAndRecordNothingWhenAnOptedOutPhoneSendsStopAgain() {
        toggle.setLive(true);
        String phone = newPhone();
        twilio.text(phone, "STOP");

        HttpResponse<String> again = twilio.text(phone, "STOP");

        assertThat(again.body()).contains("<Response/>");
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isEqualTo(1);
    }

    @Test
    void shouldNotTreatYesAsReconsentWhenThePhoneNeverOptedOut() {
        String phone = newPhone();

        twilio.text(phone, "YES");

        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldBlockAQueuedMessageAtTheLastHopWhenStopArrivedAfterItWasQueued() {
        String phone = newPhone();
        // Queue while offline-paused dispatch cannot pick it: write the row, then STOP, then let dispatch run.
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("INSERT INTO consent_state (phone, channel, status, updated_at) VALUES (?, 'sms', 'OPTED_IN', ?)", phone, now);
        toggle.setLive(true);
        twilio.text(phone, "STOP");
        jdbc.update("INSERT INTO outbox (idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at)"
                + " VALUES (?, ?, 'sms', 'promo', 'PENDING', ?, ?, ?)", "test:" + phone, phone, now, now, now);

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT status FROM outbox WHERE idempotency_key = ?", String.class, "test:" + phone), "BLOCKED"::equals);
        // This phone only: replies from the class's earlier texts may still leave while dispatch is live.
        assertThat(TwilioFake.requestsTo(TWILIO, phone)).isEmpty();
    }
}
