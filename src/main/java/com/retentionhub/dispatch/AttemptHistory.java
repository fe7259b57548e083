package com.retentionhub.dispatch;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Every attempt to reach one phone on any channel (texts, emails, calls), oldest first, with what
 * the providers reported back: for an email its opens and replies, for a call its end-of-call
 * report. A read model over the outbox, its status events and call reports; it writes nothing.
 */
@Component
public class AttemptHistory {

    /** The engagement statuses an email provider reports: opened, then answered. */
    static final String READ = "read";
    static final String REPLIED = "replied";

    /** An email opened ({@code read}) or answered ({@code replied}), as its provider reported it. */
    public record EmailEvent(String status, Instant receivedAt) {

        public boolean opened() {
            return READ.equals(status);
        }
    }

    /** A call's end-of-call report. */
    public record CallReport(String endedReason, String summary, String transcript, Double durationSeconds, String recordingUrl,
            Instant receivedAt) {}

    /**
     * One outbox row: what was queued, for what purpose, and where it stands ({@code status} is the
     * row's, one of {@link Outbox}'s states; {@code heldReason} while held or blocked, {@code lastError} when it failed).
     */
    public record Attempt(long outboxId, String channel, String purpose, String status, String provider, String providerId,
            String heldReason,
            String lastError, String body, String subject, Instant createdAt, Instant sentAt, List<EmailEvent> emailEvents,
            List<CallReport> callReports) {}

    private final JdbcTemplate jdbc;

    public AttemptHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The phone's attempts in three queries, however many there are: the rows, their emails' events, their calls' reports. */
    public List<Attempt> toPhone(String phone) {
        List<Attempt> rows = jdbc.query(
                "SELECT id, channel, purpose, status, provider, provider_id, held_reason, last_error, body, subject,"
                        + " created_at, sent_at FROM outbox WHERE phone = ? ORDER BY id",
                (rs, i) -> new Attempt(rs.getLong("id"), rs.getString("channel"),
                        rs.getString("purpose"), rs.getString("status"), rs.getString("provider"), rs.getString("provider_id"),
                        rs.getString("held_reason"), rs.getString("last_error"), rs.getString("body"), rs.getString("subject"),
                        SqlValues.instant(rs.getObject("created_at")), SqlValues.instant(rs.getObject("sent_at")), List.of(), List.of()),
                phone);
        if (rows.stream().allMatch(a -> a.providerId() == null)) {
            return rows; // nothing reached a provider, so nothing came back
        }
        Map<Long, List<EmailEvent>> emailEvents = new HashMap<>();
        jdbc.query("SELECT o.id, s.status, s.received_at FROM outbox o"
                + " JOIN status_event s ON s.provider = o.provider AND s.provider_id = o.provider_id"
                + " WHERE o.phone = ? AND o.channel = ? AND s.status IN (?, ?) ORDER BY o.id, s.id",
                (RowCallbackHandler) rs -> emailEvents
                        .computeIfAbsent(rs.getLong("id"), k -> new ArrayList<>()).add(new EmailEvent(rs.getString("status"),
                                SqlValues.instant(rs.getObject("received_at")))),
                phone, Channel.EMAIL.code(), READ, REPLIED);
        Map<Long, List<CallReport>> callReports = new HashMap<>();
        jdbc.query("SELECT c.outbox_id, c.ended_reason, c.summary, c.transcript, c.duration_seconds, c.recording_url, c.received_at"
                + " FROM call_report c JOIN outbox o ON o.id = c.outbox_id WHERE o.phone = ? AND o.provider_id IS NOT NULL"
                + " ORDER BY c.outbox_id, c.received_at, c.provider_id",
                (RowCallbackHandler) rs -> callReports.computeIfAbsent(rs.getLong("outbox_id"), k -> new ArrayList<>()).add(new CallReport(
                        rs.getString("ended_reason"), rs.getString("summary"), rs.getString("transcript"),
                        rs.getObject("duration_seconds") == null ? null : rs.getDouble("duration_seconds"), rs.getString("recording_url"),
                        SqlValues.instant(rs.getObject("received_at")))),
                phone);
        return rows.stream()
                .map(a -> new Attempt(a.outboxId(), a.channel(), a.purpose(), a.status(), a.provider(), a.providerId(), a.heldReason(),
                        a.lastError(), a.body(), a.subject(), a.createdAt(), a.sentAt(),
                        List.copyOf(emailEvents.getOrDefault(a.outboxId(), List.of())),
                        List.copyOf(callReports.getOrDefault(a.outboxId(), List.of()))))
                .toList();
    }
}
