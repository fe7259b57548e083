package com.retentionhub.batch;

import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.platform.BusinessProfile;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who a batch may go to. Every audience leaves out numbers that opted out, conversations in stop
 * or done, and numbers a provider said cannot take texts; the run checks consent again as it hands
 * each one over, and dispatch once more at the last hop.
 */
@Component
public class Audiences {

    /** A re-engagement rule; every part left null matches everyone. Days are counted in the business's time zone. */
    public record Rule(List<String> serviceStatus, Integer minDaysSinceCancelled, Integer maxDaysSinceCancelled,
            Integer minDaysSinceLastService,
            Integer maxDaysSinceLastService, List<String> tags) {}

    /** One candidate. */
    public record Candidate(long contactId, String phone, String name, String serviceStatus, LocalDate cancelledOn,
            LocalDate lastServiceOn) {}

    /** The contactable-number conditions every audience shares (k: contact_card). */
    static final String CONTACTABLE = " k.phone_valid"
            + " AND NOT EXISTS (SELECT 1 FROM consent_opted_out s WHERE s.phone = k.phone AND s.channel = 'sms')"
            + " AND NOT EXISTS (SELECT 1 FROM conversation_closed c WHERE c.contact_id = k.id)";

    private final JdbcTemplate jdbc;
    private final BusinessProfile business;
    private final Clock clock;

    public Audiences(JdbcTemplate jdbc, BusinessProfile business, Clock clock) {
        this.jdbc = jdbc;
        this.business = business;
        this.clock = clock;
    }

    /** Customers a re-engagement rule picks, in contact order; {@code limit} of them, and how many in all. */
    public record Preview(long count, List<Candidate> candidates) {}

    public Preview reachOut(Rule rule, int limit) {
        StringBuilder where = new StringBuilder(" WHERE" + CONTACTABLE);
        List<Object> args = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), business.zone());
        if (rule.serviceStatus() != null && !rule.serviceStatus().isEmpty()) {
            where.append(" AND k.service_status IN (").append(String.join(", ", rule.serviceStatus().stream().map(s -> "?").toList()))
                    .append(")");
            args.addAll(rule.serviceStatus());
        }
        // "At least N days since" is a day on or before today - N; "at most N days" on or after.
        days(where, args, "k.cancelled_on", today, rule.minDaysSinceCancelled(), rule.maxDaysSinceCancelled());
        days(where, args, "k.last_service_on", today, rule.minDaysSinceLastService(), rule.maxDaysSinceLastService());
        if (rule.tags() != null && !rule.tags().isEmpty()) {
            where.append(" AND (").append(String.join(" OR ", rule.tags().stream().map(t -> "k.tags LIKE ?").toList())).append(")");
            rule.tags().forEach(t -> args.add("%," + t + ",%"));
        }
        String from = " FROM contact_card k" + where;
        Long count = jdbc.queryForObject("SELECT count(*)" + from, Long.class, args.toArray());
        List<Object> limited = new ArrayList<>(args);
        limited.add(limit);
        List<Candidate> candidates = jdbc.query("SELECT k.id, k.phone, k.name, k.service_status, k.cancelled_on, k.last_service_on" + from
                + " ORDER BY k.id LIMIT ?",
                (rs, i) -> new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getDate(5) == null ? null : rs.getDate(5).toLocalDate(),
                        rs.getDate(6) == null ? null : rs.getDate(6).toLocalDate()),
                limited.toArray());
        return new Preview(count == null ? 0 : count, candidates);
    }

    private static void days(StringBuilder where, List<Object> args, String column, LocalDate today, Integer min, Integer max) {
        if (min != null) {
            where.append(" AND ").append(column).append(" <= ?");
            args.add(Date.valueOf(today.minusDays(min)));
        }
        if (max != null) {
            where.append(" AND ").append(column).append(" >= ?");
            args.add(Date.valueOf(today.minusDays(max)));
        }
    }

    /**
     * The next numbers of the imported cold list (leads from a CSV import or a bulk load, in import
     * order) that were never texted, or not in the last {@code recontactDays}, and are not warm leads.
     */
    public List<String> coldList(int size, int recontactDays) {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(Duration.ofDays(recontactDays)));
        return jdbc.queryForList("SELECT k.phone FROM lead_card l JOIN contact_card k ON k.phone = l.phone WHERE l.source IN (?, ?)"
                + " AND l.status <> ? AND k.warm_lead_at IS NULL AND" + CONTACTABLE
                + " AND NOT EXISTS (SELECT 1 FROM outbox_sends o WHERE o.phone = k.phone AND o.created_at >= ? AND o.purpose <> 'staff-alert')"
                + " AND NOT EXISTS (SELECT 1 FROM outreach_target t JOIN outreach_run r ON r.id = t.run_id"
                + "   WHERE t.phone = k.phone AND t.status = 'QUEUED' AND r.status = 'RUNNING')"
                + " ORDER BY l.id LIMIT ?", String.class, LeadIntake.Source.IMPORT.name(), LeadIntake.Source.BULK.name(),
                LeadStatus.DO_NOT_CONTACT.name(), cutoff, size);
    }

    /** Warm leads (a YES or interest in answer to a campaign text), optionally of one campaign, newest first. */
    public List<String> warmLeads(String campaign) {
        return jdbc.queryForList("SELECT k.phone FROM contact_card k WHERE k.warm_lead_at IS NOT NULL AND" + CONTACTABLE
                + (campaign == null ? "" : " AND k.warm_lead_campaign = ?") + " ORDER BY k.warm_lead_at DESC, k.id",
                String.class, campaign == null ? new Object[0] : new Object[] {campaign});
    }
}
