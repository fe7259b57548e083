package com.retentionhub.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A seeded learning data set: two campaigns, two sequences, leads walked through their steps with
 * executed, skipped and failed steps, deliveries, replies, exits, sales (some attributed to the exact
 * message, some to the lead only), rebills, a charge-back and unmatched postbacks. It keeps its own
 * model of every row it writes, so a test can compute each view's figures without SQL.
 */
final class SeededData {

    static final Instant NOW = Instant.parse("2026-11-20T17:00:00Z");

    record Lead(long id, String phone, String campaign, Instant created, long conversationId) {}

    record Step(long id, long sequenceId, int position, String channel, String script, String body, double salePerSend) {}

    record Enrollment(long id, long leadId, long sequenceId, String campaign, String status, Instant enrolledAt, Instant nextRunAt) {}

    record Execution(long enrollmentId, long leadId, Step step, String status, Instant at, Long outboxId, String messageStatus) {}

    record Send(long outboxId, String phone, String campaign, String channel, String body, Instant sentAt, long conversationId) {}

    record Conversion(String status, BigDecimal payout, Long outboxId, Long leadId, String campaign, Instant at) {}

    record Inbound(long conversationId, String body, String intent, Instant at) {}

    final List<Lead> leads = new ArrayList<>();
    final List<Step> steps = new ArrayList<>();
    final List<Enrollment> enrollments = new ArrayList<>();
    final List<Execution> executions = new ArrayList<>();
    final List<Send> sends = new ArrayList<>();
    final List<Conversion> conversions = new ArrayList<>();
    final List<Inbound> inbound = new ArrayList<>();
    final List<Instant> warmLeadAt = new ArrayList<>();
    final List<Integer> leadScores = new ArrayList<>();
    final List<Instant> appointmentsAt = new ArrayList<>();
    final List<String> campaignLeadCampaigns = new ArrayList<>();

    private final Random random = new Random(20261120);
    private final JdbcTemplate jdbc;
    private long nextOutbox = 1;
    private long nextMessage = 1;
    private long nextConversion = 1;
    private static final String[] NAMES = {"Ana", "Ben", "Carla", "Dev", "Erin", "Femi", "Gus", "Hana", "Ivan", "Jo"};

