package com.retentionhub.staff;

import com.retentionhub.platform.SqlValues;
import com.retentionhub.sequence.Delays;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Everything that happened (and is planned) to one lead, oldest first: enrollments and each of their
 * steps (sent, held and why, skipped and why, failed, planned), every attempt on every channel with
 * its provider status, email opens and replies, the lead's own replies, calls with transcript,
 * summary and recording, conversions with payout, and consent changes. A read model over the
 * sequence, dispatch, conversation, conversion and consent tables; it writes nothing.
 */
@Component
public class LeadTimeline {

    /** Kinds of event, in the words the console shows. */
    public static final List<String> KINDS = List.of("enrolled", "enrollment", "step", "attempt", "email-opened", "email-replied", "reply", "call",
            "conversion", "consent");

    /** One event; fields that do not apply to its kind are null. {@code planned} events lie in the future. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "LeadTimelineEvent")
    public record Event(Instant at, String kind, String channel, String title, String status, String reason, String text, Long enrollmentId,
            String sequence, Integer position, String provider, String providerId, String providerStatus, String summary, String transcript,
            String recordingUrl, BigDecimal payout, String currency, boolean planned) {}

    /** The lead's timeline. */
    public record Timeline(long leadId, String name, String phone, String email, List<Event> events) {}

    private final JdbcTemplate jdbc;

