package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BusHandOffsTest {

    @Test
    void shouldCountEveryRefusedHandOffButLogThemAtMostEveryTenSeconds() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BusHandOffs handOffs = new BusHandOffs(meters);
        Logger logger = (Logger) LoggerFactory.getLogger(BusHandOffs.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Exchange exchange = new DefaultExchange(new DefaultCamelContext());
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("broker away"));
            for (int i = 0; i < 1_000; i++) {
                handOffs.failed(exchange);
            }
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(meters.counter("hub.bus.handoff.failures").count()).isEqualTo(1_000);
        assertThat(logged.list).as("one report, not a thousand lines").hasSize(1);
        assertThat(logged.list.get(0).getFormattedMessage()).startsWith("1 stored inbound event(s)").contains("broker away");
    }
}
