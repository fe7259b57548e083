package com.retentionhub.dispatch;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A voice provider's end-of-call reports, kept beside the outbox row that placed the call. The
 * conversation log reads them through the {@code ended_calls} view.
 */
@Component
public class CallReports {

    /** One call's report; {@code keywords} comma-separated, {@code recordingUrl} null when there is none. */
    public record Report(String provider, String providerId, String endedReason, String summary, String transcript, String keywords,
            Double durationSeconds, Double cost, String recordingUrl, Instant receivedAt) {}

    private final JdbcTemplate jdbc;

    public CallReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Keeps the report once per provider call id (a repeated report changes nothing), linked to the call's outbox row if it has one. */
    public void record(Report r) {
        jdbc.update("INSERT INTO call_report (provider_id, outbox_id, ended_reason, summary, transcript, keywords, duration_seconds, cost,"
                + " recording_url, received_at) VALUES (?, (SELECT id FROM outbox WHERE provider = ? AND provider_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", r.providerId(), r.provider(), r.providerId(), r.endedReason(), r.summary(), r.transcript(),
                r.keywords(),
                r.durationSeconds(), r.cost(), r.recordingUrl(), Timestamp.from(r.receivedAt()));
    }
}
