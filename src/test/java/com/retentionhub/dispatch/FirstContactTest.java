package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every first text the business sends a person names the business and says how to opt out,
 * whoever wrote it: added when missing, or refused with the reason when it would not fit.
 */
class FirstContactTest extends HubIntegrationTest {

    @Test
    void shouldAddTheBusinessNameAndOptOutToAStaffStartedFirstTextButNotToTheNextOne() {
        String phone = newPhone();

        assertThat(staff.sendText(phone, "Hi, your spring treatment is due").statusCode()).isEqualTo(202);
        assertThat(staff.sendText(phone, "We have Tuesday open").statusCode()).isEqualTo(202);

        assertThat(jdbc.queryForList("SELECT body FROM outbox WHERE phone = ? ORDER BY id", String.class, phone)).containsExactly(
                "Green Shield Pest Control: Hi, your spring treatment is due. Reply STOP to opt out.", "We have Tuesday open");
    }

    @Test
    void shouldLeaveAFirstTextThatAlreadyNamesTheBusinessAndSaysHowToStopAsItIs() {
        String phone = newPhone();
        String text = "Green Shield Pest Control here: time for your quarterly visit? Text STOP to unsubscribe.";

        assertThat(staff.sendText(phone, text).statusCode()).isEqualTo(202);

        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE phone = ?", String.class, phone)).isEqualTo(text);
    }

    @Test
    void shouldRefuseAStaffFirstTextThatCannotCarryTheNameAndOptOutAndQueueNothing() {
        String phone = newPhone();
        String longText = "Hello! ".repeat(44).strip(); // 307 characters: with the name and the opt-out wording over 320

        HttpResponse<String> refused = staff.sendText(phone, longText);

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("must name Green Shield Pest Control and say how to opt out").doesNotContain("Exception");
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isZero();
    }

    @Test
    void shouldAddTheOptOutToEveryFirstTextOfAReachOutRunWhoseTemplateLacksIt() {
        String tag = "fc" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 3; i++) {
            assertThat(staff.post("/api/customers",
                    "{\"phone\":\"" + newPhone() + "\",\"name\":\"Lapsed Person" + i + "\",\"serviceStatus\":\"cancelled\","
                            + "\"tags\":[\"" + tag + "\"]}")
                    .statusCode()).isEqualTo(201);
        }

        assertThat(staff.post("/api/reach-out/runs", "{\"rule\":{\"serviceStatus\":[\"cancelled\"],\"tags\":[\"" + tag + "\"]},"
                + "\"template\":\"Hi {{firstName}}, we miss you! 20% off a return visit this month.\",\"pacePerMinute\":300,\"maxActive\":5}")
                .statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(15)).until(() -> count("SELECT count(*) FROM outbox WHERE run_id IN (SELECT id FROM outreach_run"
                + " WHERE rule LIKE ?)", "%" + tag + "%") == 3);
        List<String> bodies = jdbc.queryForList("SELECT body FROM outbox WHERE run_id IN (SELECT id FROM outreach_run WHERE rule LIKE ?)",
                String.class, "%" + tag + "%");
        assertThat(bodies).allMatch(b -> b.startsWith("Green Shield Pest Control: Hi Lapsed, we miss you!")
                && b.endsWith("this month. Reply STOP to opt out."), "named and with the opt-out wording");
    }
}
