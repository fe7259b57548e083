package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.HubProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Chooses a task's reply. Outside business hours (when required) one after-hours answer per closed
 * period; "who is this?" and the first warm answer to a campaign text from {@link CampaignReplies};
 * a time named or a proposed slot confirmed, a booking reply; past the AI turn cap, a hand-over to
 * staff; else the model's answer when one is configured and it validates; otherwise the state's
 * template, counted as a fallback.
 */
@Component
class ReplyComposer {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyComposer.class);
    private static final DateTimeFormatter OPENING = DateTimeFormatter.ofPattern("EEE h:mm a", Locale.US);

    private final ReplyTaskStore tasks;
    private final ReplyTemplates templates;
    private final AiReplies ai;
    private final CampaignReplies campaignReplies;
    private final Scheduling scheduling;
    private final BusinessProfile business;
    private final BusinessHours hours;
    private final ReplyMetrics metrics;
    private final Clock clock;
    private final boolean llmEnabled;
    private final HubProperties.Conversation settings;

    ReplyComposer(ReplyTaskStore tasks, ReplyTemplates templates, AiReplies ai, CampaignReplies campaignReplies, Scheduling scheduling,
            BusinessProfile business, ReplyMetrics metrics, Clock clock, HubProperties properties) {
        this.tasks = tasks;
        this.templates = templates;
        this.ai = ai;
        this.campaignReplies = campaignReplies;
        this.scheduling = scheduling;
        this.business = business;
        this.hours = new BusinessHours(business);
        this.metrics = metrics;
        this.clock = clock;
        this.llmEnabled = properties.llm().enabled();
        this.settings = properties.conversation();
    }

    /** {@code read}: what the prompt needs if already read, or null to read it when asking. */
    Reply compose(ReplyTaskStore.ReplyTask task, ReplyTaskStore.Context context, AiReplies.ReadAhead read) {
        if (settings.businessHoursOnly() && !hours.isOpen(clock.instant())) {
            return afterHours(task);
        }
        if (WarmReplies.asksWhoWeAre(task.body())) {
            return new Reply(campaignReplies.identity(task.phone()), null, "identity", null, false);
        }
        Optional<String> acknowledgement = campaignReplies.acknowledgement(task.phone(), task.body());
        if (acknowledgement.isPresent()) {
            return new Reply(acknowledgement.get(), null, "acknowledgement", null, false);
        }
        Optional<Scheduling.Plan> booking = scheduling.plan(context.proposedSlot(), task.body(), task.phone());
        if (booking.isPresent()) {
            return new Reply(booking.get().reply(), null, "scheduling", null, false, booking.get());
        }
        ConversationState state = context.standing().state();
        if (llmEnabled && context.aiTurns() >= settings.maxAiTurns()) {
            return new Reply(null, null, Escalation.TURN_CAP, Escalation.TURN_CAP, false);
        }
        if (!llmEnabled) {
            return new Reply(ReplyText.fit(templates.forState(state)), null, "template", null, false);
        }
        long asked = System.nanoTime();
        try {
            AiReplies.Answer answer = read != null
                    ? ai.ask(state, read)
                    : ai.ask(task.conversationId(), task.phone(), state);
            metrics.modelLatency("ok", asked);
            return new Reply(answer.reply(), answer.nextState(), Reply.FROM_MODEL, answer.escalationReason(), answer.optOut());
        } catch (AiReplies.InvalidAnswer e) {
            metrics.modelLatency(e.reason(), asked);
            metrics.fallback(e.reason());
            LOG.info("model answer for {} not used ({}); replying from the template", task.sid(), e.getMessage());
            return new Reply(ReplyText.fit(templates.forState(state)), null, "fallback:" + e.reason(), null, false);
        }
    }

    /** One answer per closed period, naming the next opening; later texts in the period get none (the reply has no text). */
    private Reply afterHours(ReplyTaskStore.ReplyTask task) {
        Instant closedSince = hours.closedSince(clock.instant()).orElse(clock.instant());
        if (tasks.answeredAfterHoursSince(task.conversationId(), closedSince)) {
            return new Reply(null, null, "after-hours-quiet", null, false);
        }
        String opening = hours.nextOpening(clock.instant()).map(t -> t.format(OPENING)).orElse("next");
        return new Reply(ReplyText.fit(business.afterHoursReply().replace("{opening}", opening)), null, Reply.AFTER_HOURS, null, false);
    }
}
