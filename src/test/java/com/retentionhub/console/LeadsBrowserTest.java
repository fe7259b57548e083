package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.StaffClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The operators' lead pages in a real browser: a lead's timeline shows every kind of event the hub
 * records for it, the actions on the page change what the API reports, and a bulk enrollment of a
 * filtered list previews, then enrolls exactly the eligible leads and says why the others were left out.
 */
class LeadsBrowserTest extends SignedInBrowserTest {

    static final Dimension WIDE = new Dimension(1400, 900);

    @Test
    void shouldShowEveryEventKindOnALeadsTimelineAndActOnIt() {
        toggle.setLive(true);
        String tag = tag();
        // A New York number, so the quiet-hours hold below is the recipient's own evening.
        String phone = "+1212" + newPhone().substring(5);
        long lead = StaffClient
                .json(staff.post("/api/leads", "{\"name\":\"Robin " + tag + "\",\"phone\":\"" + phone + "\",\"email\":\"" + tag
                        + "@example.com\",\"source\":\"manual\"}"))
                .get("id").asLong();
        script(tag + "-sms", "SMS", null, "Hi {{firstName}}, it's {{business}}. Reply STOP to opt out.");
        script(tag + "-mail", "EMAIL", "Your spring visit", "Hi {{firstName}}, shall we book your spring visit?");
        script(tag + "-call", "CALL", null, "Call {{firstName}} about the spring visit.");
        // A minute between steps, and the clock moved on before each pass: a step due at once after another may run in
        // the same pass (its workers overlap), which would take away the moments this test looks at.
        long sequence = sequence(tag + "-follow-up", step("SMS", 0, "minutes", tag + "-sms", ""),
                step("EMAIL", 1, "minutes", tag + "-mail", ""),
                step("CALL", 1, "minutes", tag + "-call", ""), step("SMS", 1, "minutes", tag + "-sms", ""),
                step("SMS", 1, "minutes", tag + "-sms", "\"only-if-no-reply\""), step("SMS", 3, "days", tag + "-sms", ""));
        assertThat(staff.post("/api/sequences/" + sequence + "/enroll", "{\"leadId\":" + lead + "}").statusCode()).isEqualTo(201);

        // Text, email and call go out by day, each once its step is due.
        for (String channel : List.of("sms", "email", "voice")) {
            process();
            clock.setTo(clock.instant().plus(Duration.ofMinutes(1)));
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND channel = ? AND status = 'SENT'"
                            + " AND provider_id IS NOT NULL", phone, channel) == 1);
        }
        // The fourth step comes due in the evening: dispatch holds it for quiet hours.
        clock.setTo(LocalDateTime.parse("2026-11-18T22:30").atZone(ZoneId.of("America/New_York")).toInstant());
        process();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> count("SELECT count(*) FROM outbox WHERE phone = ? AND channel = 'sms' AND status = 'PENDING'"
                        + " AND held_reason IS NOT NULL", phone) == 1);
        // The lead answers; the next step, only for leads who did not reply, is skipped.
        twilio.text(phone, "Sounds good, what times do you have?");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM message m JOIN conversation c ON c.id = m.conversation_id"
                        + " JOIN contact t ON t.id = c.contact_id WHERE t.phone = ? AND m.direction = 'IN'", phone) == 1);
        clock.setTo(clock.instant().plus(Duration.ofMinutes(1)));
        process();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT count(*) FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id"
                        + " WHERE e.lead_id = ? AND x.status = 'SKIPPED'", lead) == 1);
        // What the providers' webhooks leave behind: the email opened and answered, the call's report, a conversion.
        String email = jdbc.queryForObject("SELECT provider_id FROM outbox WHERE phone = ? AND channel = 'email'", String.class, phone);
        String emailProvider = jdbc.queryForObject("SELECT provider FROM outbox WHERE phone = ? AND channel = 'email'", String.class,
                phone);
        Timestamp now = Timestamp.from(clock.instant());
        for (String status : List.of("read", "replied")) {
            jdbc.update("INSERT INTO status_event (provider, provider_id, status, params, received_at) VALUES (?, ?, ?, '{}', ?)",
                    emailProvider, email,
                    status, now);
        }
        long call = jdbc.queryForObject("SELECT id FROM outbox WHERE phone = ? AND channel = 'voice'", Long.class, phone);
        jdbc.update(
                "INSERT INTO call_report (provider_id, outbox_id, ended_reason, summary, transcript, duration_seconds, recording_url, received_at)"
                        + " VALUES (?, ?, 'customer-ended-call', 'Wants a visit next week.', 'AI: Hi Robin. Robin: Next week works.', 95, ?, ?)",
                "call-" + tag, call, "https://recordings.example.com/" + tag + ".mp3", now);
        jdbc.update("INSERT INTO conversion (sub_id, tid, status, payout, currency, lead_id, campaign, received_at, updated_at)"
                + " VALUES (?, ?, 'approved', 40.00, 'USD', ?, NULL, ?, ?)", "sub-" + tag, "tid-" + tag, lead, now, now);

        long second = sequence(tag + "-second", step("SMS", 2, "days", tag + "-sms", ""));

        browser.size(WIDE);
        browser.open("/console/leads?q=" + tag);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Robin " + tag));
        browser.driver.findElement(By.linkText("Robin " + tag)).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline-title"), "Timeline"));
        assertThat(kinds())
                .containsAll(List.of("enrolled", "step", "attempt", "email-opened", "email-replied", "reply", "call", "conversion"));
        String timeline = browser.find("ol.events").getText();
        assertThat(timeline).contains("Step 1 of " + tag + "-follow-up: sms").contains("sent")
                .contains("held").contains("skipped").contains("(the lead replied)").contains("planned")
                .contains("Hi Robin, it's").contains("Email opened").contains("Email replied").contains("Replied by text")
                .contains("Call ended (1 minute 35 seconds)").contains("Wants a visit next week.").contains("Conversion: 40.00 USD");
        assertThat(browser.find("a.recording").getAttribute("href")).isEqualTo("https://recordings.example.com/" + tag + ".mp3");
        WebElement held = browser.driver.findElements(By.cssSelector("ol.events li[data-kind=step]")).stream()
                .filter(li -> li.getText().contains(" held")).findFirst().orElseThrow();
        assertThat(held.findElement(By.cssSelector(".why")).getText()).isNotBlank();
        // Every event the API lists is on the page.
        JsonNode api = StaffClient.json(staff.get("/api/leads/" + lead + "/timeline")).get("events");
        assertThat(browser.driver.findElements(By.cssSelector("ol.events > li"))).hasSize(api.size());
        browser.screenshot("lead-1400");

        // Pause, resume, enroll in a second sequence and end it, from the page.
        long enrollment = jdbc.queryForObject("SELECT id FROM enrollment WHERE lead_id = ?", Long.class, lead);
        browser.find("#enrollment-" + enrollment + " form[action$='/pause'] button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Enrollment paused"));
        assertThat(enrollmentStatus(enrollment)).isEqualTo("PAUSED");
        assertThat(browser.find("#enrollment-" + enrollment).getText()).contains("paused by " + ConsoleSession.USER);
        browser.find("#enrollment-" + enrollment + " form[action$='/resume'] button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Enrollment resumed"));
        assertThat(enrollmentStatus(enrollment)).isEqualTo("ACTIVE");

        new Select(browser.find("form.enroll select[name=sequenceId]")).selectByVisibleText(tag + "-second");
        browser.find("form.enroll button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Enrolled."));
        long secondEnrollment = jdbc.queryForObject("SELECT id FROM enrollment WHERE lead_id = ? AND sequence_id = ?", Long.class, lead,
                second);
        browser.find("#enrollment-" + secondEnrollment + " form[action$='/end'] button").click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), "Enrollment ended"));
        assertThat(enrollmentStatus(secondEnrollment)).isEqualTo("EXITED");
        // Enrolling again within the cooldown is refused with the API's reason, on the page.
        new Select(browser.find("form.enroll select[name=sequenceId]")).selectByVisibleText(tag + "-second");
        browser.find("form.enroll button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".error"), "within 30 days"));

        // Do not contact: the running enrollment ends, the phone is opted out everywhere, and the timeline says so.
        browser.find("form.dnc input[name=reason]").sendKeys("asked on the phone");
        browser.find("form.dnc button").click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("lead-status"), "do not contact"));
        assertThat(enrollmentStatus(enrollment)).isEqualTo("EXITED");
        assertThat(count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone)).isEqualTo(3);
        assertThat(kinds()).contains("consent", "enrollment");
        assertThat(browser.find("ol.events").getText()).contains("Opted out of sms (staff, " + ConsoleSession.USER + ")");
        browser.screenshot("lead-done-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/leads/" + lead);
        browser.find("ol.events");
        assertThat(browser.fitsWidth()).as("lead page at 390 px").isTrue();
        browser.screenshot("lead-390");
    }

    @Test
    void shouldEnrollAWholeFilteredListAfterAPreviewAndReportTheOthers() {
        String tag = tag();
        script(tag + "-sms", "SMS", null, "Hi {{firstName}}, it's {{business}}. Reply STOP to opt out.");
        long sequence = sequence(tag + "-bulk", step("SMS", 1, "days", tag + "-sms", ""));
        List<Long> leads = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String phone = newPhone();
            phones.add(phone);
            if (i == 2) {
                // A customer who texted STOP before staff added them as a lead: the lead is new, its phone opted out.
                twilio.text(phone, "STOP");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> count("SELECT count(*) FROM consent_state WHERE phone = ? AND status = 'OPTED_OUT'", phone) == 1);
            }
            leads.add(
                    StaffClient.json(staff.post("/api/leads", "{\"name\":\"Bulk" + (char) ('a' + i) + " " + tag + "\",\"phone\":\"" + phone
                            + "\",\"source\":\"manual\"}")).get("id").asLong());
        }
        long outsider = StaffClient.json(staff.post("/api/leads", "{\"name\":\"Outsider\",\"phone\":\"" + newPhone() + "\"}")).get("id")
                .asLong();
        // 0: already enrolled; 1: enrolled and ended this month (cooldown); 2: its phone opted out by STOP before it was a lead;
        // 3: marked do-not-contact. (A lead that texts STOP is itself marked do-not-contact: that counts under 3's reason.)
        assertThat(staff.post("/api/sequences/" + sequence + "/enroll", "{\"leadId\":" + leads.get(0) + "}").statusCode()).isEqualTo(201);
        long ended = StaffClient.json(staff.post("/api/sequences/" + sequence + "/enroll", "{\"leadId\":" + leads.get(1) + "}"))
                .get("enrollmentId")
                .asLong();
        assertThat(staff.post("/api/enrollments/" + ended + "/end", "{}").statusCode()).isEqualTo(204);
        assertThat(staff.post("/api/leads/" + leads.get(3) + "/do-not-contact", "{\"reason\":\"test\"}").statusCode()).isEqualTo(200);

        browser.size(WIDE);
        browser.open("/console/leads?q=" + tag);
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("lead-total"), "6"));
        new Select(browser.find("select[name=sequenceId]")).selectByVisibleText(tag + "-bulk");
        browser.find("input[name=scope][value=filter]").click();
        browser.driver.findElement(By.xpath("//button[normalize-space()='Preview']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "will be enrolled"));
        assertThat(browser.find("#bulk-result .notice").getText()).startsWith("2 leads will be enrolled in " + tag + "-bulk of 6 chosen");
        assertThat(reasons()).containsExactly("do not contact: 1", "opted out: 1", "already enrolled: 1", "cooldown: 1");
        assertThat(count("SELECT count(*) FROM enrollment WHERE sequence_id = ?", sequence)).as("a preview writes nothing").isEqualTo(2);
        browser.screenshot("leads-bulk-preview-1400");

        browser.driver.findElement(By.xpath("//button[normalize-space()='Enroll 2 leads']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "2 leads enrolled in " + tag + "-bulk"));
        assertThat(jdbc.queryForList("SELECT lead_id FROM enrollment WHERE sequence_id = ? AND status = 'ACTIVE' ORDER BY lead_id",
                Long.class, sequence))
                .containsExactly(leads.get(0), leads.get(4), leads.get(5));
        assertThat(count("SELECT count(*) FROM enrollment WHERE lead_id = ?", outsider)).isZero();

        // The same through the API, for ticked leads: now everyone is in or kept out.
        JsonNode again = StaffClient
                .json(staff.post("/api/sequences/" + sequence + "/bulk-enroll", "{\"leadIds\":" + leads + ",\"preview\":true}"));
        assertThat(again.get("enrolled").asInt()).isZero();
        assertThat(again.get("selected").asInt()).isEqualTo(6);
        assertThat(staff.post("/api/sequences/" + sequence + "/bulk-enroll", "{\"preview\":true}").statusCode()).isEqualTo(400);
        assertThat(staff.post("/api/sequences/999999/bulk-enroll", "{\"leadIds\":[1],\"preview\":true}").statusCode()).isEqualTo(404);

        // Ticking leads on the page enrolls only those.
        long extra = StaffClient.json(staff.post("/api/leads", "{\"name\":\"Bulkz " + tag + "\",\"phone\":\"" + newPhone() + "\"}"))
                .get("id").asLong();
        long other = sequence(tag + "-ticked", step("SMS", 1, "days", tag + "-sms", ""));
        browser.open("/console/leads?q=" + tag);
        browser.find("input[name=leadIds][value='" + extra + "']").click();
        new Select(browser.find("select[name=sequenceId]")).selectByVisibleText(tag + "-ticked");
        browser.driver.findElement(By.xpath("//button[normalize-space()='Preview']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "1 lead will be enrolled"));
        browser.driver.findElement(By.xpath("//button[normalize-space()='Enroll 1 lead']")).click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-result"), "1 lead enrolled"));
        assertThat(jdbc.queryForList("SELECT lead_id FROM enrollment WHERE sequence_id = ?", Long.class, other)).containsExactly(extra);

        browser.open("/console/leads?q=" + tag);
        browser.find("#lead-total");
        browser.screenshot("leads-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/leads?q=" + tag);
        browser.find("#lead-total");
        assertThat(browser.fitsWidth()).as("leads at 390 px").isTrue();
        // The navigation is one scrolling row on a phone, not a block of links above the page (it took 200 px).
        assertThat(((Number) browser.script("return document.querySelector('header.top').getBoundingClientRect().height;")).doubleValue())
                .isLessThan(100);
        assertThat(
                browser.script("return getComputedStyle(document.querySelector('table.leads td[data-label=Status]'), '::before').content;"))
                .asString().contains("Status");
        browser.screenshot("leads-390");
    }

    private List<String> reasons() {
        return browser.driver.findElements(By.cssSelector("#bulk-result table.not-enrolled tbody tr")).stream()
                .map(tr -> tr.findElements(By.tagName("td")).get(0).getText() + ": " + tr.findElements(By.tagName("td")).get(1).getText())
                .toList();
    }

    private Set<String> kinds() {
        Set<String> kinds = new HashSet<>();
        browser.driver.findElements(By.cssSelector("ol.events > li")).forEach(li -> kinds.add(li.getAttribute("data-kind")));
        return kinds;
    }

    private String enrollmentStatus(long id) {
        return jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, id);
    }

    static String step(String channel, int value, String unit, String script, String conditions) {
        return "{\"channel\":\"" + channel + "\",\"delay\":{\"value\":" + value + ",\"unit\":\"" + unit + "\"},\"script\":\"" + script
                + "\",\"conditions\":[" + conditions + "]}";
    }

    private long sequence(String name, String... steps) {
        return StaffClient
                .json(staff.post("/api/sequences", "{\"name\":\"" + name + "\",\"status\":\"ACTIVE\",\"steps\":[" + String.join(",", steps)
                        + "]}"))
                .get("id").asLong();
    }

    /** Letters only: a tag with digits would read as a phone number in searches. */
    static String tag() {
        StringBuilder tag = new StringBuilder("t");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 7; i++) {
            tag.append((char) ('a' + random.nextInt(26)));
        }
        return tag.toString();
    }
}
