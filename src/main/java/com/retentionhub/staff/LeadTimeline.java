package com.retentionhub.staff;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.conversation.MessageHistory;
import com.retentionhub.conversion.LeadConversions;
import com.retentionhub.dispatch.AttemptHistory;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.platform.Channel;
import com.retentionhub.sequence.Delays;
import com.retentionhub.sequence.EnrollmentStatus;
import com.retentionhub.sequence.LeadEnrollments;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Everything that happened (and is planned) to one lead, oldest first: enrollments and each of their
 * steps (sent, held and why, skipped and why, failed, planned), every attempt on every channel with
 * its provider status, email opens and replies, the lead's own replies, calls with transcript,
 * summary and recording, conversions with payout, and consent changes. Each module that keeps part
 * of the lead's history answers for its part (lead, sequence, dispatch, conversation, consent,
 * conversion); this merges them. It writes nothing.
 */
@Component
public class LeadTimeline {

    /** Kinds of event, in the words the console shows. */
    public static final List<String> KINDS = List.of("enrolled", "enrollment", "step", "attempt", "email-opened", "email-replied", "reply",
            "call",
            "conversion", "consent");

    /** One event; fields that do not apply to its kind are null. {@code planned} events lie in the future. */
    @Schema(name = "LeadTimelineEvent")
    public record Event(Instant at, String kind, String channel, String title, String status, String reason, String text, Long enrollmentId,
            String sequence, Integer position, String provider, String providerId, String providerStatus, String summary, String transcript,
            String recordingUrl, BigDecimal payout, String currency, boolean planned) {}

    /** The lead's timeline. */
    public record Timeline(long leadId, String name, String phone, String email, List<Event> events) {}

    private final LeadDirectory leads;
    private final LeadEnrollments enrollments;
    private final AttemptHistory attempts;
    private final MessageHistory messages;
    private final ConsentLedger consent;
    private final LeadConversions conversions;

    public LeadTimeline(LeadDirectory leads, LeadEnrollments enrollments, AttemptHistory attempts, MessageHistory messages,
            ConsentLedger consent,
            LeadConversions conversions) {
        this.leads = leads;
        this.enrollments = enrollments;
        this.attempts = attempts;
        this.messages = messages;
        this.consent = consent;
        this.conversions = conversions;
    }

    /** The lead's events from each module that keeps some of its history, merged oldest first; empty when there is no such lead. */
    public Optional<Timeline> of(long leadId) {
        Optional<LeadDirectory.Person> lead = leads.person(leadId);
        if (lead.isEmpty()) {
            return Optional.empty();
        }
        String phone = lead.get().phone();
        List<Event> events = new ArrayList<>();
        enrollments(leadId, events);
        if (phone != null) {
            attempts(phone, events);
            replies(phone, events);
            consent(phone, events);
        }
        conversions(leadId, events);
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return Optional.of(new Timeline(leadId, lead.get().name(), phone, lead.get().email(), events));
    }

    private void enrollments(long leadId, List<Event> events) {
        for (LeadEnrollments.History h : enrollments.history(leadId)) {
            LeadEnrollments.Enrollment e = h.enrollment();
            String sequence = e.sequence();
            String campaign = e.campaign();
            EnrollmentStatus status = e.status();
            events.add(new Event(e.enrolledAt(), "enrolled", null, "Enrolled in " + sequence
                    + (campaign == null ? "" : " (campaign " + campaign + ")"), null, null, null, e.id(), sequence, null, null, null, null,
                    null,
                    null, null, null, null, false));
            if (status != EnrollmentStatus.ACTIVE) {
                Instant at = status == EnrollmentStatus.PAUSED ? e.updatedAt() : e.completedAt();
                events.add(new Event(at, "enrollment", null, sequence + " " + enrollmentWord(status), status.name(), e.exitReason(), null,
                        e.id(),
                        sequence, null, null, null, null, null, null, null, null, null, false));
            }
            steps(e, h.steps(), events);
        }
    }

    private static String enrollmentWord(EnrollmentStatus status) {
        return switch (status) {
            case PAUSED -> "paused";
            case COMPLETED -> "completed";
            case CONVERTED -> "ended: converted";
            default -> "ended";
        };
    }

    /** Each step of one enrollment: what it did, or when it is planned. */
    private static void steps(LeadEnrollments.Enrollment e, List<LeadEnrollments.Step> steps, List<Event> events) {
        boolean running = e.status().running();
        int nextPosition = e.nextPosition();
        Instant planned = null;
        for (LeadEnrollments.Step s : steps) {
            int position = s.position();
            String channel = s.channel().toLowerCase(Locale.ROOT);
            String title = "Step " + position + " of " + e.sequence() + ": " + channel + " '" + s.script() + "'";
            if (s.run() != null) {
                String[] outcome = outcome(s.run(), s.detail(), s.sendStatus(), s.heldReason(), s.lastError());
                events.add(new Event(s.executedAt(), "step", channel, title, outcome[0], outcome[1], s.body(), e.id(), e.sequence(),
                        position, null,
                        null, null, null, null, null, null, null, false));
            } else if (running && position >= nextPosition) {
                planned = planned == null ? e.nextRunAt() : planned.plus(Duration.ofMinutes(s.delayMinutes()));
                String reason = position == nextPosition && e.retryReason() != null
                        ? "retrying: " + e.retryReason()
                        : e.status() == EnrollmentStatus.PAUSED ? "the enrollment is paused" : null;
                events.add(new Event(planned, "step", channel, title, "planned", reason, null, e.id(), e.sequence(), position, null, null,
                        null, null,
                        null, null, null, null, true));
            }
        }
    }