    SeededData(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    SeededData seed(int leadCount) {
        Timestamp now = ts(NOW);
        for (String c : List.of("camp-a", "camp-b")) {
            jdbc.update("INSERT INTO campaign (id, name, status, sources, created_at, updated_at) VALUES (?, ?, 'ACTIVE', '', ?, ?)",
                    c.equals("camp-a") ? 1 : 2, c, now, now);
        }
        jdbc.update(
                "INSERT INTO sequence (id, name, status, created_at, updated_at) VALUES (1, 'Nurture A', 'ACTIVE', ?, ?), (2, 'Nurture B', 'ACTIVE', ?, ?)",
                now, now, now, now);
        step(1, 1, 1, "SMS", "a-first", "Hi {n}, a free termite inspection this week. Book now: https://trk.example/c?sub_id={s}", 0.16);
        step(2, 1, 2, "EMAIL", "a-email", "Hi {n}, your free termite inspection is waiting. Pick a time this week.", 0.06);
        step(3, 1, 3, "CALL", "a-call", "Call script: remind {n} about the free inspection.", 0.05);
        step(4, 2, 1, "SMS", "b-first", "Hi {n}, limited offer on pest control, today only. Reply YES https://trk.example/c?sub_id={s}",
                0.03);
        step(5, 2, 2, "SMS", "b-second", "Hi {n}, last chance: limited offer on pest control ends today.", 0.03);

        for (int i = 0; i < leadCount; i++) {
            String campaign = i % 2 == 0 ? "camp-a" : "camp-b";
            // Most leads in the last 30 days; a tenth older, so a time range has something to leave out.
            Instant created = NOW
                    .minus(Duration.ofMinutes(i % 10 == 9 ? 40 * 1440 + random.nextInt(20 * 1440) : 10 + random.nextInt(30 * 1440)))
                    .truncatedTo(ChronoUnit.SECONDS);
            Lead lead = new Lead(i + 1, String.format("+1415555%04d", i), campaign, created, i + 1);
            leads.add(lead);
            jdbc.update(
                    "INSERT INTO contact (id, phone, name, created_at, lead_score, warm_lead_at, warm_lead_campaign) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    lead.id(), lead.phone(), NAMES[i % NAMES.length], ts(created), score(), ts(warm(campaign)), campaign);
            jdbc.update("INSERT INTO conversation (id, contact_id, state, created_at, updated_at) VALUES (?, ?, 'start', ?, ?)", lead.id(),
                    lead.id(),
                    ts(created), ts(created));
            jdbc.update("INSERT INTO leads (id, phone, name, source, status, created_at, updated_at) VALUES (?, ?, ?, 'API', 'NEW', ?, ?)",
                    lead.id(),
                    lead.phone(), NAMES[i % NAMES.length], ts(created), ts(created));
            if (random.nextDouble() < 0.95) {
                jdbc.update("INSERT INTO campaign_lead (campaign_id, lead_id, joined_at) VALUES (?, ?, ?)",
                        campaign.equals("camp-a") ? 1 : 2, lead.id(),
                        ts(created));
                campaignLeadCampaigns.add(campaign);
            } else {
                campaignLeadCampaigns.add(null);
            }
            if (random.nextDouble() < 0.9) {
                walk(lead, (i % 3 == 2) ? 2 : 1);
            }
            replies(lead);
        }
        otherSends();
        unmatchedAndRejected();
        return this;
    }

    private void step(long id, long sequence, int position, String channel, String script, String body, double sale) {
        steps.add(new Step(id, sequence, position, channel, script, body, sale));
        jdbc.update("INSERT INTO sequence_step (id, sequence_id, position, channel, delay_minutes, script) VALUES (?, ?, ?, ?, ?, ?)", id,
                sequence,
                position, channel, position == 1 ? 0 : 1440 * (position - 1), script);
        jdbc.update("INSERT INTO script (name, channel, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", script, channel,
                body.replace("{n}", "{{firstName}}").replace("https://trk.example/c?sub_id={s}", "{{trackingUrl}}"), ts(NOW), ts(NOW));
    }

    /** Walks the lead through a sequence until it ends, converts, leaves, or reaches a step still in the future. */
    private void walk(Lead lead, long sequenceId) {
        long enrollmentId = enrollments.size() + 1;
        Instant enrolledAt = lead.created().plusSeconds(300);
        String status = "COMPLETED";
        Integer waitingAt = null;
        Instant waitingUntil = null;
        Instant at = enrolledAt;
        List<Step> own = steps.stream().filter(s -> s.sequenceId() == sequenceId).toList();
        jdbc.update(
                "INSERT INTO enrollment (id, sequence_id, lead_id, campaign, status, next_position, completed_steps, enrolled_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, 'ACTIVE', 1, 0, ?, ?)",
                enrollmentId, sequenceId, lead.id(), lead.campaign(), ts(enrolledAt), ts(enrolledAt));
        boolean saleBeforeFirst = random.nextDouble() < 0.02;
        if (saleBeforeFirst) {
            sale(lead, null, enrolledAt.plusSeconds(60), true);
            status = "CONVERTED";
        }
        for (Step step : saleBeforeFirst ? List.<Step>of() : own) {
            at = at.plus(
                    Duration.ofMinutes(step.position() == 1 ? random.nextInt(30) : 1440 * (step.position() - 1) / 2 + random.nextInt(600)));
            if (at.isAfter(NOW)) {
                status = "ACTIVE";
                waitingAt = step.position();
                waitingUntil = at;
                break;
            }
            double r = random.nextDouble();
            String execStatus = r < 0.85 ? "EXECUTED" : r < 0.95 ? "SKIPPED" : "FAILED";
            Long outboxId = null;
            String messageStatus = null;
            if (execStatus.equals("EXECUTED")) {
                outboxId = nextOutbox;
                messageStatus = pick(new String[] {"delivered", "read", "replied", "failed", "sent"},
                        new double[] {0.45, 0.2, 0.1, 0.1, 0.15});
                send(lead.phone(), lead.campaign(), channel(step.channel()),
                        step.body().replace("{n}", NAMES[(int) (lead.id() - 1) % NAMES.length])
                                .replace("{s}", "att-" + nextOutbox),
                        at, messageStatus, lead.conversationId());
            }
            jdbc.update("INSERT INTO step_execution (enrollment_id, step_id, status, outbox_id, executed_at) VALUES (?, ?, ?, ?, ?)",
                    enrollmentId,
                    step.id(), execStatus, outboxId, ts(at));
            executions.add(new Execution(enrollmentId, lead.id(), step, execStatus, at, outboxId, messageStatus));
            if (outboxId != null && random.nextDouble() < step.salePerSend()) {
                Instant saleAt = at.plusSeconds(3600 + random.nextInt(20 * 3600));
                if (saleAt.isBefore(NOW)) {
                    sale(lead, random.nextDouble() < 0.8 ? outboxId : null, saleAt, false);
                    status = "CONVERTED";
                    break;
                }
            }
            if (random.nextDouble() < 0.12) {
                status = "EXITED";
                break;
            }
        }
        if (status.equals("COMPLETED") && random.nextDouble() < 0.1) {
            // A sale long after the last step: still the last step's, whose window never closes.
            Instant saleAt = at.plusSeconds(3 * 86400);
            if (saleAt.isBefore(NOW)) {
                sale(lead, null, saleAt, false);
            }
        }
        enrollments.add(new Enrollment(enrollmentId, lead.id(), sequenceId, lead.campaign(), status, enrolledAt, waitingUntil));
        jdbc.update("UPDATE enrollment SET status = ?, next_position = ?, next_run_at = ? WHERE id = ?", status,
                waitingAt == null ? 99 : waitingAt,
                ts(waitingUntil), enrollmentId);
    }

    private void sale(Lead lead, Long outboxId, Instant at, boolean rebill) {
        BigDecimal payout = BigDecimal.valueOf(2000 + random.nextInt(18000), 2);
        conversion("sale", payout, outboxId, lead.id(), lead.campaign(), at);
        if (rebill || random.nextDouble() < 0.3) {
            Instant later = at.plusSeconds(86400);
            if (later.isBefore(NOW)) {
                conversion("rebill", payout.divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP), outboxId, lead.id(), lead.campaign(),
                        later);
            }
        }
    }

    private void conversion(String status, BigDecimal payout, Long outboxId, Long leadId, String campaign, Instant at) {
        long id = nextConversion++;
        conversions.add(new Conversion(status, payout, outboxId, leadId, campaign, at));
        jdbc.update(
                "INSERT INTO conversion (id, sub_id, tid, status, payout, currency, outbox_id, lead_id, campaign, received_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, ?)",
                id, "sub-" + id, "t-" + id, status, payout, outboxId, leadId, campaign, ts(at), ts(at));
    }

    private void send(String phone, String campaign, String channel, String body, Instant at, String messageStatus, long conversationId) {
        long id = nextOutbox++;
        sends.add(new Send(id, phone, campaign, channel, body, at, conversationId));
        jdbc.update(
                "INSERT INTO outbox (id, idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at, purpose, campaign,"
                        + " attempt_id, sent_at) VALUES (?, ?, ?, ?, ?, 'SENT', ?, ?, ?, 'message', ?, ?, ?)",
                id, "seed:" + id, phone, channel, body, ts(at),
                ts(at), ts(at), campaign, "att-" + id, ts(at));
        jdbc.update(
                "INSERT INTO message (id, conversation_id, direction, body, segments, encoding, status, outbox_id, created_at, updated_at, channel)"
                        + " VALUES (?, ?, 'OUT', ?, 1, 'GSM-7', ?, ?, ?, ?, ?)",
                nextMessage++, conversationId, body, messageStatus, id, ts(at), ts(at), channel);
    }

    /** Customers' texts: some book, some name a service; a few arrive today. */
    private void replies(Lead lead) {
        if (random.nextDouble() < 0.3) {
            Instant at = NOW.minusSeconds(60 + random.nextInt(3 * 86400));
            String[][] texts = {{"Can I book a termite check?", "booking"}, {"How much for mosquito spraying", "pricing"},
                    {"yes", "interest"},
                    {"Ants in the kitchen again", "support"}};
            String[] t = texts[random.nextInt(texts.length)];
            inbound.add(new Inbound(lead.conversationId(), t[0], t[1], at));
            jdbc.update(
                    "INSERT INTO message (id, conversation_id, direction, body, segments, encoding, status, created_at, updated_at, channel, intent)"
                            + " VALUES (?, ?, 'IN', ?, 1, 'GSM-7', 'received', ?, ?, 'sms', ?)",
                    nextMessage++, lead.conversationId(), t[0], ts(at), ts(at), t[1]);
            if (t[1].equals("booking") && random.nextBoolean()) {
                appointmentsAt.add(at);
                jdbc.update(
                        "INSERT INTO appointment (conversation_id, phone, starts_at, ends_at, status, confirmed_by, created_at) VALUES (?, ?, ?, ?,"
                                + " 'confirmed', 'customer', ?)",
                        lead.conversationId(), lead.phone(), ts(at.plusSeconds(86400)), ts(at.plusSeconds(90000)), ts(at));
            }
        }
    }

    /** Business messages outside sequences: a cold batch (counted) and replies to customers (not counted). */
    private void otherSends() {
        for (int i = 0; i < 40; i++) {
            Instant at = NOW.minusSeconds(3600 + random.nextInt(10 * 86400));
            send(String.format("+1415666%04d", i), "cold", "sms",
                    "Green Shield here: free termite inspection for your street. Reply STOP to opt out.", at,
                    "delivered", leads.get(i).conversationId());
        }
        for (int i = 0; i < 10; i++) {
            long id = nextOutbox++;
            Instant at = NOW.minusSeconds(7200);
            jdbc.update(
                    "INSERT INTO outbox (id, idempotency_key, phone, channel, body, status, next_attempt_at, created_at, updated_at, purpose, sent_at)"
                            + " VALUES (?, ?, ?, 'sms', 'Thanks, see you then!', 'SENT', ?, ?, ?, 'reply', ?)",
                    id, "reply:" + id, leads.get(i).phone(), ts(at), ts(at),
                    ts(at), ts(at));
        }
    }

    private void unmatchedAndRejected() {
        for (int i = 0; i < 3; i++) {
            conversion("sale", new BigDecimal("99.00"), null, null, null, NOW.minusSeconds(7200));
        }
        Lead someone = leads.get(7);
        conversion("rejected", new BigDecimal("50.00"), null, someone.id(), someone.campaign(), NOW.minusSeconds(3600));
    }

    private Integer score() {
        int s = random.nextInt(100);
        leadScores.add(s);
        return s;
    }

    private Instant warm(String campaign) {
        Instant at = random.nextDouble() < 0.1 ? NOW.minusSeconds(random.nextInt(12 * 86400)) : null;
        warmLeadAt.add(at);
        return at;
    }

    private String pick(String[] values, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    static String channel(String stepChannel) {
        return switch (stepChannel) {
            case "EMAIL" -> "email";
            case "CALL" -> "voice";
            default -> "sms";
        };
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
