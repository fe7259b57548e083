package com.retentionhub.platform;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Values read through {@code queryForList}/{@code queryForMap}, whose Java types differ between drivers. */
public final class SqlValues {

    private SqlValues() {}

    /**
     * A TIMESTAMP WITH TIME ZONE column as an instant, or null: PostgreSQL's driver returns a
     * {@link Timestamp}, H2's an {@link OffsetDateTime}.
     */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
    }
}
