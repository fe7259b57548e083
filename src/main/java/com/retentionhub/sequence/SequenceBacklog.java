package com.retentionhub.sequence;

import com.retentionhub.platform.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Sequence steps due now and not yet run, at each scrape. */
@Component
class SequenceBacklog {

    SequenceBacklog(JdbcTemplate jdbc, Clock clock, MeterRegistry meters) {
        BacklogGauges.gauge(meters, "hub.sequences.backlog", "sequence steps due now and not yet run",
                () -> jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE status = 'ACTIVE' AND next_run_at <= ?", Long.class,
                        Timestamp.from(clock.instant())));
    }
}
