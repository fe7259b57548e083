package com.retentionhub.sequence;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.dispatch.Channels;
import com.retentionhub.dispatch.policy.SendPolicy;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.template.MessageTemplates;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A sequence's timeline for one lead in virtual time, without sending or storing anything: each
 * step's planned time, when dispatch would send it after consent, quiet hours and caps (the
 * earlier steps of the run counted as sent), the rendered text, and why a step would be skipped
 * or held. Reads the lead's consent and real send history; writes nothing.
 */
@Component
public class SequenceDryRun {

    /** The lead to simulate: an existing one's fields, or a synthetic one. */
    /** Who to plan for; {@code timeZone} (null: the contact's own, else the number's) is where quiet hours are read. */
    public record Lead(String name, String phone, String email, String timeZone) {

        public Lead(String name, String phone, String email) {
            this(name, phone, email, null);
        }
    }

    @Schema(name = "DryRunStep")
    public record Entry(int position, String channel, String script, Instant planned, Instant sendAt, String outcome, String reason,
            String subject,
            String text, List<String> conditions) {}

    private final Sequences sequences;
    private final Scripts scripts;
    private final MessageTemplates templates;
    private final SendPolicy policy;
    private final ConsentLedger consent;
    private final JdbcTemplate jdbc;

    public SequenceDryRun(Sequences sequences, Scripts scripts, MessageTemplates templates, SendPolicy policy, ConsentLedger consent,
            JdbcTemplate jdbc) {
        this.sequences = sequences;
        this.scripts = scripts;
        this.templates = templates;
        this.policy = policy;
        this.consent = consent;
        this.jdbc = jdbc;
    }

    public List<Entry> simulate(Sequences.Sequence sequence, Lead lead, String campaign, Instant start) {
        Map<String, Object> fields = new HashMap<>(MessageTemplates.nameFields(lead.name()));
        if (lead.email() != null) {
            fields.put("email", lead.email());
        }
        List<SendPolicy.Sent> history = lead.phone() == null ? new ArrayList<>() : sent(lead.phone());
        List<Entry> timeline = new ArrayList<>();
        // Planned in the contact's own time zone, as dispatch will hold it: a Tokyo contact with a New York number is not texted at 04:00 there.
        String zone = lead.timeZone() != null
                ? lead.timeZone()
                : lead.phone() == null
                        ? null
                        : jdbc.queryForList("SELECT time_zone FROM contact_card WHERE phone = ?", String.class, lead.phone()).stream()
                                .filter(z -> z != null)
                                .findFirst().orElse(null);
        Instant planned = start;
        for (Sequences.Step step : sequence.steps()) {
            planned = planned.plus(Duration.ofMinutes(step.delayMinutes()));
            String channel = Channel.ofStepName(step.channel()).code();
            var script = scripts.resolve(step.script(), step.channel(), campaign);
            if (script.isEmpty()) {
                timeline.add(new Entry(step.position(), step.channel(), step.script(), planned, null, "skipped",
                        "no " + step.channel() + " script named '"
                                + step.script() + "'",
                        null, null, step.conditions()));
                continue;
            }
            if (lead.phone() == null || (channel.equals(Channel.EMAIL.code()) && lead.email() == null)) {
                timeline.add(new Entry(step.position(), step.channel(), step.script(), planned, null, "skipped",
                        lead.phone() == null ? "the lead has no phone" : "the lead has no email", null, null, step.conditions()));
                continue;
            }
            String text;
            String subject;
            try {
                text = templates.render(script.get().body(), fields, "dry-run");
                subject = script.get().subject() == null ? null : templates.render(script.get().subject(), fields, "dry-run");
            } catch (MessageTemplates.TemplateException e) {
                timeline.add(new Entry(step.position(), step.channel(), step.script(), planned, null, "failed", e.getMessage(), null, null,
                        step.conditions()));
                continue;
            }
            SendPolicy.Decision decision = policy.decide(
                    new SendPolicy.Candidate(lead.phone(), channel, SendPolicy.MESSAGE, campaign, null, zone),
                    Channels.consent(channel, c -> consent.current(lead.phone(), c)), true, history, planned);
            Instant sendAt = null;
            String outcome;
            String reason = null;
            if (decision instanceof SendPolicy.Defer d) {
                sendAt = d.until();
                outcome = "held";
                reason = d.reason();
            } else if (decision instanceof SendPolicy.Block b) {
                outcome = "blocked";
                reason = b.reason();
            } else if (decision instanceof SendPolicy.Expire x) {
                outcome = "expired";
                reason = x.reason();
            } else {
                sendAt = planned;
                outcome = "sent";
            }
            Entry entry = new Entry(step.position(), step.channel(), step.script(), planned, sendAt, outcome, reason, subject, text,
                    step.conditions());
            if (entry.sendAt() != null) {
                history.add(new SendPolicy.Sent(channel, campaign, entry.sendAt()));
            }
            timeline.add(entry);
        }
        return timeline;
    }

    private List<SendPolicy.Sent> sent(String phone) {
        return new ArrayList<>(jdbc.query(
                "SELECT channel, campaign, sent_at FROM outbox_sends WHERE phone = ? AND purpose = ? AND sent_at IS NOT NULL",
                (rs, i) -> new SendPolicy.Sent(rs.getString(1), rs.getString(2), SqlValues.instant(rs, 3)), phone, SendPolicy.MESSAGE));
    }
}
