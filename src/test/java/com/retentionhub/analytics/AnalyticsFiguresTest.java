package com.retentionhub.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.retentionhub.analytics.SeededData.Conversion;
import com.retentionhub.analytics.SeededData.Enrollment;
import com.retentionhub.analytics.SeededData.Execution;
import com.retentionhub.analytics.SeededData.Lead;
import com.retentionhub.analytics.SeededData.Send;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.support.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.validation.Validation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every learning view on a seeded data set, against figures this test computes from the seed's own
 * model of what it wrote (plain Java, no SQL). Runs on PostgreSQL in a schema of its own.
 */
class AnalyticsFiguresTest {

    private static final String SCHEMA = "analytics_figures";
    private static final BusinessProfile BUSINESS = ConfigFiles.load(Path.of("config/business.yaml"), BusinessProfile.class,
            Validation.buildDefaultValidatorFactory().getValidator());
    private static final ZoneId ZONE = BUSINESS.zone();
    private static final Clock CLOCK = Clock.fixed(SeededData.NOW, ZoneOffset.UTC);

    static HikariDataSource ds;
    static JdbcTemplate jdbc;
    static SeededData data;
    static SendAnalytics sendViews;
    static SequenceAnalytics sequenceViews;
    static ConversationAnalytics conversationViews;
    static WordStats words;
    static TransactionTemplate tx;
    static Insights insights;

    @BeforeAll
    static void seed() throws Exception {
        // A small pool of its own, closed at the end: see the connection budget in application-test.yaml.
        ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabase.url(SCHEMA));
        ds.setUsername(TestDatabase.user());
        ds.setPassword(TestDatabase.password());
        ds.setMaximumPoolSize(6);
        ds.setMinimumIdle(0);
        Flyway flyway = Flyway.configure().dataSource(ds).schemas(SCHEMA).cleanDisabled(false).load();
        flyway.clean();
        flyway.migrate();
        jdbc = new JdbcTemplate(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        data = tx.execute(s -> new SeededData(jdbc).seed(600)); // one commit, not thousands
        sendViews = new SendAnalytics(jdbc, new SqlDialect(ds), BUSINESS, CLOCK);
        sequenceViews = new SequenceAnalytics(jdbc, new SqlDialect(ds), CLOCK);
        conversationViews = new ConversationAnalytics(jdbc, BUSINESS, CLOCK);
        words = new WordStats(jdbc, tx, BUSINESS, CLOCK);
        insights = new Insights(sendViews, sequenceViews, words, new Scripts(jdbc, null, CLOCK), null, false,
                new AnalyticsReads(new DataSourceTransactionManager(ds), jdbc, new SqlDialect(ds), "64MB"));
        assertThat(words.refresh()).isPositive();
    }

    @AfterAll
    static void drop() {
        jdbc.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
        ds.close();
    }

    private static final AnalyticsFilter ALL = AnalyticsFilter.NONE;
    private static final AnalyticsFilter CAMPAIGN_A = new AnalyticsFilter("camp-a", null, null, null, null);
    private static final AnalyticsFilter EMAIL = new AnalyticsFilter(null, "email", null, null, null);
    private static final AnalyticsFilter LAST_10_DAYS = new AnalyticsFilter(null, null, SeededData.NOW.minus(Duration.ofDays(10)),
            SeededData.NOW, null);
    private static final AnalyticsFilter SEQUENCE_1 = new AnalyticsFilter(null, null, null, null, 1L);
    private static final List<AnalyticsFilter> FILTERS = List.of(ALL, CAMPAIGN_A, EMAIL, LAST_10_DAYS, SEQUENCE_1,
            new AnalyticsFilter("camp-b", "sms", SeededData.NOW.minus(Duration.ofDays(20)), null, 2L));

    // ---- the independent model of each definition ----

    private static boolean in(AnalyticsFilter f, Instant t) {
        return (f.from() == null || !t.isBefore(f.from())) && (f.to() == null || t.isBefore(f.to()));
    }

    private static boolean is(String want, String have) {
        return want == null || want.equals(have);
    }

    private static Map<Long, Send> sendsById() {
        return data.sends.stream().collect(Collectors.toMap(Send::outboxId, s -> s));
    }

