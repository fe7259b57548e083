package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.StaffClient;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The learning page's polish: the funnel of one chosen sequence (never step N of every sequence
 * merged), revenue with its currency, and a word list not led by "a", "to" and "hi".
 */
class LearningBrowserTest extends SignedInBrowserTest {

    @Test
    void shouldDrawOneSequencesFunnelRevenueWithItsCurrencyAndWordsWithoutStopWords() {
        String tag = LeadsBrowserTest.tag();
        assertThat(staff
                .post("/api/scripts", "{\"name\":\"" + tag + "-sms\",\"channel\":\"SMS\",\"body\":\"Hi {{firstName}}, it's {{business}}."
                        + " Reply STOP to opt out.\"}")
                .statusCode()).isEqualTo(201);
        long two = sequence(tag + "-two", LeadsBrowserTest.step("SMS", 0, "minutes", tag + "-sms", ""),
                LeadsBrowserTest.step("SMS", 1, "days", tag + "-sms", ""));
        sequence(tag + "-three", LeadsBrowserTest.step("SMS", 0, "minutes", tag + "-sms", ""),
                LeadsBrowserTest.step("SMS", 1, "days", tag + "-sms", ""), LeadsBrowserTest.step("SMS", 2, "days", tag + "-sms", ""));
        long lead = StaffClient
                .json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"name\":\"Ira " + tag + "\",\"source\":\"manual\"}"))
                .get("id").asLong();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("INSERT INTO conversion (sub_id, tid, status, payout, currency, lead_id, campaign, received_at, updated_at)"
                + " VALUES (?, ?, 'sale', 1240.50, 'USD', ?, NULL, ?, ?)", "sub-" + tag, "tid-" + tag, lead, now, now);
        // Word counts as the nightly rollup leaves them: filler words convert as well as the best wording.
        Date today = Date.valueOf(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        for (Object[] term : List.of(new Object[] {"", 2000, 300}, new Object[] {"a", 1900, 890}, new Object[] {"to", 1900, 890},
                new Object[] {"hi", 1800, 880}, new Object[] {"to the", 1500, 800}, new Object[] {"free visit", 1000, 900})) {
            jdbc.update("INSERT INTO word_stat (sent_on, campaign, channel, term, sends, conversions) VALUES (?, ?, 'sms', ?, ?, ?)", today,
                    tag,
                    term[0], term[1], term[2]);
        }

        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/learning");
        browser.find("#funnel-title");
        // All sequences: no "step N" row, and the page says why.
        assertThat(stages()).doesNotContain("step 1 executed", "step 2 executed").contains("leads", "enrolled", "converted");
        assertThat(browser.find("#steps-left-out").getText()).contains("choose a sequence");
        // Revenue with its currency, the API's own figure.
        JsonNode overview = StaffClient.json(staff.get("/api/analytics/overview")).get("summary");
        assertThat(overview.get("currency").asText()).isEqualTo("USD");
        String revenue = browser.find("#revenue").getText();
        assertThat(revenue).startsWith("$").contains(",")
                .isEqualTo(String.format(Locale.US, "$%,.2f", overview.get("revenue").decimalValue()));
        // Words that carry meaning lead, not filler.
        List<String> words = browser.driver.findElements(By.cssSelector("section[aria-labelledby=words-title] tbody tr td:first-child"))
                .stream()
                .map(WebElement::getText).toList();
        assertThat(words).contains("free visit").doesNotContain("a", "to", "hi", "to the");
        assertThat(StaffClient.json(staff.get("/api/analytics/words?minSample=5")).get("rows").findValuesAsText("term"))
                .doesNotContain("a", "to", "hi", "to the");
        browser.screenshot("learning-1400");

        // One sequence chosen: its own steps, as the API counts them for that sequence alone.
        new Select(browser.find("#sequence-filter")).selectByVisibleText(tag + "-two");
        browser.find("form.filters button[type=submit]").click();
        browser.until(d -> d.getCurrentUrl().contains("sequence=" + two));
        assertThat(browser.find("#funnel-title").getText()).endsWith(tag + "-two");
        List<String> expected = new ArrayList<>();
        StaffClient.json(staff.get("/api/analytics/funnel?sequence=" + two)).get("rows")
                .forEach(r -> expected.add(r.get("stage").asText()));
        assertThat(stages()).isEqualTo(expected).contains("step 1 executed", "step 2 executed").doesNotContain("step 3 executed");
        assertThat(browser.driver.findElements(By.id("steps-left-out"))).isEmpty();
        browser.size(Browser.PHONE);
        browser.open("/console/learning?sequence=" + two);
        browser.find("#funnel-title");
        assertThat(browser.fitsWidth()).as("learning at 390 px").isTrue();
        browser.screenshot("learning-390");
    }

    private List<String> stages() {
        return browser.driver.findElements(By.cssSelector("section[aria-labelledby=funnel-title] tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
    }

    private long sequence(String name, String... steps) {
        return StaffClient
                .json(staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"status\":\"ACTIVE\",\"steps\":[" + String.join(",", steps)
                        + "]}"))
                .get("id").asLong();
    }
}
