package com.retentionhub.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a run waits for and when it should be through: pace, maxActive rounds, the daily cap, held messages. */
class RunEstimateTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant NOW = Instant.parse("2026-11-18T19:00:00Z"); // 14:00 in New York

    @Test
    void shouldCountRoundsOfMaxActiveWaitingOnRepliesNotOnlyThePace() {
        // 100 queued at 60 a minute is 100 seconds by pace; with 10 awaiting replies of at most 10, each round of 10 waits the 60-minute window.
        RunEstimate estimate = new RunEstimate(NOW, NEW_YORK, 60, 10, 10, 60, null, 0);

        assertThat(estimate.eta(100, null)).isEqualTo(NOW.plusSeconds(10 * 3600));
        assertThat(estimate.whyNotHanded()).startsWith("10 conversations awaiting a reply (maxActive 10)");
        assertThat(new RunEstimate(NOW, NEW_YORK, 60, null, 0, 60, null, 0).eta(100, null)).isEqualTo(NOW.plusSeconds(100));
    }

    @Test
    void shouldPutWhatExceedsTodaysCapOnTheFollowingDays() {
        RunEstimate estimate = new RunEstimate(NOW, NEW_YORK, 60, null, 0, 60, 5, 5);

        // 12 left, none today: 5 tomorrow, 5 the day after, 2 on the third day (two seconds after its midnight, at 60 a minute).
        assertThat(estimate.eta(12, null)).isEqualTo(Instant.parse("2026-11-21T05:00:02Z"));
        assertThat(estimate.whyNotHanded()).isEqualTo("daily cap of 5 reached; continues Thu 19 Nov 0:00");
        assertThat(estimate.waiting(3, List.of()))
                .isEqualTo("waiting: 3 not handed over yet: daily cap of 5 reached; continues Thu 19 Nov 0:00");
    }

    @Test
    void shouldSayWhatIsHeldAndUntilWhen() {
        RunEstimate estimate = new RunEstimate(Instant.parse("2026-11-19T07:00:00Z"), NEW_YORK, 60, null, 0, 60, null, 1);

        String waiting = estimate.waiting(0, List.of(new RunEstimate.Held("held: quiet hours", 1, Instant.parse("2026-11-19T13:00:00Z"))));

        assertThat(waiting).isEqualTo("waiting: 1 held for quiet hours until 8:00");
        assertThat(estimate.eta(0, Instant.parse("2026-11-19T13:00:00Z"))).isEqualTo(Instant.parse("2026-11-19T13:00:00Z"));
        assertThat(estimate.waiting(0, List.of())).isNull();
    }

    @Test
    void shouldGiveEachTargetItsOutcomeAndReason() {
        assertThat(RunEstimate.outcome("HANDED", null, "PENDING", "held: quiet hours (CA)", null, "x")).containsExactly("held",
                "quiet hours (CA)");
        assertThat(RunEstimate.outcome("HANDED", null, "BLOCKED", null, "withdrawn: opted out (sms)", "x")).containsExactly("skipped",
                "withdrawn: opted out (sms)");
        assertThat(RunEstimate.outcome("SKIPPED", "opted out", null, null, null, "x")).containsExactly("skipped", "opted out");
        assertThat(RunEstimate.outcome("QUEUED", null, null, null, null, "daily cap of 5 reached")).containsExactly("waiting",
                "daily cap of 5 reached");
        assertThat(RunEstimate.outcome("HANDED", null, "FAILED", null, "21211: invalid", "x")).containsExactly("failed", "21211: invalid");
        assertThat(RunEstimate.outcome("HANDED", null, "SENT", null, null, "x")).containsExactly("sent", null);
    }
}