    private static List<Send> sends(AnalyticsFilter f) {
        return data.sends.stream().filter(s -> is(f.campaign(), s.campaign()) && is(f.channel(), s.channel()) && in(f, s.sentAt()))
                .toList();
    }

    /** Sales and rebills of known leads or messages, in the filter (their channel is their message's). */
    private static List<Conversion> earned(AnalyticsFilter f) {
        Map<Long, Send> byId = sendsById();
        return data.conversions.stream()
                .filter(c -> (c.status().equals("sale") || c.status().equals("rebill")) && (c.leadId() != null || c.outboxId() != null))
                .filter(c -> is(f.campaign(), c.campaign()) && in(f, c.at()))
                .filter(c -> f.channel() == null || (c.outboxId() != null && f.channel().equals(byId.get(c.outboxId()).channel())))
                .toList();
    }

    private static Map<Long, Lead> leadsById() {
        return data.leads.stream().collect(Collectors.toMap(Lead::id, l -> l));
    }

    private static List<Enrollment> cohort(AnalyticsFilter f) {
        Map<Long, Lead> leads = leadsById();
        return data.enrollments.stream().filter(e -> in(f, leads.get(e.leadId()).created()) && is(f.campaign(), e.campaign())
                && (f.sequence() == null || f.sequence() == e.sequenceId())).toList();
    }

    private static Map<Long, Instant> firstEnrolled(AnalyticsFilter f) {
        Map<Long, Instant> k = new HashMap<>();
        cohort(f).forEach(e -> k.merge(e.leadId(), e.enrolledAt(), (a, b) -> a.isBefore(b) ? a : b));
        return k;
    }

    private static Map<Long, Instant> firstSale(AnalyticsFilter f) {
        Map<Long, Instant> k = firstEnrolled(f);
        Map<Long, Instant> sale = new HashMap<>();
        data.conversions.stream().filter(
                c -> c.status().equals("sale") && c.leadId() != null && k.containsKey(c.leadId()) && !c.at().isBefore(k.get(c.leadId())))
                .forEach(c -> sale.merge(c.leadId(), c.at(), (a, b) -> a.isBefore(b) ? a : b));
        return sale;
    }

    private static List<Execution> executions(AnalyticsFilter f) {
        Set<Long> enrollments = cohort(f).stream().map(Enrollment::id).collect(Collectors.toSet());
        return data.executions.stream().filter(x -> enrollments.contains(x.enrollmentId())).toList();
    }

    /** The next execution of the same enrollment, whatever its channel. */
    private static Instant nextAt(Execution x) {
        return data.executions.stream().filter(y -> y.enrollmentId() == x.enrollmentId() && y.step().position() > x.step().position())
                .min(Comparator.comparingInt(y -> y.step().position())).map(Execution::at).orElse(null);
    }

    private static boolean convertedHere(Execution x, Instant sale) {
        Instant next = nextAt(x);
        return x.status().equals("EXECUTED") && sale != null && !sale.isBefore(x.at()) && (next == null || sale.isBefore(next));
    }

    private static boolean responded(Execution x) {
        if (!x.status().equals("EXECUTED")) {
            return false;
        }
        return x.step().channel().equals("EMAIL")
                ? Set.of("read", "replied").contains(x.messageStatus())
                : Set.of("delivered", "read", "replied").contains(x.messageStatus());
    }

    private static String stepChannel(AnalyticsFilter f) {
        return f.channel() == null ? null : f.channel().equals("email") ? "EMAIL" : f.channel().equals("voice") ? "CALL" : "SMS";
    }

    private static long distinctLeads(List<Execution> xs, Predicate<Execution> p) {
        return xs.stream().filter(p).map(Execution::leadId).distinct().count();
    }

