package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser against the running hub: a supervisor logs in, finds and steers a
 * conversation, launches a small batch and watches it finish, and every page shows the seeded data
 * on a desktop and on a 390-pixel phone screen.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends HubIntegrationTest {

    private Browser browser;

    @BeforeAll
    void openBrowser() {
        browser = new Browser(port);
        browser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

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
        for (int i = 0; i < 15 && (focused == null || !"q".equals(focused.getAttribute("name"))); i++) {
            new org.openqa.selenium.interactions.Actions(browser.driver).sendKeys(org.openqa.selenium.Keys.TAB).perform();
            focused = browser.driver.switchTo().activeElement();
        }
        assertThat(focused.getAttribute("name")).isEqualTo("q");
        assertThat(browser.script("var s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth;"))
                .asString().doesNotStartWith("none").doesNotEndWith(" 0px");
        focused.sendKeys(tag, org.openqa.selenium.Keys.ENTER);
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
        submitState("interested");
        // The move answers with the page again: wait for it rather than read the page that was left.
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "interested"));
        assertThat(browser.find("#state").getText()).isEqualTo("interested");

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
        submitState("stop");
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("state"), "stop"));
        await().atMost(Duration.ofSeconds(5)).until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND purpose = 'opt-out-confirmation'",
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
    }

    @Test
    void shouldRenderEveryPageWithTheSeededDataOnADesktopAndAPhone() {
        String tag = tag();
        String phone = customer("Frankie " + tag, "cancelled", tag);
        twilio.text(phone, "STOP");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone) == 1);
        String warm = customer("Gale " + tag, "active", tag);
        twilio.text(warm, "YES please call me");
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(warm) != null);
        // Seeded as the daily batch would leave it: a campaign reply marks a warm lead.
        jdbc.update("UPDATE contact SET warm_lead_at = ?, warm_lead_text = 'YES please call me', warm_lead_campaign = ? WHERE phone = ?",
                java.sql.Timestamp.from(clock.instant()), "spring-" + tag, warm);
        long conversation = staff.conversation(warm).get("id").asLong();
        long lead = StaffClient.json(staff.post("/api/leads", "{\"phone\":\"" + newPhone() + "\",\"name\":\"Hana " + tag + "\",\"source\":\"manual\"}"))
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
        browser.until(d -> Boolean.TRUE.equals(browser.script("var c = document.getElementById('funnel-chart'); return !!(c && c.chart);")));
        // The figures are the API's own: the funnel's first stage and the week's warm leads.
        String leads = StaffClient.json(staff.get("/api/analytics/funnel")).get("rows").get(0).get("leads").asText();
        assertThat(browser.find("section[aria-labelledby=funnel-title] tbody tr td:nth-child(2)").getText()).isEqualTo(leads);
        assertThat(Integer.parseInt(leads)).isPositive();
        browser.open("/console/warm-leads");
        String week = StaffClient.json(staff.get("/api/warm-leads/counts")).get("last7Days").asText();
        assertThat(browser.find("#warm-week").getText()).isEqualTo(week);
        assertThat(Integer.parseInt(week)).isPositive();

        // Renewed consent, as staff confirmed it, opens the number again.
        browser.open("/console/consent?phone=" + phone.replace("+", "%2B"));
        browser.find("textarea[name=evidence]").sendKeys("Called us on 11/18 and asked for reminders again");
        browser.find("form.renew button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("consent-status"), "OPTED_IN"));
        assertThat(count("SELECT count(*) FROM consent_event WHERE phone = ? AND actor = ? AND source = 'STAFF'", phone, ConsoleSession.USER))
                .isEqualTo(1);
    }

    private void submitState(String state) {
        browser.driver.findElement(By.xpath("//form[contains(@class,'state')]//button[normalize-space()='Move to " + state + "']")).click();
    }

    /** A customer with a service record, tagged so a test finds only its own. */
    private String customer(String name, String status, String tag) {
        String phone = newPhone();
        String cancelled = status.equals("cancelled") ? ",\"cancelledOn\":\"2026-09-01\"" : "";
        assertThat(staff.post("/api/customers", "{\"phone\":\"" + phone + "\",\"name\":\"" + name + "\",\"serviceStatus\":\"" + status + "\""
                + cancelled + ",\"lastServiceOn\":\"2026-08-15\",\"tags\":[\"" + tag + "\"],\"serviceHistory\":[{\"service\":\"Aeration\","
                + "\"performedOn\":\"2026-08-15\",\"notes\":\"front lawn\"}]}").statusCode()).isEqualTo(201);
        return phone;
    }

    /** Letters only: a tag with digits would read as a phone number in searches. */
    private static String tag() {
        StringBuilder tag = new StringBuilder("t");
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < 7; i++) {
            tag.append((char) ('a' + random.nextInt(26)));
        }
        return tag.toString();
    }
}
