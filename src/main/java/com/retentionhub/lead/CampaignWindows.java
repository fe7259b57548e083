package com.retentionhub.lead;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A campaign's active window: the days (in the business's time zone, both inclusive) in which it
 * takes new leads. Outside it, auto-assignment passes the campaign by ({@link Campaigns#assign});
 * leads already in it carry on.
 */
@Component
public class CampaignWindows {

    /** The window as operators set it; either end may be open (null). {@code state}: not started, open or closed. */
    public record Window(long campaignId, LocalDate startsOn, LocalDate endsOn, String state) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ZoneId zone;

    public CampaignWindows(JdbcTemplate jdbc, Clock clock, BusinessProfile business) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = business.zone();
    }

    /** Empty when there is no such campaign; a campaign without a window is open with both ends null. */
    public Optional<Window> of(long campaignId) {
        if (jdbc.queryForObject("SELECT count(*) FROM campaign WHERE id = ?", Integer.class, campaignId) == 0) {
            return Optional.empty();
        }
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT starts_at, ends_at FROM campaign_window WHERE campaign_id = ?",
                campaignId);
        Instant starts = rows.isEmpty() ? null : SqlValues.instant(rows.get(0).get("starts_at"));
        Instant ends = rows.isEmpty() ? null : SqlValues.instant(rows.get(0).get("ends_at"));
        Instant now = clock.instant();
        String state = starts != null && now.isBefore(starts) ? "not started" : ends != null && !now.isBefore(ends) ? "closed" : "open";
        return Optional.of(new Window(campaignId, starts == null ? null : starts.atZone(zone).toLocalDate(),
                ends == null ? null : ends.atZone(zone).toLocalDate().minusDays(1), state));
    }

    /** Sets the window (both null: always open); empty when there is no such campaign. */
    @Transactional
    public Optional<Window> set(long campaignId, LocalDate startsOn, LocalDate endsOn) {
        if (startsOn != null && endsOn != null && endsOn.isBefore(startsOn)) {
            throw new IllegalArgumentException("endsOn must not be before startsOn");
        }
        if (jdbc.queryForList("SELECT id FROM campaign WHERE id = ? FOR UPDATE", Long.class, campaignId).isEmpty()) {
            return Optional.empty();
        }
        Timestamp starts = startsOn == null ? null : Timestamp.from(startsOn.atStartOfDay(zone).toInstant());
        Timestamp ends = endsOn == null ? null : Timestamp.from(endsOn.plusDays(1).atStartOfDay(zone).toInstant());
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("UPDATE campaign_window SET starts_at = ?, ends_at = ?, updated_at = ? WHERE campaign_id = ?", starts, ends, now,
                campaignId) == 0) {
            jdbc.update("INSERT INTO campaign_window (campaign_id, starts_at, ends_at, updated_at) VALUES (?, ?, ?, ?)", campaignId, starts,
                    ends, now);
        }
        return of(campaignId);
    }
}
