package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.support.StaffClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The inbox's "needs reply" view in a real browser: exactly the conversations whose last message is
 * the customer's and unanswered, longest waiting first, with their count in the navigation.
 */
class InboxBrowserTest extends SignedInBrowserTest {

    @Test
    void shouldListExactlyTheConversationsWhoseLastMessageIsAnUnansweredInboundOne() {
        // Answered by the assistant.
        String answered = newPhone();
        long answeredId = conversationAfter(answered, "Hi, do you treat for ants?");
        // Taken over by staff, then the customer writes again: nobody has answered that.
        String waiting = newPhone();
        long waitingId = conversationAfter(waiting, "Hi, can I book a visit?");
        assertThat(staff.post("/api/conversations/" + waitingId + "/takeover", "{}").statusCode()).isEqualTo(200);
        twilio.text(waiting, "Monday morning works best");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastDirection(waitingId), "IN"::equals);
        // Taken over, the customer writes, and staff answer.
        String handled = newPhone();
        long handledId = conversationAfter(handled, "Hello?");
        assertThat(staff.post("/api/conversations/" + handledId + "/takeover", "{}").statusCode()).isEqualTo(200);
        twilio.text(handled, "Are you there?");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastDirection(handledId), "IN"::equals);
        assertThat(staff.post("/api/conversations/" + handledId + "/messages", "{\"body\":\"Yes, sorry! How can we help?\"}").statusCode())
                .isBetween(200, 202);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastDirection(handledId), "OUT"::equals);

        // The API lists exactly what the messages say, across every page.
        List<Long> expected = jdbc.queryForList("SELECT c.id FROM conversation c JOIN message m ON m.id = (SELECT max(x.id) FROM message x"
                + " WHERE x.conversation_id = c.id) WHERE m.direction = 'IN' ORDER BY m.created_at, c.id", Long.class);
        List<Long> listed = new ArrayList<>();
        JsonNode page;
        int n = 0;
        do {
            page = StaffClient.json(staff.get("/api/inbox/needs-reply?size=200&page=" + n++));
            page.get("items").forEach(i -> listed.add(i.get("conversationId").asLong()));
        } while (listed.size() < page.get("total").asLong());
        assertThat(listed).isEqualTo(expected).contains(waitingId).doesNotContain(answeredId, handledId);

        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/needs-reply");
        browser.find("#waiting-total");
        List<Long> shown = browser.driver.findElements(By.cssSelector("table.waiting tbody tr")).stream()
                .map(tr -> Long.parseLong(tr.getAttribute("data-conversation"))).toList();
        assertThat(shown).isEqualTo(expected.subList(0, Math.min(25, expected.size())));
        assertThat(browser.find("#waiting-total").getText()).isEqualTo(String.valueOf(expected.size()));
        assertThat(browser.find("#needs-reply-count").getText()).isEqualTo(String.valueOf(expected.size()));
        assertThat(browser.find("#view-needs-reply .unread").getText()).as("the inbox tab").isEqualTo(String.valueOf(expected.size()));
        assertThat(StaffClient.json(staff.get("/api/inbox/counts")).get("needsReply").asLong()).isEqualTo(expected.size());
        browser.open("/console/leads");
        assertThat(browser.find("#needs-reply-count").getText()).as("the count on every page").isEqualTo(String.valueOf(expected.size()));
        browser.open("/console/needs-reply");
        browser.find("#waiting-total");
        browser.screenshot("needs-reply-1400");
        browser.size(Browser.PHONE);
        browser.open("/console/needs-reply");
        browser.find("#waiting-total");
        assertThat(browser.fitsWidth()).as("needs reply at 390 px").isTrue();
        browser.screenshot("needs-reply-390");
    }

    @Test
    void shouldShowEachInboxViewRepliesFirstWithUnreadCountsAndMoveBetweenConversationsByKeyboard() {
        String tag = LeadsBrowserTest.tag();
        // Waiting: the admin took it, then the customer wrote again (mine, unread).
        String waiting = newPhone();
        long waitingId = conversationAfter(waiting, "Hi " + tag + ", do you treat for ants?");
        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/conversations/" + waitingId);
        browser.find("#take button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assignee"), "(you) has this conversation"));
        twilio.text(waiting, "Thursday afternoon please");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastDirection(waitingId), "IN"::equals);
        // Escalated and answered.
        String escalated = newPhone();
        long escalatedId = conversationAfter(escalated, "Hi " + tag + ", do you treat for spiders?");
        jdbc.update("UPDATE conversation SET escalated_reason = 'complaint', escalated_at = ? WHERE id = ?",
                Timestamp.from(clock.instant()),
                escalatedId);
        // Warm, and the newest of all: a campaign-style send after the customer's answer.
        String warm = newPhone();
        long warmId = conversationAfter(warm, "Hi " + tag + ", do you treat for wasps?");
        jdbc.update("UPDATE contact SET warm_lead_at = ? WHERE phone = ?", Timestamp.from(clock.instant()), warm);
        assertThat(lastDirection(warmId)).isEqualTo("OUT");

        Map<String, String> views = Map.of(
                "all", "1 = 1",
                // The hub's clock, not the database's: the tests run it at a chosen moment.
                "mine", "c.staff_by = '" + ConsoleSession.USER + "' AND c.staff_until > '" + clock.instant() + "'::timestamptz",
                "escalated", "c.escalated_reason IS NOT NULL",
                "warm", "k.warm_lead_at IS NOT NULL");
        for (Map.Entry<String, String> view : views.entrySet()) {
            // Replies first (the customer wrote last), then the rest; newest first within each.
            List<Long> expected = jdbc.queryForList(
                    "SELECT c.id FROM conversation c JOIN contact k ON k.id = c.contact_id LEFT JOIN message m"
                            + " ON m.id = (SELECT max(x.id) FROM message x WHERE x.conversation_id = c.id) WHERE " + view.getValue()
                            + " ORDER BY CASE WHEN m.direction = 'IN' THEN 0 ELSE 1 END, m.created_at DESC NULLS LAST, c.id DESC",
                    Long.class);
            long unread = jdbc.queryForObject("SELECT count(*) FROM conversation c JOIN contact k ON k.id = c.contact_id JOIN message m"
                    + " ON m.id = (SELECT max(x.id) FROM message x WHERE x.conversation_id = c.id) WHERE m.direction = 'IN' AND "
                    + view.getValue(),
                    Long.class);
            browser.open("/console/conversations?view=" + view.getKey());
            browser.find("#view-" + view.getKey() + ".on");
            assertThat(browser.driver.findElements(By.cssSelector(".inbox-tabs"))).as("one row of tabs").hasSize(1);
            List<Long> shown = rows();
            assertThat(shown).as(view.getKey()).isEqualTo(expected.subList(0, Math.min(25, expected.size())));
            assertThat(browser.find("#view-" + view.getKey() + " .total").getText()).as(view.getKey())
                    .isEqualTo(String.valueOf(expected.size()));
            if (!view.getKey().equals("all")) {
                assertThat(badge("#view-" + view.getKey())).as(view.getKey() + " unread").isEqualTo(unread);
            }
        }
        assertThat(badge("#mine-count")).as("mine, unread, in the navigation").isPositive();
        browser.open("/console/conversations?view=mine");
        assertThat(rows()).contains(waitingId).doesNotContain(escalatedId, warmId);
        browser.open("/console/conversations?view=escalated");
        assertThat(rows()).contains(escalatedId).doesNotContain(waitingId);
        browser.open("/console/conversations?view=warm");
        assertThat(rows()).contains(warmId).doesNotContain(waitingId);
        JsonNode counts = StaffClient.json(staff.get("/api/inbox/counts?user=" + ConsoleSession.USER));
        assertThat(counts.get("mineUnread").asLong()).isEqualTo(badge("#view-mine"));

        // Replies first: the waiting customer's answer stays above the newer send; by last activity it would not.
        browser.open("/console/conversations?view=all&q=" + tag);
        assertThat(rows()).containsExactly(waitingId, warmId, escalatedId);
        browser.open("/console/conversations?view=all&sort=activity&q=" + tag);
        assertThat(rows()).containsExactly(warmId, escalatedId, waitingId);
        browser.screenshot("inbox-1400");

        // The keyboard moves between conversations and opens one.
        browser.open("/console/conversations?view=all&q=" + tag);
        browser.find("table[data-keynav] tbody tr");
        keys("j", "j", "j", "k");
        assertThat(browser.find("tr.chosen").getAttribute("data-conversation")).isEqualTo(String.valueOf(warmId));
        keys(Keys.ARROW_DOWN.toString());
        assertThat(browser.find("tr.chosen").getAttribute("data-conversation")).isEqualTo(String.valueOf(escalatedId));
        keys(Keys.ENTER.toString());
        browser.until(d -> d.getCurrentUrl().endsWith("/console/conversations/" + escalatedId));

        browser.size(Browser.PHONE);
        browser.open("/console/conversations?view=mine");
        browser.find("#view-mine.on");
        assertThat(browser.fitsWidth()).as("inbox at 390 px").isTrue();
        browser.screenshot("inbox-390");
        browser.size(LeadsBrowserTest.WIDE);
    }

    @Test
    void shouldShowAThreadInStaffsWordsWithTheAppointmentTheHistoryAndEachKindOfMessage() {
        String phone = newPhone();
        long id = conversationAfter(phone, "Hi, is Tuesday at 10 free?");
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update("INSERT INTO message (conversation_id, direction, body, segments, encoding, status, created_at, updated_at, channel)"
                + " VALUES (?, 'OUT', 'Your spring visit: shall we book it?', 1, 'GSM7', 'sent', ?, ?, 'email')", id, now, now);
        jdbc.update("INSERT INTO message (conversation_id, direction, body, segments, encoding, status, created_at, updated_at, channel)"
                + " VALUES (?, 'OUT', 'Call about the spring visit', 1, 'GSM7', 'completed', ?, ?, 'voice')", id, now, now);
        Instant visit = clock.instant().plus(Duration.ofDays(6));
        jdbc.update("INSERT INTO appointment (conversation_id, phone, starts_at, ends_at, status, confirmed_by, created_at)"
                + " VALUES (?, ?, ?, ?, 'confirmed', 'customer', ?)", id, phone, Timestamp.from(visit),
                Timestamp.from(visit.plus(Duration.ofHours(1))),
                now);
        jdbc.update("UPDATE contact SET lead_score = 72, lead_score_reasons = 'asked for a time; answered within minutes' WHERE phone = ?",
                phone);

        browser.size(LeadsBrowserTest.WIDE);
        browser.open("/console/conversations/" + id);
        browser.find("#take button").click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assignee"), "(you) has this conversation"));
        WebElement move = browser.driver.findElements(By.cssSelector("form.state button")).stream()
                .filter(b -> !b.getAttribute("class").contains("danger")).findFirst().orElseThrow();
        String to = move.getText().replace("Move to ", "");
        move.click();
        browser.until(ExpectedConditions.textToBePresentInElementLocated(By.id("history"), to));
        assertThat(browser.driver.findElements(By.cssSelector(".inbox-tabs"))).as("no inbox tabs in a thread").isEmpty();

        // States and consent as staff say them.
        String state = browser.find("#state").getText();
        assertThat(state).isNotBlank().doesNotContain("_").isNotEqualTo(browser.find("#state").getAttribute("data-state"));
        assertThat(browser.find("#consent").getText()).isIn("not asked", "opted in").doesNotContain("NONE", "OPTED");
        browser.driver.findElements(By.cssSelector("form.state button")).forEach(b -> assertThat(b.getText()).doesNotContain("_"));
        // The booked appointment.
        assertThat(browser.find("#appointment").getText()).contains("booked").doesNotContain("none");
        // Who changed what, and when.
        List<String> history = browser.driver.findElements(By.cssSelector("#history li")).stream().map(WebElement::getText).toList();
        assertThat(history).anySatisfy(h -> assertThat(h).startsWith(ConsoleSession.USER + " took the conversation"))
                .anySatisfy(h -> assertThat(h).startsWith(ConsoleSession.USER + " moved it from").contains(to));
        assertThat(browser.driver.findElements(By.cssSelector("#history li time"))).allSatisfy(t -> assertThat(t.getText()).isNotBlank());
        // Emails and calls as such, not as texts.
        assertThat(browser.find("#thread li[data-kind=email] .kind").getText()).isEqualTo("Email");
        assertThat(browser.find("#thread li[data-kind=call] .kind").getText()).isEqualTo("AI call");
        assertThat(browser.find("#thread li.in .kind").getText()).isEqualTo("Text from the customer");
        // The lead score's reasons on hover, here and in the list.
        String reasons = jdbc.queryForObject("SELECT lead_score_reasons FROM contact WHERE phone = ?", String.class, phone);
        assertThat(reasons).isNotBlank();
        browser.screenshot("conversation-thread-1400");
        browser.open("/console/conversations?view=all&q=" + phone.replace("+", "%2B"));
        assertThat(browser.find("tr[data-conversation='" + id + "'] td.score abbr").getAttribute("title")).isEqualTo(reasons);
        browser.size(Browser.PHONE);
        browser.open("/console/conversations/" + id);
        browser.find("#history");
        assertThat(browser.fitsWidth()).as("thread at 390 px").isTrue();
        browser.screenshot("conversation-thread-390");
        browser.size(LeadsBrowserTest.WIDE);
    }

    private List<Long> rows() {
        browser.find("#roster");
        return browser.driver.findElements(By.cssSelector("#roster table tbody tr")).stream()
                .map(tr -> Long.parseLong(tr.getAttribute("data-conversation"))).toList();
    }

    private long badge(String css) {
        List<WebElement> found = browser.driver.findElements(By.cssSelector(css + " .unread, " + css + ".badge"));
        return found.isEmpty() ? 0 : Long.parseLong(found.get(0).getText().trim());
    }

    private void keys(String... keys) {
        for (String key : keys) {
            new Actions(browser.driver).sendKeys(key).perform();
        }
    }

    /** The customer's first text and the assistant's answer; the conversation's id. */
    private long conversationAfter(String phone, String text) {
        twilio.text(phone, text);
        await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null && c.get("messages").size() >= 2);
        return staff.conversation(phone).get("id").asLong();
    }

    private String lastDirection(long conversation) {
        return jdbc.queryForObject("SELECT direction FROM message WHERE id = (SELECT max(id) FROM message WHERE conversation_id = ?)",
                String.class,
                conversation);
    }
}
