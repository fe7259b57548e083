package com.retentionhub.extension;

import com.retentionhub.support.TestDatabase;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ExtensionScenarios} in the scale-out profile: PostgreSQL with Kafka between stages and on the events topic. */
@DirtiesContext
@ActiveProfiles({"test", "kafka"})
@EmbeddedKafka(kraft = true, partitions = 3, topics = {"hub.inbound", "hub.outbound", "hub.events",
        "hub.dead-letters"}, bootstrapServersProperty = "KAFKA_BOOTSTRAP_SERVERS")
class ExtensionsOnKafkaTest extends ExtensionScenarios {

    @DynamicPropertySource
    static void ownSchema(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_ext_kafka"));
        registry.add("spring.flyway.schemas", () -> "hub_ext_kafka");
    }
}
