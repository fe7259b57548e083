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
}
