package com.retentionhub.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.TwilioWebhookClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The kafka profile against an embedded KRaft broker: a text's hand-off goes onto the inbound topic
 * keyed by its phone, as JSON, and the hub's own consumer group takes it from there to processing.
 */
@ActiveProfiles({"test", "kafka"})
@EmbeddedKafka(kraft = true, partitions = 3, topics = {"hub.inbound", "hub.outbound"}, bootstrapServersProperty = "KAFKA_BOOTSTRAP_SERVERS")
class KafkaBusTest extends HubIntegrationTest {

    /** A schema of its own: this context's timers and workers must not act on the shared context's rows, nor it on theirs. */
    @DynamicPropertySource
    static void schema(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=hub_kafka_test");
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
        assertThat(answer.headers().map().keySet()).as("the bus key stays off the HTTP answer").noneMatch(h -> h.toLowerCase().startsWith("kafka"));

        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM message m JOIN inbound_event e ON e.id = m.inbound_event_id"
                + " WHERE e.phone = ?", phone) == 2);
        List<ConsumerRecord<String, String>> handed = recordsFor(phone);

        assertThat(handed).extracting(ConsumerRecord::value).satisfiesExactly(
                v -> assertThat(v).contains(first.get("MessageSid")).contains("\"phone\":\"" + phone + "\""),
                v -> assertThat(v).contains(second.get("MessageSid")));
        assertThat(handed).extracting(ConsumerRecord::partition).as("one phone, one partition, in order").containsOnly(handed.get(0).partition());
        assertThat(count("SELECT count(*) FROM dead_letter WHERE route_id = 'conversation-process-inbound'")).isZero();
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.listConsumerGroupOffsets("hub-processing").partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum() >= 2);
        }
    }

    private List<ConsumerRecord<String, String>> recordsFor(String phone) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("hub.inbound"));
            long until = System.currentTimeMillis() + 15_000;
            while (found.size() < 2 && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (phone.equals(r.key())) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }
}
