package com.retentionhub.dispatch.policy;

import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The last hop's rules, in this order: consent for the channel, the live toggle, quiet hours in
 * the recipient's local time, then the caps (per contact and per contact and campaign in a rolling
 * 24 h, and a lifetime limit per lead). Every one of them is a telephone rule: texts and calls
 * count together (the state telephone-solicitation rules count both); email is held by none. A message held by quiet hours or a cap is deferred to the
 * first moment every rule allows, unless it would expire first. No I/O: the caller brings the
 * consent state (read under its lock) and the recipient's send history.
 */
public final class SendPolicy {

    private static final Duration DAY = Duration.ofHours(24);

    /** What happens to one message now. */
    public sealed interface Decision permits Send, Simulate, Block, Defer, Expire {}

    public record Send() implements Decision {}

    public record Simulate() implements Decision {}

    public record Block(String reason) implements Decision {}

    public record Defer(Instant until, String reason) implements Decision {}

    public record Expire(String reason) implements Decision {}

    /** What the rules need to know about a message. */
    public record Candidate(String phone, String channel, String purpose, String campaign, Instant expiresAt, String contactZone) {}

    /** A business-initiated message (text, call or email) that already went to the same recipient. */
    public record Sent(String channel, String campaign, Instant at) {}

    /** Purposes of rows (see {@code Outbox}). */
    public static final String MESSAGE = "message";
    public static final String REPLY = "reply";
    public static final String OPT_OUT_CONFIRMATION = "opt-out-confirmation";
    public static final String STAFF_ALERT = "staff-alert";

    private final QuietHours quietHours;
    private final RecipientLocale locales;
    private final HubProperties.Policy limits;

    public SendPolicy(QuietHours quietHours, RecipientLocale locales, HubProperties.Policy limits) {
        this.quietHours = quietHours;
        this.locales = locales;
        this.limits = limits;
    }

    /** Only business-initiated messages count towards, and are held by, the caps. */
    public static boolean capped(String purpose) {
        return MESSAGE.equals(purpose);
    }

    public Decision decide(Candidate m, ConsentStatus consent, boolean live, List<Sent> history, Instant now) {
        if (!consent.allowsSending() && !OPT_OUT_CONFIRMATION.equals(m.purpose())) {
            return new Block("recipient opted out");
        }
        if (!live) {
            return new Simulate();
        }
        if (m.expiresAt() != null && !now.isBefore(m.expiresAt())) {
            return new Expire("expired at " + m.expiresAt() + " before it could be sent");
        }
        if (capped(m.purpose()) && Channel.isTelephonic(m.channel())
                && history.stream().filter(h -> Channel.isTelephonic(h.channel())).count() >= limits.lifetimePerLead()) {
            return new Block("lifetime limit of " + limits.lifetimePerLead() + " messages to this lead reached");
        }
        // Quiet hours and the caps are telephone rules: texts and calls count, email neither counts nor is held.
        boolean telephonic = Channel.isTelephonic(m.channel());
        List<Sent> calls = telephonic ? history.stream().filter(s -> Channel.isTelephonic(s.channel())).toList() : List.of();
        RecipientLocale.Place place = telephonic && quietHoursApply(m.purpose()) ? locales.of(m.phone(), m.contactZone()) : null;
        Instant at = now;
        String reason = null;
        // Each rule may push the moment later; stop when no rule moves it.
        for (int i = 0; i < 10; i++) {
            Instant next = at;
            String why = reason;
            if (place != null) {
                Instant open = openFor(place, next);
                if (open.isAfter(next)) {
                    next = open;
                    why = "quiet hours" + (place.state() == null ? "" : " (" + place.state() + ")");
                }
            }
            if (telephonic && capped(m.purpose())) {
                Instant capFree = capFree(calls, m.campaign(), next);
                if (capFree.isAfter(next)) {
                    next = capFree;
                    why = capReason(calls, m.campaign(), at);
                }
            }
            if (next.equals(at)) {
                break;
            }
            at = next;
            reason = why;
        }
        if (at.equals(now)) {
            return new Send();
        }
        if (m.expiresAt() != null && !at.isBefore(m.expiresAt())) {
            return new Expire("expires at " + m.expiresAt() + ", before " + reason + " would let it go at " + at);
        }
        return new Defer(at, reason);
    }

    private boolean quietHoursApply(String purpose) {
        return MESSAGE.equals(purpose) || (REPLY.equals(purpose) && limits.quietHoursForReplies());
    }

    /** The first moment inside every zone's window (an area code may span two zones). */
    private Instant openFor(RecipientLocale.Place place, Instant at) {
        Instant t = at;
        for (int i = 0; i < 5; i++) {
            Instant latest = t;
            for (ZoneId zone : place.zones()) {
                Instant open = quietHours.firstAllowed(t, zone, place.state());
                latest = open.isAfter(latest) ? open : latest;
            }
            if (latest.equals(t)) {
                return t;
            }
            t = latest;
        }
        return t;
    }

    /** The first moment at or after {@code at} when both 24-hour caps have room. */
    private Instant capFree(List<Sent> history, String campaign, Instant at) {
        Instant perContact = roomAt(history.stream().map(Sent::at).toList(), limits.perContactPerDay(), at);
        if (campaign == null) {
            return perContact;
        }
        Instant perCampaign = roomAt(history.stream().filter(s -> campaign.equals(s.campaign())).map(Sent::at).toList(),
                limits.perCampaignPerDay(), at);
        return perCampaign.isAfter(perContact) ? perCampaign : perContact;
    }

    /** With {@code cap} allowed per rolling day: {@code at}, or when enough of the sends in the window have aged out. */
    static Instant roomAt(List<Instant> sends, int cap, Instant at) {
        List<Instant> window = sends.stream().filter(t -> t.isAfter(at.minus(DAY)) && !t.isAfter(at)).sorted().toList();
        if (window.size() < cap) {
            return at;
        }
        // The send whose ageing out leaves cap - 1 in the window.
        return window.get(window.size() - cap).plus(DAY);
    }

    private String capReason(List<Sent> history, String campaign, Instant at) {
        long sameCampaign = campaign == null
                ? 0
                : history.stream().filter(s -> Objects.equals(campaign, s.campaign()) && s.at().isAfter(at.minus(DAY))).count();
        return sameCampaign >= limits.perCampaignPerDay()
                ? "cap of " + limits.perCampaignPerDay() + " messages per campaign per 24 h"
                : "cap of " + limits.perContactPerDay() + " messages per 24 h";
    }
}
