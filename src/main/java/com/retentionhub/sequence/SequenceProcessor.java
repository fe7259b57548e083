package com.retentionhub.sequence;

import com.retentionhub.abtest.AbTests;
import com.retentionhub.analytics.BestHours;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.dispatch.TemplatedMessages;
import com.retentionhub.lead.CampaignStatus;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Leads;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.template.MessageTemplates;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs due sequence steps. Each pass claims due enrollments in batches ({@code FOR UPDATE SKIP
 * LOCKED}, so several hub instances share the work), checks that the lead is still contactable,
 * hands the step to dispatch through the outbox (which applies consent, quiet hours and caps,
 * deferring rather than skipping), records the execution under its unique (enrollment, step) key,
 * and schedules the next step or completes the enrollment, all in one transaction: a step is
 * handed over exactly once however many passes run at the same moment.
 */
@Component("sequenceProcessor")
public class SequenceProcessor {

    /** What one pass did. */
    public record Pass(int executed, int skipped, int failed, int ended) {
        Pass plus(Pass o) {
            return new Pass(executed + o.executed, skipped + o.skipped, failed + o.failed, ended + o.ended);
        }
    }

    static final int BATCH = 200;
    /** A step whose hand-over failed is tried again this much later, up to its retry limit, then skipped. */
    static final Duration RETRY_AFTER = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Leads leads;
    private final Campaigns campaigns;
    private final Scripts scripts;
    private final TemplatedMessages messages;
    private final SqlDialect dialect;
    private final MeterRegistry meters;
    private final Clock clock;
    private final AbTests abTests;
    private final int workers;
    private final ExecutorService pool;

    private final BestHours bestHours;

    public SequenceProcessor(JdbcTemplate jdbc, TransactionTemplate tx, Leads leads, Campaigns campaigns, Scripts scripts,
            TemplatedMessages messages, SqlDialect dialect, MeterRegistry meters, Clock clock, AbTests abTests,
            BestHours bestHours,
            @Value("${hub.sequences.workers:4}") int workers) {
        this.abTests = abTests;
        this.bestHours = bestHours;
        this.workers = Math.max(1, workers);
        this.pool = Executors.newFixedThreadPool(this.workers, r -> {
            Thread t = new Thread(r, "sequence-worker");
            t.setDaemon(true);
            return t;
        });
        this.jdbc = jdbc;
        this.tx = tx;
        this.leads = leads;
        this.campaigns = campaigns;
        this.scripts = scripts;
        this.messages = messages;
        this.dialect = dialect;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Runs every due step until none is left: {@code workers} loops side by side, each claiming its
     * own batches (SKIP LOCKED keeps them apart), so database round trips overlap.
     */
    public Pass processDue() {
        exitLeadsThatLeft();
        List<CompletableFuture<Pass>> loops = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            loops.add(CompletableFuture.supplyAsync(this::drain, pool));
        }
        Pass total = loops.stream().map(CompletableFuture::join).reduce(new Pass(0, 0, 0, 0), Pass::plus);
        meters.counter("hub.sequences.steps", "outcome", "executed").increment(total.executed);
        meters.counter("hub.sequences.steps", "outcome", "skipped").increment(total.skipped);
        meters.counter("hub.sequences.steps", "outcome", "failed").increment(total.failed);
        return total;
    }

    private Pass drain() {
        Pass total = new Pass(0, 0, 0, 0);
        Pass pass;
        do {
            pass = tx.execute(s -> batch());
            total = total.plus(pass);
        } while (pass.executed + pass.skipped + pass.failed + pass.ended == BATCH);
        return total;
    }

    /** An opt-out on any channel, or a conversion, ends the lead's enrollments at once, not only when their next step comes due. */
    private void exitLeadsThatLeft() {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("UPDATE enrollment SET status = 'EXITED', exit_reason = 'opted out', completed_at = ?, updated_at = ?"
                + " WHERE status IN ('ACTIVE', 'PAUSED')"
                + " AND lead_id IN (SELECT l.id FROM lead_card l JOIN consent_opted_out c ON c.phone = l.phone)", now, now);
        jdbc.update("UPDATE enrollment SET status = 'CONVERTED', exit_reason = 'converted', completed_at = ?, updated_at = ?"
                + " WHERE status IN ('ACTIVE', 'PAUSED') AND lead_id IN (SELECT id FROM lead_card WHERE status = ?)", now, now,
                LeadStatus.CONVERTED.name());
    }