    /** A step's outcome in words and why: sent, queued, held (quiet hours, caps), blocked, expired, skipped or failed. */
    private static String[] outcome(LeadEnrollments.Run run, String detail, String outbox, String held, String error) {
        if (run != LeadEnrollments.Run.EXECUTED) {
            return new String[] {run == LeadEnrollments.Run.SKIPPED ? "skipped" : "failed", detail};
        }
        if (outbox == null) {
            return new String[] {"handed over", null};
        }
        return switch (outbox) {
            case Outbox.SENT, Outbox.SIMULATED -> new String[] {outbox.equals(Outbox.SENT) ? "sent" : "sent (simulated)", null};
            case Outbox.PENDING -> held != null ? new String[] {"held", held} : new String[] {"queued", null};
            case Outbox.BLOCKED -> new String[] {"blocked", held};
            case Outbox.EXPIRED -> new String[] {"expired", held};
            case Outbox.FAILED -> new String[] {"failed", error};
            default -> new String[] {outbox.toLowerCase(Locale.ROOT), held != null ? held : error};
        };
    }

    /** Every attempt to the lead's phone (texts, emails, calls), its provider status, and for emails the opens and replies reported. */
    private void attempts(String phone, List<Event> events) {
        List<AttemptHistory.Attempt> rows = attempts.toPhone(phone);
        // Where each message stands as the providers reported it is kept in the conversation log.
        Map<Long, String> delivery = rows.isEmpty()
                ? Map.of()
                : messages.deliveryStatuses(rows.stream().map(AttemptHistory.Attempt::outboxId).toList());
        for (AttemptHistory.Attempt o : rows) {
            String channel = o.channel();
            String status = o.status().toLowerCase(Locale.ROOT);
            String reason = o.heldReason() != null ? o.heldReason() : o.lastError();
            Instant at = o.sentAt() != null ? o.sentAt() : o.createdAt();
            String what = channel.equals(Channel.VOICE.code()) ? "Call" : channel.equals(Channel.EMAIL.code()) ? "Email" : "Text";
            String subject = o.subject();
            events.add(new Event(at, "attempt", channel,
                    what + " (" + o.purpose().replace('-', ' ') + ")" + (subject == null ? "" : ": " + subject),
                    status, reason, o.body(), null, null, null, o.provider(), o.providerId(), delivery.get(o.outboxId()), null, null, null,
                    null,
                    null, false));
            if (o.providerId() != null) {
                providerEvents(o, events);
            }
        }
    }

    private static void providerEvents(AttemptHistory.Attempt o, List<Event> events) {
        for (AttemptHistory.EmailEvent s : o.emailEvents()) {
            boolean opened = s.opened();
            events.add(new Event(s.receivedAt(), opened ? "email-opened" : "email-replied", o.channel(),
                    opened ? "Email opened" : "Email replied",
                    s.status(), null, null, null, null, null, o.provider(), o.providerId(), null, null, null, null, null, null, false));
        }
        for (AttemptHistory.CallReport c : o.callReports()) {
            Double seconds = c.durationSeconds();
            String length = seconds == null ? "" : " (" + Delays.spoken(Duration.ofSeconds(Math.round(seconds))) + ")";
            events.add(
                    new Event(c.receivedAt(), "call", Channel.VOICE.code(), "Call ended" + length, c.endedReason(), null, null, null, null,
                            null,
                            o.provider(), o.providerId(), null, c.summary(), c.transcript(), c.recordingUrl(), null, null, false));
        }
    }

    /** The lead's own messages (texts, and email replies the provider forwarded). */
    private void replies(String phone, List<Event> events) {
        for (MessageHistory.Received m : messages.receivedFrom(phone)) {
            String channel = m.channel();
            events.add(new Event(m.at(), "reply", channel, channel.equals(Channel.EMAIL.code()) ? "Replied by email" : "Replied by text",
                    "received", null,
                    m.body(), null, null, null, null, null, null, null, null, null, null, null, false));
        }
    }

    private void consent(String phone, List<Event> events) {
        for (ConsentLedger.Entry c : consent.history(phone)) {
            boolean out = c.action().equals(ConsentChange.Action.OPT_OUT.name());
            String channel = c.channel();
            String source = c.source().toLowerCase(Locale.ROOT);
            String actor = c.actor();
            events.add(new Event(c.occurredAt(), "consent", channel, (out ? "Opted out of " : "Opted in to ") + channel + " (" + source
                    + (actor == null ? "" : ", " + actor) + ")", out ? "opted out" : "opted in", null, c.text(), null, null, null, null,
                    null, null,
                    null, null, null, null, null, false));
        }
    }

    private void conversions(long leadId, List<Event> events) {
        for (LeadConversions.Conversion c : conversions.of(leadId)) {
            BigDecimal payout = c.payout();
            String currency = c.currency();
            String campaign = c.campaign();
            String title = "Conversion" + (campaign == null ? "" : " in " + campaign)
                    + (payout == null ? "" : ": " + payout.toPlainString() + (currency == null ? "" : " " + currency));
            events.add(new Event(c.updatedAt(), "conversion", null, title, c.status().toLowerCase(Locale.ROOT), null, null, null, null,
                    null, null,
                    null, null, null, null, null, payout, currency, false));
        }
    }
}
