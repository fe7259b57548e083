package com.retentionhub.platform;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;

/**
 * The one place a value read from the database becomes a Java type. The drivers disagree on what
 * {@code queryForList}, {@code queryForMap} and {@code getObject} hand back (PostgreSQL: a
 * {@link Timestamp}, {@link Long} for {@code count(*)}, {@link BigDecimal} for sums; H2: an
 * {@link OffsetDateTime}, and other number types for the same SQL), so no module casts them itself:
 * a cast that holds on one database fails every time on the other. {@code SqlValuesUseTest} keeps
 * casts out of the code.
 */
public final class SqlValues {

    private SqlValues() {}

    /** A timestamp column (with or without time zone) as an instant, or null. */
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
        if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof LocalDateTime l) {
            // A column without a time zone: read in the JVM's zone, as the JDBC Timestamp is.
            return l.atZone(ZoneId.systemDefault()).toInstant();
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
    }

    /** Column {@code index} (1-based) of the current row as an instant, or null. */
    public static Instant instant(ResultSet rs, int index) throws SQLException {
        return instant(rs.getObject(index));
    }

    /** A number column (any integer or decimal type the driver chose) as a long; null is refused. */
    public static long toLong(Object value) {
        return number(value, true).longValue();
    }

    /** A number column as an int; null is refused. */
    public static int toInt(Object value) {
        return number(value, true).intValue();
    }

    /** A number column as a double; null is refused. */
    public static double toDouble(Object value) {
        return number(value, true).doubleValue();
    }

    /** A nullable number column as a Long. */
    public static Long longOrNull(Object value) {
        Number n = number(value, false);
        return n == null ? null : n.longValue();
    }

    /** A nullable number column as an Integer. */
    public static Integer intOrNull(Object value) {
        Number n = number(value, false);
        return n == null ? null : n.intValue();
    }

    /** Column {@code index} (1-based) as an Integer, or null when SQL NULL. */
    public static Integer intOrNull(ResultSet rs, int index) throws SQLException {
        return intOrNull(rs.getObject(index));
    }

    /** A nullable number column as a BigDecimal (sums and money). */
    public static BigDecimal decimal(Object value) {
        Number n = number(value, false);
        if (n == null) {
            return null;
        }
        return n instanceof BigDecimal b
                ? b
                : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()) : new BigDecimal(n.toString());
    }

    /** A nullable number column as whatever Number the driver returned (for code that only reads it as a number). */
    public static Number number(Object value) {
        return number(value, false);
    }

    private static Number number(Object value, boolean required) {
        if (value == null) {
            if (required) {
                throw new IllegalStateException("a number was expected, the column is NULL");
            }
            return null;
        }
        if (value instanceof Number n) {
            return n;
        }
        throw new IllegalStateException("not a number: " + value.getClass().getName());
    }
}