    private static Map<String, Object> rowWhere(Report r, String key, Object value) {
        return r.rows().stream().filter(row -> Objects.equals(value, row.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError(key + "=" + value));
    }

    // ---- the views ----

    @Test
    void overviewMatchesTheSendsAndSales() {
        for (AnalyticsFilter f : FILTERS) {
            Report r = sendViews.overview(f);
            List<Send> sends = sends(f);
            List<Conversion> earned = earned(f);
            long sales = earned.stream().filter(c -> c.status().equals("sale")).count();
            BigDecimal revenue = earned.stream().map(Conversion::payout).reduce(BigDecimal.ZERO, BigDecimal::add);
            long contacted = sends.stream().map(Send::phone).distinct().count();
            assertThat(r.summary().get("conversions")).as("conversions %s", f).isEqualTo(sales);
            assertThat((BigDecimal) r.summary().get("revenue")).as("revenue %s", f).isEqualByComparingTo(revenue);
            assertThat(r.summary().get("contacted")).isEqualTo(contacted);
            Map<Long, Send> byId = sendsById();
            String best = null;
            double bestRate = -1;
            for (String channel : List.of("sms", "email", "voice")) {
                List<Send> on = sends.stream().filter(s -> s.channel().equals(channel)).toList();
                if (on.isEmpty()) {
                    continue;
                }
                long channelSales = earned.stream().filter(c -> c.status().equals("sale") && c.outboxId() != null
                        && byId.get(c.outboxId()).channel().equals(channel)).count();
                long reached = on.stream().map(Send::phone).distinct().count();
                Map<String, Object> row = rowWhere(r, "channel", channel);
                assertThat(row.get("sends")).isEqualTo((long) on.size());
                assertThat(row.get("contacted")).isEqualTo(reached);
                assertThat(row.get("conversions")).as("%s sales %s", channel, f).isEqualTo(channelSales);
                if (channelSales > 0 && (double) channelSales / reached > bestRate) {
                    best = channel;
                    bestRate = (double) channelSales / reached;
                }
            }
            assertThat(r.summary().get("bestChannel")).as("best channel %s", f).isEqualTo(best);
            assertThat(r.summary().get("currency")).as("currency %s", f).isEqualTo(earned.isEmpty() ? null : "USD");
        }
    }

    @Test
    void overviewCallsRevenueInTwoCurrenciesMixed() {
        tx.executeWithoutResult(status -> {
            // One sale paid in euros among the dollars, on a channel of its own and on one the dollars share.
            jdbc.update("UPDATE conversion SET currency = 'eur' WHERE id = (SELECT min(c.id) FROM conversion c JOIN outbox o"
                    + " ON o.id = c.outbox_id WHERE c.status = 'sale' AND o.channel = 'sms')");
            assertThat(sendViews.overview(ALL).summary().get("currency")).isEqualTo("mixed");
            assertThat(sendViews.overview(new AnalyticsFilter(null, "email", null, null, null)).summary().get("currency"))
                    .isEqualTo("USD");
            status.setRollbackOnly();
        });
        assertThat(sendViews.overview(ALL).summary().get("currency")).isEqualTo("USD");
    }

    @Test
    void stepsCountEnteredExecutedRespondedConvertedAndDropped() {
        for (AnalyticsFilter f : FILTERS) {
            Report r = sequenceViews.steps(f);
            List<Execution> xs = executions(f);
            Map<Long, Instant> sale = firstSale(f);
            Map<Long, String> status = data.enrollments.stream().collect(Collectors.toMap(Enrollment::id, Enrollment::status));
            List<SeededData.Step> steps = data.steps.stream().filter(s -> (f.sequence() == null || s.sequenceId() == f.sequence())
                    && is(stepChannel(f), s.channel())).toList();
            assertThat(r.rows()).hasSize(steps.size());
            Double previousRate = null;
            long previousSequence = -1;
            for (SeededData.Step s : steps) {
                List<Execution> at = xs.stream().filter(x -> x.step().id() == s.id()).toList();
                Map<String, Object> row = rowWhere(r, "stepId", s.id());
                long executed = distinctLeads(at, x -> x.status().equals("EXECUTED"));
                long converted = distinctLeads(at, x -> convertedHere(x, sale.get(x.leadId())));
                assertThat(row.get("entered")).as("entered step %d %s", s.id(), f).isEqualTo(distinctLeads(at, x -> true));
                assertThat(row.get("executed")).isEqualTo(executed);
                assertThat(row.get("responded")).as("responded step %d %s", s.id(), f)
                        .isEqualTo(distinctLeads(at, AnalyticsFiguresTest::responded));
                assertThat(row.get("converted")).as("converted step %d %s", s.id(), f).isEqualTo(converted);
                assertThat(row.get("dropped")).as("dropped step %d %s", s.id(), f)
                        .isEqualTo(distinctLeads(at, x -> status.get(x.enrollmentId()).equals("EXITED") && nextAt(x) == null));
                Double rate = executed == 0 ? null : (double) converted / executed;
                if (s.sequenceId() != previousSequence) {
                    previousRate = null;
                }
                if (rate != null) {
                    assertThat((Double) row.get("stepConversionRate")).isCloseTo(rate, within(1e-6));
                }
                if (previousRate != null && rate != null) {
                    assertThat((Double) row.get("marginalLift")).isCloseTo(rate - previousRate, within(1e-5));
                }
                previousRate = rate;
                previousSequence = s.sequenceId();
            }
        }
    }

    @Test
    void funnelStagesAgreeWithTheStepsView() {
        Map<Long, Lead> leads = leadsById();
        for (AnalyticsFilter f : FILTERS) {
            Report funnel = sequenceViews.funnel(f);
            long leadCount = data.leads.stream().filter(l -> in(f, l.created())
                    && (f.campaign() == null || f.campaign().equals(data.campaignLeadCampaigns.get((int) l.id() - 1)))).count();
            Map<Long, Instant> k = firstEnrolled(f);
            Map<Long, Instant> sale = firstSale(f);
            List<Execution> xs = executions(f).stream().filter(x -> is(stepChannel(f), x.step().channel())).toList();
            BigDecimal revenue = data.conversions.stream()
                    .filter(c -> (c.status().equals("sale") || c.status().equals("rebill")) && c.leadId() != null
                            && k.containsKey(c.leadId()) && !c.at().isBefore(k.get(c.leadId())))
                    .map(Conversion::payout).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(rowWhere(funnel, "stage", "leads").get("leads")).as("leads %s", f).isEqualTo(leadCount);
            assertThat(rowWhere(funnel, "stage", "enrolled").get("leads")).isEqualTo((long) k.size());
            assertThat(rowWhere(funnel, "stage", "responded").get("leads")).isEqualTo(distinctLeads(xs, AnalyticsFiguresTest::responded));
            assertThat(rowWhere(funnel, "stage", "converted").get("leads")).isEqualTo((long) sale.size());
            assertThat((BigDecimal) funnel.summary().get("revenue")).isEqualByComparingTo(revenue);
            for (int position = 1; position <= 3; position++) {
                int p = position;
                long executed = distinctLeads(xs, x -> x.step().position() == p && x.status().equals("EXECUTED"));
                if (executed > 0) {
                    assertThat(rowWhere(funnel, "stage", "step " + p + " executed").get("leads")).isEqualTo(executed);
                }
            }
            // Drop-off is the difference between consecutive stages.
            for (int i = 1; i < funnel.rows().size(); i++) {
                long before = (Long) funnel.rows().get(i - 1).get("leads");
                long now = (Long) funnel.rows().get(i).get("leads");
                assertThat(funnel.rows().get(i).get("dropOff")).isEqualTo(before - now);
            }
        }
        // Within one sequence the funnel's step stages are the steps view's executed counts, and the
        // sales held by steps plus those before any executed step are the funnel's converted.
        for (long sequence : List.of(1L, 2L)) {
            AnalyticsFilter f = new AnalyticsFilter(null, null, null, null, sequence);
            Report funnel = sequenceViews.funnel(f);
            Report steps = sequenceViews.steps(f);
            Report time = sequenceViews.timeToConversion(f);
            for (Map<String, Object> step : steps.rows()) {
                assertThat(rowWhere(funnel, "stage", "step " + step.get("position") + " executed").get("leads"))
                        .isEqualTo(step.get("executed"));
            }
            assertThat(rowWhere(time, "convertingStep", "all").get("conversions"))
                    .isEqualTo(((Long) rowWhere(funnel, "stage", "converted").get("leads")).intValue());
            long heldBySteps = steps.rows().stream().mapToLong(r -> (Long) r.get("converted")).sum();
            long withoutStep = time.rows().stream().filter(r -> r.get("convertingStep").equals("no executed step"))
                    .mapToLong(r -> ((Number) r.get("conversions")).longValue())
                    .sum();
            assertThat(heldBySteps + withoutStep).isEqualTo(rowWhere(funnel, "stage", "converted").get("leads"));
        }
    }

    @Test
    void timeToConversionIsMeasuredFromTheFirstEnrollment() {
        for (AnalyticsFilter f : FILTERS) {
            Report r = sequenceViews.timeToConversion(f);
            Map<Long, Instant> k = firstEnrolled(f);
            Map<Long, Instant> sale = firstSale(f);
            List<Double> hours = sale.entrySet().stream().map(e -> Duration.between(k.get(e.getKey()), e.getValue()).toSeconds() / 3600d)
                    .sorted().toList();
            Map<String, Object> all = rowWhere(r, "convertingStep", "all");
            assertThat(((Number) all.get("conversions")).longValue()).isEqualTo(hours.size());
            if (!hours.isEmpty()) {
                assertThat((Double) all.get("medianHours")).isCloseTo(median(hours), within(1e-4));
                assertThat((Double) all.get("meanHours")).isCloseTo(hours.stream().mapToDouble(d -> d).average().orElseThrow(),
                        within(1e-4));
            }
            Map<Long, List<Execution>> byLead = executions(f).stream().collect(Collectors.groupingBy(Execution::leadId));
            Map<String, Long> byStep = new HashMap<>();
            sale.forEach((lead, at) -> {
                String step = byLead.getOrDefault(lead, List.of()).stream().filter(x -> convertedHere(x, at)).map(x -> x.step().position())
                        .min(Integer::compare)
                        .map(p -> "step " + p).orElse("no executed step");
                byStep.merge(step, 1L, Long::sum);
            });
            byStep.forEach(
                    (step, n) -> assertThat(((Number) rowWhere(r, "convertingStep", step).get("conversions")).longValue()).isEqualTo(n));
        }
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Test
    void heatmapCountsSendsAndAttributedSalesByLocalWeekdayAndHour() {
        for (AnalyticsFilter f : FILTERS) {
            Report r = sendViews.heatmap(f);
            Set<Long> sold = data.conversions.stream().filter(c -> c.status().equals("sale") && c.outboxId() != null)
                    .map(Conversion::outboxId)
                    .collect(Collectors.toSet());
            Map<String, long[]> expected = new HashMap<>();
            for (Send s : sends(f)) {
                ZonedDateTime local = s.sentAt().atZone(ZONE);
                long[] cell = expected.computeIfAbsent(s.channel() + "/" + local.getDayOfWeek().getValue() + "/" + local.getHour(),
                        x -> new long[2]);
                cell[0]++;
                cell[1] += sold.contains(s.outboxId()) ? 1 : 0;
            }
            long channels = sends(f).stream().map(Send::channel).distinct().count();
            assertThat(r.rows()).hasSize((int) channels * 168);
            for (Map<String, Object> row : r.rows()) {
                long[] cell = expected.getOrDefault(row.get("channel") + "/" + row.get("dayOfWeek") + "/" + row.get("hour"), new long[2]);
                assertThat(row.get("sends")).as("%s %s", row, f).isEqualTo(cell[0]);
                assertThat(row.get("conversions")).isEqualTo(cell[1]);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void wordPerformanceCountsEachTermOncePerMessageAgainstItsSales() {
        Set<Long> sold = data.conversions.stream().filter(c -> c.status().equals("sale") && c.outboxId() != null).map(Conversion::outboxId)
                .collect(Collectors.toSet());
        for (AnalyticsFilter f : List.of(ALL, CAMPAIGN_A, new AnalyticsFilter(null, "sms", null, null, null))) {
            Report r = words.words(f, 20, 1000);
            List<Send> texts = sends(f).stream().filter(s -> !s.channel().equals("voice")).toList();
            Map<String, long[]> expected = new HashMap<>();
            for (Send s : texts) {
                for (String term : Terms.of(s.body())) {
                    long[] c = expected.computeIfAbsent(term, t -> new long[2]);
                    c[0]++;
                    c[1] += sold.contains(s.outboxId()) ? 1 : 0;
                }
            }
            assertThat(r.summary().get("messages")).isEqualTo((long) texts.size());
            assertThat(r.summary().get("conversions")).isEqualTo(texts.stream().filter(s -> sold.contains(s.outboxId())).count());
            Set<String> shown = new HashSet<>();
            for (Map<String, Object> row : r.rows()) {
                long[] c = expected.get((String) row.get("term"));
                assertThat(row.get("sends")).as("%s %s", row.get("term"), f).isEqualTo(c[0]);
                assertThat(row.get("conversions")).isEqualTo(c[1]);
                shown.add((String) row.get("term"));
            }
            // Stop words ("a", "to", "hi") and pairs of them are counted but not listed.
            assertThat(shown).isEqualTo(expected.entrySet().stream().filter(e -> e.getValue()[0] >= 20 && !Terms.isStopTerm(e.getKey()))
                    .map(Map.Entry::getKey).collect(Collectors.toSet()));
        }
        // The seed sells far better after "free termite inspection" than after "limited offer".
        Report all = words.words(ALL, 20, 1000);
        assertThat(rowWhere(all, "term", "free").get("significant")).isEqualTo(true);
        assertThat((Double) rowWhere(all, "term", "free").get("lift")).isGreaterThan(1);
        assertThat(rowWhere(all, "term", "limited").get("significant")).isEqualTo(true);
        assertThat((Double) rowWhere(all, "term", "limited").get("lift")).isLessThan(1);
        assertThat((List<Object>) all.summary().get("avoid")).isNotEmpty();
        assertThat(rowWhere(all, "term", "limited offer").get("kind")).isEqualTo("bigram");
    }

    @Test
    void aLaterSaleRebuildsOnlyTheDayOfItsMessage() {
        Send cold = data.sends.stream().filter(s -> s.campaign().equals("cold")).findFirst().orElseThrow();
        long before = (Long) rowWhere(words.words(new AnalyticsFilter("cold", null, null, null, null), 1, 1000), "term", "street")
                .get("conversions");
        Instant later = SeededData.NOW.plus(Duration.ofMinutes(10));
        jdbc.update(
                "INSERT INTO conversion (id, sub_id, tid, status, payout, outbox_id, campaign, received_at, updated_at) VALUES (999999, 'late', 'late', 'sale', 10, ?,"
                        + " 'cold', ?, ?)",
                cold.outboxId(), SeededData.ts(later.minusSeconds(300)), SeededData.ts(later.minusSeconds(300)));
        try {
            WordStats afterwards = new WordStats(jdbc, tx, BUSINESS, Clock.fixed(later, ZoneOffset.UTC));
            assertThat(afterwards.refresh()).isEqualTo(1);
            assertThat(rowWhere(afterwards.words(new AnalyticsFilter("cold", null, null, null, null), 1, 1000), "term", "street")
                    .get("conversions"))
                    .isEqualTo(before + 1);
            assertThat(afterwards.refresh()).isZero();
        } finally {
            // Conversions are never deleted in the hub, so no refresh notices one going: rebuild from the message's day.
            jdbc.update("DELETE FROM conversion WHERE sub_id = 'late'");
            jdbc.update("UPDATE analytics_mark SET sends_to = ? WHERE name = 'words'", SeededData.ts(cold.sentAt().minusSeconds(1)));
            new WordStats(jdbc, tx, BUSINESS, Clock.fixed(later.plusSeconds(60), ZoneOffset.UTC)).refresh();
        }
    }

    @Test
    void leaderboardRanksSequencesByConversionRate() {
        for (AnalyticsFilter f : FILTERS) {
            Report r = sequenceViews.leaderboard(f);
            List<Double> rates = new ArrayList<>();
            for (Map<String, Object> row : r.rows()) {
                long sequence = (Long) row.get("sequenceId");
                List<Enrollment> own = cohort(f).stream().filter(e -> e.sequenceId() == sequence).toList();
                Set<Long> enrolled = own.stream().map(Enrollment::leadId).collect(Collectors.toSet());
                Map<Long, Instant> k = new HashMap<>();
                own.forEach(e -> k.merge(e.leadId(), e.enrolledAt(), (a, b) -> a.isBefore(b) ? a : b));
                long converted = data.conversions.stream()
                        .filter(c -> c.status().equals("sale") && c.leadId() != null && k.containsKey(c.leadId())
                                && !c.at().isBefore(k.get(c.leadId())))
                        .map(Conversion::leadId).distinct().count();
                BigDecimal revenue = data.conversions.stream()
                        .filter(c -> (c.status().equals("sale") || c.status().equals("rebill")) && c.leadId() != null
                                && k.containsKey(c.leadId()) && !c.at().isBefore(k.get(c.leadId())))
                        .map(Conversion::payout).reduce(BigDecimal.ZERO, BigDecimal::add);
                long completed = own.stream().filter(e -> e.status().equals("COMPLETED")).map(Enrollment::leadId).distinct().count();
                assertThat(row.get("enrolled")).isEqualTo((long) enrolled.size());
                assertThat(row.get("converted")).isEqualTo(converted);
                assertThat((BigDecimal) row.get("revenue")).isEqualByComparingTo(revenue);
                assertThat(row.get("completed")).isEqualTo(completed);
                rates.add((Double) row.get("conversionRate"));
            }
            assertThat(rates).isSortedAccordingTo(Comparator.reverseOrder());
        }
    }

    @Test
    void operationsShowTheMachineryOfTheLastDay() {
        Report r = sequenceViews.operations(ALL);
        Instant dayAgo = SeededData.NOW.minus(Duration.ofHours(24));
        assertThat(r.summary().get("activeEnrollments"))
                .isEqualTo(data.enrollments.stream().filter(e -> e.status().equals("ACTIVE")).count());
        long steps = data.executions.stream().filter(x -> !x.at().isBefore(dayAgo)).count();
        assertThat(r.summary().get("stepsProcessed")).isEqualTo(steps);
        assertThat((Double) r.summary().get("stepsPerHour")).isCloseTo(steps / 24d, within(1e-6));
        assertThat(r.summary().get("overdueSteps")).isEqualTo(0L);
        assertThat(r.summary().get("stepsDueNext24h")).isEqualTo(data.enrollments.stream().filter(e -> e.status().equals("ACTIVE")
                && !e.nextRunAt().isAfter(SeededData.NOW.plus(Duration.ofHours(24)))).count());
        assertThat(r.summary().get("failedAttempts")).isEqualTo(0L);
    }

    @Test
    void conversationsAndWarmLeadsCountTodayInTheBusinessZone() {
        Report r = conversationViews.conversations(ALL);
        Instant dayAgo = SeededData.NOW.minus(Duration.ofHours(24));
        Instant today = LocalDate.ofInstant(SeededData.NOW, ZONE).atStartOfDay(ZONE).toInstant();
        Set<Long> active = new HashSet<>();
        data.inbound.stream().filter(m -> !m.at().isBefore(dayAgo)).forEach(m -> active.add(m.conversationId()));
        data.sends.stream().filter(s -> !s.sentAt().isBefore(dayAgo)).forEach(s -> active.add(s.conversationId()));
        assertThat(r.summary().get("activeLast24h")).isEqualTo((long) active.size());
        assertThat(r.summary().get("textsInToday")).isEqualTo(data.inbound.stream().filter(m -> !m.at().isBefore(today)).count());
        assertThat(r.summary().get("textsOutToday"))
                .isEqualTo(data.sends.stream().filter(s -> s.channel().equals("sms") && !s.sentAt().isBefore(today)).count());
        assertThat(r.summary().get("leadsScoringOver70")).isEqualTo(data.leadScores.stream().filter(s -> s > 70).count());
        assertThat(r.summary().get("bookingRequests")).isEqualTo(data.inbound.stream().filter(m -> m.intent().equals("booking")).count());
        assertThat(r.summary().get("appointmentsMade")).isEqualTo((long) data.appointmentsAt.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> interest = (Map<String, Object>) r.summary().get("interestByService");
        assertThat(interest.get("Termite inspection"))
                .isEqualTo(data.inbound.stream().filter(m -> m.body().toLowerCase().contains("termite")).count());
        assertThat(interest.get("Mosquito yard treatment"))
                .isEqualTo(data.inbound.stream().filter(m -> m.body().toLowerCase().contains("mosquito")).count());

        Report warm = conversationViews.warmLeads(ALL);
        Instant weekStart = LocalDate.ofInstant(SeededData.NOW, ZONE).minusDays(6).atStartOfDay(ZONE).toInstant();
        assertThat(warm.summary().get("today")).isEqualTo(data.warmLeadAt.stream().filter(t -> t != null && !t.isBefore(today)).count());
        assertThat(warm.summary().get("last7Days"))
                .isEqualTo(data.warmLeadAt.stream().filter(t -> t != null && !t.isBefore(weekStart)).count());
        assertThat(warm.rows()).hasSize(7);
    }

    @Test
    void insightsNameTheBestChannelTheWeakestStepTheBestHourAndTheWords() {
        Report r = insights.insights(ALL);
        Map<String, Object> best = rowWhere(r, "topic", "best channel");
        assertThat(best.get("subject")).isEqualTo(sendViews.overview(ALL).summary().get("bestChannel"));
        assertThat((String) best.get("insight")).startsWith(best.get("subject") + " converts best: ");

        // The weakest step: the largest share of its leads leaving the sequence there, among steps 20 or more reached.
        SeededData.Step weakest = null;
        double worst = -1;
        for (SeededData.Step s : data.steps) {
            List<Execution> at = data.executions.stream().filter(x -> x.step().id() == s.id()).toList();
            long entered = distinctLeads(at, x -> true);
            long dropped = distinctLeads(at,
                    x -> data.enrollments.get((int) x.enrollmentId() - 1).status().equals("EXITED") && nextAt(x) == null);
            if (entered >= Insights.MIN_LEADS && dropped > 0 && (double) dropped / entered > worst) {
                worst = (double) dropped / entered;
                weakest = s;
            }
        }
        Map<String, Object> step = rowWhere(r, "topic", "weakest step");
        assertThat(step.get("subject")).isEqualTo((weakest.sequenceId() == 1 ? "Nurture A" : "Nurture B") + " step " + weakest.position());
        assertThat((Double) step.get("figure")).isCloseTo(worst, within(1e-6));

        // The best hour of the best channel, over every weekday, among hours with 20 or more sends.
        String channel = (String) best.get("subject");
        Set<Long> sold = data.conversions.stream().filter(c -> c.status().equals("sale") && c.outboxId() != null).map(Conversion::outboxId)
                .collect(Collectors.toSet());
        long[] sends = new long[24];
        long[] sales = new long[24];
        data.sends.stream().filter(x -> x.channel().equals(channel)).forEach(x -> {
            int h = x.sentAt().atZone(ZONE).getHour();
            sends[h]++;
            sales[h] += sold.contains(x.outboxId()) ? 1 : 0;
        });
        int hour = -1;
        for (int h = 0; h < 24; h++) {
            if (sends[h] >= Insights.MIN_LEADS && (hour < 0 || (double) sales[h] / sends[h] > (double) sales[hour] / sends[hour])) {
                hour = h;
            }
        }
        assertThat(rowWhere(r, "topic", "best hour").get("figure")).isEqualTo(hour);
        assertThat((String) rowWhere(r, "topic", "words to use").get("subject")).contains("free");
        assertThat((String) rowWhere(r, "topic", "words to avoid").get("insight")).contains("convert only");
    }

    @Test
    void draftsStartFromTheBestConvertingScriptOfEachChannel() {
        Report r = insights.drafts(ALL);
        Map<Long, Instant> sale = firstSale(ALL);
        for (String channel : List.of("sms", "email")) {
            String stepChannel = channel.equals("sms") ? "SMS" : "EMAIL";
            SeededData.Step best = null;
            double bestRate = -1;
            for (SeededData.Step s : data.steps.stream().filter(s -> s.channel().equals(stepChannel)).toList()) {
                List<Execution> at = data.executions.stream().filter(x -> x.step().id() == s.id()).toList();
                long executed = distinctLeads(at, x -> x.status().equals("EXECUTED"));
                double rate = (double) distinctLeads(at, x -> convertedHere(x, sale.get(x.leadId()))) / executed;
                if (executed >= Insights.MIN_LEADS && rate > bestRate) {
                    best = s;
                    bestRate = rate;
                }
            }
            Map<String, Object> row = rowWhere(r, "channel", channel);
            assertThat(row.get("baseScript")).as(channel).isEqualTo(best.script());
            assertThat((String) row.get("draft")).startsWith("Hi {{firstName}}").isEqualTo(best.body().replace("{n}", "{{firstName}}")
                    .replace("https://trk.example/c?sub_id={s}", "{{trackingUrl}}"));
            assertThat(row.get("source")).isEqualTo("best script");
            @SuppressWarnings("unchecked")
            List<Object> use = (List<Object>) words.words(new AnalyticsFilter(null, channel, null, null, null), 30, 1000).summary()
                    .get("use");
            String body = ((String) row.get("draft")).toLowerCase();
            assertThat((String) row.get("add"))
                    .isEqualTo(String.join("; ", use.stream().map(String::valueOf).filter(t -> !body.contains(t)).toList()));
        }
    }
}
