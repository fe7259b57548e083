package com.retentionhub.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.retentionhub.dispatch.DispatchWorkers;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioFake;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Calendar invites through the SMTP connector against a real SMTP server (GreenMail), and the first
 * story of issue 22 end to end: a customer with an open issue texts, gets a reply naming it, books
 * "tomorrow at 2pm", receives the invite by email, later texts "stop texting me", and nothing more
 * is sent, not even a follow-up already queued. Model and SMTP configured: a context of its own.
 */
@DirtiesContext
class CalendarInviteTest extends HubIntegrationTest {

    static final WireMockServer OPENAI = new WireMockServer(options().dynamicPort());
    static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = System.getenv().getOrDefault("SPRING_FLYWAY_SCHEMAS", "hub_test") + "_invites";

    static {
        OPENAI.start();
        SMTP.start();
        SMTP.setUser("bookings@greenshield.example", "hub", "smtp-secret");
    }

    @DynamicPropertySource
    static void modelAndSmtp(DynamicPropertyRegistry registry) {
        registry.add("hub.llm.base-url", () -> OPENAI.baseUrl() + "/v1");
        registry.add("hub.llm.api-key", () -> "sk-test-not-a-real-key");
        registry.add("hub.llm.timeout-seconds", () -> "5");
        registry.add("SMTP_HOST", () -> "127.0.0.1");
        registry.add("SMTP_PORT", () -> String.valueOf(SMTP.getSmtp().getPort()));
        registry.add("SMTP_USERNAME", () -> "hub");
        registry.add("SMTP_PASSWORD", () -> "smtp-secret");
        registry.add("SMTP_FROM", () -> "Green Shield Pest Control <bookings@greenshield.example>");
        registry.add("SMTP_START_TLS", () -> "false");
        registry.add("HUB_INVITE_SWEEP_MS", () -> "300");
        registry.add("spring.datasource.url", () -> TestDatabase.url(SCHEMA));
        registry.add("spring.flyway.schemas", () -> SCHEMA);
    }

    @Autowired
    Outbox outbox;

    @Autowired
    DispatchWorkers workers;

    @BeforeEach
    void model() {
        OPENAI.resetAll();
        answerWith(completion("{\"reply\":\"Happy to help!\",\"next_state\":\"start\"}"));
    }

    @Test
    void shouldEmailTheInviteWhenACustomerBooksByTextAndACancellationWhenSheCancels() throws Exception {
        String phone = newPhone();
        String email = "ana-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        customer(phone, "Ana Ruiz", email, null);

        book(phone, "can you come tomorrow at 4pm?");

        assertThat(lastReply(phone)).startsWith("You're booked for Thu Nov 19 at 4:00 PM with Green Shield Pest Control.")
                .endsWith("We'll email the calendar invite to " + email + ".");
        MimeMessage invite = awaitMail(email, 1).get(0);
        assertThat(invite.getSubject()).isEqualTo("Invitation: Green Shield Pest Control appointment, Thursday, November 19 at 4:00 PM");
        assertThat(invite.getFrom()[0].toString()).contains("bookings@greenshield.example");
        String ics = calendarPart(invite, "REQUEST");
        assertThat(ics).contains("METHOD:REQUEST\r\n", "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n",
                "DTSTART;TZID=America/New_York:20261119T160000\r\n",
                "DTEND;TZID=America/New_York:20261119T170000\r\n", "SEQUENCE:0\r\n", "STATUS:CONFIRMED\r\n", "TZOFFSETTO:-0500\r\n");
        assertThat(unfold(ics)).contains("ATTENDEE;CN=Ana Ruiz;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + email,
                "ORGANIZER;CN=Green Shield Pest Control:mailto:bookings@greenshield.example");
        assertThat(ics.split("\r\n")).allSatisfy(line -> assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75));
        assertThat(ics).contains("\r\n "); // the long ATTENDEE line is folded

