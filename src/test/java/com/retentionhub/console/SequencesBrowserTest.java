package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.StaffClient;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The sequence editor in a real browser: an operator creates a sequence, adds, edits, reorders and
 * removes steps with delays typed as people say them, sees a wrong delay refused in the page with
 * nothing changed, reads per-step figures after leads walked it, and dry-runs it for a lead found
 * by name, with the quiet-hours hold marked and the rendered text shown.
 */
class SequencesBrowserTest extends SignedInBrowserTest {

    @Test
    void shouldEditASequencesStepsInThePageAndRefuseAWrongDelayWithoutChangingAnything() {
        String tag = LeadsBrowserTest.tag();
        script(tag + "-hi", "SMS", null, "Hi {{firstName}}, it's {{business}}. Reply STOP to opt out.");
        script(tag + "-mail", "EMAIL", "Spring visit", "Hi {{firstName}}, shall we book?");
        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/sequences");
        WebElement create = browser.find("form.new-sequence");
        create.findElement(By.name("name")).sendKeys(tag + "-nurture");
        create.findElement(By.name("script")).sendKeys(tag + "-hi");
        create.findElement(By.cssSelector("button")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Sequence created as a draft"));
        long sequence = jdbc.queryForObject("SELECT id FROM sequence WHERE name = ?", Long.class, tag + "-nurture");

        addStep("EMAIL", "3 days", tag + "-mail");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step added"));
        assertThat(browser.find("ol.steps").getText()).contains("Wait 3 days · 3 days after enrollment").doesNotContain("4320")
                .doesNotContain("min");

        // A delay that is not one: said next to the form, the typed text kept, nothing stored.
        addStep("SMS", "3 dayz", tag + "-hi");
        browser.until(
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("form.add-step .error"), "\"3 dayz\" is not a delay"));
        assertThat(browser.find("form.add-step input[name=delay]").getAttribute("value")).isEqualTo("3 dayz");
        assertThat(steps(sequence)).isEqualTo(2);
        // A script that does not exist for the channel is refused the same way.
        addStep("SMS", "1 day", "no-such-script");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("form.add-step .error"),
                "no text script named 'no-such-script'"));
        assertThat(steps(sequence)).isEqualTo(2);

        long second = jdbc.queryForObject("SELECT id FROM sequence_step WHERE sequence_id = ? AND position = 2", Long.class, sequence);
        editStep(second, "soon");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#step-" + second + " .error"),
                "write it like \"3 days\""));
        assertThat(jdbc.queryForObject("SELECT delay_minutes FROM sequence_step WHERE id = ?", Long.class, second)).isEqualTo(4320);
        browser.screenshot("sequence-invalid-delay-1400");
        editStep(second, "12 hours");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step saved"));
        assertThat(jdbc.queryForObject("SELECT delay_minutes FROM sequence_step WHERE id = ?", Long.class, second)).isEqualTo(720);
        assertThat(browser.find("#step-" + second + " .wait").getText()).startsWith("Wait 12 hours");

        // Reorder, and remove a step that never ran.
        browser.find("#step-" + second + " form[action$='/move'] button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step moved"));
        assertThat(jdbc.queryForObject("SELECT position FROM sequence_step WHERE id = ?", Integer.class, second)).isEqualTo(1);
        addStep("SMS", "1 day 6 hours", tag + "-hi");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step added"));
        assertThat(browser.find("ol.steps").getText()).contains("Wait 1 day 6 hours");
        long third = jdbc.queryForObject("SELECT id FROM sequence_step WHERE sequence_id = ? AND position = 3", Long.class, sequence);
        browser.find("#step-" + third + " form[action$='/delete'] button").click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step removed"));
        assertThat(steps(sequence)).isEqualTo(2);

        // Now: the text at once, then 12 hours later the email, only if the lead has not replied.
        long first = jdbc.queryForObject("SELECT id FROM sequence_step WHERE sequence_id = ? AND position = 2", Long.class, sequence);
        browser.find("#step-" + first + " form[action$='/move'] button").click(); // the text first again
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step moved"));
        browser.find("#step-" + second + " summary").click();
        browser.find("#step-" + second + " input[name=conditions][value=only-if-no-reply]").click();
        browser.find("#step-" + second + " form.step-form button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Step saved"));
        browser.driver.findElement(By.xpath("//button[normalize-space()='Activate']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sequence-status"), "active"));

        // Two leads walk it: one replies (the email is skipped for it), one does not.
        List<Long> leads = List.of(lead("Sam " + tag, newPhone(), tag + "a@example.com"),
                lead("Kim " + tag, newPhone(), tag + "b@example.com"));
        leads.forEach(id -> assertThat(staff.post("/api/sequences/" + sequence + "/enroll", "{\"leadId\":" + id + "}").statusCode())
                .isEqualTo(201));
        process();
        String replier = jdbc.queryForObject("SELECT phone FROM leads WHERE id = ?", String.class, leads.get(0));
        twilio.text(replier, "Thanks! Can you come Monday?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id"
                        + " JOIN contact t ON t.id = c.contact_id WHERE t.phone = ? AND m.direction = 'IN'", replier) == 1);
        clock.advance(Duration.ofHours(13));
        process();
        browser.open("/console/sequences/" + sequence);
        assertThat(browser.find("#step-" + first + " .figures").getText()).startsWith("2 executed · 0 skipped · 0 failed · 0 conversions");
        assertThat(browser.find("#step-" + second + " .figures").getText())
                .isEqualTo("1 executed · 1 skipped (the lead replied: 1) · 0 failed · 0 conversions");
        assertThat(browser.find("#step-" + second + " .step-card").getText()).contains("only if the lead has not replied");
        assertThat(browser.find("[aria-label=Enrollments]").getText()).contains("completed enrollments").doesNotContain("{");
        // The figures are the API's own.
        var figures = StaffClient.json(staff.get("/api/sequences/" + sequence + "/step-figures"));
        assertThat(figures.get(1).get("skippedBy").get(0).get("reason").asText()).isEqualTo("the lead replied");
        assertThat(figures.get(1).get("delay").asText()).isEqualTo("12 hours");
        browser.screenshot("sequence-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/sequences/" + sequence);
        browser.find("ol.steps");
        assertThat(browser.fitsWidth()).as("sequence at 390 px").isTrue();
        browser.screenshot("sequence-390");
    }

    @Test
    void shouldDryRunForALeadFoundByNameWithTheQuietHoursHoldMarkedAndTheTextRendered() {
        String tag = LeadsBrowserTest.tag();
        script(tag + "-hi", "SMS", null, "Hi {{firstName}}, it's {{business}}. Reply STOP to opt out.");
        long sequence = StaffClient.json(staff.post("/api/sequences", "{\"name\":\"" + tag + "-dry\",\"status\":\"ACTIVE\",\"steps\":["
                + LeadsBrowserTest.step("SMS", 0, "minutes", tag + "-hi", "") + ","
                + LeadsBrowserTest.step("SMS", 60, "hours", tag + "-hi", "") + "]}"))
                .get("id").asLong();
        lead("Jordan " + tag, "+1212" + newPhone().substring(5), null);
        // 10:30 PM in New York: the first text waits for the morning.
        clock.setTo(LocalDateTime.parse("2026-11-18T22:30").atZone(ZoneId.of("America/New_York")).toInstant());

        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/sequences/" + sequence);
        browser.find("input[name=lead]").sendKeys("Jordan " + tag);
        browser.driver.findElement(By.xpath("//button[normalize-space()='Show timeline']")).click();
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ol.timeline li")));
        List<WebElement> steps = browser.driver.findElements(By.cssSelector("ol.timeline li"));
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).getAttribute("data-outcome")).isEqualTo("held");
        assertThat(steps.get(0).getText()).contains("held until").contains("quiet hours").contains("Hi Jordan, it's");
        assertThat(steps.get(1).getAttribute("data-outcome")).isEqualTo("sent");
        browser.screenshot("sequence-dry-run-1400");
        assertThat(count("SELECT count(*) FROM enrollment WHERE sequence_id = ?", sequence)).as("a dry run stores nothing").isZero();
    }

    private void addStep(String channel, String delay, String script) {
        WebElement form = browser.find("form.add-step");
        new Select(form.findElement(By.name("channel"))).selectByValue(channel);
        WebElement wait = form.findElement(By.name("delay"));
        wait.clear();
        wait.sendKeys(delay);
        WebElement name = form.findElement(By.name("script"));
        name.clear();
        name.sendKeys(script);
        form.findElement(By.cssSelector("button")).click();
    }

    private void editStep(long step, String delay) {
        if (!"true".equals(browser.find("#step-" + step + " details").getAttribute("open"))) {
            browser.find("#step-" + step + " summary").click();
        }
        WebElement wait = browser.find("#step-" + step + " input[name=delay]");
        wait.clear();
        wait.sendKeys(delay);
        browser.find("#step-" + step + " form.step-form button").click();
    }

    private int steps(long sequence) {
        return count("SELECT count(*) FROM sequence_step WHERE sequence_id = ?", sequence);
    }

    private long lead(String name, String phone, String email) {
        return StaffClient.json(staff.post("/api/leads", "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\"" + (email == null
                ? ""
                : ",\"email\":\"" + email + "\"") + "}")).get("id").asLong();
    }
}
