package com.retentionhub.sequence;

import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Leads;
import com.retentionhub.platform.MultiRowInsert;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * Enrolls many leads in one sequence, or says what it would do: each lead is either enrolled or kept
 * out with one reason, checked in this order: do not contact, opted out (on any channel: an opt-out
 * anywhere ends a lead's enrollments), converted, no phone (every message is keyed by it), already
 * enrolled (running or paused in this sequence), cooldown (enrolled in it within
 * {@link Enrollments#COOLDOWN}).
 */
@Component
public class BulkEnrollment {

    public static final String DO_NOT_CONTACT = "do not contact";
    public static final String OPTED_OUT = "opted out";
    public static final String CONVERTED = "converted";
    public static final String NO_PHONE = "no phone";
    public static final String ALREADY_ENROLLED = "already enrolled";
    public static final String COOLDOWN = "cooldown";
    /** The order reasons are reported in. */
    public static final List<String> REASONS = List.of(DO_NOT_CONTACT, OPTED_OUT, CONVERTED, NO_PHONE, ALREADY_ENROLLED, COOLDOWN);

    /** Lead ids named in one IN list. */
    private static final int CHUNK = 500;

    /** The leads that would be (or were) enrolled, and the others by reason. */
    public record Outcome(List<Long> enrolled, Map<String, List<Long>> refused) {}

    private final JdbcTemplate jdbc;
    private final Leads leads;
    private final Enrollments enrollments;
    private final Clock clock;

    public BulkEnrollment(JdbcTemplate jdbc, Leads leads, Enrollments enrollments, Clock clock) {
        this.jdbc = jdbc;
        this.leads = leads;
        this.enrollments = enrollments;
        this.clock = clock;
    }

    /** What enrolling these leads would do; writes nothing. Unknown ids are left out. */
    public Outcome preview(long sequenceId, List<Long> leadIds) {
        Map<String, List<Long>> refused = new LinkedHashMap<>();
        REASONS.forEach(r -> refused.put(r, new ArrayList<>()));
        List<Long> eligible = new ArrayList<>();
        for (int from = 0; from < leadIds.size(); from += CHUNK) {
            List<Long> chunk = leadIds.subList(from, Math.min(leadIds.size(), from + CHUNK));
            Map<Long, String> reasons = classify(sequenceId, chunk);
            for (Long id : chunk) {
                String reason = reasons.get(id);
                if (reason == null) {
                    eligible.add(id);
                } else if (!reason.isEmpty()) {
                    refused.get(reason).add(id);
                }
            }
        }
        return new Outcome(eligible, refused);
    }

    /** Enrolls the eligible leads, each in its own transaction; one that lost a race to another enrollment counts as cooldown. */
    public Outcome enroll(long sequenceId, List<Long> leadIds, String campaign) {
        Outcome preview = preview(sequenceId, leadIds);
        List<Long> enrolled = new ArrayList<>();
        for (Long id : preview.enrolled()) {
            if (enrollments.enroll(sequenceId, id, campaign).isPresent()) {
                enrolled.add(id);
            } else {
                preview.refused().get(COOLDOWN).add(id);
            }
        }
        return new Outcome(enrolled, preview.refused());
    }

    /** Each lead's reason to stay out (absent: eligible; empty: no such lead). */
    private Map<Long, String> classify(long sequenceId, List<Long> ids) {
        String in = MultiRowInsert.placeholders(ids.size());
        Map<Long, String> reasons = new HashMap<>();
        ids.forEach(id -> reasons.put(id, ""));
        for (Leads.Lead lead : leads.find(ids).values()) {
            long id = lead.id();
            reasons.remove(id);
            if (lead.status() == LeadStatus.DO_NOT_CONTACT || lead.status() == LeadStatus.REJECTED) {
                reasons.put(id, DO_NOT_CONTACT);
            } else if (lead.status() == LeadStatus.CONVERTED) {
                reasons.put(id, CONVERTED);
            } else if (lead.phone() == null) {
                reasons.put(id, NO_PHONE);
            }
        }
        jdbc.query("SELECT DISTINCT l.id FROM lead_card l JOIN consent_opted_out c ON c.phone = l.phone WHERE l.id IN (" + in + ")",
                (RowCallbackHandler) rs -> {
                    String before = reasons.get(rs.getLong(1));
                    if (!DO_NOT_CONTACT.equals(before)) {
                        reasons.put(rs.getLong(1), OPTED_OUT);
                    }
                }, ids.toArray());
        List<Object> args = new ArrayList<>();
        args.add(Timestamp.from(clock.instant().minus(Enrollments.COOLDOWN)));
        args.add(sequenceId);
        args.addAll(ids);
        jdbc.query(
                "SELECT lead_id, max(CASE WHEN status IN ('ACTIVE', 'PAUSED') THEN 1 ELSE 0 END), max(CASE WHEN enrolled_at > ? THEN 1 ELSE 0 END)"
                        + " FROM enrollment WHERE sequence_id = ? AND lead_id IN (" + in + ") GROUP BY lead_id",
                (RowCallbackHandler) rs -> {
                    long id = rs.getLong(1);
                    if (reasons.containsKey(id)) {
                        return; // a reason earlier in the order stands
                    }
                    if (rs.getInt(2) == 1) {
                        reasons.put(id, ALREADY_ENROLLED);
                    } else if (rs.getInt(3) == 1) {
                        reasons.put(id, COOLDOWN);
                    }
                }, args.toArray());
        return reasons;
    }
}
