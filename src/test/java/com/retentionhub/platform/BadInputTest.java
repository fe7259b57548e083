package com.retentionhub.platform;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.retentionhub.ingress.meta.MetaLeads;
import com.retentionhub.lead.Scripts;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioWebhookClient;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every class of bad input, sent to every endpoint that takes input: each answer is a 4xx with a
 * reason, and the database is exactly as it was before. A text from a carrier is the exception to
 * refusing: it is stored (see {@link #shouldStoreAnSmsWhoseBodyHoldsANulWithTheOriginalKeptEscaped}).
 */
class BadInputTest extends HubIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String NUL = "\u0000";

    /** Tables any input endpoint writes; a refused request must leave every one as it was. */
    private static final List<String> TABLES = List.of("inbound_event", "status_event", "dead_letter", "leads", "contact", "campaign",
            "campaign_lead", "script", "sequence", "sequence_step", "enrollment", "consent_event", "consent_state", "conversion",
            "conversion_event", "outbox", "message", "conversation", "meta_leadgen", "call_report", "service_visit", "appointment",
            "business_event");

    /** One bad request: which endpoint, which class of bad input, and how to send it. */
    record Case(String endpoint, String badInput, Supplier<HttpResponse<String>> send) {}

    @Autowired
    Sequences sequences;

    @Autowired
    Scripts scripts;

    @Autowired
    MetaLeads metaLeads;

    private long sequence;

    @TestFactory
    Stream<DynamicTest> shouldRefuseBadInputWith4xxAndAReasonAndLeaveTheDatabaseUnchanged() {
        sequence = newSequence();
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.endpoint() + " <- " + c.badInput(), () -> {
            Map<String, Integer> before = snapshot();
            HttpResponse<String> response = c.send().get();
            assertThat(response.statusCode()).as("status for %s: %s", c.badInput(), response.body()).isBetween(400, 499);
            assertThat(response.body()).as("a reason").isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(snapshot()).as("database after %s", c.badInput()).isEqualTo(before);
        }));
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Malformed percent-encoding, on every form webhook, before any signature or token check.
        for (String path : List.of("/sms", "/sms/webhook", "/messages/incoming", "/api/inbound-sms", "/sms/status",
                "/sms/status-callback")) {
            cases.add(new Case(path, "Body=%zz", () -> form(path, "MessageSid=SMx&From=%2B14155550100&Body=%zz")));
            cases.add(new Case(path, "trailing %", () -> form(path, "MessageSid=SMx&From=%2B14155550100&Body=abc%")));
            cases.add(new Case(path, "%zz in the query", () -> form(path + "?a=%zz", "MessageSid=SMx")));
        }
        for (String path : List.of("/webhooks/keitaro", "/api/webhooks/keitaro")) {
            cases.add(new Case(path, "GET payout=%zz", () -> get(path + "?token=keitaro-token-1&subid=s1&payout=%zz")));
            cases.add(new Case(path, "GET trailing %", () -> get(path + "?token=keitaro-token-1&subid=s1%")));
            cases.add(new Case(path, "POST form %zz", () -> form(path + "?token=keitaro-token-1", "subid=s1&payout=%zz")));
        }
        cases.add(new Case("/webhooks/meta", "GET hub.challenge=%zz",
                () -> get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=meta-verify-1&hub.challenge=%zz")));
        cases.add(new Case("/webhooks/instantly", "token=%zz",
                () -> RawHttp.send(port, "POST", "/webhooks/instantly?token=%zz", "application/json", "{}")));
        cases.add(new Case("/webhooks/vapi", "a=%zz", () -> RawHttp.send(port, "POST", "/webhooks/vapi?a=%zz", "application/json", "{}")));
        cases.add(new Case("/webhooks/dlr/sms-retail", "form %zz",
                () -> form("/webhooks/dlr/sms-retail?token=dlr-test-token", "message_id=%zz")));
        cases.add(new Case("/webhooks/dlr/sms-retail", "token=%",
                () -> form("/webhooks/dlr/sms-retail?token=%", "message_id=m1&status=sent")));

        // NUL bytes: in a text's To or MessageSid (the Body is stored, see below), a status, and each provider's fields.
        cases.add(new Case("/sms", "NUL in MessageSid", () -> signedSms(Map.of("MessageSid", "SM" + NUL + "x"))));
        cases.add(new Case("/sms", "NUL in To", () -> signedSms(Map.of("To", "+1501712" + NUL))));
        cases.add(new Case("/sms/status", "NUL in MessageStatus", () -> twilio.post("/sms/status",
                Map.of("MessageSid", TwilioWebhookClient.newSid(), "MessageStatus", "deliv" + NUL + "ered"))));
        cases.add(new Case("/webhooks/keitaro", "NUL in subid",
                () -> get("/webhooks/keitaro?token=keitaro-token-1&subid=s%00x&status=sale")));
        cases.add(new Case("/webhooks/keitaro", "NUL in tid", () -> form("/webhooks/keitaro?token=keitaro-token-1", "subid=s1&tid=t%00")));
        cases.add(new Case("/webhooks/meta", "NUL in a leadgen change",
                () -> meta("{\"object\":\"page\",\"entry\":[{\"changes\":[{\"field\":\"leadgen\","
                        + "\"value\":{\"leadgen_id\":\"123\",\"form_id\":\"4\\u0000\"}}]}]}")));
        cases.add(new Case("/webhooks/instantly", "NUL in event_type", () -> json("/webhooks/instantly?token=instantly-hook-secret",
                "{\"event_type\":\"email_sent\\u0000\",\"lead_email\":\"a@b.example\"}", Map.of())));
        cases.add(new Case("/webhooks/vapi", "NUL in call id", () -> json("/webhooks/vapi",
                "{\"message\":{\"type\":\"status-update\",\"status\":\"ended\",\"call\":{\"id\":\"c\\u0000\"}}}",
                Map.of("X-Vapi-Secret", "vapi-hook-secret"))));
        cases.add(new Case("/webhooks/dlr/sms-retail", "NUL in message_id", () -> json("/webhooks/dlr/sms-retail?token=dlr-test-token",
                "{\"message_id\":\"m\\u0000\",\"status\":\"delivered\"}", Map.of())));
        cases.add(new Case("/api/leads", "NUL in name",
                () -> staff.post("/api/leads", "{\"name\":\"A\\u0000\",\"phone\":\"" + newPhone() + "\"}")));
        cases.add(new Case("/api/customers", "NUL in name",
                () -> staff.post("/api/customers", "{\"name\":\"A\\u0000\",\"phone\":\"" + newPhone() + "\"}")));
        cases.add(new Case("/api/scripts", "NUL in body", () -> staff.post("/api/scripts", "{\"name\":\"nul-" + System.nanoTime()
                + "\",\"channel\":\"SMS\",\"body\":\"Hi\\u0000\"}")));
        cases.add(new Case("/api/campaigns", "NUL in name",
                () -> staff.post("/api/campaigns", "{\"name\":\"c\\u0000" + System.nanoTime() + "\"}")));
        cases.add(new Case("/api/consent/{phone}", "NUL in confirmedBy",
                () -> staff.post("/api/consent/" + newPhone(), "{\"confirmedBy\":\"x\\u0000\"}")));
        cases.add(new Case("/api/messages", "NUL in body",
                () -> staff.post("/api/messages", "{\"phone\":\"" + newPhone() + "\",\"body\":\"hi\\u0000\"}")));
        // Every other endpoint that binds a JSON body: a NUL in one of its text fields.
        String nul = "x\\u0000";
        Map<String, String> jsonBodies = new LinkedHashMap<>();
        jsonBodies.put("POST /api/reach-out/preview", "{\"rule\":{\"tags\":[\"" + nul + "\"]}}");
        jsonBodies.put("POST /api/reach-out/runs", "{\"rule\":{},\"template\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/batches/daily", "{\"template\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/warm-leads/message", "{\"template\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/conversations/1/messages", "{\"body\":\"" + nul + "\"}");
        jsonBodies.put("PUT /api/conversations/1/state", "{\"state\":\"" + nul + "\",\"actor\":\"a\"}");
        jsonBodies.put("POST /api/conversations", "{\"phone\":\"" + nul + "\",\"type\":\"welcome\"}");
        jsonBodies.put("POST /api/sequences", "{\"name\":\"" + nul + "\",\"steps\":[]}");
        jsonBodies.put("PUT /api/sequences/1", "{\"name\":\"" + nul + "\",\"steps\":[]}");
        jsonBodies.put("POST /api/sequences/1/steps", "{\"channel\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/sequences/1/simulate", "{\"campaign\":\"" + nul + "\"}");
        jsonBodies.put("PUT /api/campaigns/1", "{\"name\":\"" + nul + "\"}");
        jsonBodies.put("PUT /api/scripts/1", "{\"name\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/ab-tests", "{\"name\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/demo/initial", "{\"type\":\"" + nul + "\"}");
        jsonBodies.put("POST /api/demo/ongoing", "{\"state\":\"" + nul + "\",\"messages\":[]}");
        jsonBodies.forEach((endpoint, body) -> {
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            cases.add(new Case(path, "NUL in a JSON text field",
                    () -> endpoint.startsWith("PUT") ? staff.put(path, body) : staff.post(path, body)));
        });
        cases.add(new Case("/api/conversations?phone=", "NUL in a query", () -> staff.get("/api/conversations?phone=%2B1415%00")));
        cases.add(new Case("/api/customers?q=", "NUL in a query", () -> staff.get("/api/customers?q=a%00b")));
        cases.add(new Case("/api/leads/import", "NUL in ?source",
                () -> RawHttp.send(port, "POST", "/api/leads/import?source=bulk%00", "text/csv",
                        "name,phone\nAna," + newPhone() + "\n")));
        cases.add(new Case("/api/sequences/{id}/enroll", "NUL in campaign", () -> staff.post("/api/sequences/" + sequenceId() + "/enroll",
                "{\"leadId\":1,\"campaign\":\"c\\u0000\"}")));
        cases.add(
                new Case("/api/customers/{id}", "NUL in email", () -> staff.put("/api/customers/1", "{\"email\":\"a\\u0000@b.example\"}")));

        // Amounts out of bounds and ambiguous repeated parameters.
        for (String payout : List.of("1e12", "1e20", "-1e309", "1e1000000", "NaN", "0x10", "1000000000.01")) {
            cases.add(new Case("/webhooks/keitaro", "payout=" + payout,
                    () -> get("/webhooks/keitaro?token=keitaro-token-1&subid=p-" + System.nanoTime()
                            + "&status=sale&payout=" + payout)));
        }
        cases.add(new Case("/webhooks/keitaro", "repeated sub_id",
                () -> get("/webhooks/keitaro?token=keitaro-token-1&sub_id=a-" + System.nanoTime()
                        + "&sub_id=b&status=sale")));
        cases.add(new Case("/webhooks/keitaro", "subid and sub_id differ", () -> get("/webhooks/keitaro?token=keitaro-token-1&subid=a-"
                + System.nanoTime() + "&sub_id=b")));
        cases.add(new Case("/webhooks/keitaro", "query and form differ",
                () -> form("/webhooks/keitaro?token=keitaro-token-1&subid=a-" + System.nanoTime(),
                        "subid=b")));

        // References to nothing, template syntax, and oversized fields and headers.
        cases.add(new Case("/api/sequences/{id}/enroll", "{}", () -> staff.post("/api/sequences/" + sequenceId() + "/enroll", "{}")));
        cases.add(new Case("/api/sequences/{id}/enroll", "no such lead", () -> staff.post("/api/sequences/" + sequenceId() + "/enroll",
                "{\"leadId\":987654321}")));
        cases.add(new Case("/sms", "5,000-character To", () -> signedSms(Map.of("To", "+1" + "5".repeat(5000)))));
        cases.add(new Case("/api/messages", "5,000-character Idempotency-Key", () -> staff.postWithKey("/api/messages",
                "{\"phone\":\"" + newPhone() + "\",\"body\":\"hi\"}", "k".repeat(5000))));
        cases.add(new Case("/api/conversations", "5,000-character Idempotency-Key", () -> staff.postWithKey("/api/conversations",
                "{\"phone\":\"" + newPhone() + "\",\"type\":\"welcome\"}", "k".repeat(5000))));
        cases.add(new Case("/sms/status", "5,000-character ErrorCode", () -> twilio.post("/sms/status",
                Map.of("MessageSid", TwilioWebhookClient.newSid(), "MessageStatus", "failed", "ErrorCode", "3".repeat(5000)))));
        cases.add(new Case("/webhooks/dlr/sms-retail", "repeated message_id", () -> form("/webhooks/dlr/sms-retail?token=dlr-test-token",
                "message_id=m1&message_id=m2&status=delivered")));

        // Validation errors.
        cases.add(new Case("/api/messages", "blank phone", () -> staff.post("/api/messages", "{\"phone\":\"\",\"body\":\"hi\"}")));
        cases.add(new Case("/api/messages", "not JSON", () -> staff.post("/api/messages", "{\"phone\":")));
        cases.add(new Case("/api/leads", "an object for a name",
                () -> staff.post("/api/leads", "{\"name\":{\"a\":1},\"phone\":\"" + newPhone() + "\"}")));
        cases.add(new Case("/api/sequences/{id}/enroll", "a text for leadId", () -> staff.post("/api/sequences/" + sequenceId() + "/enroll",
                "{\"leadId\":\"one\"}")));
        cases.add(new Case("/api/scripts", "an unclosed template", () -> staff.post("/api/scripts", "{\"name\":\"t-" + System.nanoTime()
                + "\",\"channel\":\"SMS\",\"body\":\"Hi {{firstName}\"}")));

        // Too many form parameters in one signed text.
        cases.add(new Case("/sms", "10,000 form parameters", () -> {
            Map<String, String> params = new LinkedHashMap<>(TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), newPhone(), "hi"));
            for (int i = 0; i < 10_000; i++) {
                params.put("P" + i, "v");
            }
            return twilio.post("/sms", params);
        }));
        return cases;
    }

    @Test
    void shouldStoreAnSmsWhoseBodyHoldsANulWithTheOriginalKeptEscaped() {
        String sid = TwilioWebhookClient.newSid();
        String phone = newPhone();

        HttpResponse<String> answer = twilio.post("/sms", TwilioWebhookClient.inbound(sid, phone, "see you at 5" + NUL + "pm"));

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT body FROM inbound_event WHERE dedupe_key = ?", String.class, sid))
                .isEqualTo("see you at 5\uFFFDpm");
        assertThat(jdbc.queryForObject("SELECT params FROM inbound_event WHERE dedupe_key = ?", String.class, sid)).contains("5\\u0000pm");
        assertThat(count("SELECT count(*) FROM dead_letter WHERE body LIKE ?", "%" + sid + "%")).isZero();
    }

    @Test
    void shouldAnswer422WhenAnIdempotencyKeyIsReusedWithAnotherPhoneOrBody() {
        String key = "bound-" + System.nanoTime();
        String phone = newPhone();

        HttpResponse<String> first = staff.postWithKey("/api/messages", "{\"phone\":\"" + phone + "\",\"body\":\"Your visit is at 3\"}",
                key);
        HttpResponse<String> retry = staff.postWithKey("/api/messages", "{\"phone\":\"" + phone + "\",\"body\":\"Your visit is at 3\"}",
                key);
        HttpResponse<String> otherBody = staff.postWithKey("/api/messages", "{\"phone\":\"" + phone + "\",\"body\":\"Your visit is at 4\"}",
                key);
        HttpResponse<String> otherPhone = staff.postWithKey("/api/messages",
                "{\"phone\":\"" + newPhone() + "\",\"body\":\"Your visit is at 3\"}", key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(StaffClient.json(retry).path("outboxId").asLong()).isEqualTo(StaffClient.json(first).path("outboxId").asLong());
        assertThat(List.of(otherBody.statusCode(), otherPhone.statusCode())).containsOnly(422);
        assertThat(otherBody.body()).contains("Idempotency-Key");
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key = ?", "manual:" + key)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE idempotency_key = ?", String.class, "manual:" + key))
                .isEqualTo("Green Shield Pest Control: Your visit is at 3. Reply STOP to opt out."); // a first text names the business and the opt-out
    }

    @Test
    void shouldNameTheFieldAndTheRuleWhenARequestIsInvalid() {
        HttpResponse<String> blank = staff.post("/api/messages", "{\"phone\":\"\",\"body\":\"hi\"}");
        HttpResponse<String> nul = staff.post("/api/scripts",
                "{\"name\":\"n-" + System.nanoTime() + "\",\"channel\":\"SMS\",\"body\":\"Hi\\u0000\"}");
        HttpResponse<String> wrongType = staff.post("/api/leads", "{\"name\":[1],\"phone\":\"" + newPhone() + "\"}");

        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(StaffClient.json(blank).path("detail").asText()).isEqualTo("phone: must not be blank");
        assertThat(StaffClient.json(blank).path("errors").get(0).path("field").asText()).isEqualTo("phone");
        assertThat(StaffClient.json(nul).path("detail").asText()).isEqualTo("body: must not contain a NUL character");
        assertThat(StaffClient.json(wrongType).path("detail").asText()).isEqualTo("name: must be a string");
        HttpResponse<String> noLead = staff.post("/api/sequences/" + newSequence() + "/enroll", "{\"leadId\":987654321}");
        assertThat(noLead.statusCode()).isEqualTo(422);
        assertThat(StaffClient.json(noLead).path("detail").asText()).isEqualTo("leadId: no lead 987654321");
        HttpResponse<String> empty = staff.post("/api/sequences/" + newSequence() + "/enroll", "{}");
        assertThat(StaffClient.json(empty).path("detail").asText()).isEqualTo("leadId: must not be null");
    }

    @Test
    void shouldImportTheGoodRowsAndReportEveryBadRowByNumberAndReason() {
        String a = newPhone();
        String b = newPhone();
        String csv = "name,phone,email\nAna," + a + ",\nBen," + b + ",\nC" + NUL + "y," + newPhone() + ",\nDee,12,\nEd," + newPhone()
                + ",\""
                + "x".repeat(400) + "@e.example\"\n";

        HttpResponse<String> answer = csv(csv);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var result = StaffClient.json(answer);
        assertThat(result.path("imported").asInt()).isEqualTo(2);
        assertThat(result.path("invalidRows").toString()).isEqualTo("[4,5,6]");
        assertThat(result.path("errors").get(0).path("reason").asText()).isEqualTo("name: must not contain a NUL character");
        assertThat(result.path("errors").get(1).path("reason").asText()).contains("phone");
        assertThat(count("SELECT count(*) FROM leads WHERE phone IN (?, ?)", a, b)).isEqualTo(2);
    }

    @Test
    void shouldWriteToACustomerWhoseNameHoldsBracesWithoutTheBraces() {
        HttpResponse<String> started = staff.post("/api/conversations",
                "{\"phone\":\"" + newPhone() + "\",\"type\":\"welcome\",\"name\":\"{{Ana}}\"}");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(StaffClient.json(started).path("text").asText()).contains("Ana").doesNotContain("{").doesNotContain("}");
    }

    @Test
    void shouldGiveUpAMetaLeadThatCanNeverBeFetchedAndShowItInDeadLetters() {
        String id = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
        EMAIL_AND_VOICE.stubFor(WireMock.get(urlPathEqualTo("/v21.0/" + id)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Unsupported get request.\",\"type\":\"GraphMethodException\",\"code\":100}}")));
        String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1763492102,\"changes\":[{\"field\":\"leadgen\",\"value\":{"
                + "\"leadgen_id\":\"" + id + "\",\"page_id\":\"1\",\"form_id\":\"2\"}}]}]}";
        assertThat(meta(body).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofHours(2)); // past any backoff
            metaLeads.fetchDue();
            return "INVALID".equals(jdbc.queryForObject("SELECT status FROM meta_leadgen WHERE leadgen_id = ?", String.class, id));
        });
        assertThat(jdbc.queryForObject("SELECT last_error FROM meta_leadgen WHERE leadgen_id = ?", String.class, id))
                .startsWith("gave up after 10 attempts");
        HttpResponse<String> letters = staff.get("/api/dead-letters?routeId=lead-meta-fetch");
        assertThat(letters.body()).contains("meta-leadgen:" + id).contains("gave up after");
    }

    @Test
    void shouldAnswer408WhenABodyIsTrickledPastTheReadTimeout() throws Exception {
        for (String path : List.of("/sms", "/api/messages")) {
            long started = System.nanoTime();
            int status = trickle(path);
            assertThat(status).as(path).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Sends headers for a 200-byte body, then one byte a second; returns the status the hub answers with. */
    private int trickle(String path) throws Exception {
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: test-key-1\r\nContent-Type: "
                    + (path.startsWith("/api") ? "application/json" : "application/x-www-form-urlencoded")
                    + "\r\nContent-Length: 200\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sender.scheduleAtFixedRate(() -> {
                try {
                    out.write('a');
                    out.flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e); // the hub closed the connection: stop
                }
            }, 1, 1, TimeUnit.SECONDS);
            byte[] head = socket.getInputStream().readNBytes(12);
            return Integer.parseInt(new String(head, StandardCharsets.US_ASCII).substring(9, 12));
        } finally {
            sender.shutdownNow();
        }
    }

    private Map<String, Integer> snapshot() {
        Map<String, Integer> counts = new TreeMap<>();
        TABLES.forEach(t -> counts.put(t, count("SELECT count(*) FROM " + t)));
        return counts;
    }

    private long sequenceId() {
        return sequence;
    }

    /** An active sequence to enroll into, made before the cases run (and their database snapshots are taken). */
    private long newSequence() {
        String tag = "bad-input-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag, "SMS", null, null, "Hi {{firstName}}", null));
        return sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag, List.of(), 0)))).id();
    }

    private HttpResponse<String> signedSms(Map<String, String> overrides) {
        Map<String, String> params = new LinkedHashMap<>(TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), newPhone(), "hello"));
        params.putAll(overrides);
        return twilio.post("/sms", params);
    }

    private HttpResponse<String> form(String path, String body) {
        if (path.contains("%")) {
            return RawHttp.send(port, "POST", path, "application/x-www-form-urlencoded", body);
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> json(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    private HttpResponse<String> meta(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("meta-app-secret-1".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            return json("/webhooks/meta", body, Map.of("X-Hub-Signature-256", signature));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> csv(String body) {
        return send(HttpRequest.newBuilder(uri("/api/leads/import")).header("Content-Type", "text/csv").header("X-API-Key", "test-key-1")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) {
        return path.matches(".*%([^0-9A-Fa-f].|.[^0-9A-Fa-f]|.?$).*")
                ? RawHttp.send(port, "GET", path, null, null)
                : send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
