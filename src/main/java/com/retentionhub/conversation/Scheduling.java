package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.platform.Texts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Booking by text. A text that names a time gets a proposed slot (the requested one if it is open
 * and free, else the next free one, with the reason the time moved); the customer's "yes" books it,
 * and "I need to cancel my appointment" cancels the next one. Decided before any model is asked, so
 * times are never invented. A calendar invite is promised only when {@link Invites} can send one.
 */
@Component
public class Scheduling {

    /** What to do about a text: propose a slot or book the proposed one, and what to reply. */
    public record Plan(Kind kind, Instant slot, String reply) {
        public enum Kind {
            PROPOSE, BOOK, CANCEL
        }
    }

    /** A booked appointment. */
    public record Appointment(long id, long conversationId, String phone, Instant startsAt, Instant endsAt, String status,
            Instant createdAt) {}

    static final Duration LENGTH = Duration.ofHours(1);
    /** A text asking to cancel a booking (a bare CANCEL is the opt-out keyword and never gets here). */
    private static final Pattern CANCELLING = Pattern.compile(
            "\\b(cancel|cancell?ing|call off)\\b.*\\b(appointment|appt|booking|visit|it|that|tomorrow|today)\\b"
                    + "|\\b(can t|cannot|cant|won t|wont) make it\\b");
    private static final Set<String> CONFIRMATIONS = Set.of("yes", "yes please", "yep", "yeah", "sure", "ok", "okay", "confirm",
            "confirmed",
            "sounds good", "that works", "works for me", "perfect", "great", "si", "yes that works", "book it");

    private final JdbcTemplate jdbc;
    private final BusinessProfile business;
    private final SlotFinder slots;
    private final Clock clock;
    private final DateTimeFormatter when;
    private final Invites invites;

    public Scheduling(JdbcTemplate jdbc, BusinessProfile business, Clock clock, Invites invites) {
        this.jdbc = jdbc;
        this.invites = invites;
        this.business = business;
        this.clock = clock;
        this.slots = new SlotFinder(new BusinessHours(business), business.zone(), LENGTH);
        this.when = DateTimeFormatter.ofPattern("EEE MMM d 'at' h:mm a", Locale.US).withZone(business.zone());
    }

    /**
     * What a text means for scheduling: a confirmation of {@code proposed} (the slot last offered in
     * this conversation, read with the conversation; null when none), a time to propose, or nothing.
     */
    public Optional<Plan> plan(Instant proposed, String text) {
        return plan(proposed, text, null);
    }

    /** As {@link #plan(Instant, String)}, and a cancellation of the phone's next appointment when the text asks for one. */
    public Optional<Plan> plan(Instant proposed, String text, String phone) {
        if (proposed != null && CONFIRMATIONS.contains(Texts.normalise(text))) {
            return Optional.of(
                    new Plan(Plan.Kind.BOOK, proposed, "You're booked for " + when.format(proposed) + " with " + business.name() + "."));
        }
        if (phone != null && CANCELLING.matcher(Texts.normalise(text)).find()) {
            Optional<Instant> next = nextAppointment(phone);
            if (next.isPresent()) {
                return Optional
                        .of(new Plan(Plan.Kind.CANCEL, next.get(), "Your appointment on " + when.format(next.get()) + " is cancelled."));
            }
        }
        // The booked slots only when the text asks for a time: most texts do not, and this runs for every reply.
        return RequestedTime.parse(text, clock.instant().atZone(business.zone())).flatMap(requested -> {
            List<SlotFinder.Booked> booked = booked();
            return slots.propose(requested, clock.instant(), booked).map(slot -> proposal(requested, slot, booked));
        });
    }

    /** The proposal, saying why the slot is not the time asked for ("we're closed Sundays; the first opening is ..."). */
    private Plan proposal(RequestedTime requested, Instant slot, List<SlotFinder.Booked> booked) {
        Instant asked = requested.date().atTime(requested.earliest()).atZone(business.zone()).toInstant();
        if (slot.equals(asked)) {
            return new Plan(Plan.Kind.PROPOSE, slot,
                    "We can come " + when.format(slot) + ". Reply YES to confirm, or suggest another time.");
        }
        String why = MovedTime.reason(business, asked, clock.instant(), booked);
        return new Plan(Plan.Kind.PROPOSE, slot,
                Character.toUpperCase(why.charAt(0)) + why.substring(1) + "; the first opening is " + when.format(slot)
                        + ". Reply YES to confirm, or suggest another time.");
    }