    private Pass batch() {
        Instant now = clock.instant();
        List<Map<String, Object>> due = jdbc.queryForList(
                "SELECT id, sequence_id, lead_id, campaign, next_position, next_run_at, enrolled_at, step_attempts"
                        + " FROM enrollment WHERE status = 'ACTIVE' AND next_run_at <= ? ORDER BY next_run_at, id LIMIT " + BATCH
                        + dialect.forUpdateSkipLocked(),
                Timestamp.from(now));
        Pass pass = new Pass(0, 0, 0, 0);
        for (Map<String, Object> e : due) {
            pass = pass.plus(step(e, now));
        }
        return pass;
    }

    private Pass step(Map<String, Object> e, Instant now) {
        long id = SqlValues.toLong(e.get("id"));
        long leadId = SqlValues.toLong(e.get("lead_id"));
        String campaign = (String) e.get("campaign");
        int position = SqlValues.toInt(e.get("next_position"));
        Instant planned = SqlValues.instant(e.get("next_run_at"));
        Instant enrolledAt = SqlValues.instant(e.get("enrolled_at"));
        Leads.Lead lead = leads.find(leadId).orElseThrow();
        String exit = exitReason(lead, campaign);
        if (exit != null) {
            end(id, exit.equals("converted") ? "CONVERTED" : exit.equals("campaign paused") ? "PAUSED" : "EXITED", exit, now);
            return new Pass(0, 0, 0, 1);
        }
        List<Map<String, Object>> steps = jdbc
                .queryForList("SELECT id, channel, script, conditions, retry_limit FROM sequence_step WHERE sequence_id = ?"
                        + " AND position = ?", e.get("sequence_id"), position);
        if (steps.isEmpty()) {
            end(id, "COMPLETED", null, now);
            return new Pass(0, 0, 0, 1);
        }
        Map<String, Object> step = steps.get(0);
        long stepId = SqlValues.toLong(step.get("id"));
        String skip = skipReason((String) step.get("conditions"), leadId, lead.phone(), id, enrolledAt);
        String status;
        String detail = null;
        String scriptName = null;
        Long outboxId = null;
        if (skip != null) {
            status = "SKIPPED";
            detail = skip;
        } else {
            try {
                // A running A/B test of this campaign, channel or step gives the lead its variant's script.
                scriptName = abTests.scriptFor(leadId, campaign, (String) step.get("channel"), stepId).orElse((String) step.get("script"));
                outboxId = handOver(id, stepId, (String) step.get("channel"), scriptName, campaign, lead.phone(), lead.email());
                status = "EXECUTED";
                leads.markStatus(leadId, LeadStatus.CONTACTED, now);
            } catch (CannotSend | MessageTemplates.TemplateException ex) {
                int attempts = SqlValues.toInt(e.get("step_attempts")) + 1;
                if (attempts <= SqlValues.toInt(step.get("retry_limit"))) {
                    // Staff may fix the script or the lead meanwhile: try the same step again later.
                    jdbc.update("UPDATE enrollment SET step_attempts = ?, next_run_at = ?, retry_reason = ?, updated_at = ? WHERE id = ?",
                            attempts,
                            Timestamp.from(now.plus(RETRY_AFTER)), truncate(ex.getMessage()), Timestamp.from(now), id);
                    return new Pass(0, 0, 1, 0);
                }
                status = "FAILED";
                detail = ex.getMessage();
            }
        }
        int inserted = jdbc.update("INSERT INTO step_execution (enrollment_id, step_id, status, outbox_id, script, detail, executed_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", id, stepId, status, outboxId, scriptName, truncate(detail),
                Timestamp.from(now));
        advance(id, SqlValues.toLong(e.get("sequence_id")), position, planned, now);
        if (inserted == 0) {
            return new Pass(0, 0, 0, 0); // recorded before (cannot happen under the row lock; kept as the last guard)
        }
        return switch (status) {
            case "EXECUTED" -> new Pass(1, 0, 0, 0);
            case "SKIPPED" -> new Pass(0, 1, 0, 0);
            default -> new Pass(0, 0, 1, 0);
        };
    }

    /** Why the enrollment stops before this step: the lead converted, left, or the campaign is not running. */
    private String exitReason(Leads.Lead lead, String campaign) {
        if (lead.status() == LeadStatus.CONVERTED) {
            return "converted";
        }
        if (lead.status() == LeadStatus.DO_NOT_CONTACT || lead.status() == LeadStatus.REJECTED) {
            return "lead " + lead.status().name().toLowerCase(Locale.ROOT);
        }
        if (campaign != null) {
            CampaignStatus status = campaigns.status(campaign).orElse(null);
            if (status == CampaignStatus.PAUSED) {
                return "campaign paused";
            }
            if (status == CampaignStatus.ENDED) {
                return "campaign ended";
            }
        }
        return null;
    }

