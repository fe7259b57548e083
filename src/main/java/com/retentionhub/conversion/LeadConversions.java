package com.retentionhub.conversion;

import com.retentionhub.platform.SqlValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The conversions the tracker reported for one lead, oldest first. A read model over the conversion table; it writes nothing. */
@Component
public class LeadConversions {

    /** One conversion as it stands now: {@code status} as the tracker last reported it (lead, sale, rejected, rebill...). */
    public record Conversion(long id, String status, BigDecimal payout, String currency, String campaign, Instant receivedAt,
            Instant updatedAt) {}

    private final JdbcTemplate jdbc;

    public LeadConversions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Conversion> of(long leadId) {
        return jdbc.query(
                "SELECT id, status, payout, currency, campaign, received_at, updated_at FROM conversion WHERE lead_id = ? ORDER BY id",
                (rs, i) -> new Conversion(rs.getLong("id"), rs.getString("status"), SqlValues.decimal(rs.getObject("payout")),
                        rs.getString("currency"), rs.getString("campaign"), SqlValues.instant(rs.getObject("received_at")),
                        SqlValues.instant(rs.getObject("updated_at"))),
                leadId);
    }
}
