package com.retentionhub.consent;

import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How someone who opted out comes back ({@code hub.consent.re-consent}). {@code keyword}: START,
 * UNSTOP or YES re-subscribes at once, as carriers do. {@code staff}: the keyword is recorded as a
 * request and answered with one confirmation that a person will follow up; nothing else is sent
 * until staff confirm renewed consent (POST /api/consent/{phone} or the console), which records
 * who confirmed it and closes the request. docs/operations.md says which business should pick which.
 */
@Component
public class ReConsent {

    /** The two rules. */
    public enum Rule {
        KEYWORD, STAFF;

        static Rule of(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("hub.consent.re-consent must be keyword or staff, not '" + value + "'");
            }
        }
    }

    /** A request waiting for staff. */
    @Schema(name = "ReConsentRequest")
    public record Request(long id, String phone, String name, String channel, String text, Instant requestedAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String requestReply;
    private volatile Rule rule;

    public ReConsent(JdbcTemplate jdbc, Clock clock, @Value("${hub.consent.re-consent:keyword}") String rule,
            @Value("${hub.consent.re-consent-request-reply:Thanks, we got your request to receive texts again. A team member will confirm it"
                    + " before we text you.}") String requestReply) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.rule = Rule.of(rule);
        this.requestReply = requestReply;
    }

    public Rule rule() {
        return rule;
    }

    /** Switches the rule while running (the setting decides it at start; tests switch it). */
    public void use(Rule r) {
        this.rule = r;
    }

    /** The one answer a request gets under the staff rule. */
    public String requestReply() {
        return requestReply;
    }

    /** Records a request to opt in again, once while one is open. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void request(String phone, String channel, String text, Instant at) {
        Integer open = jdbc.queryForObject("SELECT count(*) FROM consent_request WHERE phone = ? AND channel = ? AND confirmed_at IS NULL",
                Integer.class, phone, channel);
        if (open == null || open == 0) {
            jdbc.update("INSERT INTO consent_request (phone, channel, text, requested_at) VALUES (?, ?, ?, ?)", phone, channel,
                    text == null || text.length() <= 1600 ? text : text.substring(0, 1600), Timestamp.from(at));
        }
    }

    /** Requests waiting for staff, oldest first. */
    public List<Request> pending(int page, int size) {
        return jdbc.query(
                "SELECT r.id, r.phone, (SELECT k.name FROM contact_card k WHERE k.phone = r.phone), r.channel, r.text, r.requested_at"
                        + " FROM consent_request r WHERE r.confirmed_at IS NULL ORDER BY r.requested_at, r.id LIMIT ? OFFSET ?",
                (rs, i) -> new Request(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        SqlValues.instant(rs, 6)),
                size, (long) page * size);
    }

    public long pendingCount() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM consent_request WHERE confirmed_at IS NULL", Long.class);
        return n == null ? 0 : n;
    }

    /** Renewed consent closes the phone's open request, with who confirmed it. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentRenewed renewed) {
        jdbc.update(
                "UPDATE consent_request SET confirmed_at = ?, confirmed_by = ? WHERE phone = ? AND channel = ? AND confirmed_at IS NULL",
                Timestamp.from(clock.instant()), renewed.actor() == null ? renewed.source() : renewed.actor(), renewed.phone(),
                renewed.channel());
    }

    /** A deleted customer's requests go with them. */
    @EventListener
    public void on(PersonErased erased) {
        jdbc.update("DELETE FROM consent_request WHERE phone = ?", erased.phone());
    }
}
