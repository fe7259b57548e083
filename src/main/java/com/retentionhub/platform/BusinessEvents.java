package com.retentionhub.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Business events for downstream systems (a CRM, a warehouse): message received, sent, delivered,
 * failed, opted out, escalated, converted, as JSON in the shape {@code config/events.schema.json}
 * documents, keyed by phone so one customer's events keep their order, through the
 * {@code platform-publish-events} route to {@code hub.bus.events} (a Kafka topic in the kafka
 * profile; blank, and so off, in the others).
 *
 * <p>An event is written to {@code business_event} in the transaction of the change it reports, in
 * one multi-row insert per transaction just before it commits: a rolled-back change publishes
 * nothing, and a committed one is not lost to a crash or a broker that is away. A relay thread
 * sends the waiting events in batches and deletes them once the bus has taken them; one instance
 * relays at a time (it holds {@code event_relay}'s row while it sends). Delivery is at least once:
 * the event id is deterministic ({@code <type>:<key of the fact>}), so a consumer drops repeats.
 */
@Component
public class BusinessEvents {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessEvents.class);

    /** Where {@link BusinessEvents} hands its batches; the route forwards them to {@code hub.bus.events}. */
    public static final String ROUTE_INPUT = "direct:hub-events";

    public enum Type {
        MESSAGE_RECEIVED("message.received"), MESSAGE_SENT("message.sent"), MESSAGE_DELIVERED("message.delivered"), MESSAGE_FAILED(
                "message.failed"), OPTED_OUT("consent.opted_out"), ESCALATED("conversation.escalated"), CONVERTED("lead.converted");

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
    private static final List<String> COLUMNS = List.of("event_id", "record_key", "payload", "created_at");

    private final boolean enabled;
    private final ObjectMapper json;
    private final Clock clock;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Semaphore nudges = new Semaphore(0);
    private final Counter published;
    private final Counter failed;
    private final Thread relay;
    private volatile boolean running = true;
    /** Routes inside the hub that subscribe ({@code hub:events}); absent in a test's own relay. */
    private EventFeed feed;

    @Autowired
    public BusinessEvents(HubProperties properties, ObjectMapper json, Clock clock, ProducerTemplate producer, CamelContext camel,
            MeterRegistry meters, JdbcTemplate jdbc, TransactionTemplate tx, EventFeed feed) {
        this(PublishRoutes.configured(properties.bus().events()), json, clock, producer, camel, meters, jdbc, tx);
        this.feed = feed;
    }

    /** On or off regardless of the configuration: a test can run a relay of its own beside the hub's (off) one. */
    BusinessEvents(boolean enabled, ObjectMapper json, Clock clock, ProducerTemplate producer, CamelContext camel, MeterRegistry meters,
            JdbcTemplate jdbc, TransactionTemplate tx) {
        this.enabled = enabled;
        this.json = json;
        this.clock = clock;
        this.producer = producer;
        this.camel = camel;
        this.jdbc = jdbc;
        this.tx = tx;
        this.published = meters.counter("hub.events", "outcome", "published");
        this.failed = meters.counter("hub.events", "outcome", "failed");
        this.relay = new Thread(this::relayLoop, "business-events");
        this.relay.setDaemon(true);
        if (enabled) {
            relay.start();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Whether anything will be recorded: the bus is configured, or a route inside the hub subscribes. */
    public boolean recording() {
        return enabled || (feed != null && feed.subscribed());
    }

    /**
     * Records the event with the current transaction (at once without one); it is published after
     * that commits. {@code key} makes the event's id, so the same fact published twice carries the same id.
     */
    public void publish(Type type, String key, String phone, String channel, Map<String, Object> data) {
        boolean toRoutes = feed != null && feed.subscribed();
        if (!enabled && !toRoutes) {
            return;
        }
        Event event = new Event(type.wire() + ":" + key, type.wire(), clock.instant(), phone, channel, withoutNulls(data));
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            failed.increment();
            LOG.warn("business event {} could not be written as JSON: {}", event.id(), e.getOriginalMessage());
            return;
        }
        Object[] row = enabled
                ? new Object[] {event.id(), event.phone() == null ? event.type() : event.phone(), payload,
                        Timestamp.from(event.occurredAt())}
                : null;
        Object[] routeRow = toRoutes ? EventFeed.row(event, payload) : null;
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            Pending pending = withTransaction();
            if (row != null) {
                pending.bus().add(row);
            }
            if (routeRow != null) {
                pending.routes().add(routeRow);
            }
        } else {
            if (row != null) {
                MultiRowInsert.insertIgnoringConflicts(jdbc, "business_event", COLUMNS, List.<Object[]>of(row));
                nudges.release();
            }
            if (routeRow != null) {
                feed.write(List.<Object[]>of(routeRow));
            }
        }
    }

    /** One transaction's events: for the bus relay, and for the hub's own subscribing routes. */
    private record Pending(List<Object[]> bus, List<Object[]> routes) {}

    /** The current transaction's events, written together just before it commits. */
    private Pending withTransaction() {
        Pending rows = (Pending) TransactionSynchronizationManager.getResource(this);
        if (rows != null) {
            return rows;
        }
        Pending fresh = new Pending(new ArrayList<>(), new ArrayList<>());
        TransactionSynchronizationManager.bindResource(this, fresh);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                if (!fresh.bus().isEmpty()) {
                    MultiRowInsert.insertIgnoringConflicts(jdbc, "business_event", COLUMNS, fresh.bus());
                }
                if (!fresh.routes().isEmpty()) {
                    feed.write(fresh.routes());
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(BusinessEvents.this);
                if (status == STATUS_COMMITTED && !fresh.bus().isEmpty()) {
                    nudges.release();
                }
            }
        });
        return fresh;
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

    /** Relays whenever events were committed, and every second in any case (another instance's, or ones a crash left). */
    private void relayLoop() {
        long backoff = 500;
        while (running) {
            try {
                nudges.tryAcquire(1, TimeUnit.SECONDS);
                nudges.drainPermits();
                while (running && relayOnce() == BATCH) {
                    // a full batch: more are waiting
                }
                backoff = 500;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("publishing business events failed; they wait in the database: {}", e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private record Waiting(long id, String key, String payload) {}

    /**
     * One batch, oldest first, under the relay lock: sent, then deleted in the same transaction. A
     * failed send rolls back and leaves them waiting. Returns how many were published (0 while
     * another instance holds the lock).
     */
    int relayOnce() {
        Integer sent = tx.execute(s -> {
            if (jdbc.queryForList("SELECT id FROM event_relay WHERE id = 1 FOR UPDATE SKIP LOCKED", Integer.class).isEmpty()) {
                return 0;
            }
            List<Waiting> batch = jdbc.query("SELECT id, record_key, payload FROM business_event ORDER BY id LIMIT " + BATCH,
                    (rs, i) -> new Waiting(rs.getLong(1), rs.getString(2), rs.getString(3)));
            if (batch.isEmpty()) {
                return 0;
            }
            List<Message> records = new ArrayList<>(batch.size());
            for (Waiting w : batch) {
                Message m = new DefaultMessage(camel);
                m.setBody(w.payload());
                m.setHeader("kafka.KEY", w.key());
                records.add(m);
            }
            producer.sendBody(ROUTE_INPUT, records);
            jdbc.update("DELETE FROM business_event WHERE id IN (" + MultiRowInsert.placeholders(batch.size()) + ")",
                    batch.stream().map(Waiting::id).toArray());
            return batch.size();
        });
        published.increment(sent == null ? 0 : sent);
        return sent == null ? 0 : sent;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        relay.interrupt();
        relay.join(5_000);
    }
}
