package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The iCalendar text of an invitation: folding, time zone blocks, method. */
class InvitationTest {

    private static final Invitation.Event EVENT = new Invitation.Event(7, Instant.parse("2026-11-19T19:00:00Z"),
            Instant.parse("2026-11-19T20:00:00Z"),
            "Green Shield Pest Control appointment", "Booked by text; ants, roaches", "Green Shield Pest Control", "bookings@example.com",
            "José Ñúñez-Villalobos de la Fuente y Rodríguez", "jose.nunez.villalobos@example.com", 0,
            Instant.parse("2026-11-18T19:00:00Z"));

    @Test
    void shouldFoldEveryLineAt75OctetsWithoutSplittingACharacter() {
        String ics = Invitation.of(Invitation.REQUEST, EVENT, ZoneId.of("America/New_York"));

        for (String line : ics.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
        }
        String unfolded = ics.replace("\r\n ", "");
        assertThat(unfolded)
                .contains("ATTENDEE;CN=José Ñúñez-Villalobos de la Fuente y Rodríguez;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
                        + ":mailto:jose.nunez.villalobos@example.com", "DESCRIPTION:Booked by text\\; ants\\, roaches");
        assertThat(ics).startsWith("BEGIN:VCALENDAR\r\n").endsWith("END:VCALENDAR\r\n").contains("METHOD:REQUEST\r\n",
                "STATUS:CONFIRMED\r\n");
    }

    @Test
    void shouldCarryTheBusinessZoneWithItsOffsetsForTheEventsYear() {
        String ics = Invitation.of(Invitation.CANCEL, EVENT, ZoneId.of("America/New_York"));

        assertThat(ics).contains("DTSTART;TZID=America/New_York:20261119T140000\r\n", "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\n"
                + "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n",
                "BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n",
                "METHOD:CANCEL\r\n", "STATUS:CANCELLED\r\n");
        assertThat(Invitation.of(Invitation.REQUEST, EVENT, ZoneId.of("Asia/Tokyo"))).contains("TZID:Asia/Tokyo\r\nBEGIN:STANDARD\r\n",
                "TZOFFSETTO:+0900\r\n", "DTSTART;TZID=Asia/Tokyo:20261120T040000\r\n").doesNotContain("DAYLIGHT");
    }
}
