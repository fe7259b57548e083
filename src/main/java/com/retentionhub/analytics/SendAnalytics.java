package com.retentionhub.analytics;

import static com.retentionhub.analytics.Report.rate;
import static com.retentionhub.analytics.Report.row;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.platform.SqlValues;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * What the business's own messages earned: conversions and revenue by channel, and conversion rates
 * by weekday and hour. A send is a business-initiated message (outbox purpose "message") that left;
 * a conversion is a tracker sale, attributed to a channel and an hour through the exact message whose
 * attempt id it carried. Revenue counts sales and rebills; a sale charged back (rejected) counts not.
 */
@Component
public class SendAnalytics {

    static final List<String> CHANNELS = Channel.codes();

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final BusinessProfile business;
    private final Clock clock;
    /** The evidence the heatmap's best hour needs, the same the best-hour step waits for: one lucky sale is not a best hour. */
    private final long minSends;
    private final long minConversions;

    public SendAnalytics(JdbcTemplate jdbc, SqlDialect dialect, BusinessProfile business, Clock clock) {
        this(jdbc, dialect, business, clock, 1, 1);
    }

    @Autowired
    public SendAnalytics(JdbcTemplate jdbc, SqlDialect dialect, BusinessProfile business, Clock clock,
            @Value("${hub.analytics.best-hour-min-sends:100}") long minSends,
            @Value("${hub.analytics.best-hour-min-conversions:10}") long minConversions) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.business = business;
        this.clock = clock;
        this.minSends = minSends;
        this.minConversions = minConversions;
    }

    /** Sends in the filter: the range applies to when they left. */
    static AnalyticsFilter.Where sends(AnalyticsFilter f) {
        return new AnalyticsFilter.Where().and("o.purpose = 'message'").and("o.sent_at IS NOT NULL").andIf(f.campaign(), "o.campaign = ?")
                .andIf(f.channel(), "o.channel = ?").range(f, "o.sent_at");
    }

    /** Conversions, revenue, contacted people and conversion rate, overall and per channel; the best channel by rate. */
    public Report overview(AnalyticsFilter f) {
        AnalyticsFilter.Where sends = sends(f);
        Map<String, long[]> byChannel = new TreeMap<>(); // sends, contacted, conversions
        Map<String, BigDecimal> revenueByChannel = new TreeMap<>();
        // One pass, grouped by phone: the distinct people per channel and overall without a sort per count.
        StringBuilder perPhone = new StringBuilder("SELECT count(*)");
        StringBuilder inner = new StringBuilder("SELECT o.phone");
        for (String channel : CHANNELS) {
            perPhone.append(", SUM(").append(channel).append("), SUM(CASE WHEN ").append(channel).append(" > 0 THEN 1 ELSE 0 END)");
            inner.append(", SUM(CASE WHEN o.channel = '").append(channel).append("' THEN 1 ELSE 0 END) AS ").append(channel);
        }
        long contacted = jdbc.query(perPhone + " FROM (" + inner + " FROM outbox_sends o" + sends + " GROUP BY o.phone) p", rs -> {
            rs.next();
            for (int i = 0; i < CHANNELS.size(); i++) {
                long n = rs.getLong(2 + 2 * i);
                if (n > 0) {
                    byChannel.put(CHANNELS.get(i), new long[] {n, rs.getLong(3 + 2 * i), 0});
                }
            }
            return rs.getLong(1);
        }, sends.argArray());

        // The range of a conversion is when the tracker reported it; unmatched postbacks are not the business's conversions.
        AnalyticsFilter.Where conversions = new AnalyticsFilter.Where().and("c.status IN ('sale', 'rebill')")
                .and("(c.lead_id IS NOT NULL OR c.outbox_id IS NOT NULL)").andIf(f.campaign(), "c.campaign = ?")
                .andIf(f.channel(), "o.channel = ?")
                .range(f, "c.received_at");
        long totalConversions = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        // The revenue's currency: the one the counted conversions were paid in; several make the sum "mixed".
        // Read with the sums (each channel's lowest and highest currency tell whether it had one or more):
        // a query of its own joined every send again, and doubled the view's time under a channel filter.
        Set<String> currencies = new TreeSet<>();
        for (Map<String, Object> r : jdbc.queryForList("SELECT COALESCE(o.channel, 'unattributed') AS channel,"
                + " SUM(CASE WHEN c.status = 'sale' THEN 1 ELSE 0 END) AS sales, COALESCE(SUM(c.payout), 0) AS revenue,"
                + " MIN(upper(c.currency)) AS lowest_currency, MAX(upper(c.currency)) AS highest_currency"
                + " FROM conversion_outcomes c LEFT JOIN outbox_sends o ON o.id = c.outbox_id" + conversions
                + " GROUP BY COALESCE(o.channel, 'unattributed')",
                conversions.argArray())) {
            String channel = (String) r.get("channel");
            long sales = SqlValues.toLong(r.get("sales"));
            BigDecimal money = money(r.get("revenue"));
            byChannel.computeIfAbsent(channel, c -> new long[3])[2] = sales;
            revenueByChannel.put(channel, money);
            totalConversions += sales;
            revenue = revenue.add(money);
            for (String bound : new String[] {(String) r.get("lowest_currency"), (String) r.get("highest_currency")}) {
                if (bound != null) {
                    currencies.add(bound);
                }
            }
        }
        String currency = currencies.isEmpty() ? null : currencies.size() == 1 ? currencies.iterator().next() : "mixed";

        List<Map<String, Object>> rows = new ArrayList<>();
        String best = null;
        double bestRate = -1;
        for (Map.Entry<String, long[]> e : byChannel.entrySet()) {
            long[] v = e.getValue();
            Double r = rate(v[2], v[1]);
            rows.add(row("channel", e.getKey(), "sends", v[0], "contacted", v[1], "conversions", v[2],
                    "revenue", revenueByChannel.getOrDefault(e.getKey(), BigDecimal.ZERO), "conversionRate", r));
            if (r != null && v[2] > 0 && (r > bestRate || (r == bestRate && v[2] > byChannel.get(best)[2]))) {
                best = e.getKey();
                bestRate = r;
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("conversions", totalConversions);
        summary.put("revenue", revenue);
        summary.put("currency", currency);
        summary.put("contacted", contacted);
        summary.put("conversionRate", rate(totalConversions, contacted));
        summary.put("bestChannel", best);
        return new Report("overview", f.describe(), summary, rows);
    }

    /**
     * Sends and attributed sales by channel, weekday (1 Monday to 7 Sunday) and hour in the business's
     * time zone: every cell of every channel present, empty cells with no rate.
     */
    public Report heatmap(AnalyticsFilter f) {
        Map<String, long[][]> cells = cells(f);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> bestHours = new LinkedHashMap<>();
        for (Map.Entry<String, long[][]> e : cells.entrySet()) {
            long[][] c = e.getValue();
            for (int d = 1; d <= 7; d++) {
                for (int h = 0; h < 24; h++) {
                    long[] cell = c[(d - 1) * 24 + h];
                    rows.add(row("channel", e.getKey(), "dayOfWeek", d, "day", DayOfWeek.of(d).getDisplayName(TextStyle.SHORT, Locale.US),
                            "hour", h,
                            "sends", cell[0], "conversions", cell[1], "conversionRate", rate(cell[1], cell[0])));
                }
            }
            bestHours.put(e.getKey(), bestHour(c, minSends, minConversions).orElse(null));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("timeZone", business.zone().getId());
        summary.put("bestHourByChannel", bestHours);
        return new Report("heatmap", f.describe(), summary, rows);
    }

    /**
     * Per channel, 168 cells (weekday-major) of {sends, conversions}. The database counts per quarter
     * hour (every time zone's offset is a whole number of quarter hours) and Java places each quarter
     * in the business's local weekday and hour: no per-row time zone arithmetic in SQL, and a few
     * thousand groups instead of a sort of every send. Sends and sold sends are counted apart.
     */
    Map<String, long[][]> cells(AnalyticsFilter f) {
        AnalyticsFilter.Where sends = sends(f);
        ZoneId zone = business.zone();
        Map<String, long[][]> cells = new TreeMap<>();
        String quarter = dialect.quarterHour("o.sent_at");
        RowCallbackHandler place = rs -> {
            long[][] c = cells.computeIfAbsent(rs.getString(1), k -> new long[7 * 24][2]);
            ZonedDateTime local = Instant.ofEpochSecond(rs.getLong(2) * 900).atZone(zone);
            c[(local.getDayOfWeek().getValue() - 1) * 24 + local.getHour()][rs.getInt(3)] += rs.getLong(4);
        };
        jdbc.query("SELECT channel, " + dialect.quarterIndex("q") + ", 0, n FROM (SELECT o.channel, " + quarter
                + " AS q, count(*) AS n FROM outbox_sends o" + sends
                + " GROUP BY o.channel, " + quarter + ") t", place, sends.argArray());
        // The few sold sends by their ids, rather than probing every send against the sales.
        jdbc.query("SELECT channel, " + dialect.quarterIndex("q") + ", 1, n FROM (SELECT o.channel, " + quarter + " AS q, count(*) AS n"
                + " FROM (SELECT DISTINCT outbox_id FROM conversion_outcomes WHERE status = 'sale' AND outbox_id IS NOT NULL) c"
                + " JOIN outbox_sends o ON o.id = c.outbox_id"
                + sends + " GROUP BY o.channel, " + quarter + ") t", place, sends.argArray());
        return cells;
    }

    /**
     * The hour (0-23, business time) whose sends convert best, over all weekdays, among hours with at
     * least {@code minSends} sends; empty when fewer than {@code minConversions} sales back any hour.
     */
    static Optional<Integer> bestHour(long[][] cells, long minSends, long minConversions) {
        long[] sends = new long[24];
        long[] sales = new long[24];
        for (int i = 0; i < cells.length; i++) {
            sends[i % 24] += cells[i][0];
            sales[i % 24] += cells[i][1];
        }
        Integer best = null;
        double bestRate = -1;
        long total = 0;
        for (int h = 0; h < 24; h++) {
            total += sales[h];
            if (sends[h] >= minSends && sends[h] > 0) {
                double r = (double) sales[h] / sends[h];
                if (r > bestRate) {
                    best = h;
                    bestRate = r;
                }
            }
        }
        return total < minConversions || bestRate <= 0 ? Optional.empty() : Optional.ofNullable(best);
    }

    /** The best hour of {@code channel} over the last {@code lookback}, when the data is enough to say. */
    public Optional<Integer> bestHour(String channel, Duration lookback, long minSends, long minConversions) {
        Instant now = clock.instant();
        long[][] c = cells(new AnalyticsFilter(null, channel, now.minus(lookback), now, null)).get(channel);
        return c == null ? Optional.empty() : bestHour(c, minSends, minConversions);
    }

    static BigDecimal money(Object value) {
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString()).setScale(2, RoundingMode.HALF_UP);
    }
}
