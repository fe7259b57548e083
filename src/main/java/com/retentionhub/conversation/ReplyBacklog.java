package com.retentionhub.conversation;

import com.retentionhub.platform.BacklogGauges;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Texts waiting for their answer, at each scrape. */
@Component
class ReplyBacklog {

    ReplyBacklog(JdbcTemplate jdbc, MeterRegistry meters) {
        BacklogGauges.gauge(meters, "hub.replies.backlog", "texts waiting for their answer",
                () -> jdbc.queryForObject("SELECT count(*) FROM reply_task WHERE status = 'PENDING'", Long.class));
    }
}
