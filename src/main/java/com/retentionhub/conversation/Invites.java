package com.retentionhub.conversation;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Calendar invites by email for appointments booked by text, through the SMTP connector
 * ({@code connectors/smtp-email-sink.kamelet.yaml}). Only when SMTP is configured ({@code SMTP_HOST});
 * otherwise the hub never promises one. The appointment row is the record: a sweep sends the
 * invite (METHOD REQUEST) of each upcoming appointment whose customer has an email and has not opted
 * out, and a cancellation (METHOD CANCEL) for one cancelled after its invite went out, then marks it.
 * A crash between the send and the mark repeats the email; the iCalendar UID and SEQUENCE make the
 * repeat update the same event instead of adding a second one.
 */
@Component("calendarInvites")
public class Invites {

    private static final Logger LOG = LoggerFactory.getLogger(Invites.class);
    public static final String ENDPOINT = "direct:conversation-send-invite";
    static final String SENT = "SENT";
    static final String CANCEL_SENT = "CANCEL_SENT";
    private static final int MAX_ATTEMPTS = 5;
    private static final Pattern ADDRESS = Pattern.compile("<([^>]+)>");

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;
    private final ConsentLedger consent;
    private final ProducerTemplate producer;
    private final BusinessProfile business;
    private final Clock clock;
    private final String smtpHost;
    private final String from;
    private final DateTimeFormatter when;

    public Invites(JdbcTemplate jdbc, ContactStore contacts, ConsentLedger consent, ProducerTemplate producer, BusinessProfile business,
            Clock clock,
            @Value("${hub.invites.smtp-host:}") String smtpHost, @Value("${hub.invites.from:}") String from) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.consent = consent;
        this.producer = producer;
        this.business = business;
        this.clock = clock;
        this.smtpHost = smtpHost;
        this.from = from;
        this.when = DateTimeFormatter.ofPattern("EEEE, MMMM d 'at' h:mm a", Locale.US).withZone(business.zone());
    }

    /** Whether invites can be sent at all: an SMTP server and a sender are configured. */
    public boolean enabled() {
        return smtpHost != null && !smtpHost.isBlank() && from != null && !from.isBlank();
    }

    /** Sends the invites and cancellations that are due; a failure is noted on its appointment and tried again on the next sweep. */
    public void sendDue() {
        if (!enabled()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        for (Map<String, Object> a : jdbc.queryForList("SELECT id, phone, starts_at, ends_at FROM appointment WHERE status = 'confirmed'"
                + " AND invite_state IS NULL AND starts_at > ? AND invite_attempts < ? ORDER BY starts_at", now, MAX_ATTEMPTS)) {
            String phone = (String) a.get("phone");
            ContactStore.Contact contact = contacts.find(phone).orElse(null);
            if (contact == null || contact.email() == null || optedOut(phone)) {
                continue; // the email may come in a later text; an opted-out customer gets nothing
            }
            send(a, contact.email(), contact.name(), Invitation.REQUEST, 0, SENT, "invite_state IS NULL");
        }
        for (Map<String, Object> a : jdbc
                .queryForList("SELECT id, phone, starts_at, ends_at, invite_email FROM appointment WHERE status = 'cancelled'"
                        + " AND invite_state = ? AND invite_attempts < ?", SENT, MAX_ATTEMPTS)) {
            if (!optedOut((String) a.get("phone"))) {
                String name = contacts.find((String) a.get("phone")).map(ContactStore.Contact::name).orElse(null);
                send(a, (String) a.get("invite_email"), name, Invitation.CANCEL, 1, CANCEL_SENT, "invite_state = '" + SENT + "'");
            }
        }
    }

    private void send(Map<String, Object> a, String email, String name, String method, int sequence, String doneState, String stillDue) {
        long id = SqlValues.toLong(a.get("id"));
        Instant start = SqlValues.instant(a.get("starts_at"));
        Invitation.Event event = new Invitation.Event(id, start, SqlValues.instant(a.get("ends_at")), business.name() + " appointment",
                "Booked by text with " + business.name() + ". Reply to our texts to change it.", business.name(), address(from), name,
                email, sequence,
                clock.instant());
        boolean cancel = Invitation.CANCEL.equals(method);
        InviteEmail mail = new InviteEmail(email,
                (cancel ? "Cancelled: " : "Invitation: ") + business.name() + " appointment, " + when.format(start),
                cancel
                        ? "Your " + business.name() + " appointment on " + when.format(start)
                                + " is cancelled. The attached update removes it from"
                                + " your calendar."
                        : "Your " + business.name() + " appointment is on " + when.format(start) + " (" + business.zone().getId()
                                + "). The attached"
                                + " invitation adds it to your calendar.",
                Invitation.of(method, event, business.zone()), method);
        Exchange result = producer.send(ENDPOINT, e -> e.getMessage().setBody(mail));
        if (result.getException() != null) {
            LOG.warn("calendar {} for appointment {} not sent; trying again on the next sweep: {}", method, id,
                    result.getException().toString());
            jdbc.update("UPDATE appointment SET invite_attempts = invite_attempts + 1, invite_error = ? WHERE id = ?",
                    truncate(result.getException().toString()), id);
            return;
        }
        jdbc.update("UPDATE appointment SET invite_state = ?, invite_email = ?, invite_attempts = 0, invite_error = NULL WHERE id = ? AND "
                + stillDue, doneState, email, id);
    }

    private boolean optedOut(String phone) {
        return consent.current(phone, Channel.SMS.code()) == ConsentStatus.OPTED_OUT
                || consent.current(phone, Channel.EMAIL.code()) == ConsentStatus.OPTED_OUT;
    }

    /** The bare address of a sender written as "Name <address>" or as the address alone. */
    static String address(String from) {
        Matcher m = ADDRESS.matcher(from);
        return m.find() ? m.group(1).trim() : from.trim();
    }

    private static String truncate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500);
    }

    /** Whether this appointment's invite went out (so a cancellation will follow a cancel). */
    boolean inviteSent(long appointmentId) {
        List<String> state = jdbc.queryForList("SELECT invite_state FROM appointment WHERE id = ?", String.class, appointmentId);
        return !state.isEmpty() && SENT.equals(state.get(0));
    }
}
