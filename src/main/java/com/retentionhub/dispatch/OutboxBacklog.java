package com.retentionhub.dispatch;

import com.retentionhub.platform.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The outbox queue at each scrape: waiting, and claimed but not settled. */
@Component
class OutboxBacklog {

    OutboxBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        BacklogGauges.gauge(meters, "hub.outbox.depth", "outbox rows waiting to be sent (PENDING)",
                () -> jdbc.queryForObject("SELECT count(*) FROM outbox WHERE status = ?", Long.class, Outbox.PENDING));
        BacklogGauges.gauge(meters, "hub.outbox.sending", "outbox rows claimed and not yet settled (SENDING)",
                () -> jdbc.queryForObject("SELECT count(*) FROM outbox WHERE status = ?", Long.class, Outbox.SENDING));
    }
}
