package com.retentionhub.consent;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import java.time.Instant;
import java.util.Optional;

/**
 * What a consent signal (keyword, plain-language revocation, ambiguous text) does: the ledger change it records (if any) and the one reply it
 * earns. Decided from the text and the phone's consent before the text arrived.
 */
public record KeywordOutcome(Keyword keyword, ConsentChange change, String reply) {

    public static final KeywordOutcome NONE = new KeywordOutcome(null, null, null);

    /**
     * @param classified the keyword the whole message is, if any
     * @param before the phone's consent before this message
     */
    public static KeywordOutcome decide(Optional<Keyword> classified, ConsentStatus before, String phone, String body,
            Instant at, BusinessProfile business) {
        return decide(classified, before, phone, body, at, business, ReConsent.Rule.KEYWORD, null);
    }

    /**
     * As {@link #decide(Optional, ConsentStatus, String, String, Instant, BusinessProfile)}, under a re-consent rule: with
     * {@code STAFF} an opted-out phone's START is a request ({@link Keyword#OPT_IN_REQUEST}) answered with {@code requestReply}.
     */
    public static KeywordOutcome decide(Optional<Keyword> classified, ConsentStatus before, String phone, String body,
            Instant at, BusinessProfile business, ReConsent.Rule rule, String requestReply) {
        if (classified.isEmpty()) {
            return NONE;
        }
        Keyword keyword = classified.get();
        if (before == ConsentStatus.OPTED_OUT && keyword != Keyword.OPT_IN && keyword != Keyword.HELP) {
            // One confirmation, then silence until renewed consent: a second STOP changes nothing.
            return NONE;
        }
        return switch (keyword) {
            case OPT_OUT, REVOCATION -> new KeywordOutcome(keyword, change(phone, ConsentChange.Action.OPT_OUT,
                    keyword == Keyword.OPT_OUT ? ConsentChange.Source.KEYWORD : ConsentChange.Source.MESSAGE, body, at),
                    business.optOutConfirmation());
            case AMBIGUOUS -> new KeywordOutcome(Keyword.AMBIGUOUS, null, business.optOutClarification());
            // START/YES only mean re-consent from someone who opted out; otherwise "yes" is an
            // ordinary answer for the conversation.
            case OPT_IN -> before == ConsentStatus.OPTED_OUT && rule == ReConsent.Rule.STAFF
                    ? new KeywordOutcome(Keyword.OPT_IN_REQUEST, null, requestReply)
                    : before == ConsentStatus.OPTED_OUT
                            ? new KeywordOutcome(Keyword.OPT_IN,
                                    change(phone, ConsentChange.Action.OPT_IN, ConsentChange.Source.KEYWORD, body, at),
                                    business.optInConfirmation())
                            : NONE;
            // HELP is answered even after an opt-out (CTIA): it is a reply the customer asked for.
            case HELP -> new KeywordOutcome(Keyword.HELP, null, business.helpText());
            case OPT_IN_REQUEST -> NONE; // never classified from text; only decided here
        };
    }

    private static ConsentChange change(String phone, ConsentChange.Action action, ConsentChange.Source source, String body, Instant at) {
        return new ConsentChange(phone, Channel.SMS.code(), action, source, body, "customer", at);
    }

    public boolean isKeyword() {
        return keyword != null;
    }
}
