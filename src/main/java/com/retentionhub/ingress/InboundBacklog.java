package com.retentionhub.ingress;

import com.retentionhub.platform.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Texts stored and acknowledged but not yet processed, at each scrape. */
@Component
class InboundBacklog {

    InboundBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        BacklogGauges.gauge(meters, "hub.inbound.backlog", "texts stored and acknowledged but not yet processed",
                () -> jdbc.queryForObject("SELECT count(*) FROM inbound_event WHERE processed_at IS NULL", Long.class));
    }
}
