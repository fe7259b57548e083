package com.retentionhub.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What is waiting, read from the database at each scrape (every query is an index count): the
 * outbox queue, texts stored but not processed, texts awaiting an answer, business events not yet
 * published, and sequence steps due.
 * The database is the truth for all instances, so every instance reports the same figures; a
 * failed read reports NaN rather than failing the scrape.
 */
@Component
public class BacklogGauges {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogGauges.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public BacklogGauges(JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        gauge(meters, "hub.outbox.depth", "outbox rows waiting to be sent (PENDING)", () -> count("SELECT count(*) FROM outbox WHERE status = 'PENDING'"));
        gauge(meters, "hub.outbox.sending", "outbox rows claimed and not yet settled (SENDING)",
                () -> count("SELECT count(*) FROM outbox WHERE status = 'SENDING'"));
        gauge(meters, "hub.inbound.backlog", "texts stored and acknowledged but not yet processed",
                () -> count("SELECT count(*) FROM inbound_event WHERE processed_at IS NULL"));
        gauge(meters, "hub.replies.backlog", "texts waiting for their answer", () -> count("SELECT count(*) FROM reply_task WHERE status = 'PENDING'"));
        gauge(meters, "hub.events.waiting", "business events committed and not yet taken by the bus",
                () -> count("SELECT count(*) FROM business_event"));
        gauge(meters, "hub.sequences.backlog", "sequence steps due now and not yet run",
                () -> jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE status = 'ACTIVE' AND next_run_at <= ?", Long.class,
                        Timestamp.from(clock.instant())));
    }

    private static void gauge(MeterRegistry meters, String name, String description, Supplier<Long> read) {
        Gauge.builder(name, () -> {
            try {
                return read.get();
            } catch (RuntimeException e) {
                LOG.debug("{} not read: {}", name, e.toString());
                return Double.NaN;
            }
        }).description(description).register(meters);
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}
