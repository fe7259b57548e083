package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeadSignalsTest {

    @Test
    void shouldReadTheIntentOfATypicalText() {
        assertThat(TextSignals.intent("How much for a mosquito treatment?")).isEqualTo(TextSignals.Intent.PRICING);
        assertThat(TextSignals.intent("Can I book an inspection?")).isEqualTo(TextSignals.Intent.BOOKING);
        assertThat(TextSignals.intent("are you available thursday afternoon")).isEqualTo(TextSignals.Intent.SCHEDULING);
        assertThat(TextSignals.intent("Yes, interested!")).isEqualTo(TextSignals.Intent.INTEREST);
        assertThat(TextSignals.intent("The ants came back after the service")).isEqualTo(TextSignals.Intent.SUPPORT);
        assertThat(TextSignals.intent("lol ok cool")).isEqualTo(TextSignals.Intent.OTHER);
    }

    @Test
    void shouldExtractANameAndAnEmail() {
        assertThat(TextSignals.name("Hi, this is Maria Lopez from Elm St")).contains("Maria Lopez");
        assertThat(TextSignals.name("my name is John")).contains("John");
        assertThat(TextSignals.name("this is great")).isEmpty();
        assertThat(TextSignals.email("sure, it's Maria.Lopez@Example.com thanks")).contains("maria.lopez@example.com");
        assertThat(TextSignals.email("no email here")).isEmpty();
    }

    @Test
    void shouldScoreAnEngagedBookingLeadHigherThanAColdOneAndSayWhy() {
        LeadScore hot = LeadScore.of(new LeadScore.Inputs(4, TextSignals.Intent.BOOKING, true, true, 1, Duration.ofMinutes(5)));
        LeadScore cold = LeadScore.of(new LeadScore.Inputs(1, TextSignals.Intent.OTHER, false, false, -1, Duration.ofDays(20)));

        assertThat(hot.score()).isBetween(80, 100);
        assertThat(cold.score()).isBetween(0, 10);
        assertThat(hot.reasons()).contains("intent booking +30", "email given +15", "name given +10", "recency +15");
    }

    @Test
    void shouldKeepTheScoreInsideZeroToAHundred() {
        assertThat(LeadScore.of(new LeadScore.Inputs(50, TextSignals.Intent.BOOKING, true, true, 1, Duration.ZERO)).score()).isEqualTo(100);
        assertThat(LeadScore.of(new LeadScore.Inputs(0, TextSignals.Intent.OTHER, false, false, -1, Duration.ofDays(60))).score()).isZero();
    }
}
