package com.retentionhub.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.BusinessProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeywordOutcomeTest {

    private static final BusinessProfile BUSINESS = new BusinessProfile("Acme Pest",
            List.of(new BusinessProfile.Service("Spray", "$99", null)),
            Map.of("mon", "08:00-17:00"), "America/Chicago", "Acme Pest: call 555-0100. Reply STOP to opt out.", null, null, null, null,
            null, "plain");
    private static final Instant NOW = Instant.parse("2026-11-21T15:00:00Z");

    @Test
    void shouldRecordAnOptOutAndConfirmWithTheDefaultText() {
        KeywordOutcome o = KeywordOutcome.decide(Optional.of(Keyword.OPT_OUT), ConsentStatus.NONE, "+14155550100", "Stop", NOW, BUSINESS);

        assertThat(o.change().action()).isEqualTo(ConsentChange.Action.OPT_OUT);
        assertThat(o.change().text()).isEqualTo("Stop");
        assertThat(o.reply()).isEqualTo("Messages Stopped");
    }

    @Test
    void shouldReconsentOnlyAPhoneThatOptedOut() {
        assertThat(KeywordOutcome.decide(Optional.of(Keyword.OPT_IN), ConsentStatus.OPTED_OUT, "+14155550100", "START", NOW, BUSINESS)
                .change().action())
                .isEqualTo(ConsentChange.Action.OPT_IN);
        assertThat(KeywordOutcome.decide(Optional.of(Keyword.OPT_IN), ConsentStatus.NONE, "+14155550100", "yes", NOW, BUSINESS))
                .isEqualTo(KeywordOutcome.NONE);
    }

    @Test
    void shouldStaySilentWhenAnOptedOutPhoneSendsStopAgain() {
        assertThat(KeywordOutcome.decide(Optional.of(Keyword.OPT_OUT), ConsentStatus.OPTED_OUT, "+14155550100", "STOP", NOW, BUSINESS))
                .isEqualTo(KeywordOutcome.NONE);
        assertThat(KeywordOutcome.decide(Optional.of(Keyword.REVOCATION), ConsentStatus.OPTED_OUT, "+14155550100", "stop texting me", NOW,
                BUSINESS)).isEqualTo(KeywordOutcome.NONE);
    }

    @Test
    void shouldRecordAPlainLanguageRevocationWithTheTextAsEvidence() {
        KeywordOutcome o = KeywordOutcome.decide(Optional.of(Keyword.REVOCATION), ConsentStatus.NONE, "+14155550100",
                "please stop texting me", NOW, BUSINESS);

        assertThat(o.change().source()).isEqualTo(ConsentChange.Source.MESSAGE);
        assertThat(o.change().text()).isEqualTo("please stop texting me");
        assertThat(o.reply()).isEqualTo("Messages Stopped");
    }

    @Test
    void shouldClarifyAnAmbiguousTextWithoutChangingConsent() {
        KeywordOutcome o = KeywordOutcome.decide(Optional.of(Keyword.AMBIGUOUS), ConsentStatus.NONE, "+14155550100", "no thanks", NOW,
                BUSINESS);

        assertThat(o.change()).isNull();
        assertThat(o.reply()).isEqualTo("Reply STOP to stop messages.");
    }

    @Test
    void shouldAnswerHelpEvenAfterAnOptOutWithoutChangingConsent() {
        KeywordOutcome o = KeywordOutcome.decide(Optional.of(Keyword.HELP), ConsentStatus.OPTED_OUT, "+14155550100", "help", NOW, BUSINESS);

        assertThat(o.change()).isNull();
        assertThat(o.reply()).contains("Acme Pest");
    }
}
