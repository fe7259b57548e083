package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.BusinessProfile;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusinessHoursTest {

    // Mon-Fri 08:00-18:00, Sat 09:00-13:00, Sun closed, New York time.
    private static final BusinessHours HOURS = new BusinessHours(
            new BusinessProfile("Acme", List.of(new BusinessProfile.Service("Spray", null, null)),
                    Map.of("mon", "08:00-18:00", "tue", "08:00-18:00", "wed", "08:00-18:00", "thu", "08:00-18:00", "fri", "08:00-18:00",
                            "sat", "09:00-13:00", "sun", "closed"),
                    "America/New_York", "help", null, null, null, null, null, null));

    @Test
    void shouldBeOpenInsideTheDaysWindowInLocalTime() {
        assertThat(HOURS.isOpen(ny("2026-11-23T08:00"))).isTrue(); // Monday opening
        assertThat(HOURS.isOpen(ny("2026-11-23T17:59"))).isTrue();
        assertThat(HOURS.isOpen(ny("2026-11-23T18:00"))).isFalse();
        assertThat(HOURS.isOpen(ny("2026-11-22T12:00"))).isFalse(); // Sunday
    }

    @Test
    void shouldDateTheClosedPeriodFromTheLastClosing() {
        assertThat(HOURS.closedSince(ny("2026-11-23T20:00"))).contains(ny("2026-11-23T18:00")); // Monday evening
        assertThat(HOURS.closedSince(ny("2026-11-24T06:00"))).contains(ny("2026-11-23T18:00")); // Tuesday before opening
        assertThat(HOURS.closedSince(ny("2026-11-22T12:00"))).contains(ny("2026-11-21T13:00")); // Sunday: since Saturday 13:00
        assertThat(HOURS.closedSince(ny("2026-11-23T10:00"))).isEmpty();
    }

    @Test
    void shouldFindTheNextOpening() {
        assertThat(HOURS.nextOpening(ny("2026-11-21T14:00")).map(ZonedDateTime::toInstant)).contains(ny("2026-11-23T08:00"));
    }

    private static Instant ny(String local) {
        return LocalDateTime.parse(local).atZone(ZoneId.of("America/New_York")).toInstant();
    }
}
