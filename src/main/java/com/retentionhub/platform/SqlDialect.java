package com.retentionhub.platform;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/** The few places where PostgreSQL and H2 must be spoken to differently. */
@Component
public class SqlDialect {

    private final boolean postgres;

    public SqlDialect(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            this.postgres = c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        }
    }

    public boolean isPostgres() {
        return postgres;
    }

    /**
     * Row-claim suffix. H2 has no SKIP LOCKED (and locks every matching row before LIMIT), so there
     * a claim is a plain lock; the conditional status update after it keeps claims exclusive.
     */
    public String forUpdateSkipLocked() {
        return postgres ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
    }

    /**
     * The local wall-clock time of a TIMESTAMP WITH TIME ZONE column in {@code zone}; extract hours and
     * weekdays from this. The zone id comes from {@link java.time.ZoneId}, so it is safe to inline
     * (and it must be: PostgreSQL matches GROUP BY expressions by text, not by parameter value).
     */
    public String localTime(String column, java.time.ZoneId zone) {
        return "(" + column + " AT TIME ZONE '" + zone.getId() + "')";
    }

    /** ISO day of week (1 Monday to 7 Sunday) of a local time expression. */
    public String isoDayOfWeek(String localTime) {
        return postgres ? "EXTRACT(ISODOW FROM " + localTime + ")" : "EXTRACT(ISO_DAY_OF_WEEK FROM " + localTime + ")";
    }
}
