package com.retentionhub.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What is waiting, read from the database at each scrape (every query is an index count). Each
 * module registers the backlog of its own tables through {@link #gauge}: the outbox queue
 * (dispatch), texts stored but not processed (ingress), texts awaiting an answer (conversation),
 * sequence steps due (sequence); this class reports business events not yet published.
 * The database is the truth for all instances, so every instance reports the same figures; a
 * failed read reports NaN rather than failing the scrape.
 */
@Component
public class BacklogGauges {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogGauges.class);

    public BacklogGauges(JdbcTemplate jdbc, MeterRegistry meters) {
        gauge(meters, "hub.events.waiting", "business events committed and not yet taken by the bus",
                () -> jdbc.queryForObject("SELECT count(*) FROM business_event", Long.class));
    }

    /** A gauge read at each scrape; a failed read (or a null count) reports NaN or 0, never a failed scrape. */
    public static void gauge(MeterRegistry meters, String name, String description, Supplier<Long> read) {
        Gauge.builder(name, () -> {
            try {
                Long n = read.get();
                return n == null ? 0 : n;
            } catch (RuntimeException e) {
                LOG.debug("{} not read: {}", name, e.toString());
                return Double.NaN;
            }
        }).description(description).register(meters);
    }
}
