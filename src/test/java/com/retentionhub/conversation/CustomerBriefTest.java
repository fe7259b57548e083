package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.lead.Customers;
import com.retentionhub.support.HubIntegrationTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The briefs the reply workers read for a whole batch of conversations at once: each phone gets its own. */
class CustomerBriefTest extends HubIntegrationTest {

    @Autowired
    CustomerBrief briefs;

    @Autowired
    Customers customers;

    @Test
    void shouldReadEveryPhonesBriefInOneBatchWithoutMixingThemUp() {
        String jamie = newPhone();
        String ruth = newPhone();
        String booked = newPhone();
        String stranger = newPhone();
        customers.create(jamie, new Customers.Fields("Jamie Cole", null, "active", null, null, "ants back by the sink", List.of(), null,
                List.of(new Customers.Visit("Inspection", LocalDate.of(2026, 3, 1), null),
                        new Customers.Visit("General pest treatment", LocalDate.of(2026, 10, 2), null))));
        customers.create(ruth, new Customers.Fields("Ruth Park", null, "cancelled", null, LocalDate.of(2026, 9, 1), null, List.of(), null,
                List.of()));
        assertThat(twilio.text(booked, "Is Tuesday free?").statusCode()).isEqualTo(200);
        long conversation = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForList(
                "SELECT c.id FROM conversation c JOIN contact k ON k.id = c.contact_id WHERE k.phone = ?", Long.class, booked),
                l -> !l.isEmpty())
                .get(0);
        Instant visit = clock.instant().plus(Duration.ofDays(3));
        jdbc.update("INSERT INTO appointment (conversation_id, phone, starts_at, ends_at, status, confirmed_by, created_at)"
                + " VALUES (?, ?, ?, ?, 'confirmed', 'customer', ?)", conversation, booked, Timestamp.from(visit),
                Timestamp.from(visit.plus(Duration.ofHours(1))), Timestamp.from(clock.instant()));

        Map<String, String> read = briefs.of(List.of(jamie, ruth, booked, stranger));

        assertThat(read.get(jamie))
                .contains("Name: Jamie Cole", "Service status: active", "Last service: General pest treatment on Oct 2, 2026",
                        "Open issues: ants back by the sink")
                .doesNotContain("Ruth", "Upcoming");
        assertThat(read.get(ruth)).contains("Name: Ruth Park", "Service status: cancelled").doesNotContain("Open issues", "Upcoming",
                "Jamie");
        assertThat(read.get(booked)).contains("Upcoming appointment: ").doesNotContain("Name:");
        assertThat(read).doesNotContainKey(stranger);
        assertThat(briefs.of(jamie)).isEqualTo(read.get(jamie));
    }
}
