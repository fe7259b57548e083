package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Tells dispatch, over {@code hub.bus.outbound}, that an outbox row is ready, so it goes out at
 * once rather than at the next poll. Best effort by design: the row is committed before the nudge,
 * and {@code dispatch-poll-due} finds every due row within a second on every instance, so a nudge
 * the bus cannot take (a Kafka broker restarting) only costs that second. It never fails the caller.
 */
@Component
public class DispatchNudges {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchNudges.class);

    private final ProducerTemplate producer;
    private final String bus;
    private final Counter failed;

    public DispatchNudges(ProducerTemplate producer, HubProperties properties, MeterRegistry meters) {
        this.producer = producer;
        this.bus = properties.bus().outbound();
        this.failed = meters.counter("hub.dispatch.nudges.failed");
    }

    public void nudge(long outboxId) {
        try {
            producer.sendBody(bus, outboxId);
        } catch (RuntimeException e) {
            failed.increment();
            LOG.debug("nudge for outbox row {} not delivered; the next poll sends it: {}", outboxId, e.toString());
        }
    }
}
