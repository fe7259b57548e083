package com.retentionhub.lead;

import com.retentionhub.platform.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Campaigns (ACTIVE, PAUSED, ENDED) and who is in them. A new lead joins every active campaign
 * whose auto-assign rule takes its source, while the campaign is under its lead limit.
 */
@Component
public class Campaigns {

    public static final Set<String> STATUSES = Arrays.stream(CampaignStatus.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    public record Campaign(long id, String name, String status, List<String> sources, Integer maxLeads, String sequence, long leads,
            Instant createdAt, Instant updatedAt) {}

    /** What staff set on a campaign. */
    public record Definition(String name, String status, List<String> sources, Integer maxLeads, String sequence) {}

    /** A campaign name that is already taken. */
    public static class NameTaken extends RuntimeException {
        public NameTaken(String name) {
            super("a campaign named '" + name + "' exists");
        }
    }

    private static final String COLUMNS = "c.id, c.name, c.status, c.sources, c.max_leads, c.sequence, c.created_at, c.updated_at,"
            + " (SELECT count(*) FROM campaign_lead m WHERE m.campaign_id = c.id)";

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public Campaigns(JdbcTemplate jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public Campaign create(Definition d) {
        validate(d);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update(
                    "INSERT INTO campaign (name, status, sources, max_leads, sequence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    d.name().trim(), status(d), sources(d), d.maxLeads(), d.sequence(), now, now);
        } catch (DuplicateKeyException e) {
            throw new NameTaken(d.name().trim());
        }
        return byName(d.name().trim()).orElseThrow();
    }

    @Transactional
    public Optional<Campaign> update(long id, Definition d) {
        validate(d);
        try {
            Optional<Campaign> before = get(id);
            int n = jdbc.update(
                    "UPDATE campaign SET name = ?, status = ?, sources = ?, max_leads = ?, sequence = ?, updated_at = ? WHERE id = ?",
                    d.name().trim(), status(d), sources(d), d.maxLeads(), d.sequence(), Timestamp.from(clock.instant()), id);
            if (n == 0) {
                return Optional.empty();
            }
            if (!before.get().status().equals(status(d))) {
                events.publishEvent(new LeadEvents.CampaignStatusChanged(d.name().trim(), status(d))); // pausing holds its enrollments, resuming continues them
            }
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new NameTaken(d.name().trim());
        }
    }

    /** Ends a campaign rather than deleting it: its messages and conversions keep pointing at it. */
    @Transactional
    public boolean end(long id) {
        Optional<Campaign> campaign = get(id);
        if (campaign.isEmpty()) {
            return false;
        }
        jdbc.update("UPDATE campaign SET status = 'ENDED', updated_at = ? WHERE id = ?", Timestamp.from(clock.instant()), id);
        events.publishEvent(new LeadEvents.CampaignStatusChanged(campaign.get().name(), "ENDED"));
        return true;
    }

    public List<Campaign> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM campaign c ORDER BY c.id", Campaigns::row);
    }

    public Optional<Campaign> get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM campaign c WHERE c.id = ?", Campaigns::row, id).stream().findFirst();
    }

    public Optional<Campaign> byName(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM campaign c WHERE c.name = ?", Campaigns::row, name).stream().findFirst();
    }

    /** The named campaign's status; empty when there is no such campaign. */
    public Optional<CampaignStatus> status(String name) {
        return jdbc.queryForList("SELECT status FROM campaign WHERE name = ?", String.class, name).stream().findFirst()
                .map(CampaignStatus::valueOf);
    }

    /** The name of the sequence the named campaign enrolls its new leads in; empty when it names none or there is no such campaign. */
    public Optional<String> sequenceOf(String name) {
        return jdbc.queryForList("SELECT sequence FROM campaign WHERE name = ?", String.class, name).stream().filter(s -> s != null)
                .findFirst();
    }

    /**
     * Puts a new lead into every active campaign that auto-assigns its source and has room; returns
     * the names joined. Each campaign row is locked while it is counted, so a limit holds under
     * concurrent intake.
     */
    public List<String> assign(long leadId, LeadIntake.Source source) {
        Timestamp now = Timestamp.from(clock.instant());
        // Outside its active window (CampaignWindows) a campaign takes no new leads.
        List<Map<String, Object>> candidates = jdbc.queryForList("SELECT id, name FROM campaign WHERE status = 'ACTIVE'"
                + " AND (',' || sources || ',') LIKE ? AND NOT EXISTS (SELECT 1 FROM campaign_window w WHERE w.campaign_id = campaign.id"
                + " AND ((w.starts_at IS NOT NULL AND w.starts_at > ?) OR (w.ends_at IS NOT NULL AND w.ends_at <= ?))) ORDER BY id",
                "%," + source.name() + ",%", now, now);
        return candidates.stream().filter(c -> {
            Object id = c.get("id");
            Integer max = jdbc.queryForObject("SELECT max_leads FROM campaign WHERE id = ? FOR UPDATE", Integer.class, id);
            long members = jdbc.queryForObject("SELECT count(*) FROM campaign_lead WHERE campaign_id = ?", Long.class, id);
            return (max == null || members < max)
                    && jdbc.update("INSERT INTO campaign_lead (campaign_id, lead_id, joined_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                            id, leadId, now) == 1;
        }).map(c -> (String) c.get("name")).toList();
    }

    private static void validate(Definition d) {
        if (d.name() == null || d.name().isBlank() || d.name().trim().length() > 100) {
            throw new IllegalArgumentException("name is required (at most 100 characters)");
        }
        if (d.status() != null && !STATUSES.contains(d.status().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("status must be ACTIVE, PAUSED or ENDED");
        }
        if (d.maxLeads() != null && d.maxLeads() < 0) {
            throw new IllegalArgumentException("maxLeads must not be negative");
        }
        if (d.sources() != null) {
            Set<String> known = Arrays.stream(LeadIntake.Source.values()).map(Enum::name).collect(Collectors.toSet());
            d.sources().forEach(s -> {
                if (s == null || !known.contains(s.toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("sources must be among " + known);
                }
            });
        }
    }

    private static String status(Definition d) {
        return d.status() == null ? "ACTIVE" : d.status().toUpperCase(Locale.ROOT);
    }

    private static String sources(Definition d) {
        return d.sources() == null
                ? ""
                : d.sources().stream().map(s -> s.toUpperCase(Locale.ROOT)).distinct().collect(Collectors.joining(","));
    }

    private static Campaign row(ResultSet rs, int i) throws SQLException {
        String sources = rs.getString(4);
        Integer max = SqlValues.intOrNull(rs, 5);
        return new Campaign(rs.getLong(1), rs.getString(2), rs.getString(3), sources.isEmpty() ? List.of() : List.of(sources.split(",")),
                max,
                rs.getString(6), rs.getLong(9), SqlValues.instant(rs, 7), SqlValues.instant(rs, 8));
    }
}
