package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.conversation.Segments;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.support.StaffClient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Campaigns and scripts in a real browser: an operator creates and edits a campaign, and writes a
 * script while the page shows it rendered for a chosen lead, with the segment count and encoding
 * the hub's own counter gives, the fields and their defaults, and the compliance wording checks.
 */
class ScriptsBrowserTest extends SignedInBrowserTest {

    @Autowired
    BusinessProfile business;

    @Test
    void shouldShowAScriptRenderedForALeadWithTheSegmentCountTheCounterGives() {
        String tag = LeadsBrowserTest.tag();
        StaffClient.json(staff.post("/api/leads", "{\"name\":\"Sam " + tag + "\",\"phone\":\"" + newPhone() + "\"}"));
        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/scripts/new?channel=SMS");
        browser.find("input[name=name]").sendKeys(tag + "-due");
        browser.find("input[name=lead]").sendKeys("Sam " + tag);
        type("Hi {{firstName}}, your {{service}} at {{business}} is due. {{coupon}}");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("render-error"), "needs {{coupon}}"));
        assertThat(browser.find("#rendered-for").getText()).isEqualTo("Sam " + tag);
        assertThat(field("firstName")).isEqualTo("{{firstName}} yes there");
        assertThat(field("service")).isEqualTo("{{service}} no next service");
        assertThat(field("business")).isEqualTo("{{business}} no " + business.name());
        assertThat(field("coupon")).isEqualTo("{{coupon}} no none");
        assertThat(browser.find("#opt-out").getText()).contains("says nothing about opting out");
        assertThat(browser.find("#names-business").getText()).contains("names the business");

        // An emoji turns the whole text UCS-2: the page's count is the counter's.
        type("Hi {{firstName}}, your {{service}} at {{business}} is due \uD83D\uDE00 Reply STOP to opt out.");
        String expected = "Hi Sam, your next service at " + business.name() + " is due \uD83D\uDE00 Reply STOP to opt out.";
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rendered"), "Reply STOP"));
        assertThat(browser.find("#rendered").getText()).isEqualTo(expected);
        Segments counted = Segments.of(expected);
        assertThat(counted.encoding()).isEqualTo(Segments.Encoding.UCS2);
        assertThat(browser.find("#segments").getText()).isEqualTo(String.valueOf(counted.count()));
        assertThat(browser.find("#encoding").getText()).isEqualTo("UCS-2");
        assertThat(browser.find("#length").getText()).isEqualTo(String.valueOf(expected.codePointCount(0, expected.length())));
        assertThat(browser.find("#opt-out").getText()).contains("says how to opt out");
        browser.screenshot("script-1400");

        browser.driver.findElement(By.xpath("//button[normalize-space()='Save script']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Script saved"));
        long id = jdbc.queryForObject("SELECT id FROM script WHERE name = ?", Long.class, tag + "-due");
        // A long plain text: GSM-7, split at 153 characters.
        String longText = "Hi {{firstName}}, "
                + "this spring we are treating lawns on your street and would love to include yours too. ".repeat(2)
                + "Reply STOP to opt out.";
        type(longText);
        String longExpected = "Hi Sam, "
                + "this spring we are treating lawns on your street and would love to include yours too. ".repeat(2)
                + "Reply STOP to opt out.";
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("encoding"), "GSM-7"));
        assertThat(browser.find("#segments").getText()).isEqualTo(String.valueOf(Segments.of(longExpected).count())).isEqualTo("2");
        assertThat(browser.find("#names-business").getText()).contains("does not name the business");
        browser.driver.findElement(By.xpath("//button[normalize-space()='Save script']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Script saved"));
        assertThat(jdbc.queryForObject("SELECT body FROM script WHERE id = ?", String.class, id)).isEqualTo(longText);
        // The same analysis through the API.
        var api = StaffClient.json(staff.post("/api/scripts/preview", "{\"channel\":\"SMS\",\"body\":\"Hi {{firstName}} \\u00e7a va?\"}"));
        assertThat(api.get("text").asText()).isEqualTo("Hi Jamie \u00e7a va?");
        assertThat(api.get("encoding").asText()).isEqualTo("UCS-2");

        browser.open("/console/scripts");
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), tag + "-due"));
        browser.screenshot("scripts-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/scripts/" + id + "?lead=Sam%20" + tag);
        browser.find("#segments");
        assertThat(browser.fitsWidth()).as("script editor at 390 px").isTrue();
        browser.screenshot("script-390");
    }

    @Test
    void shouldCreateAndEditACampaignAndRefuseATakenNameInThePage() {
        String tag = LeadsBrowserTest.tag();
        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/campaigns");
        WebElement form = browser.find("form.new-campaign");
        form.findElement(By.name("name")).sendKeys(tag + "-spring");
        form.findElement(By.cssSelector("input[name=sources][value=MANUAL]")).click();
        form.findElement(By.name("maxLeads")).sendKeys("2");
        form.findElement(By.cssSelector("button")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Campaign created"));
        long id = jdbc.queryForObject("SELECT id FROM campaign WHERE name = ?", Long.class, tag + "-spring");
        assertThat(browser.find("#campaign-" + id).getText()).contains("0 of at most 2 leads").contains("takes new manual leads");

        // Leads from the campaign's source join it, up to its limit.
        for (int i = 0; i < 3; i++) {
            staff.post("/api/leads", "{\"name\":\"Camp" + i + " " + tag + "\",\"phone\":\"" + newPhone() + "\",\"source\":\"manual\"}");
        }
        browser.open("/console/campaigns");
        assertThat(browser.find("#campaign-" + id).getText()).contains("2 of at most 2 leads");

        browser.find("#campaign-" + id + " summary").click();
        new Select(browser.find("#campaign-" + id + " select[name=status]")).selectByVisibleText("paused");
        browser.find("#campaign-" + id + " form button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Campaign saved"));
        assertThat(jdbc.queryForObject("SELECT status FROM campaign WHERE id = ?", String.class, id)).isEqualTo("PAUSED");

        // A second campaign under the same name: refused next to the form, nothing stored.
        form = browser.find("form.new-campaign");
        form.findElement(By.name("name")).sendKeys(tag + "-spring");
        form.findElement(By.cssSelector("button")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("form.new-campaign .error"), "exists"));
        assertThat(count("SELECT count(*) FROM campaign WHERE name = ?", tag + "-spring")).isEqualTo(1);
        // An active window that has not started: new leads pass the campaign by until it opens.
        long later = StaffClient.json(staff.post("/api/campaigns", "{\"name\":\"" + tag + "-later\",\"sources\":[\"MANUAL\"]}")).get("id")
                .asLong();
        browser.open("/console/campaigns");
        browser.find("#campaign-" + later + " summary").click();
        browser.driver.executeScript("arguments[0].value = '2026-12-01';", browser.find("#campaign-" + later + " input[name=startsOn]"));
        browser.find("#campaign-" + later + " form button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Campaign saved"));
        assertThat(browser.find("#campaign-" + later).getText()).contains("takes leads from Dec 1, 2026 (not started)");
        staff.post("/api/leads", "{\"name\":\"Early " + tag + "\",\"phone\":\"" + newPhone() + "\",\"source\":\"manual\"}");
        assertThat(count("SELECT count(*) FROM campaign_lead WHERE campaign_id = ?", later)).isZero();
        assertThat(StaffClient.json(staff.put("/api/campaigns/" + later + "/window", "{\"startsOn\":null,\"endsOn\":null}")).get("state")
                .asText())
                .isEqualTo("open");
        staff.post("/api/leads", "{\"name\":\"Open " + tag + "\",\"phone\":\"" + newPhone() + "\",\"source\":\"manual\"}");
        assertThat(count("SELECT count(*) FROM campaign_lead WHERE campaign_id = ?", later)).isEqualTo(1);
        assertThat(staff.put("/api/campaigns/" + later + "/window", "{\"startsOn\":\"2026-12-02\",\"endsOn\":\"2026-12-01\"}").statusCode())
                .isEqualTo(400);
        browser.open("/console/campaigns");
        browser.find("form.new-campaign");
        browser.screenshot("campaigns-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/campaigns");
        browser.find("form.new-campaign");
        assertThat(browser.fitsWidth()).as("campaigns at 390 px").isTrue();
        browser.screenshot("campaigns-390");
    }

    /** Replaces the script's text, as typing does (the analysis follows the input events). */
    private void type(String text) {
        // Through the DOM: chromedriver cannot type characters beyond the BMP (the emoji).
        WebElement body = browser.find("textarea[name=body]");
        browser.driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                body, text);
    }

    private String field(String name) {
        return browser.find("#analysis tr[data-field=" + name + "]").getText();
    }
}