    public LeadTimeline(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Timeline> of(long leadId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT name, phone, email FROM leads WHERE id = ?", leadId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        String phone = (String) rows.get(0).get("phone");
        List<Event> events = new ArrayList<>();
        enrollments(leadId, events);
        if (phone != null) {
            attempts(phone, events);
            replies(phone, events);
            consent(phone, events);
        }
        conversions(leadId, events);
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return Optional.of(new Timeline(leadId, (String) rows.get(0).get("name"), phone, (String) rows.get(0).get("email"), events));
    }

    private void enrollments(long leadId, List<Event> events) {
        List<Map<String, Object>> enrollments = jdbc.queryForList("SELECT e.id, e.sequence_id, s.name, e.campaign, e.status, e.next_position,"
                + " e.next_run_at, e.exit_reason, e.retry_reason, e.enrolled_at, e.completed_at, e.updated_at FROM enrollment e"
                + " JOIN sequence s ON s.id = e.sequence_id WHERE e.lead_id = ? ORDER BY e.id", leadId);
        for (Map<String, Object> e : enrollments) {
            long id = SqlValues.toLong(e.get("id"));
            String sequence = (String) e.get("name");
            String campaign = (String) e.get("campaign");
            String status = (String) e.get("status");
            events.add(new Event(SqlValues.instant(e.get("enrolled_at")), "enrolled", null, "Enrolled in " + sequence
                    + (campaign == null ? "" : " (campaign " + campaign + ")"), null, null, null, id, sequence, null, null, null, null, null, null,
                    null, null, null, false));
            if (!status.equals("ACTIVE")) {
                Instant at = SqlValues.instant(e.get(status.equals("PAUSED") ? "updated_at" : "completed_at"));
                events.add(new Event(at, "enrollment", null, sequence + " " + enrollmentWord(status), status, (String) e.get("exit_reason"), null, id,
                        sequence, null, null, null, null, null, null, null, null, null, false));
            }
            steps(id, SqlValues.toLong(e.get("sequence_id")), sequence, status, SqlValues.toInt(e.get("next_position")),
                    SqlValues.instant(e.get("next_run_at")), (String) e.get("retry_reason"), events);
        }
    }

    private static String enrollmentWord(String status) {
        return switch (status) {
            case "PAUSED" -> "paused";
            case "COMPLETED" -> "completed";
            case "CONVERTED" -> "ended: converted";
            default -> "ended";
        };
    }

    /** Each step of one enrollment: what it did, or when it is planned. */
    private void steps(long enrollmentId, long sequenceId, String sequence, String status, int nextPosition, Instant nextRunAt, String retryReason,
            List<Event> events) {
        List<Map<String, Object>> steps = jdbc.queryForList("SELECT st.position, st.channel, st.delay_minutes, st.script, x.status AS run,"
                + " x.detail, x.executed_at, x.script AS used, o.status AS sent, o.held_reason, o.last_error, o.next_attempt_at, o.body"
                + " FROM sequence_step st LEFT JOIN step_execution x ON x.step_id = st.id AND x.enrollment_id = ?"
                + " LEFT JOIN outbox_sends o ON o.id = x.outbox_id WHERE st.sequence_id = ? ORDER BY st.position", enrollmentId, sequenceId);
        boolean running = status.equals("ACTIVE") || status.equals("PAUSED");
        Instant planned = null;
        for (Map<String, Object> s : steps) {
            int position = SqlValues.toInt(s.get("position"));
            String channel = ((String) s.get("channel")).toLowerCase(Locale.ROOT);
            String script = s.get("used") != null ? (String) s.get("used") : (String) s.get("script");
            String title = "Step " + position + " of " + sequence + ": " + channel + " '" + script + "'";
            String run = (String) s.get("run");
            if (run != null) {
                String[] outcome = outcome(run, (String) s.get("detail"), (String) s.get("sent"), (String) s.get("held_reason"),
                        (String) s.get("last_error"));
                events.add(new Event(SqlValues.instant(s.get("executed_at")), "step", channel, title, outcome[0], outcome[1], (String) s.get("body"),
                        enrollmentId, sequence, position, null, null, null, null, null, null, null, null, false));
            } else if (running && position >= nextPosition) {
                planned = planned == null ? nextRunAt : planned.plus(Duration.ofMinutes(SqlValues.toLong(s.get("delay_minutes"))));
                String reason = position == nextPosition && retryReason != null ? "retrying: " + retryReason
                        : status.equals("PAUSED") ? "the enrollment is paused" : null;
                events.add(new Event(planned, "step", channel, title, "planned", reason, null, enrollmentId, sequence, position, null, null, null, null,
                        null, null, null, null, true));
            }
        }
    }

    /** A step's outcome in words and why: sent, queued, held (quiet hours, caps), blocked, expired, skipped or failed. */
    private static String[] outcome(String run, String detail, String outbox, String held, String error) {
        if (!run.equals("EXECUTED")) {
            return new String[] {run.equals("SKIPPED") ? "skipped" : "failed", detail};
        }
        if (outbox == null) {
            return new String[] {"handed over", null};
        }
        return switch (outbox) {
            case "SENT", "SIMULATED" -> new String[] {outbox.equals("SENT") ? "sent" : "sent (simulated)", null};
            case "PENDING" -> held != null ? new String[] {"held", held} : new String[] {"queued", null};
            case "BLOCKED" -> new String[] {"blocked", held};
            case "EXPIRED" -> new String[] {"expired", held};
            case "FAILED" -> new String[] {"failed", error};
            default -> new String[] {outbox.toLowerCase(Locale.ROOT), held != null ? held : error};
        };
    }

    /** Every outbox row to the lead's phone (texts, emails, calls), its provider status, and for emails the opens and replies reported. */
    private void attempts(String phone, List<Event> events) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT o.id, o.channel, o.purpose, o.status, o.provider, o.provider_id, o.held_reason,"
                + " o.last_error, o.body, o.subject, o.created_at, o.sent_at, m.status AS delivery FROM outbox_sends o LEFT JOIN message m ON m.outbox_id = o.id"
                + " WHERE o.phone = ? ORDER BY o.id", phone);
        for (Map<String, Object> o : rows) {
            String channel = (String) o.get("channel");
            String status = ((String) o.get("status")).toLowerCase(Locale.ROOT);
            String reason = o.get("held_reason") != null ? (String) o.get("held_reason") : (String) o.get("last_error");
            Instant at = o.get("sent_at") != null ? SqlValues.instant(o.get("sent_at")) : SqlValues.instant(o.get("created_at"));
            String what = channel.equals("voice") ? "Call" : channel.equals("email") ? "Email" : "Text";
            String subject = (String) o.get("subject");
            events.add(new Event(at, "attempt", channel, what + " (" + ((String) o.get("purpose")).replace('-', ' ') + ")"
                    + (subject == null ? "" : ": " + subject), status, reason, (String) o.get("body"), null, null, null, (String) o.get("provider"),
                    (String) o.get("provider_id"), (String) o.get("delivery"), null, null, null, null, null, false));
            if (o.get("provider_id") != null) {
                providerEvents(SqlValues.toLong(o.get("id")), channel, (String) o.get("provider"), (String) o.get("provider_id"), events);
            }
        }
    }

    private void providerEvents(long outboxId, String channel, String provider, String providerId, List<Event> events) {
        if (channel.equals("email")) {
            jdbc.queryForList("SELECT status, received_at FROM status_event WHERE provider = ? AND provider_id = ? AND status IN ('read', 'replied')"
                    + " ORDER BY id", provider, providerId).forEach(s -> {
                        boolean opened = s.get("status").equals("read");
                        events.add(new Event(SqlValues.instant(s.get("received_at")), opened ? "email-opened" : "email-replied", channel,
                                opened ? "Email opened" : "Email replied", (String) s.get("status"), null, null, null, null, null, provider, providerId,
                                null, null, null, null, null, null, false));
                    });
        }
        jdbc.queryForList("SELECT ended_reason, summary, transcript, duration_seconds, recording_url, received_at FROM call_report WHERE outbox_id = ?",
                outboxId).forEach(c -> {
                    Object seconds = c.get("duration_seconds");
                    String length = seconds == null ? "" : " (" + Delays.spoken(Duration.ofSeconds(Math.round(SqlValues.toDouble(seconds)))) + ")";
                    events.add(new Event(SqlValues.instant(c.get("received_at")), "call", "voice", "Call ended" + length, (String) c.get("ended_reason"),
                            null, null, null, null, null, provider, providerId, null, (String) c.get("summary"), (String) c.get("transcript"),
                            (String) c.get("recording_url"), null, null, false));
                });
    }

    /** The lead's own messages (texts, and email replies the provider forwarded). */
    private void replies(String phone, List<Event> events) {
        jdbc.queryForList("SELECT m.channel, m.body, m.created_at FROM message m JOIN conversation c ON c.id = m.conversation_id"
                + " JOIN contact t ON t.id = c.contact_id WHERE t.phone = ? AND m.direction = 'IN' ORDER BY m.id", phone).forEach(m -> {
                    String channel = (String) m.get("channel");
                    events.add(new Event(SqlValues.instant(m.get("created_at")), "reply", channel, channel.equals("email") ? "Replied by email"
                            : "Replied by text", "received", null, (String) m.get("body"), null, null, null, null, null, null, null, null, null, null,
                            null, false));
                });
    }

    private void consent(String phone, List<Event> events) {
        jdbc.queryForList("SELECT channel, action, source, text, actor, occurred_at FROM consent_event WHERE phone = ? ORDER BY id", phone)
                .forEach(c -> {
                    boolean out = c.get("action").equals("OPT_OUT");
                    String channel = (String) c.get("channel");
                    String source = ((String) c.get("source")).toLowerCase(Locale.ROOT);
                    String actor = (String) c.get("actor");
                    events.add(new Event(SqlValues.instant(c.get("occurred_at")), "consent", channel, (out ? "Opted out of " : "Opted in to ") + channel
                            + " (" + source + (actor == null ? "" : ", " + actor) + ")", out ? "opted out" : "opted in", null, (String) c.get("text"),
                            null, null, null, null, null, null, null, null, null, null, null, false));
                });
    }

    private void conversions(long leadId, List<Event> events) {
        jdbc.queryForList("SELECT status, payout, currency, campaign, received_at, updated_at FROM conversion WHERE lead_id = ? ORDER BY id", leadId)
                .forEach(c -> {
                    BigDecimal payout = SqlValues.decimal(c.get("payout"));
                    String currency = (String) c.get("currency");
                    String campaign = (String) c.get("campaign");
                    events.add(new Event(SqlValues.instant(c.get("updated_at")), "conversion", null, "Conversion"
                            + (campaign == null ? "" : " in " + campaign) + (payout == null ? "" : ": " + payout.toPlainString()
                                    + (currency == null ? "" : " " + currency)), ((String) c.get("status")).toLowerCase(Locale.ROOT), null, null, null,
                            null, null, null, null, null, null, null, null, payout, currency, false));
                });
    }
}
