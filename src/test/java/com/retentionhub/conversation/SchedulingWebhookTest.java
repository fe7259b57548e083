package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Booking by text: a named time gets a proposed slot, YES books it (promising no invite without SMTP), staff see it and can download it. */
class SchedulingWebhookTest extends HubIntegrationTest {

    @Test
    void shouldProposeASlotBookItOnYesAndServeItAsICalendar() {
        String phone = newPhone();

        twilio.text(phone, "can you come tomorrow at 2pm");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND outcome = 'scheduling'", phone) == 1);
        Timestamp proposed = jdbc.queryForObject(
                "SELECT c.proposed_slot FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.phone = ?",
                Timestamp.class, phone);
        String when = DateTimeFormatter.ofPattern("EEE MMM d 'at' h:mm a", Locale.US).withZone(ZoneId.of("America/New_York"))
                .format(proposed.toInstant());
        assertThat(lastReply(phone)).isEqualTo("We can come " + when + ". Reply YES to confirm, or suggest another time.");

        twilio.text(phone, "Yes!");

        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM appointment WHERE phone = ?", phone) == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM reply_task WHERE phone = ? AND outcome = 'scheduling'", phone) == 2);
        // SMTP is not configured in this context: no calendar invite is promised (CalendarInviteTest sends them).
        assertThat(lastReply(phone)).isEqualTo("You're booked for " + when + " with Green Shield Pest Control.");
        assertThat(jdbc.queryForObject("SELECT starts_at FROM appointment WHERE phone = ?", Timestamp.class, phone)).isEqualTo(proposed);

        JsonNode listed = StaffClient.json(staff.get("/api/appointments"));
        long id = jdbc.queryForObject("SELECT id FROM appointment WHERE phone = ?", Long.class, phone);
        assertThat(listed.findValuesAsText("phone")).contains(phone);
        HttpResponse<String> ics = staff.get("/api/appointments/" + id + ".ics");
        assertThat(ics.statusCode()).isEqualTo(200);
        assertThat(ics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/calendar"));
        String utcStart = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(proposed.toInstant());
        assertThat(ics.body())
                .contains("BEGIN:VCALENDAR\r\n", "DTSTART:" + utcStart + "\r\n", "SUMMARY:Green Shield Pest Control appointment")
                .doesNotContain(phone);
    }

    @Test
    void shouldAnswer404ForAnUnknownAppointment() {
        assertThat(staff.get("/api/appointments/999999.ics").statusCode()).isEqualTo(404);
    }

    private String lastReply(String phone) {
        return jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ? AND idempotency_key LIKE 'reply:%' ORDER BY id DESC LIMIT 1",
                String.class,
                phone);
    }
}
