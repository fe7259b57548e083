package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.BusinessProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requested times resolved on a fixed date in the business's time zone, and the slot proposed for them. */
class SchedulingTest {

    private static final ZoneId NY = ZoneId.of("America/New_York");
    // Wednesday 2026-11-18, 10:15 in New York.
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 18, 10, 15, 0, 0, NY);
    private static final BusinessHours HOURS = new BusinessHours(
            new BusinessProfile("Acme", List.of(new BusinessProfile.Service("Spray", null, null)),
                    Map.of("mon", "08:00-18:00", "tue", "08:00-18:00", "wed", "08:00-18:00", "thu", "08:00-18:00", "fri", "08:00-17:00",
                            "sat", "09:00-13:00", "sun", "closed"),
                    "America/New_York", "help", null, null, null, null, null, null));
    private static final SlotFinder SLOTS = new SlotFinder(HOURS, NY, Duration.ofHours(1));

    @Test
    void shouldResolveTheCommonWaysOfAskingForATime() {
        assertThat(parse("can you come tomorrow at 2pm")).isEqualTo(new RequestedTime(LocalDate.of(2026, 11, 19), LocalTime.of(14, 0)));
        assertThat(parse("next Tuesday morning?")).isEqualTo(new RequestedTime(LocalDate.of(2026, 11, 24), LocalTime.of(9, 0)));
        assertThat(parse("Friday after 3")).isEqualTo(new RequestedTime(LocalDate.of(2026, 11, 20), LocalTime.of(15, 0)));
        assertThat(parse("today at 4:30 pm works")).isEqualTo(new RequestedTime(LocalDate.of(2026, 11, 18), LocalTime.of(16, 30)));
        assertThat(parse("how about thurs afternoon")).isEqualTo(new RequestedTime(LocalDate.of(2026, 11, 19), LocalTime.of(13, 0)));
        assertThat(RequestedTime.parse("I have 2 dogs and a cat", NOW)).isEmpty();
        assertThat(RequestedTime.parse("at 3 works", NOW)).isEmpty();
    }

    @Test
    void shouldProposeTheRequestedSlotWhenItIsOpenAndFree() {
        assertThat(propose("can you come tomorrow at 2pm", List.of())).isEqualTo(ny("2026-11-19T14:00"));
    }

    @Test
    void shouldOfferTheNextFreeSlotWhenTheRequestedOneIsTaken() {
        List<SlotFinder.Booked> booked = List.of(new SlotFinder.Booked(ny("2026-11-19T14:00"), ny("2026-11-19T15:00")));

        assertThat(propose("tomorrow at 2pm", booked)).isEqualTo(ny("2026-11-19T15:00"));
    }

    @Test
    void shouldMoveARequestOutsideHoursToTheNextOpening() {
        assertThat(propose("sunday morning", List.of())).isEqualTo(ny("2026-11-23T08:00")); // closed Sunday -> Monday 8:00
        assertThat(propose("friday at 4:30pm", List.of())).isEqualTo(ny("2026-11-21T09:00")); // past Friday's 17:00 close -> Saturday 9:00
    }

    private static RequestedTime parse(String text) {
        return RequestedTime.parse(text, NOW).orElseThrow();
    }

    private static Instant propose(String text, List<SlotFinder.Booked> booked) {
        return SLOTS.propose(parse(text), NOW.toInstant(), booked).orElseThrow();
    }

    private static Instant ny(String local) {
        return LocalDateTime.parse(local).atZone(NY).toInstant();
    }
}
