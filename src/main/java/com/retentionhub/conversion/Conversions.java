package com.retentionhub.conversion;

import com.retentionhub.abtest.AbTests;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Leads;
import com.retentionhub.platform.BusinessEvents;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.sequence.OutreachEnd;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Conversions from the tracker. A postback names a sub id: the attempt id of the exact message
 * that earned it (its tracking link's {@code sub_id}) or, failing that, a lead's own sub id or
 * external id. One conversion per (sub id, transaction id); its status moves only along the
 * allowed changes (lead to sale or rejected, sale to rejected, rebill to rejected); a repeat of a
 * (sub id, tid, status) changes nothing. A sale converts the lead and ends its enrollments; a
 * rejection marks the lead rejected and ends its enrollments ({@link com.retentionhub.sequence.OutreachEnd}). Unmatched postbacks are kept for audit and reconciliation.
 */
@Component
public class Conversions {

    public static final Set<String> STATUSES = Set.of("lead", "sale", "rejected", "rebill");
    private static final Map<String, Set<String>> ALLOWED = Map.of("lead", Set.of("sale", "rejected"), "sale", Set.of("rejected"),
            "rebill", Set.of("rejected"));

    /** A postback as the tracker sent it, already checked. */
    public record Postback(String subId, String tid, String status, BigDecimal payout, String currency, String clickId, String params) {}

    /** What a postback did: {@code created}, {@code changed}, {@code repeat}, {@code refused} (a change not allowed); and whether it matched. */
    public record Outcome(String result, boolean matched, Long leadId) {}

    private final JdbcTemplate jdbc;
    private final Leads leads;
    private final AbTests abTests;
    private final Clock clock;
    private final BusinessEvents events;
    private final OutreachEnd outreachEnd;

    public Conversions(JdbcTemplate jdbc, Leads leads, AbTests abTests, Clock clock, BusinessEvents events,
            OutreachEnd outreachEnd) {
        this.jdbc = jdbc;
        this.leads = leads;
        this.abTests = abTests;
        this.clock = clock;
        this.events = events;
        this.outreachEnd = outreachEnd;
    }

    @Transactional
    public Outcome record(Postback p) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Map<String, Object>> current = jdbc.queryForList(
                "SELECT id, status, lead_id FROM conversion WHERE sub_id = ? AND tid = ? FOR UPDATE",
                p.subId(), p.tid());
        if (current.isEmpty()) {
            Match m = match(p.subId());
            int inserted = jdbc.update(
                    "INSERT INTO conversion (sub_id, tid, status, payout, currency, click_id, outbox_id, lead_id, campaign, received_at,"
                            + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    p.subId(), p.tid(), p.status(), p.payout(),
                    p.currency(), p.clickId(), m.outboxId(), m.leadId(), m.campaign(), now, now);
            if (inserted == 0) {
                return record(p); // a concurrent postback for the same transaction won; apply this one after it
            }
            event(p, true, now);
            effects(m.leadId(), p.status(), now);
            publish(p, m.leadId(), m.campaign());
            return new Outcome("created", m.leadId() != null || m.outboxId() != null, m.leadId());
        }
        String from = (String) current.get(0).get("status");
        Long leadId = current.get(0).get("lead_id") == null ? null : SqlValues.toLong(current.get(0).get("lead_id"));
        if (from.equals(p.status()) || !ALLOWED.getOrDefault(from, Set.of()).contains(p.status())) {
            boolean fresh = event(p, false, now);
            return new Outcome(from.equals(p.status()) || !fresh ? "repeat" : "refused", leadId != null, leadId);
        }
        if (!event(p, true, now)) {
            return new Outcome("repeat", leadId != null, leadId);
        }
        jdbc.update(
                "UPDATE conversion SET status = ?, payout = COALESCE(?, payout), currency = COALESCE(?, currency), updated_at = ? WHERE id = ?",
                p.status(), p.payout(), p.currency(), now, current.get(0).get("id"));
        effects(leadId, p.status(), now);
        publish(p, leadId, null);
        return new Outcome("changed", leadId != null, leadId);
    }

    /** lead.converted for each status the conversion takes, with the lead's phone when the postback matched one. */
    private void publish(Postback p, Long leadId, String campaign) {
        if (!events.recording()) {
            return;
        }
        // An email-only lead has no phone: the query is filtered in SQL, because a list holding a null
        // makes findFirst() throw.
        String phone = leadId == null
                ? null
                : jdbc.queryForList("SELECT phone FROM lead_card WHERE id = ? AND phone IS NOT NULL", String.class, leadId).stream()
                        .findFirst().orElse(null);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subId", p.subId());
        data.put("tid", p.tid());
        data.put("status", p.status());
        data.put("payout", p.payout());
        data.put("currency", p.currency());
        data.put("leadId", leadId);
        data.put("campaign", campaign);
        events.publish(BusinessEvents.Type.CONVERTED, p.subId() + ":" + p.tid() + ":" + p.status(), phone, null, data);
    }

    /** Logs the postback once per (sub id, tid, status); false when it was seen before. */
    private boolean event(Postback p, boolean applied, Timestamp now) {
        return jdbc.update(
                "INSERT INTO conversion_event (sub_id, tid, status, applied, params, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                p.subId(), p.tid(), p.status(), applied, p.params(), now) == 1;
    }

    private record Match(Long outboxId, Long leadId, String campaign) {}

    /** The message whose attempt id this is, and its lead; else a lead by its own sub id or external id. */
    private Match match(String subId) {
        List<Map<String, Object>> attempt = jdbc.queryForList("SELECT o.id, o.campaign, l.id AS lead_id FROM outbox_sends o"
                + " LEFT JOIN lead_card l ON l.phone = o.phone WHERE o.attempt_id = ?", subId);
        if (!attempt.isEmpty()) {
            Map<String, Object> a = attempt.get(0);
            return new Match(SqlValues.toLong(a.get("id")), a.get("lead_id") == null ? null : SqlValues.toLong(a.get("lead_id")),
                    (String) a.get("campaign"));
        }
        List<Long> leads = jdbc.queryForList("SELECT id FROM lead_card WHERE sub_id = ? OR external_id = ? ORDER BY id LIMIT 1", Long.class,
                subId,
                subId);
        return new Match(null, leads.isEmpty() ? null : leads.get(0), null);
    }

    private void effects(Long leadId, String status, Timestamp now) {
        if (leadId == null) {
            return;
        }
        if (status.equals("sale")) {
            leads.markStatus(leadId, LeadStatus.CONVERTED, now.toInstant());
            outreachEnd.converted(leadId); // its enrollments, later steps and queued callbacks end now
            abTests.converted(leadId); // the outcome of the lead's variant, and maybe a verdict
        } else if (status.equals("rejected")) {
            leads.markStatus(leadId, LeadStatus.REJECTED, now.toInstant());
            outreachEnd.rejected(leadId);
        }
    }
}
