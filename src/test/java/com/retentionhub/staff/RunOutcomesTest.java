package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TwilioFake;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Runs as staff expect them (issue 22, item 7, and story c): a daily cap on reach-out and warm-lead
 * runs, every recipient listed with its outcome, DONE only when nothing is held, an empty batch that
 * says why, and the opt-out list with filters and a CSV export.
 */
class RunOutcomesTest extends HubIntegrationTest {

    /** A follow-up run to warm leads capped at 5 a day over 8 candidates sends 5 today, lists all 8, and sends the rest tomorrow. */
    @Test
    void shouldSendFiveOfEightWarmLeadsUnderADailyCapOfFiveAndListAllEightWithOutcomes() {
        toggle.setLive(true);
        String campaign = "warm-cap-" + System.nanoTime();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String phone = newPhone();
            phones.add(phone);
            // Warm leads of this campaign (how a reply makes one warm is WarmLeadsTest's subject).
            jdbc.update("INSERT INTO contact (phone, name, warm_lead_at, warm_lead_campaign, created_at) VALUES (?, ?, ?, ?, ?)", phone,
                    "Warm " + i,
                    Timestamp.from(clock.instant().minusSeconds(600 - i)), campaign, Timestamp.from(clock.instant()));
        }

        HttpResponse<String> launched = staff.post("/api/warm-leads/message",
                "{\"template\":\"Hi {{firstName}}, still keen? Green Shield Pest Control. Reply STOP to opt out.\","
                        + "\"campaign\":\"" + campaign + "\",\"pacePerMinute\":600,\"dailyCap\":5}");
        assertThat(launched.statusCode()).isEqualTo(201);
        JsonNode run = StaffClient.json(launched);
        long id = run.get("id").asLong();
        assertThat(run.get("dailyCap").asInt()).isEqualTo(5);

        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(phones) == 5);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> sentTo(phones) == 5); // a pump period or ten: no sixth

        JsonNode recipients = StaffClient.json(staff.get("/api/reach-out/runs/" + id + "/recipients"));
        assertThat(recipients.get("items")).hasSize(8);
        assertThat(recipients.get("total").asInt()).isEqualTo(8);
        List<String> listed = new ArrayList<>();
        int sent = 0;
        int waiting = 0;
        for (JsonNode r : recipients.get("items")) {
            listed.add(r.get("phone").asText());
            if (r.get("outcome").asText().equals("sent")) {
                sent++;
            } else {
                assertThat(r.get("outcome").asText()).isEqualTo("waiting");
                assertThat(r.get("reason").asText()).startsWith("daily cap of 5 reached; continues Thu 19 Nov 0:00");
                waiting++;
            }
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(phones);
        assertThat(List.of(sent, waiting)).containsExactly(5, 3);
        JsonNode progress = StaffClient.json(staff.get("/api/reach-out/runs/" + id));
        assertThat(progress.get("status").asText()).isEqualTo("RUNNING");
        assertThat(progress.get("handedToday").asInt()).isEqualTo(5);
        assertThat(progress.get("waiting").asText()).contains("3 not handed over yet: daily cap of 5 reached");
        assertThat(Instant.parse(progress.get("eta").asText())).isAfter(Instant.parse("2026-11-19T05:00:00Z")); // midnight in New York

        // The business's next morning: the other three go, and the run is done.
        clock.setTo(Instant.parse("2026-11-19T17:00:00Z")); // 12:00 in New York, 9:00 in California
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(phones) == 8);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> StaffClient.json(staff.get("/api/reach-out/runs/" + id)).get("status").asText().equals("DONE"));
    }

    /**
     * Story (c), end to end as the warm-lead farm ran it: a campaign run over a list of 8 customers, capped at
     * 5 a day, texts 5, lists all 8 with outcomes, and "Interested! how much?" from one of the 5 makes that
     * customer a warm lead of the run's campaign.
     */
    @Test
    void shouldFarmAWarmLeadFromACappedCampaignRun() {
        toggle.setLive(true);
        String tag = "farm" + ThreadLocalRandom.current().nextInt(1_000_000);
        String campaign = "farm-" + System.nanoTime();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String phone = newPhone();
            phones.add(phone);
            assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Farm " + i + "\",\"tags\":[\"" + tag + "\"]}")
                    .statusCode()).isEqualTo(201);
        }

        HttpResponse<String> launched = staff.post("/api/reach-out/runs",
                "{\"rule\":{\"tags\":[\"" + tag + "\"]},\"campaign\":\"" + campaign
                        + "\",\"template\":\"Hi {{firstName}}, Green Shield Pest Control has a spring special. Reply STOP to opt out.\","
                        + "\"pacePerMinute\":600,\"dailyCap\":5}");
        assertThat(launched.statusCode()).isEqualTo(201);
        long id = StaffClient.json(launched).get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(phones) >= 5);
        assertThat(sentTo(phones)).isEqualTo(5);

        JsonNode recipients = StaffClient.json(staff.get("/api/reach-out/runs/" + id + "/recipients"));
        assertThat(recipients.get("total").asInt()).isEqualTo(8);
        List<String> texted = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        for (JsonNode r : recipients.get("items")) {
            outcomes.add(r.get("outcome").asText());
            if (r.get("outcome").asText().equals("sent")) {
                texted.add(r.get("phone").asText());
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("sent", "sent", "sent", "sent", "sent", "waiting", "waiting", "waiting");
        assertThat(phones).containsAll(texted);

        String answering = texted.get(0);
        twilio.text(answering, "Interested! how much?");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> StaffClient.json(staff.get("/api/warm-leads?campaign=" + campaign)).get("total").asInt() == 1);
        JsonNode warm = StaffClient.json(staff.get("/api/warm-leads?campaign=" + campaign)).get("items").get(0);
        assertThat(warm.get("phone").asText()).isEqualTo(answering);
        assertThat(warm.get("text").asText()).isEqualTo("Interested! how much?");
        assertThat(sentTo(phones.stream().filter(p -> !p.equals(answering)).toList())).as("the cap still holds: no sixth run text")
                .isEqualTo(4);
    }

    @Test
    void shouldStayWaitingWhileQuietHoursHoldAMessageAndFinishWhenItGoes() {
        toggle.setLive(true);
        clock.setTo(Instant.parse("2026-11-19T07:00:00Z")); // 2:00 in New York
        String tag = "qh" + ThreadLocalRandom.current().nextInt(1_000_000);
        String phone = "+1646" + (2_000_000 + ThreadLocalRandom.current().nextInt(7_999_999)); // a New York number
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"Night Owl\",\"tags\":[\"" + tag + "\"]}")
                .statusCode())
                .isEqualTo(201);

        JsonNode run = StaffClient.json(staff.post("/api/reach-out/runs",
                "{\"rule\":{\"tags\":[\"" + tag
                        + "\"]},\"template\":\"Hi {{firstName}}, Green Shield Pest Control here. Reply STOP to opt out.\","
                        + "\"pacePerMinute\":60}"));
        long id = run.get("id").asLong();
        assertThat(run.get("dailyCap").asInt()).isEqualTo(450); // hub.batches.daily-size

        await().atMost(Duration.ofSeconds(15))
                .until(() -> StaffClient.json(staff.get("/api/reach-out/runs/" + id + "/recipients")).get("items").get(0)
                        .get("outcome").asText().equals("held"));
        JsonNode recipient = StaffClient.json(staff.get("/api/reach-out/runs/" + id + "/recipients")).get("items").get(0);
        assertThat(recipient.get("reason").asText()).startsWith("quiet hours");
        assertThat(Instant.parse(recipient.get("nextAttemptAt").asText())).isEqualTo(Instant.parse("2026-11-19T13:00:00Z"));
        // A few pump passes on, it still runs and says why it waits.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode progress = StaffClient.json(staff.get("/api/reach-out/runs/" + id));
            assertThat(progress.get("status").asText()).isEqualTo("RUNNING");
            assertThat(progress.get("waiting").asText()).startsWith("waiting: 1 held for quiet hours").endsWith("until 8:00");
        });

        clock.setTo(Instant.parse("2026-11-19T13:01:00Z"));
        await().atMost(Duration.ofSeconds(20)).until(() -> TwilioFake.requestsTo(TWILIO, phone).size() == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> StaffClient.json(staff.get("/api/reach-out/runs/" + id)).get("status").asText().equals("DONE"));
        assertThat(StaffClient.json(staff.get("/api/reach-out/runs/" + id + "/recipients")).get("items").get(0).get("outcome").asText())
                .isEqualTo("sent");
    }

    @Test
    void shouldSayWhyABatchHasNoOneToSendTo() {
        JsonNode run = StaffClient
                .json(staff.post("/api/warm-leads/message", "{\"template\":\"Hi\",\"campaign\":\"nobody-" + System.nanoTime() + "\"}"));

        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.get("total").asInt()).isZero();
        assertThat(run.get("note").asText()).startsWith("no warm lead of campaign nobody-");
        assertThat(staff.post("/api/warm-leads/message", "{\"template\":\"Hi\",\"dailyCap\":0}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldListExportAndFilterTheOptOuts() {
        clock.setTo(Instant.parse("2027-03-03T16:00:00Z")); // a day of this test's own
        String sms = newPhone();
        String other = newPhone();
        twilio.text(sms, "STOP");
        twilio.text(other, "please stop texting me");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM consent_state WHERE phone IN (?, ?) AND status = 'OPTED_OUT'", sms,
                        other) == 2);
        clock.setTo(Instant.parse("2027-03-05T16:00:00Z"));
        String later = newPhone();
        twilio.text(later, "STOP");

        JsonNode page = StaffClient.json(staff.get("/api/consent?status=opted_out&channel=sms&from=2027-03-03&to=2027-03-03&size=10"));
        assertThat(page.get("total").asInt()).isEqualTo(2);
        List<String> phones = new ArrayList<>();
        page.get("items").forEach(i -> phones.add(i.get("phone").asText()));
        assertThat(phones).containsExactlyInAnyOrder(sms, other);
        assertThat(page.get("items").get(0).get("source").asText()).isIn("keyword", "message");
        assertThat(StaffClient.json(staff.get("/api/consent?status=opted_out&from=2027-03-03&to=2027-03-03&size=1&page=1")).get("items"))
                .hasSize(1);
        assertThat(StaffClient.json(staff.get("/api/consent?status=opted_out&from=2027-03-04")).get("items").toString()).contains(later)
                .doesNotContain(sms);

        HttpResponse<String> csv = staff.get("/api/consent?status=opted_out&from=2027-03-03&to=2027-03-03&format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines().toList()).hasSize(3).first().isEqualTo("phone,name,channel,optedOutAt,source,text");
        assertThat(csv.body()).contains(sms.substring(1)).contains(other.substring(1)).doesNotContain(later.substring(1));

        assertThat(staff.get("/api/consent?status=opted_in").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/consent?status=opted_out&channel=fax").statusCode()).isEqualTo(400);
        assertThat(staff.get("/api/consent?status=opted_out&from=yesterday").statusCode()).isEqualTo(400);
    }

    private int sentTo(List<String> phones) {
        return phones.stream().mapToInt(p -> TwilioFake.requestsTo(TWILIO, p).size()).sum();
    }
}
