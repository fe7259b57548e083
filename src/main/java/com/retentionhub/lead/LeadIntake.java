package com.retentionhub.lead;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.platform.TextFields;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where every new lead comes in, whatever its source: the phone normalised to E.164, the email
 * lower-cased, and a lead already known by either one is the same lead (its blanks filled, nothing
 * overwritten). A lead with a phone is also a contact, so conversations and dispatch know it. A
 * new lead joins the active campaigns that auto-assign its source.
 */
@Component
public class LeadIntake {

    public enum Source {
        META, API, MANUAL, BULK, IMPORT
    }

    /** Lead statuses; DO_NOT_CONTACT holds while the person is opted out on any channel (renewed consent lifts it) and after deletion. */
    public static final List<String> STATUSES = Arrays.stream(LeadStatus.values()).map(Enum::name).toList();

    public record NewLead(String name, String phone, String email, Source source, String externalId, String subId, String clickId) {}

    /** The lead's id, whether this call created it (false: a duplicate of a known lead), and the campaigns a new lead joined. */
    public record Accepted(long id, boolean created, List<String> campaigns) {}

    /** The lead cannot be taken as given; the message says why. */
    public static class InvalidLead extends RuntimeException {
        public InvalidLead(String message) {
            super(message);
        }
    }

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

    private final JdbcTemplate jdbc;
    private final PhoneNumbers phones;
    private final ContactStore contacts;
    private final Campaigns campaigns;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public LeadIntake(JdbcTemplate jdbc, PhoneNumbers phones, ContactStore contacts, Campaigns campaigns, ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.campaigns = campaigns;
        this.events = events;
        this.phones = phones;
        this.contacts = contacts;
        this.clock = clock;
    }

    @Transactional
    public Accepted accept(NewLead lead) {
        checkText(lead);
        String phone = blank(lead.phone())
                ? null
                : phones.toE164(lead.phone()).orElseThrow(() -> new InvalidLead("phone is not a valid number"));
        String email = blank(lead.email()) ? null : lead.email().trim().toLowerCase(Locale.ROOT);
        if (email != null && (email.length() > 320 || !EMAIL.matcher(email).matches())) {
            throw new InvalidLead("email is not a valid address");
        }
        if (phone == null && email == null) {
            throw new InvalidLead("a lead needs a phone or an email");
        }
        String name = blank(lead.name()) ? null : trim(lead.name().trim(), 200);
        Timestamp now = Timestamp.from(clock.instant());
        Long known = existing(phone, email);
        boolean created = false;
        if (known == null) {
            created = jdbc.update(
                    "INSERT INTO leads (phone, email, name, source, status, external_id, sub_id, click_id, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, 'NEW', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    phone, email, name, lead.source().name(),
                    trim(lead.externalId(), 100), trim(lead.subId(), 200), trim(lead.clickId(), 200), now, now) == 1;
            known = existing(phone, email); // a concurrent intake of the same lead may have won
        }
        if (!created) {
            // The same person again: keep what is known, fill what was missing (never taking another lead's phone or email).
            jdbc.update(
                    "UPDATE leads SET name = COALESCE(name, ?), sub_id = COALESCE(sub_id, ?), click_id = COALESCE(click_id, ?), updated_at = ?"
                            + " WHERE id = ?",
                    name, trim(lead.subId(), 200), trim(lead.clickId(), 200), now, known);
            if (phone != null) {
                jdbc.update(
                        "UPDATE leads SET phone = ? WHERE id = ? AND phone IS NULL AND NOT EXISTS (SELECT 1 FROM leads o WHERE o.phone = ?)",
                        phone, known, phone);
            }
            if (email != null) {
                jdbc.update(
                        "UPDATE leads SET email = ? WHERE id = ? AND email IS NULL AND NOT EXISTS (SELECT 1 FROM leads o WHERE o.email = ?)",
                        email, known, email);
            }
        }
        if (phone != null) {
            // What a customer texts may correct their name (learn); a lead row or form only fills gaps, so a duplicate never renames.
            contacts.fillIn(phone, name, email);
        }
        // Only a new lead is auto-assigned (and enrolled in its campaigns' sequences): a known one already is where staff put it.
        List<String> joined = created ? campaigns.assign(known, lead.source()) : List.of();
        events.publishEvent(new LeadEvents.JoinedCampaigns(known, joined));
        return new Accepted(known, created, joined);
    }

    /** Every text field against the character rule (a NUL would fail the insert): one refused field makes the lead invalid, naming it. */
    private static void checkText(NewLead lead) {
        try {
            TextFields.require("name", lead.name());
            TextFields.require("phone", lead.phone());
            TextFields.require("email", lead.email());
            TextFields.require("externalId", lead.externalId());
            TextFields.require("subId", lead.subId());
            TextFields.require("clickId", lead.clickId());
        } catch (TextFields.InvalidText e) {
            throw new InvalidLead(e.getMessage());
        }
    }

    private Long existing(String phone, String email) {
        List<Long> ids = jdbc.queryForList("SELECT id FROM leads WHERE phone = ? OR email = ? ORDER BY id", Long.class, phone, email);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String trim(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
