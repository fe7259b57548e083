package com.retentionhub.analytics;

import com.retentionhub.platform.Channel;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every analytics view can be narrowed to: one campaign, one channel, a time range and (for the
 * sequence views) one sequence. Each view says which time its range applies to (a send's, a lead's
 * arrival, a conversion's). Bad values are refused with {@link IllegalArgumentException} (a 400).
 */
public record AnalyticsFilter(String campaign, String channel, Instant from, Instant to, Long sequence) {

    public static final AnalyticsFilter NONE = new AnalyticsFilter(null, null, null, null, null);

    public AnalyticsFilter {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /**
     * From request parameters: {@code campaign}, {@code channel} (sms, email, voice or call),
     * {@code from} and {@code to} (an ISO date in the business's time zone, {@code to} inclusive, or an
     * ISO instant, {@code to} exclusive), {@code sequence} (an id).
     */
    public static AnalyticsFilter parse(Map<String, String> params, ZoneId zone) {
        String campaign = blankToNull(params.get("campaign"));
        if (campaign != null && campaign.length() > 100) {
            throw new IllegalArgumentException("campaign is longer than 100 characters");
        }
        return new AnalyticsFilter(campaign, channel(params.get("channel")), time(params.get("from"), zone, false, "from"),
                time(params.get("to"), zone, true, "to"), sequence(params.get("sequence")));
    }

    private static String channel(String value) {
        String c = blankToNull(value);
        if (c == null) {
            return null;
        }
        return Channel.parse(c).map(Channel::code).orElseThrow(() -> new IllegalArgumentException("channel must be sms, email or voice"));
    }

    private static Instant time(String value, ZoneId zone, boolean endOfRange, String name) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (endOfRange ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + " must be a date (2026-11-01) or an instant (2026-11-01T09:00:00Z)");
        }
    }

    private static Long sequence(String value) {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sequence must be a sequence id");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** The step channel (SMS, EMAIL, CALL) of the filter's channel, for sequence_step rows. */
    String stepChannel() {
        return channel == null ? null : Channel.ofCode(channel).stepName();
    }

    /** The filter as shown back in every report. */
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("campaign", campaign);
        d.put("channel", channel);
        d.put("from", from);
        d.put("to", to);
        d.put("sequence", sequence);
        return d;
    }

    /** A WHERE clause under construction with its arguments, so each view states only its columns. */
    static final class Where {
        private final StringBuilder sql = new StringBuilder();
        final List<Object> args = new ArrayList<>();

        Where and(String condition, Object... values) {
            sql.append(sql.length() == 0 ? " WHERE " : " AND ").append(condition);
            for (Object v : values) {
                args.add(v instanceof Instant i ? Timestamp.from(i) : v);
            }
            return this;
        }

        Where andIf(Object value, String condition) {
            return value == null ? this : and(condition, value);
        }

        /** Time between the filter's bounds on {@code column}. */
        Where range(AnalyticsFilter f, String column) {
            return andIf(f.from, column + " >= ?").andIf(f.to, column + " < ?");
        }

        Object[] argArray() {
            return args.toArray();
        }

        @Override
        public String toString() {
            return sql.toString();
        }
    }
}
