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
     * The quarter hour a TIMESTAMP WITH TIME ZONE falls in, as a value to group by; {@link #quarterIndex}
     * turns the grouped value into its number of quarter hours since 1970. PostgreSQL bins timestamps
     * (numeric epoch arithmetic on every row costs more than the scan); H2 counts epoch seconds.
     */
    public String quarterHour(String column) {
        return postgres
                ? "date_bin('15 minutes', " + column + ", TIMESTAMPTZ '1970-01-01 00:00:00+00')"
                : "FLOOR(EXTRACT(EPOCH FROM " + column + ") / 900)";
    }

    public String quarterIndex(String grouped) {
        return postgres ? "CAST(EXTRACT(EPOCH FROM " + grouped + ") AS BIGINT) / 900" : "CAST(" + grouped + " AS BIGINT)";
    }

    /**
     * A common table expression computed once, however the planner estimates the rows joined to it
     * (PostgreSQL may otherwise inline it into a nested loop and recompute it per row when table
     * statistics are stale); H2 always computes it once and has no keyword for it.
     */
    public String materialized() {
        return postgres ? "MATERIALIZED " : "";
    }
}
