package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Status;

/** A timer whose every pass is dead-lettered shows: WARN (once a minute), a counter, a gauge, and health DOWN naming it. */
class RouteFailuresTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RouteFailures failures = new RouteFailures(meters);
    private final AtomicBoolean broken = new AtomicBoolean(true);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        ((Logger) LoggerFactory.getLogger(RouteFailures.class)).addAppender(log);
        log.start();
        camel = new DefaultCamelContext();
        camel.getManagementStrategy().addEventNotifier(failures);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // As the hub's default policy does: give up at once and keep the exchange as a dead letter.
                errorHandler(deadLetterChannel("mock:dead-letters").maximumRedeliveries(0));
                from("timer:every-pass?period=20").routeId("test-every-pass").process(x -> {
                    if (broken.get()) {
                        throw new ClassCastException("class java.time.OffsetDateTime cannot be cast to class java.sql.Timestamp");
                    }
                });
                from("direct:bad-input").routeId("test-bad-input").errorHandler(deadLetterChannel("mock:refused"))
                        .throwException(new WebhookRejectedException(400, "bad signature"));
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        ((Logger) LoggerFactory.getLogger(RouteFailures.class)).detachAppender(log);
    }

    @Test
    void shouldReportARouteThatFailsOnEveryPassUntilItWorksAgain() {
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.health().getStatus().equals(Status.DOWN));

        assertThat(failures.health().getDetails()).containsKey("test-every-pass");
        assertThat(failures.health().getDetails().get("test-every-pass").toString()).contains("ClassCastException").contains("in a row");
        assertThat(meters.get("hub.route.failures").tag("route", "test-every-pass").counter().count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.get("hub.route.failing").tag("route", "test-every-pass").gauge().value()).isGreaterThanOrEqualTo(3);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meters.get("hub.route.failures").tag("route", "test-every-pass").counter().count() >= 10);
        // Rate-limited: dozens of failures, one WARN.
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("test-every-pass")))
                .hasSize(1);

        broken.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> failures.health().getStatus().equals(Status.UP));
        assertThat(meters.get("hub.route.failing").tag("route", "test-every-pass").gauge().value()).isZero();
    }

    @Test
    void shouldNotCountBadInputAWebhookRefusedAsAFailingRoute() {
        for (int i = 0; i < 5; i++) {
            camel.createProducerTemplate().send("direct:bad-input", x -> {});
        }
        assertThat(meters.find("hub.route.failures").tag("route", "test-bad-input").counter()).isNull();
        assertThat(failures.health().getDetails()).doesNotContainKey("test-bad-input");
    }
}
