package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.abtest.Statistics;
import com.retentionhub.support.StaffClient;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A/B tests in a real browser: an operator plans the sample size, sets a test up on a sequence
 * step with a script per arm, and follows it: per-arm figures, the verdict in words, and the
 * sample-ratio alarm when the arms' sizes are implausible for an even split.
 */
class AbTestsBrowserTest extends SignedInBrowserTest {

    @Test
    void shouldPlanSetUpAndFollowATestToItsVerdictAndRaiseTheSampleRatioAlarm() {
        String tag = LeadsBrowserTest.tag();
        for (String arm : new String[] {"a", "b"}) {
            assertThat(staff
                    .post("/api/scripts", "{\"name\":\"" + tag + "-" + arm + "\",\"channel\":\"SMS\",\"body\":\"Hi {{firstName}} (" + arm
                            + "), {{business}} here. Reply STOP to opt out.\"}")
                    .statusCode()).isEqualTo(201);
        }
        long sequence = StaffClient.json(staff.post("/api/sequences", "{\"name\":\"" + tag + "-ab\",\"status\":\"ACTIVE\",\"steps\":["
                + LeadsBrowserTest.step("SMS", 0, "minutes", tag + "-a", "") + "]}")).get("id").asLong();
        long step = jdbc.queryForObject("SELECT id FROM sequence_step WHERE sequence_id = ?", Long.class, sequence);

        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/ab-tests");
        WebElement form = browser.find("form.new-test");
        form.findElement(By.name("name")).sendKeys(tag + "-opener");
        new Select(form.findElement(By.name("stepId"))).selectByValue(String.valueOf(step));
        form.findElements(By.name("armScripts")).get(0).sendKeys(tag + "-a");
        form.findElements(By.name("armScripts")).get(1).sendKeys(tag + "-b");
        form.findElement(By.name("baseline")).sendKeys("10");
        form.findElement(By.name("lift")).sendKeys("20");
        browser.driver.findElement(By.xpath("//button[normalize-space()='Plan']")).click();
        browser.until(ExpectedConditions.presenceOfElementLocated(By.id("plan")));
        long perArm = Statistics.sampleSizePerArm(0.10, 0.20, 0.05, 0.8);
        assertThat(browser.find("#plan").getText()).startsWith(perArm + " leads per arm (" + 2 * perArm + " for two arms)");
        // The plan kept what was typed: launch from here.
        assertThat(browser.find("form.new-test input[name=name]").getAttribute("value")).isEqualTo(tag + "-opener");
        browser.driver.findElement(By.xpath("//button[normalize-space()='Launch test']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "A/B test launched"));
        long test = jdbc.queryForObject("SELECT id FROM ab_test WHERE name = ?", Long.class, tag + "-opener");
        assertThat(jdbc.queryForObject("SELECT step_id FROM ab_test WHERE id = ?", Long.class, test)).isEqualTo(step);
        assertThat(browser.find("#test-" + test + " .verdict").getText()).isEqualTo("Running: no lead has been assigned yet.");

        // Leads walk the step as the processor assigns them; B converts far better.
        seed(test, 0, 600, 30);
        seed(test, 1, 600, 300);
        browser.open("/console/ab-tests");
        WebElement card = browser.find("#test-" + test);
        assertThat(card.findElement(By.cssSelector(".verdict")).getText()).startsWith("Decided: B converts better (always-valid p ");
        assertThat(card.findElement(By.cssSelector("table.arms")).getText()).contains("A " + tag + "-a 600 30 5.0%")
                .contains("B (winner) " + tag + "-b 600 300 50.0%");
        assertThat(card.findElements(By.cssSelector(".srm"))).isEmpty();

        // Another test whose arms got 300 and 150 leads (in a campaign of its own, so it gives no other test's leads its scripts): the assignment is suspect, and the page says so instead of a verdict.
        long skewed = StaffClient.json(staff.post("/api/ab-tests", "{\"name\":\"" + tag + "-skewed\",\"campaign\":\"" + tag
                + "-nowhere\",\"channel\":\"sms\",\"variants\":[{\"name\":\"A\","
                + "\"script\":\"" + tag + "-a\"},{\"name\":\"B\",\"script\":\"" + tag + "-b\"}]}")).get("id").asLong();
        seed(skewed, 0, 300, 10);
        seed(skewed, 1, 150, 5);
        browser.open("/console/ab-tests");
        assertThat(browser.find("#test-" + skewed + " .srm").getText())
                .startsWith("Sample ratio mismatch: the arms got 300 leads and 150 leads")
                .contains("do not trust");
        assertThat(StaffClient.json(staff.get("/api/ab-tests/" + skewed)).get("sampleRatioAlarm").asBoolean()).isTrue();
        browser.screenshot("ab-tests-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/ab-tests");
        browser.find("form.new-test");
        assertThat(browser.fitsWidth()).as("A/B tests at 390 px; wider: %s",
                browser.script("return Array.from(document.querySelectorAll('main *'))"
                        + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className"
                        + " + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');"))
                .isTrue();
        browser.screenshot("ab-tests-390");
    }

    /** Assignments as the sequence processor leaves them (lead ids of their own; the table holds no lead key), some converted. */
    private void seed(long test, int arm, int assigned, int converted) {
        long variant = jdbc.queryForObject("SELECT id FROM ab_variant WHERE test_id = ? AND position = ?", Long.class, test, arm + 1);
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < assigned; i++) {
            rows.add(new Object[] {test, 900_000_000L + test * 10_000 + arm * 1_000 + i, variant, now, i < converted ? now : null});
        }
        jdbc.batchUpdate("INSERT INTO ab_assignment (test_id, lead_id, variant_id, assigned_at, converted_at) VALUES (?, ?, ?, ?, ?)", rows,
                new int[] {Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.TIMESTAMP, Types.TIMESTAMP});
    }
}
