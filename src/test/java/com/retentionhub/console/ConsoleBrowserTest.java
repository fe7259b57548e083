package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.consent.ReConsent;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.support.StaffClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The console in a real browser against the running hub: a supervisor logs in, finds and steers a
 * conversation, launches a small batch and watches it finish, and every page shows the seeded data
 * on a desktop and on a 390-pixel phone screen.
 */
class ConsoleBrowserTest extends SignedInBrowserTest {

    @Test
    void shouldFindReadAndSteerAConversation() {
        String tag = tag();
        String phone = customer("Dana " + tag, "cancelled", tag);
        twilio.text(phone, "Hi, can I get the spring treatment again?");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null && c.get("messages").size() >= 2);

        browser.size(Browser.DESKTOP);
        browser.open("/console/conversations");
        // Keyboard only: Tab from the top reaches the search box, which shows where the focus is; Enter searches.
        WebElement focused = null;
        for (int i = 0; i < 40 && (focused == null || !"q".equals(focused.getAttribute("name"))); i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            focused = browser.driver.switchTo().activeElement();
        }
        assertThat(focused.getAttribute("name")).isEqualTo("q");
        assertThat(browser.script("var s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth;"))
                .asString().doesNotStartWith("none").doesNotEndWith(" 0px");
        focused.sendKeys(tag, Keys.ENTER);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("roster"), "Dana " + tag));
        // A second customer writes in: the roster shows them without a reload.
        String second = customer("Eli " + tag, "active", tag);
        twilio.text(second, "Do you do mosquito treatments?");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("roster"), "Eli " + tag));
        browser.screenshot("conversations-desktop");

        browser.driver.findElement(By.linkText("Dana " + tag)).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("thread"), "spring treatment again"));
        assertThat(browser.find("aside").getText()).contains("cancelled").contains("Aeration");
        browser.find("form.state button").isDisplayed();
        submitState("Interested");
        // The move answers with the page again: wait for it rather than read the page that was left.
        browser.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "interested"));
        // Said as staff say it, not as the flow file spells it.
        assertThat(browser.find("#state").getText()).isEqualTo("Interested");

        browser.find("#body").sendKeys("Hi Dana, this is Maria. I can book you Tuesday at 10.");
        browser.find("form.send button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Sent"));
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("thread"), "this is Maria"));
        assertThat(browser.find(".banner").getText()).contains(ConsoleSession.USER).contains("the AI stays quiet");
        browser.screenshot("conversation-desktop");
        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ? AND body LIKE 'Hi Dana, this is Maria%'", phone)).isEqualTo(1);

        browser.find("form[action$='/handback'] button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Handed back"));
        assertThat(browser.driver.findElements(By.cssSelector("form[action$='/handback']"))).isEmpty();

        // STOP asks first, then sends the same confirmation a customer's STOP gets.
        submitState("Opted out");
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.attributeToBe(By.id("state"), "data-state", "stop"));
        assertThat(browser.find("#state").getText()).isEqualTo("Opted out");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'opt-out-confirmation'",
                        phone) == 1);
    }

    @Test
    void shouldLaunchASmallBatchAndWatchItsProgressBarReachOneHundredPercent() {
        toggle.setLive(true);
        String tag = tag();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            phones.add(customer("Batch" + i + " " + tag, "cancelled", tag));
        }
        browser.size(Browser.DESKTOP);
        browser.open("/console/reach-out");
        new Select(browser.find("select[name=serviceStatus]")).selectByVisibleText("cancelled");
        browser.find("input[name=tags]").sendKeys(tag);
        browser.driver.findElement(By.xpath("//button[normalize-space()='Preview candidates']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#preview .count"), "4 candidates"));
        assertThat(browser.find("#preview table").getText()).contains("Batch0 " + tag).contains("Batch3 " + tag);

        browser.find("textarea[name=template]").sendKeys("Hi {{firstName}}, we miss you at {{business}}! Reply STOP to opt out.");
        WebElement pace = browser.find("input[name=pacePerMinute]");
        pace.clear();
        pace.sendKeys("600");
        browser.driver.findElement(By.xpath("//button[normalize-space()='Launch run']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Run launched"));
        long runId = jdbc.queryForObject("SELECT max(id) FROM outreach_run WHERE rule LIKE ?", Long.class, "%" + tag + "%");

        WebElement bar = browser.find("#run-" + runId + " .percent");
        browser.screenshot("reach-out-running");
        browser.until(d -> d.findElement(By.cssSelector("#run-" + runId + " .percent")).getText().equals("100%"));
        browser.screenshot("reach-out-done");

        assertThat(bar).isNotNull();
        assertThat(browser.find("#run-" + runId + " progress").getAttribute("value")).isEqualTo("100");
        assertThat(browser.find("#run-" + runId + " .figures").getText()).contains("4 total").contains("4 sent");
        assertThat(count("SELECT count(*) FROM outbox WHERE run_id = ? AND status = 'SENT'", runId)).isEqualTo(4);
        // Opened directly (a bookmark), the run is a page in the console's frame.
        browser.open("/console/runs/" + runId);
        assertThat(browser.find("header.top nav").getText()).contains("Reach-out");
        assertThat(browser.find("#run-" + runId + " .percent").getText()).isEqualTo("100%");
    }

    @Test
    void shouldRenderEveryPageWithTheSeededDataOnADesktopAndAPhone() {
        String tag = tag();
        String phone = customer("Frankie " + tag, "cancelled", tag);
        twilio.text(phone, "STOP");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone) == 1);
        String warm = customer("Gale " + tag, "active", tag);
        twilio.text(warm, "YES please call me");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(warm) != null);
        // Seeded as the daily batch would leave it: a campaign reply marks a warm lead.
        jdbc.update("UPDATE contact SET warm_lead_at = ?, warm_lead_text = 'YES please call me', warm_lead_campaign = ? WHERE phone = ?",
                Timestamp.from(clock.instant()), "spring-" + tag, warm);
        long conversation = staff.conversation(warm).get("id").asLong();
        long lead = StaffClient
                .json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"name\":\"Hana " + tag + "\",\"source\":\"manual\"}"))
                .path("id").asLong();

        record Page(String name, String path, String mustShow) {}
        List<Page> pages = List.of(
                new Page("conversations", "/console/conversations?q=" + tag, "Gale " + tag),
                new Page("conversation", "/console/conversations/" + conversation, "YES please call me"),
                new Page("reach-out", "/console/reach-out", "Runs"),
                new Page("warm-leads", "/console/warm-leads", "Gale " + tag),
                new Page("sequences", "/console/sequences?lead=" + lead, "Dry run"),
                new Page("learning", "/console/learning", "Funnel"),
                new Page("consent", "/console/consent?phone=" + phone.replace("+", "%2B"), "OPTED_OUT"));
        for (Dimension size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.size(size);
            for (Page page : pages) {
                browser.open(page.path());
                browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), page.mustShow()));
                assertThat(browser.fitsWidth()).as(page.name() + " at " + size.getWidth() + " px").isTrue();
                browser.screenshot(page.name() + "-" + size.getWidth());
            }
        }

        browser.size(Browser.DESKTOP);
        browser.open("/console/sequences?lead=" + lead);
        assertThat(browser.find("ol.timeline").findElements(By.tagName("li"))).isNotEmpty();
        browser.open("/console/learning");
        browser.until(
                d -> Boolean.TRUE.equals(browser.script("var c = document.getElementById('funnel-chart'); return !!(c && c.chart);")));
        // The figures are the API's own: the funnel's first stage and the week's warm leads.
        String leads = StaffClient.json(staff.get("/api/analytics/funnel")).get("rows").get(0).get("leads").asText();
        assertThat(browser.find("section[aria-labelledby=funnel-title] tbody tr td:nth-child(2)").getText()).isEqualTo(leads);
        assertThat(Integer.parseInt(leads)).isPositive();
        browser.open("/console/warm-leads");
        String week = StaffClient.json(staff.get("/api/warm-leads/counts")).get("last7Days").asText();
        assertThat(browser.find("#warm-week").getText()).isEqualTo(week);
        // The per-day chart draws the API's own figures: its bars add up to the week.
        browser.until(d -> Boolean.TRUE.equals(browser.script("var c = document.getElementById('warm-chart'); return !!(c && c.chart);")));
        assertThat(browser.script("return document.getElementById('warm-chart').chart.data.datasets[0].data.reduce((a, b) => a + b, 0);"))
                .asString().isEqualTo(week);
        assertThat(Integer.parseInt(week)).isPositive();

        // Renewed consent, as staff confirmed it, opens the number again.
        browser.open("/console/consent?phone=" + phone.replace("+", "%2B"));
        browser.find("textarea[name=evidence]").sendKeys("Called us on 11/18 and asked for reminders again");
        browser.find("form.renew button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("consent-status"), "OPTED_IN"));
        assertThat(
                count("SELECT count(*) FROM consent_event WHERE phone = ? AND actor = ? AND source = 'STAFF'", phone, ConsoleSession.USER))
                .isEqualTo(1);
    }

    /** Clicks the move to a state, named as the page names it (the state's label). */
    private void submitState(String state) {
        browser.driver.findElement(By.xpath("//form[contains(@class,'state')]//button[normalize-space()='Move to " + state + "']")).click();
    }

    @Autowired
    Outbox outbox;

    @Autowired
    ReConsent reConsent;

    /** Issue 22: a held text shows why and until when; under the staff re-consent rule a START waits on the Consent page. */
    @Test
    void shouldShowWhyATextIsHeldAndWhoAsksToBeTextedAgain() {
        toggle.setLive(true);
        clock.setTo(Instant.parse("2026-11-19T07:00:00Z")); // 2:00 in New York
        String held = "+1646" + (2_000_000 + ThreadLocalRandom.current().nextInt(7_999_999));
        outbox.enqueue(Outbox.Message.sms("console-held:" + held, held, "Your technician comes Friday."));
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(held) != null
                && staff.conversation(held).get("messages").get(0).get("status").asText().equals("held"));

        browser.size(Browser.DESKTOP);
        browser.open("/console/conversations/" + staff.conversation(held).get("id").asLong());
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "quiet hours"));
        assertThat(browser.find("#thread .held").getText()).startsWith("(quiet hours").contains("next try");

        reConsent.use(ReConsent.Rule.STAFF);
        try {
            String back = newPhone();
            twilio.text(back, "STOP");
            twilio.text(back, "START");
            browser.open("/console/consent");
            browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), back));
            assertThat(browser.find("#consent-requests").getText()).contains(back).contains("START");
        } finally {
            reConsent.use(ReConsent.Rule.KEYWORD);
        }
    }

    /** A customer with a service record, tagged so a test finds only its own. */
    private String customer(String name, String status, String tag) {
        String phone = newPhone();
        String cancelled = status.equals("cancelled") ? ",\"cancelledOn\":\"2026-09-01\"" : "";
        assertThat(staff.post("/api/customers",
                "{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\",\"serviceStatus\":\"" + status + "\""
                        + cancelled + ",\"lastServiceOn\":\"2026-08-15\",\"tags\":[\"" + tag
                        + "\"],\"serviceHistory\":[{\"service\":\"Aeration\","
                        + "\"performedOn\":\"2026-08-15\",\"notes\":\"front lawn\"}]}")
                .statusCode()).isEqualTo(201);
        return phone;
    }

    /** Letters only: a tag with digits would read as a phone number in searches. */
    private static String tag() {
        StringBuilder tag = new StringBuilder("t");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 7; i++) {
            tag.append((char) ('a' + random.nextInt(26)));
        }
        return tag.toString();
    }
}
