package com.retentionhub.sequence;

import com.retentionhub.dispatch.Outbox;
import com.retentionhub.dispatch.TemplatedMessages;
import com.retentionhub.lead.LeadStatus;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import com.retentionhub.template.MessageTemplates;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Extra steps a lead's reaction earns inside a sequence: an opened email without a conversion gets
 * a follow-up SMS (script {@value #OPENED_EMAIL_SCRIPT}), and a call whose outcome says "call back
 * later" gets a callback call a day later (script {@value #CALLBACK_SCRIPT}, else the assistant's
 * own opening). Each is queued once per enrollment or call, through dispatch like any step; a
 * missing SMS script means no extra text.
 */
@Component
public class SmartReengagement {

    public static final String OPENED_EMAIL_SCRIPT = "re-engage-opened-email";
    public static final String CALLBACK_SCRIPT = "callback";
    static final Duration CALLBACK_AFTER = Duration.ofDays(1);
    private static final Pattern CALL_BACK = Pattern
            .compile("call (me |us )?back|callback|try (me )?again later|busy right now|not a good time");
    private static final Logger LOG = LoggerFactory.getLogger(SmartReengagement.class);

    private final JdbcTemplate jdbc;
    private final Scripts scripts;
    private final TemplatedMessages messages;
    private final Clock clock;

    public SmartReengagement(JdbcTemplate jdbc, Scripts scripts, TemplatedMessages messages, Clock clock) {
        this.jdbc = jdbc;
        this.scripts = scripts;
        this.messages = messages;
        this.clock = clock;
    }

    /** An email of a sequence step was opened: a follow-up text unless the lead converted or left. */
    public void emailOpened(String providerId) {
        Step step = stepOf(providerId);
        if (step == null || !step.active()) {
            return;
        }
        scripts.resolve(OPENED_EMAIL_SCRIPT, Channel.SMS.stepName(), step.campaign()).ifPresent(script -> queue(
                Outbox.Message.sms("reengage:opened:" + step.enrollment(), step.phone(), script.body()).inCampaign(step.campaign())));
    }

    /** A sequence call ended; when its outcome asks to be called back, a callback call is scheduled. */
    public void callEnded(String callId, String summary, boolean callBackRequested) {
        Step step = stepOf(callId);
        if (step == null || !step.active()
                || !(callBackRequested || (summary != null && CALL_BACK.matcher(summary.toLowerCase(Locale.ROOT)).find()))) {
            return;
        }
        String script = scripts.resolve(CALLBACK_SCRIPT, Channel.VOICE.stepName(), step.campaign()).map(Scripts.Script::body).orElse("");
        queue(Outbox.Message.call("reengage:callback:" + callId, step.phone(), script).inCampaign(step.campaign())
                .notBefore(clock.instant().plus(CALLBACK_AFTER)));
    }

    private record Step(long enrollment, String phone, String campaign, boolean active) {}

    private Step stepOf(String providerId) {
        List<Step> found = jdbc.query(
                "SELECT e.id, o.phone, e.campaign, e.status, l.status FROM outbox_sends o JOIN step_execution x ON x.outbox_id = o.id"
                        + " JOIN enrollment e ON e.id = x.enrollment_id JOIN lead_card l ON l.id = e.lead_id WHERE o.provider_id = ?",
                (rs, i) -> new Step(rs.getLong(1), rs.getString(2), rs.getString(3),
                        // A finished sequence still earns its follow-up; one the lead left (converted, opted out, removed) does not.
                        List.of("ACTIVE", "COMPLETED").contains(rs.getString(4)) && !LeadStatus.valueOf(rs.getString(5)).endsOutreach()),
                providerId);
        return found.isEmpty() ? null : found.get(0);
    }

    private void queue(Outbox.Message message) {
        try {
            messages.queue(message, Map.of());
        } catch (MessageTemplates.TemplateException e) {
            LOG.warn("re-engagement message {} not queued: {}", message.key(), e.getMessage());
        }
    }
}
