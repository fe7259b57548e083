package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.StaffClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Value;

/**
 * Console users in a real browser: the first admin creates a staff user, who signs in with their own
 * password, takes a conversation and moves it on, and finds the change under their own name in the
 * conversation's history and in the audit; a staff user cannot add users; wrong passwords lock only
 * the user they were typed for.
 */
class StaffUsersBrowserTest extends BrowserTest {

    private static final String STAFF_PASSWORD = "staff-password-for-sam";

    @Value("${hub.console.users.lock-after}")
    int lockAfter;

    @Test
    void shouldLetAnAdminAddAStaffUserWhoseChangesCarryTheirNameAndWhoseWrongPasswordsLockOnlyThem() {
        String sam = "sam." + LeadsBrowserTest.tag();
        String phone = newPhone();
        twilio.text(phone, "Hi, can someone call me about the termite treatment?");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null && c.get("messages").size() >= 2);
        long conversation = staff.conversation(phone).get("id").asLong();

        // The first admin, signed in as before, adds a staff user in the console.
        browser.size(LeadsBrowserTest.WIDE);
        browser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
        browser.open("/console/users");
        browser.find("#new-user input[name=username]").sendKeys(sam.toUpperCase());
        browser.find("#new-user input[name=password]").sendKeys(STAFF_PASSWORD);
        browser.find("#new-user button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "User"));
        assertThat(browser.find("#users tr[data-user='" + sam + "'] td[data-label=Role]").getText()).isEqualTo("staff");
        String hash = jdbc.queryForObject("SELECT password_hash FROM console_user WHERE username = ?", String.class, sam);
        assertThat(hash).as("kept as a bcrypt hash at the first-run command's cost").startsWith("$2a$12$").doesNotContain(STAFF_PASSWORD);
        browser.screenshot("users-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/users");
        browser.find("#users");
        assertThat(browser.fitsWidth()).as("users at 390 px").isTrue();
        browser.screenshot("users-390");
        logOut();

        // The staff user signs in with their own password, takes the conversation and moves it on.
        browser.size(LeadsBrowserTest.WIDE);
        browser.logIn(sam, STAFF_PASSWORD);
        assertThat(browser.find("form.logout button").getText()).contains(sam);
        browser.open("/console/conversations/" + conversation);
        browser.find("#take button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assignee"), "(you) has this conversation"));
        assertThat(jdbc.queryForObject("SELECT staff_by FROM conversation WHERE id = ?", String.class, conversation)).isEqualTo(sam);
        WebElement move = browser.driver.findElements(By.cssSelector("form.state button")).stream()
                .filter(b -> !b.getAttribute("class").contains("danger")).findFirst().orElseThrow();
        String label = move.getText();
        assertThat(label).as("a state as staff say it").doesNotContain("_");
        move.click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("ol.changes"), sam));
        assertThat(browser.find("ol.changes li:last-child").getText()).contains(label.replace("Move to ", "")).contains(sam);
        assertThat(count("SELECT count(*) FROM conversation_state_change WHERE conversation_id = ? AND actor = ?", conversation, sam))
                .isEqualTo(1);

        // The audit names them for each change, in the console and through the API.
        browser.open("/console/audit?user=" + sam);
        List<String> what = browser.driver.findElements(By.cssSelector("#audit tbody tr")).stream()
                .map(tr -> tr.findElement(By.cssSelector("td.who")).getText() + " " + tr.findElement(By.cssSelector("td.what")).getText())
                .toList();
        assertThat(what).contains(sam + " POST /console/conversations/{id}/take", sam + " POST /console/conversations/{id}/state");
        JsonNode audited = StaffClient.json(staff.get("/api/audit?user=" + sam));
        assertThat(audited.findValuesAsText("action")).contains("/console/conversations/{id}/take", "/console/conversations/{id}/state");
        assertThat(audited.findValuesAsText("keyId")).containsOnly("console");
        browser.screenshot("audit-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/audit?user=" + sam);
        browser.find("#audit");
        assertThat(browser.fitsWidth()).as("audit at 390 px").isTrue();
        browser.screenshot("audit-390");
        browser.size(LeadsBrowserTest.WIDE);

        // Staff see the users but may not add one: no form, and a forged post is a terse 403 that adds no one.
        browser.open("/console/users");
        browser.find("#users");
        assertThat(browser.driver.findElements(By.id("new-user"))).isEmpty();
        ConsoleSession asStaff = new ConsoleSession(port);
        asStaff.logIn(sam, STAFF_PASSWORD);
        String token = ConsoleSession.csrf(asStaff.get("/console/users").body());
        HttpResponse<String> refused = asStaff.post("/console/users",
                Map.of("username", "eve-" + sam, "role", "admin", "password", "eve-wants-in-1234", "_csrf", token));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("only an admin can manage users").doesNotContain("Exception");
        assertThat(count("SELECT count(*) FROM console_user WHERE username = ?", "eve-" + sam)).isZero();
        logOut();

        // Through the API as well (a key counts as an admin): a second staff user.
        String kim = "kim." + LeadsBrowserTest.tag();
        HttpResponse<String> created = staff.post("/api/users",
                "{\"username\":\"" + kim + "\",\"role\":\"staff\",\"password\":\"kims-own-password\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("kims-own-password").doesNotContain("$2a$");
        assertThat(staff.post("/api/users", "{\"username\":\"" + kim + "\",\"role\":\"staff\",\"password\":\"kims-own-password\"}")
                .statusCode())
                .isEqualTo(409);
        assertThat(staff
                .post("/api/users", "{\"username\":\"" + ConsoleSession.USER + "\",\"role\":\"staff\",\"password\":\"a-long-password\"}")
                .statusCode()).as("the first admin's name is taken").isEqualTo(409);
        assertThat(staff.post("/api/users", "{\"username\":\"lee\",\"role\":\"staff\",\"password\":\"short\"}").statusCode())
                .isEqualTo(400);
        assertThat(staff.post("/api/users", "{\"username\":\"lee\",\"role\":\"owner\",\"password\":\"long-enough-password\"}").statusCode())
                .isEqualTo(400);

        // Wrong passwords for sam lock sam, and only sam: the right password no longer opens, the others still get in.
        for (int i = 1; i <= lockAfter; i++) {
            typeLogin(sam, "not-sams-password-" + i);
            browser.until(d -> d.getCurrentUrl().contains("/login?"));
        }
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login?userlocked");
        assertThat(browser.find("p.error").getText()).contains("locked");
        typeLogin(sam, STAFF_PASSWORD);
        browser.until(d -> d.getCurrentUrl().endsWith("/login?userlocked"));
        assertThat(new ConsoleSession(port).logIn(kim, "kims-own-password").headers().firstValue("Location").orElseThrow())
                .as("another staff user").endsWith("/console");
        browser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
        JsonNode users = StaffClient.json(staff.get("/api/users"));
        assertThat(users.findParents("username").stream().filter(u -> u.get("locked").asBoolean()).map(u -> u.get("username").asText()))
                .containsExactly(sam);

        // The admin lifts the lock in the console; sam gets in again.
        browser.open("/console/users");
        browser.find("#users tr[data-user='" + sam + "'] form button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "Unlocked"));
        logOut();
        browser.logIn(sam, STAFF_PASSWORD);
        assertThat(browser.find("form.logout button").getText()).contains(sam);
        logOut();
    }

    private void typeLogin(String user, String password) {
        browser.open("/login");
        browser.driver.findElement(By.id("username")).sendKeys(user);
        browser.driver.findElement(By.id("password")).sendKeys(password);
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
    }

    private void logOut() {
        browser.find("form.logout button").click();
        browser.until(d -> d.getCurrentUrl().contains("/login?logout"));
    }
}
