package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.support.HubIntegrationTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Business events wait in the database, written with the change they report, until the bus takes
 * them: a bus that refuses them loses nothing, and a change that rolls back publishes nothing.
 * The test profile has no bus, so the test runs a publisher of its own on the hub's database and
 * Camel, and puts a route it can make fail where the bus would be (a broker that is away).
 */
class BusinessEventsOutboxTest extends HubIntegrationTest {

    private static final String BUS = "test-events-bus";

    private final AtomicBoolean busAway = new AtomicBoolean();
    private final List<String> received = new CopyOnWriteArrayList<>();

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    ObjectMapper json;

    @Autowired
    TransactionTemplate tx;

    private BusinessEvents events;

    @BeforeEach
    void bus() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // Like the publishing route, no error handler: the failure must reach the relay, as a broker error does.
                from(BusinessEvents.ROUTE_INPUT).routeId(BUS).routeConfigurationId("provider-call").process(exchange -> {
                    if (busAway.get()) {
                        throw new IllegalStateException("broker away");
                    }
                    for (Object m : exchange.getMessage().getBody(List.class)) {
                        received.add(((Message) m).getBody(String.class));
                    }
                });
            }
        });
        events = new BusinessEvents(true, json, clock, producer, camel, new SimpleMeterRegistry(), jdbc, tx);
    }

    @AfterEach
    void noBus() throws Exception {
        events.stop();
        camel.getRouteController().stopRoute(BUS);
        camel.removeRoute(BUS);
    }

    @Test
    void shouldKeepACommittedEventUntilTheBusTakesItAndPublishNothingForARolledBackChange() {
        String phone = newPhone();
        busAway.set(true);

        tx.executeWithoutResult(
                s -> events.publish(BusinessEvents.Type.OPTED_OUT, "kept:" + phone, phone, "sms", Map.of("source", "KEYWORD")));
        tx.executeWithoutResult(s -> {
            events.publish(BusinessEvents.Type.OPTED_OUT, "undone:" + phone, phone, "sms", Map.of("source", "KEYWORD"));
            s.setRollbackOnly();
        });

        assertThat(waiting("consent.opted_out:kept:" + phone)).isEqualTo(1);
        assertThat(waiting("consent.opted_out:undone:" + phone)).isZero();
        // The relay has tried (and failed) meanwhile: the event still waits, and nothing reached the bus.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(waiting("consent.opted_out:kept:" + phone)).isEqualTo(1);
            assertThat(received).isEmpty();
        });

        busAway.set(false);

        await().atMost(Duration.ofSeconds(20)).until(() -> waiting("consent.opted_out:kept:" + phone) == 0);
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).contains("\"id\":\"consent.opted_out:kept:" + phone + "\"").contains("\"type\":\"consent.opted_out\"")
                .contains("\"source\":\"KEYWORD\"");
    }

    private long waiting(String eventId) {
        return count("SELECT count(*) FROM business_event WHERE event_id = ?", eventId);
    }
}
