package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The way a newcomer walks in: the hub's address leads to the console, and a dry run picks its lead by name or phone. */
class NewcomerPathTest extends HubIntegrationTest {

    @Test
    void shouldSendABrowserFromTheRootToTheConsoleWhileTheApiStillWantsAKey() {
        ConsoleSession browser = new ConsoleSession(port);
        HttpResponse<String> root = browser.get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElseThrow()).endsWith("/console");
        assertThat(browser.get("/console").headers().firstValue("Location").orElseThrow()).endsWith("/login");

        assertThat(new StaffClient(port, "no-such-key").get("/api/leads").statusCode()).isEqualTo(401);
    }

    @Test
    void shouldShowTheDryRunForALeadPickedByNameOrPhoneWhenStaffDoNotKnowItsId() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String phone = newPhone();
        staff.post("/api/leads", "{\"name\":\"Robin " + tag + "\",\"phone\":\"" + phone + "\"}");
        staff.post("/api/leads", "{\"name\":\"Robin " + tag + " Senior\",\"phone\":\"" + newPhone() + "\"}");
        JsonNode sequences = StaffClient.json(staff.get("/api/sequences"));
        long sequence = sequences.get(0).get("id").asLong();
        ConsoleSession console = new ConsoleSession(port);
        console.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);

        String byPhone = console.get("/console/sequences/" + sequence + "?lead=" + phone.substring(2)).body();
        assertThat(byPhone).contains("Dry-run timeline").doesNotContain("Matching leads");

        String byName = console.get("/console/sequences/" + sequence + "?lead=robin+" + tag).body();
        assertThat(byName).contains("Matching leads").contains("Robin " + tag + " Senior").doesNotContain("Dry-run timeline");

        String nobody = console.get("/console/sequences/" + sequence + "?lead=nobody-" + tag).body();
        assertThat(nobody).contains("no lead matches").doesNotContain("Dry-run timeline");
    }
}