    /** The start of each phone's next confirmed appointment, for the phones that have one. */
    Map<String, Instant> nextAppointments(Collection<String> phones) {
        if (phones.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>(phones);
        args.add(Timestamp.from(clock.instant()));
        Map<String, Instant> next = new HashMap<>();
        jdbc.query("SELECT phone, min(starts_at) FROM appointment WHERE phone IN ("
                + MultiRowInsert.placeholders(phones.size()) + ") AND status = 'confirmed' AND starts_at > ? GROUP BY phone", rs -> {
                    next.put(rs.getString(1), SqlValues.instant(rs, 2));
                }, args.toArray());
        return next;
    }

    private Optional<Instant> nextAppointment(String phone) {
        return Optional.ofNullable(nextAppointments(List.of(phone)).get(phone));
    }

    /**
     * Applies a plan inside the reply's transaction, which holds the conversation's lock, and returns
     * the text to send. A slot booked since it was proposed is not booked twice: the next free one
     * is proposed instead. Bookings take the booking lock first, so two conversations confirming the
     * same slot at the same instant are serialised: the second sees the first's appointment.
     */
    public String apply(Plan plan, long conversationId, String phone, String email) {
        if (plan.kind() == Plan.Kind.PROPOSE) {
            jdbc.update("UPDATE conversation SET proposed_slot = ? WHERE id = ?", Timestamp.from(plan.slot()), conversationId);
            return plan.reply();
        }
        if (plan.kind() == Plan.Kind.CANCEL) {
            List<Long> ids = jdbc.queryForList("SELECT id FROM appointment WHERE phone = ? AND status = 'confirmed' AND starts_at = ?",
                    Long.class, phone,
                    Timestamp.from(plan.slot()));
            if (ids.isEmpty()) {
                return "We couldn't find an upcoming appointment to cancel. A team member will follow up if needed.";
            }
            jdbc.update("UPDATE appointment SET status = 'cancelled', cancelled_at = ? WHERE id = ?", Timestamp.from(clock.instant()),
                    ids.get(0));
            return plan.reply() + (invites.inviteSent(ids.get(0)) ? " We'll email you a calendar cancellation." : "")
                    + " Text us a new time whenever you like.";
        }
        jdbc.queryForObject("SELECT id FROM booking_lock WHERE id = 1 FOR UPDATE", Integer.class);
        List<SlotFinder.Booked> booked = booked();
        if (booked.stream().anyMatch(b -> plan.slot().isBefore(b.end()) && b.start().isBefore(plan.slot().plus(LENGTH)))) {
            Optional<Instant> next = slots.propose(new RequestedTime(plan.slot().atZone(business.zone()).toLocalDate(),
                    plan.slot().atZone(business.zone()).toLocalTime()), clock.instant(), booked);
            jdbc.update("UPDATE conversation SET proposed_slot = ? WHERE id = ?", next.map(Timestamp::from).orElse(null), conversationId);
            return next.map(s -> "Sorry, that time was just taken. We can come " + when.format(s) + " instead. Reply YES to confirm.")
                    .orElse("Sorry, that time was just taken. What other day works for you?");
        }
        jdbc.update(
                "INSERT INTO appointment (conversation_id, phone, starts_at, ends_at, status, confirmed_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                conversationId, phone, Timestamp.from(plan.slot()), Timestamp.from(plan.slot().plus(LENGTH)), "confirmed", "customer",
                Timestamp.from(clock.instant()));
        jdbc.update("UPDATE conversation SET proposed_slot = NULL WHERE id = ?", conversationId);
        if (!invites.enabled()) {
            return plan.reply(); // no SMTP: no invite to promise
        }
        return email == null
                ? plan.reply() + " What email should we send the calendar invite to?"
                : plan.reply() + " We'll email the calendar invite to " + email + ".";
    }

    public List<Appointment> upcoming() {
        return jdbc.query(
                "SELECT id, conversation_id, phone, starts_at, ends_at, status, created_at FROM appointment WHERE ends_at >= ? ORDER BY starts_at",
                (rs, i) -> appointment(rs), Timestamp.from(clock.instant().minus(Duration.ofDays(1))));
    }

    /** A conversation's appointments, latest first (the booked one the thread shows). */
    public List<Appointment> forConversation(long conversationId) {
        return jdbc.query(
                "SELECT id, conversation_id, phone, starts_at, ends_at, status, created_at FROM appointment WHERE conversation_id = ?"
                        + " ORDER BY starts_at DESC",
                (rs, i) -> appointment(rs), conversationId);
    }

    public Optional<Appointment> byId(long id) {
        return jdbc.query("SELECT id, conversation_id, phone, starts_at, ends_at, status, created_at FROM appointment WHERE id = ?",
                (rs, i) -> appointment(rs), id).stream().findFirst();
    }

    /** The appointment as an iCalendar file (RFC 5545), times in UTC. */
    public String ics(Appointment a) {
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        return String.join("\r\n", "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//retention-hub//appointments//EN", "METHOD:PUBLISH",
                "BEGIN:VEVENT", "UID:appointment-" + a.id() + "@retention-hub", "DTSTAMP:" + utc.format(a.createdAt()),
                "DTSTART:" + utc.format(a.startsAt()), "DTEND:" + utc.format(a.endsAt()),
                "SUMMARY:" + escape(business.name() + " appointment"),
                "DESCRIPTION:" + escape("Booked by text from " + OwnerAlerts.mask(a.phone())), "STATUS:CONFIRMED", "END:VEVENT",
                "END:VCALENDAR", "");
    }

    private List<SlotFinder.Booked> booked() {
        return jdbc.query("SELECT starts_at, ends_at FROM appointment WHERE status = 'confirmed' AND ends_at > ?",
                (rs, i) -> new SlotFinder.Booked(SqlValues.instant(rs, 1), SqlValues.instant(rs, 2)), Timestamp.from(clock.instant()));
    }

    private static Appointment appointment(ResultSet rs) throws SQLException {
        return new Appointment(rs.getLong(1), rs.getLong(2), rs.getString(3), SqlValues.instant(rs, 4), SqlValues.instant(rs, 5),
                rs.getString(6), SqlValues.instant(rs, 7));
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n");
    }
}
