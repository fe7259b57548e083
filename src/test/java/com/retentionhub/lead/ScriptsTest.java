package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Scripts per channel: the campaign's own wins over the channel default; broken templates are refused when saved. */
class ScriptsTest extends HubIntegrationTest {

    @Autowired
    Scripts scripts;

    @Test
    void shouldPreferTheCampaignsOwnScriptOverTheDefault() {
        String name = "welcome-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"sms\",\"body\":\"Hi {{firstName}}, welcome!\"}")
                .statusCode())
                .isEqualTo(201);
        var own = staff.post("/api/scripts",
                "{\"name\":\"" + name + "\",\"channel\":\"SMS\",\"campaign\":\"spring\",\"body\":\"Spring is here, {{firstName}}!\"}");
        assertThat(own.statusCode()).isEqualTo(201);

        assertThat(scripts.resolve(name, "sms", "spring").orElseThrow().body()).isEqualTo("Spring is here, {{firstName}}!");
        assertThat(scripts.resolve(name, "sms", "autumn").orElseThrow().body()).isEqualTo("Hi {{firstName}}, welcome!");
        assertThat(scripts.resolve(name, "email", "spring")).isEmpty();

        long id = StaffClient.json(own).path("id").asLong();
        assertThat(staff.delete("/api/scripts/" + id).statusCode()).isEqualTo(204);
        assertThat(scripts.resolve(name, "sms", "spring").orElseThrow().body()).isEqualTo("Hi {{firstName}}, welcome!");
    }

    @Test
    void shouldRefuseBrokenTemplatesMissingSubjectsAndDuplicates() {
        String name = "s-" + ThreadLocalRandom.current().nextInt(1_000_000);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"sms\",\"body\":\"Hi {{firstName\"}").statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"email\",\"body\":\"Hello\"}").statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"fax\",\"body\":\"Hello\"}").statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"sms\",\"body\":\"Hello\"}").statusCode())
                .isEqualTo(201);
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"sms\",\"body\":\"Hello again\"}").statusCode())
                .isEqualTo(409);
    }
}
