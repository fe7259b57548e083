package com.retentionhub.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Business events for downstream systems (a CRM, a warehouse): message received, sent, delivered,
 * failed, opted out, escalated, converted. Each is published after its change commits, as JSON in
 * the shape {@code config/events.schema.json} documents, keyed by phone so one customer's events
 * keep their order, through the {@code platform-publish-events} route to {@code hub.bus.events}
 * (a Kafka topic in the kafka profile; blank, and so off, in the others).
 *
 * <p>The database stays the record: publishing never holds up the change that caused it. Events
 * queue in memory and one thread sends them in batches; if the broker is away longer than the queue
 * lasts, the overflow is dropped and counted ({@code hub.events{outcome=dropped}}), and a crash
 * loses what was queued. The event id is deterministic, so a consumer can drop repeats.
 */
@Component
public class BusinessEvents {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessEvents.class);

    /** Where {@link BusinessEvents} hands its batches; the route forwards them to {@code hub.bus.events}. */
    public static final String ROUTE_INPUT = "direct:hub-events";

    public enum Type {
        MESSAGE_RECEIVED("message.received"),
        MESSAGE_SENT("message.sent"),
        MESSAGE_DELIVERED("message.delivered"),
        MESSAGE_FAILED("message.failed"),
        OPTED_OUT("consent.opted_out"),
        ESCALATED("conversation.escalated"),
        CONVERTED("lead.converted");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The published document: see {@code config/events.schema.json}. */
    public record Event(String id, String type, Instant occurredAt, String phone, String channel, Map<String, Object> data) {}

    private static final int BATCH = 500;

    private final boolean enabled;
    private final ObjectMapper json;
    private final Clock clock;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final BlockingQueue<Event> queue;
    private final Counter published;
    private final Counter dropped;
    private final Counter failed;
    private final Thread sender;
    private volatile boolean running = true;

    public BusinessEvents(HubProperties properties, ObjectMapper json, Clock clock, ProducerTemplate producer, CamelContext camel,
            MeterRegistry meters) {
        String uri = properties.bus().events();
        this.enabled = uri != null && !uri.isBlank();
        this.json = json;
        this.clock = clock;
        this.producer = producer;
        this.camel = camel;
        this.queue = new ArrayBlockingQueue<>(enabled ? 100_000 : 1);
        this.published = meters.counter("hub.events", "outcome", "published");
        this.dropped = meters.counter("hub.events", "outcome", "dropped");
        this.failed = meters.counter("hub.events", "outcome", "failed");
        this.sender = new Thread(this::sendLoop, "business-events");
        this.sender.setDaemon(true);
        if (enabled) {
            sender.start();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Publishes once the current transaction commits (at once without one). {@code key} makes the
     * event's id, so the same fact published twice carries the same id.
     */
    public void publish(Type type, String key, String phone, String channel, Map<String, Object> data) {
        if (!enabled) {
            return;
        }
        Event event = new Event(type.wire() + ":" + key, type.wire(), clock.instant(), phone, channel, withoutNulls(data));
        AfterCommit.run(() -> offer(event));
    }

    private void offer(Event event) {
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> data) {
        Map<String, Object> copy = new LinkedHashMap<>();
        data.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }

    private void sendLoop() {
        List<Event> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Event first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                send(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One batch, retried while the hub runs: the queue behind it fills and, when full, drops. */
    private void send(List<Event> batch) throws InterruptedException {
        List<Message> records = new ArrayList<>(batch.size());
        for (Event e : batch) {
            try {
                Message m = new DefaultMessage(camel);
                m.setBody(json.writeValueAsString(e));
                m.setHeader("kafka.KEY", e.phone() == null ? e.type() : e.phone());
                records.add(m);
            } catch (JsonProcessingException ex) {
                failed.increment();
                LOG.warn("business event {} could not be written as JSON: {}", e.id(), ex.getOriginalMessage());
            }
        }
        long backoff = 500;
        while (true) {
            try {
                producer.sendBody(ROUTE_INPUT, records);
                published.increment(records.size());
                return;
            } catch (RuntimeException ex) {
                if (!running) {
                    failed.increment(records.size());
                    return;
                }
                LOG.warn("publishing {} business events failed, retrying: {}", records.size(), ex.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        sender.join(5_000);
    }
}
