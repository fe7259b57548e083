package com.retentionhub.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.sequence.Enrollments;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.SequenceProcessor;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.support.HubIntegrationTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Keitaro postbacks matched to the exact message, deduped, moving only along allowed status changes, and guarded by a token. */
class KeitaroPostbackTest extends HubIntegrationTest {

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

    @Test
    void shouldRecordOneConversionForAPostbackSentThriceAndConvertTheLead() throws Exception {
        String tag = "kt-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "SMS", null, null, "Offer: {{trackingUrl}}", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0),
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(2, "days"), tag, List.of(), 0)))).id();
        String phone = newPhone();
        long lead = intake.accept(new LeadIntake.NewLead("Ana Ruiz", phone, null, LeadIntake.Source.BULK, null, null, null)).id();
        long enrollment = enrollments.enroll(sequence, lead, null).orElseThrow();
        processor.processDue();
        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE phone = ?", String.class, phone);
        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ?", String.class, phone))
                .endsWith("sub_id=" + attempt + " Reply STOP to opt out."); // a first text says how to opt out (FirstContact)

        String url = "/webhooks/keitaro?token=keitaro-token-1&subid=" + attempt + "&tid=T-1&status=sale&payout=49.00&currency=usd";
        HttpResponse<String> first = get(url);
        HttpResponse<String> second = get(url);
        HttpResponse<String> third = get(url);

        assertThat(List.of(first.statusCode(), second.statusCode(), third.statusCode())).containsOnly(200);
        assertThat(first.body()).startsWith("created");
        assertThat(third.body()).startsWith("repeat");
        assertThat(count("SELECT count(*) FROM conversion WHERE sub_id = ?", attempt)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT lead_id FROM conversion WHERE sub_id = ?", Long.class, attempt)).isEqualTo(lead);
        assertThat(jdbc.queryForObject("SELECT payout FROM conversion WHERE sub_id = ?", BigDecimal.class, attempt))
                .isEqualByComparingTo("49.00");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE id = ?", String.class, lead)).isEqualTo("CONVERTED");
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("CONVERTED");

        // A later sale -> rejected (a chargeback) is allowed; rejected -> sale is not.
        assertThat(post("/api/webhooks/keitaro?token=keitaro-token-1", "subid=" + attempt + "&tid=T-1&status=rejected").body())
                .startsWith("changed");
        assertThat(post("/api/webhooks/keitaro?token=keitaro-token-1", "subid=" + attempt + "&tid=T-1&status=lead").body())
                .startsWith("refused");
        assertThat(jdbc.queryForObject("SELECT status FROM conversion WHERE sub_id = ?", String.class, attempt)).isEqualTo("rejected");
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE id = ?", String.class, lead)).isEqualTo("REJECTED");
    }

    @Test
    void shouldKeepAnUnmatchedPostbackAndRefuseBadOnes() throws Exception {
        String sub = "unknown-" + System.nanoTime();

        HttpResponse<String> unmatched = get("/webhooks/keitaro?token=keitaro-token-1&sub_id=" + sub + "&tid=9&revenue=12.5");
        HttpResponse<String> wrongToken = get("/webhooks/keitaro?token=nope&sub_id=" + sub + "x&tid=9");
        HttpResponse<String> noToken = get("/webhooks/keitaro?sub_id=" + sub + "y&tid=9");
        HttpResponse<String> macro = get("/webhooks/keitaro?token=keitaro-token-1&subid=%7Bsubid%7D&tid=9");
        HttpResponse<String> badStatus = get("/webhooks/keitaro?token=keitaro-token-1&subid=" + sub + "z&status=refund");

        assertThat(unmatched.statusCode()).isEqualTo(200);
        assertThat(unmatched.body()).contains("unmatched");
        assertThat(jdbc.queryForObject("SELECT status FROM conversion WHERE sub_id = ?", String.class, sub)).isEqualTo("sale"); // the default
        assertThat(wrongToken.statusCode()).isEqualTo(404);
        assertThat(noToken.statusCode()).isEqualTo(404);
        assertThat(macro.statusCode()).isEqualTo(400);
        assertThat(macro.body()).contains("macro");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM conversion WHERE sub_id IN (?, ?, ?)", sub + "x", sub + "y", sub + "z")).isZero();
        assertThat(count("SELECT count(*) FROM conversion WHERE sub_id = '{subid}'")).isZero();
    }

    @Test
    void shouldBoundPayoutsAndKeepThemToCents() {
        assertThat(KeitaroPostbacks.amount("49.005")).isEqualByComparingTo("49.00");
        assertThat(KeitaroPostbacks.amount("-12.5")).isEqualByComparingTo("-12.50");
        assertThat(KeitaroPostbacks.amount("1e9")).isEqualByComparingTo("1000000000");
        for (String bad : List.of("1e12", "1e20", "-1e309", "1e1000000", "NaN", "Infinity", "1000000000.01")) {
            Assertions.assertThatThrownBy(() -> KeitaroPostbacks.amount(bad)).as(bad)
                    .isInstanceOf(WebhookRejectedException.class).hasMessageStartingWith("payout: ");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