        twilio.text(phone, "something came up, I need to cancel my appointment");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM appointment WHERE phone = ? AND status = 'cancelled'", phone) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastReply(phone).startsWith("Your appointment on Thu Nov 19"));
        assertThat(lastReply(phone)).contains("is cancelled. We'll email you a calendar cancellation.");
        MimeMessage cancel = awaitMail(email, 2).get(1);
        assertThat(cancel.getSubject()).startsWith("Cancelled: Green Shield Pest Control appointment");
        assertThat(calendarPart(cancel, "CANCEL")).contains("METHOD:CANCEL\r\n", "SEQUENCE:1\r\n", "STATUS:CANCELLED\r\n",
                "DTSTART;TZID=America/New_York:20261119T160000\r\n").contains(uid(ics));
    }

    @Test
    void shouldAskForTheEmailAndSendTheInviteOnceTheCustomerGivesIt() throws Exception {
        String phone = newPhone();
        customer(phone, "Bo Lee", null, null);
        twilio.text(phone, "can you come friday at 10am?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 1);
        twilio.text(phone, "yes");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 2);
        assertThat(lastReply(phone)).endsWith("What email should we send the calendar invite to?");

        String email = "bo-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        twilio.text(phone, "sure it's " + email);

        MimeMessage invite = awaitMail(email, 1).get(0);
        assertThat(calendarPart(invite, "REQUEST")).contains("DTSTART;TZID=America/New_York:20261120T100000\r\n");
    }

    @Test
    void shouldSayWhyARequestedTimeMoved() {
        String phone = newPhone();

        twilio.text(phone, "can you come sunday at 10am?");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 1);
        assertThat(lastReply(phone))
                .isEqualTo("We're closed Sundays; the first opening is Mon Nov 23 at 8:00 AM. Reply YES to confirm, or suggest"
                        + " another time.");
        assertThat(OPENAI.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))).isEmpty();
    }

    @Test
    void shouldCarryACustomerWithAnOpenIssueFromHerTextThroughABookingAndItsInviteToSilenceAfterStop() throws Exception {
        toggle.setLive(true);
        OPENAI.stubFor(
                post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                        .withRequestBody(containing("Open issues: ants back by the kitchen sink"))
                        .willReturn(completion(
                                "{\"reply\":\"Hey Jamie! Still seeing ants by the kitchen sink since your October treatment? We can come"
                                        + " take care of it. What day works?\",\"next_state\":\"interested\"}")));
        String phone = newPhone();
        String email = "jamie-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
        customer(phone, "Jamie Cole", email, "ants back by the kitchen sink");

        // 1. She texts; the reply names her open issue.
        twilio.text(phone, "hey, are you guys still doing the pest plan?");
        await().atMost(Duration.ofSeconds(15)).until(() -> sentBodies(phone).size() == 1);
        assertThat(sentBodies(phone).get(0)).contains("Jamie", "ants by the kitchen sink");

        // 2. She books "tomorrow at 2pm" and gets the invite by email.
        twilio.text(phone, "tomorrow at 2pm?");
        await().atMost(Duration.ofSeconds(10)).until(() -> sentBodies(phone).size() == 2);
        assertThat(sentBodies(phone).get(1)).startsWith("We can come Thu Nov 19 at 2:00 PM.");
        twilio.text(phone, "yes");
        await().atMost(Duration.ofSeconds(10)).until(() -> sentBodies(phone).size() == 3);
        assertThat(sentBodies(phone).get(2)).startsWith("You're booked for Thu Nov 19 at 2:00 PM").contains(email);
        assertThat(calendarPart(awaitMail(email, 1).get(0), "REQUEST")).contains("DTSTART;TZID=America/New_York:20261119T140000\r\n");

        // A follow-up is already queued for the next day (as a sequence step or staff reminder would be).
        long followUp = outbox
                .enqueue(Outbox.Message.sms("story-follow-up:" + phone, phone, "Green Shield Pest Control: how did the visit go?"
                        + " Reply STOP to opt out.").notBefore(clock.instant().plus(Duration.ofHours(20))))
                .id();

        // 3. "stop texting me": one confirmation (in the webhook's answer), then nothing, not even the queued follow-up.
        var stop = twilio.text(phone, "stop texting me");
        assertThat(stop.body()).contains("Messages Stopped");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM consent_event WHERE phone = ? AND action = 'OPT_OUT'", phone) == 1);
        clock.advance(Duration.ofDays(1));
        workers.nudge();
        // Ended by the last-hop consent check (BLOCKED) or, once queued messages are withdrawn at the opt-out itself, before it: never sent.
        await().atMost(Duration.ofSeconds(10)).until(() -> !List.of("PENDING", "SENDING").contains(jdbc.queryForObject(
                "SELECT status FROM outbox WHERE id = ?", String.class, followUp)));
        assertThat(jdbc.queryForObject("SELECT status FROM outbox WHERE id = ?", String.class, followUp)).isNotIn("SENT", "SIMULATED");
        assertThat(jdbc.queryForObject("SELECT sent_at FROM outbox WHERE id = ?", Timestamp.class, followUp)).isNull();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
            assertThat(sentBodies(phone)).hasSize(3);
            assertThat(mailTo(email)).hasSize(1);
            assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND status IN ('PENDING', 'SENDING')", phone)).isZero();
        });
    }

    private void book(String phone, String asking) {
        twilio.text(phone, asking);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 1);
        twilio.text(phone, "yes");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM appointment WHERE phone = ?", phone) == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND status = 'DONE'", phone) == 2);
    }

    private void customer(String phone, String name, String email, String openIssues) throws Exception {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("phone", phone);
        fields.put("name", name);
        if (email != null) {
            fields.put("email", email);
        }
        fields.put("serviceStatus", "active");
        if (openIssues != null) {
            fields.put("openIssues", openIssues);
        }
        fields.put("serviceHistory", List.of(Map.of("service", "General pest treatment", "performedOn", "2026-10-02")));
        fields.put("consent", "opted_in");
        fields.put("consentEvidence", "service agreement");
        assertThat(staff.post("/api/customers", JSON.writeValueAsString(fields)).statusCode()).isEqualTo(201);
    }

    private String lastReply(String phone) {
        return jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%' ORDER BY id DESC LIMIT 1",
                String.class,
                phone);
    }

    private List<String> sentBodies(String phone) {
        return TWILIO.findAll(postRequestedFor(urlPathMatching(TwilioFake.MESSAGES))).stream()
                .map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8)).filter(b -> b.contains("To=" + phone))
                .map(b -> Arrays.stream(b.split("&")).filter(p -> p.startsWith("Body=")).findFirst().orElse("Body=").substring(5)).toList();
    }

    private static List<MimeMessage> mailTo(String email) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().contains(email));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static List<MimeMessage> awaitMail(String email, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> mailTo(email).size() >= count);
        return mailTo(email);
    }

    /** The text/calendar part, checked to carry the iTIP method in its content type. */
    private static String calendarPart(MimeMessage message, String method) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.getContentType().toLowerCase(Locale.ROOT).startsWith("text/calendar")) {
                assertThat(part.getContentType().replace(" ", "").toLowerCase(Locale.ROOT)).contains("method=" + method.toLowerCase(
                        Locale.ROOT));
                try (InputStream in = part.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no text/calendar part in " + message.getContentType());
    }

    private static String unfold(String ics) {
        return ics.replace("\r\n ", "");
    }

    private static String uid(String ics) {
        return unfold(ics).lines().filter(l -> l.startsWith("UID:")).findFirst().orElseThrow();
    }

    private static void answerWith(ResponseDefinitionBuilder response) {
        OPENAI.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(response));
    }

    private static ResponseDefinitionBuilder completion(String content) {
        try {
            String body = """
                    {"id":"chatcmpl-9x","object":"chat.completion","created":1795240000,"model":"gpt-4o-mini-2024-07-18",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s,"refusal":null},"logprobs":null,"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":412,"completion_tokens":38,"total_tokens":450},"system_fingerprint":"fp_0ba0d124f1"}
                    """.formatted(JSON.writeValueAsString(content));
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
