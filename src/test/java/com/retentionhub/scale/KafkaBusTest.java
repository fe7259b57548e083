package com.retentionhub.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.support.EventSchema;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioWebhookClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The kafka profile against an embedded KRaft broker: a text's hand-off goes onto the inbound topic
 * keyed by its phone, as JSON, and the hub's own consumer group takes it from there to processing.
 */
// A context of its own (own properties): closed when the class ends, so its pool does not stay open beside the shared one.
@DirtiesContext
@ActiveProfiles({"test", "kafka"})
@EmbeddedKafka(kraft = true, partitions = 3, topics = {"hub.inbound", "hub.outbound", "hub.events",
        "hub.dead-letters"}, bootstrapServersProperty = "KAFKA_BOOTSTRAP_SERVERS")
class KafkaBusTest extends HubIntegrationTest {

    /** A schema of its own: this context's timers and workers must not act on the shared context's rows, nor it on theirs. */
    @DynamicPropertySource
    static void schema(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_kafka_test"));
        registry.add("spring.flyway.schemas", () -> "hub_kafka_test");
    }

    @Value("${hub.kafka.brokers}")
    String brokers;

    @Test
    void shouldHandTextsOverOnTheInboundTopicKeyedByPhoneAndProcessThemFromThere() throws Exception {
        String phone = newPhone();
        Map<String, String> first = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hi, do you spray for wasps?");
        Map<String, String> second = TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "And how much is it?");
        var answer = twilio.post("/sms", first);
        twilio.post("/sms", second);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().map().keySet()).as("the bus key stays off the HTTP answer")
                .noneMatch(h -> h.toLowerCase().startsWith("kafka"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM message m JOIN inbound_event e ON e.id = m.inbound_event_id"
                        + " WHERE e.phone = ?", phone) == 2);
        List<ConsumerRecord<String, String>> handed = read("hub.inbound", phone, 2, Duration.ofSeconds(15));

        assertThat(handed).extracting(ConsumerRecord::value).satisfiesExactly(
                v -> assertThat(v).contains(first.get("MessageSid")).contains("\"phone\":\"" + phone + "\""),
                v -> assertThat(v).contains(second.get("MessageSid")));
        assertThat(handed).extracting(ConsumerRecord::partition).as("one phone, one partition, in order")
                .containsOnly(handed.get(0).partition());
        assertThat(count("SELECT count(*) FROM dead_letter WHERE route_id = 'conversation-process-inbound'")).isZero();
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> admin.listConsumerGroupOffsets("hub-processing").partitionsToOffsetAndMetadata().get()
                            .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum() >= 2);
        }
    }

    @Test
    void shouldPublishBusinessEventsInTheDocumentedSchemaKeyedByPhone() throws Exception {
        String phone = newPhone();
        twilio.post("/sms", TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hi, how much for a termite inspection?"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND status IN ('SENT', 'SIMULATED')",
                        phone) == 1);
        twilio.post("/sms", TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "STOP"));

        List<JsonNode> events = await().atMost(Duration.ofSeconds(20))
                .until(() -> read("hub.events", phone, 4, Duration.ofSeconds(2)).stream()
                        .map(this::json).toList(), e -> e.size() >= 4);

        assertThat(events).extracting(e -> e.get("type").asText())
                .containsExactly("message.received", "message.sent", "consent.opted_out", "message.received");
        events.forEach(EventSchema::assertConforms);
        assertThat(events.get(0).get("data").get("text").asText()).isEqualTo("Hi, how much for a termite inspection?");
        assertThat(events.get(0).get("data").get("intent").asText()).isEqualTo("pricing");
        assertThat(events.get(1).get("data").get("idempotencyKey").asText()).startsWith("reply:");
        assertThat(events.get(2).get("data").get("source").asText()).isEqualTo("keyword");
        assertThat(events.get(3).get("data").get("keyword").asText()).isEqualTo("OPT_OUT");
        assertThat(events).extracting(e -> e.get("id").asText()).doesNotHaveDuplicates();
    }

    @Test
    void shouldPublishDeliveryEscalationAndConversionEventsInTheSchema() throws Exception {
        String customer = newPhone();
        toggle.setLive(true);
        long outboxId = StaffClient.json(staff.sendText(customer, "Your technician arrives at 10")).get("outboxId").asLong();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM outbox WHERE id = ? AND status = 'SENT'", outboxId) == 1);
        String sid = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE id = ?", String.class, outboxId);
        Map<String, String> callback = new LinkedHashMap<>();
        callback.put("MessageSid", sid);
        callback.put("MessageStatus", "delivered");
        callback.put("AccountSid", "ACfakefakefakefakefakefakefakefake");
        assertThat(twilio.post("/sms/status", callback).statusCode()).isEqualTo(200);
        assertThat(twilio.post("/sms/status", callback).statusCode()).as("a repeated callback").isEqualTo(200);

        String angry = newPhone();
        twilio.post("/sms", TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), angry, "Fix this or my lawyer will call you"));

        String subId = "ev-" + UUID.randomUUID();
        assertThat(HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/keitaro?token=keitaro-token-1"
                        + "&subid=" + subId + "&tid=T-9&status=sale&payout=49.00&currency=usd")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode())
                .isEqualTo(200);

        List<JsonNode> delivery = await().atMost(Duration.ofSeconds(20))
                .until(() -> read("hub.events", customer, 2, Duration.ofSeconds(2)).stream()
                        .map(this::json).toList(), e -> e.size() >= 2);
        assertThat(delivery).extracting(e -> e.get("type").asText()).containsExactly("message.sent", "message.delivered");
        assertThat(delivery.get(1).get("data").get("providerId").asText()).isEqualTo(sid);
        List<JsonNode> escalated = await().atMost(Duration.ofSeconds(20))
                .until(() -> read("hub.events", angry, 2, Duration.ofSeconds(2)).stream()
                        .map(this::json).filter(e -> e.get("type").asText().equals("conversation.escalated")).toList(), e -> !e.isEmpty());
        assertThat(escalated.get(0).get("data").get("reason").asText()).isEqualTo("legal");
        List<JsonNode> converted = await().atMost(Duration.ofSeconds(20))
                .until(() -> read("hub.events", "lead.converted", 50, Duration.ofSeconds(2))
                        .stream().map(this::json).filter(e -> e.get("data").get("subId").asText().equals(subId)).toList(),
                        e -> !e.isEmpty());
        assertThat(converted).hasSize(1);
        assertThat(converted.get(0).get("data").get("payout").decimalValue()).isEqualByComparingTo("49.00");
        List.of(delivery.get(0), delivery.get(1), escalated.get(0), converted.get(0)).forEach(EventSchema::assertConforms);
    }

    @Test
    void shouldCopyAPoisonRecordToTheDeadLetterTopicAndGoOnConsuming() throws Exception {
        String phone = newPhone();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("hub.inbound", phone, "{not an inbound event")).get();
        }
        twilio.post("/sms", TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Are you open on Saturday?"));

        List<ConsumerRecord<String, String>> copies = await().atMost(Duration.ofSeconds(20))
                .until(() -> read("hub.dead-letters", "conversation-process-inbound", 1, Duration.ofSeconds(2)).stream()
                        .filter(r -> r.value().contains("{not an inbound event")).toList(), l -> !l.isEmpty());
        JsonNode copy = json(copies.get(0));
        assertThat(copy.get("routeId").asText()).isEqualTo("conversation-process-inbound");
        assertThat(copy.get("error").asText()).isNotBlank();
        assertThat(count(
                "SELECT count(*) FROM dead_letter WHERE route_id = 'conversation-process-inbound' AND body = '{not an inbound event'"))
                .as("the letter itself is in the database, for the API").isEqualTo(1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> count("SELECT count(*) FROM message m JOIN inbound_event e ON e.id = m.inbound_event_id"
                        + " WHERE e.phone = ?", phone) == 1);
    }

    private JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return new ObjectMapper().readTree(record.value());
        } catch (Exception e) {
            throw new IllegalStateException(record.value(), e);
        }
    }

    /** Records with this key on a topic, from the beginning, until {@code atLeast} were seen or {@code within} passed. */
    private List<ConsumerRecord<String, String>> read(String topic, String key, int atLeast, Duration within) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long until = System.currentTimeMillis() + within.toMillis();
            while (found.size() < atLeast && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    if (key.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }
}
