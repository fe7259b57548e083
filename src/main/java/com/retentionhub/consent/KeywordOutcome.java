package com.retentionhub.consent;

import com.retentionhub.platform.BusinessProfile;
import java.time.Instant;
import java.util.Optional;

/**
 * What a compliance keyword does: the ledger change it records (if any) and the one reply it
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
        if (classified.isEmpty()) {
            return NONE;
        }
        return switch (classified.get()) {
            case OPT_OUT -> new KeywordOutcome(Keyword.OPT_OUT, change(phone, ConsentChange.Action.OPT_OUT, body, at),
                    business.optOutConfirmation());
            // START/YES only mean re-consent from someone who opted out; otherwise "yes" is an
            // ordinary answer for the conversation.
            case OPT_IN -> before == ConsentStatus.OPTED_OUT
                    ? new KeywordOutcome(Keyword.OPT_IN, change(phone, ConsentChange.Action.OPT_IN, body, at), business.optInConfirmation())
                    : NONE;
            // HELP is answered even after an opt-out (CTIA): it is a reply the customer asked for.
            case HELP -> new KeywordOutcome(Keyword.HELP, null, business.helpText());
        };
    }

    private static ConsentChange change(String phone, ConsentChange.Action action, String body, Instant at) {
        return new ConsentChange(phone, ConsentChange.SMS, action, ConsentChange.Source.KEYWORD, body, "customer", at);
    }

    public boolean isKeyword() {
        return keyword != null;
    }
}