    /**
     * Why this step is skipped (the enrollment goes on to the next one), or null. {@code skip-if-converted}
     * looks at the tracker's conversions, not the lead's status: a sale makes the lead CONVERTED and
     * {@link #exitReason} has already ended the enrollment, so what the condition adds is a conversion
     * that does not end it: a tracker {@code lead} (a sign-up, not yet a sale) or a rebill. A rejected
     * conversion does not count.
     */
    private String skipReason(String conditions, long leadId, String phone, long enrollmentId, Instant enrolledAt) {
        if (conditions.contains("skip-if-converted")
                && jdbc.queryForObject("SELECT count(*) FROM converted_leads WHERE lead_id = ?", Integer.class,
                        leadId) > 0) {
            return "the lead converted";
        }
        if (conditions.contains("only-if-no-reply") && phone != null && jdbc.queryForObject("SELECT count(*) FROM conversation_replies r"
                + " JOIN contact_card t ON t.id = r.contact_id WHERE t.phone = ? AND r.created_at > ?", Integer.class, phone,
                Timestamp.from(enrolledAt)) > 0) {
            return "the lead replied";
        }
        if (conditions.contains("only-if-email-not-opened")
                && jdbc.queryForObject("SELECT count(*) FROM step_execution x JOIN opened_emails m"
                        + " ON m.outbox_id = x.outbox_id WHERE x.enrollment_id = ?", Integer.class, enrollmentId) > 0) {
            return "the email was opened";
        }
        return null;
    }

    /** A step that cannot be handed to dispatch (no script, no address for the channel). */
    static class CannotSend extends RuntimeException {
        CannotSend(String message) {
            super(message);
        }
    }

    private long handOver(long enrollmentId, long stepId, String channel, String scriptName, String campaign, String phone, String email) {
        Scripts.Script script = scripts.resolve(scriptName, channel, campaign)
                .orElseThrow(() -> new CannotSend("no " + channel + " script named '" + scriptName + "'"));
        if (phone == null) {
            throw new CannotSend("the lead has no phone (every message is keyed by the contact's phone)");
        }
        String key = "seq:" + enrollmentId + ":" + stepId;
        Outbox.Message draft = switch (Channel.ofStepName(channel)) {
            case EMAIL -> {
                if (email == null) {
                    throw new CannotSend("the lead has no email");
                }
                yield Outbox.Message.email(key, phone, email, script.subject(), script.body());
            }
            case VOICE -> Outbox.Message.call(key, phone, script.body());
            case SMS -> Outbox.Message.sms(key, phone, script.body());
        };
        return messages.queue(draft.inCampaign(campaign).toTarget(script.target()), Map.of()).id();
    }

    private void advance(long id, long sequenceId, int position, Instant planned, Instant now) {
        List<Map<String, Object>> next = jdbc.queryForList(
                "SELECT position, delay_minutes, channel, conditions FROM sequence_step WHERE sequence_id = ? AND position > ?"
                        + " ORDER BY position LIMIT 1",
                sequenceId, position);
        if (next.isEmpty()) {
            jdbc.update(
                    "UPDATE enrollment SET status = 'COMPLETED', completed_steps = completed_steps + 1, next_run_at = NULL, completed_at = ?,"
                            + " updated_at = ? WHERE id = ?",
                    Timestamp.from(now), Timestamp.from(now), id);
            return;
        }
        // From the step's planned time, so a late pass does not push the rest of the schedule back; but a step
        // that ran very late (a paused campaign resumed) keeps its spacing, so missed steps do not all go at once.
        Duration delay = Duration.ofMinutes(SqlValues.toLong(next.get(0).get("delay_minutes")));
        Instant at = timed(bestHours, next.get(0), planned.plus(delay).isAfter(now) ? planned.plus(delay) : now.plus(delay));
        jdbc.update("UPDATE enrollment SET next_position = ?, next_run_at = ?, completed_steps = completed_steps + 1, step_attempts = 0,"
                + " retry_reason = NULL, updated_at = ? WHERE id = ?",
                SqlValues.toInt(next.get(0).get("position")), Timestamp.from(at), Timestamp.from(now), id);
    }

    /** A step's due time: its own, or for a {@code best-hour} step the next start of its channel's best hour from then. */
    static Instant timed(BestHours bestHours, Map<String, Object> step, Instant at) {
        String conditions = (String) step.get("conditions");
        return conditions != null && conditions.contains("best-hour") ? bestHours.align((String) step.get("channel"), at) : at;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200);
    }

    private void end(long id, String status, String reason, Instant now) {
        boolean finished = !status.equals("PAUSED");
        jdbc.update("UPDATE enrollment SET status = ?, exit_reason = ?, completed_at = ?, updated_at = ? WHERE id = ?", status, reason,
                finished ? Timestamp.from(now) : null, Timestamp.from(now), id);
    }
}
