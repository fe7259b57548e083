package com.retentionhub.contact;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.platform.IdCache;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.SqlValues;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Contacts, one per E.164 phone. */
@Component
public class ContactStore {

    /** A contact as staff see it. */
    public record Contact(long id, String phone, String name, String email, boolean phoneValid, Integer leadScore,
            String leadScoreReasons) {}

    /** A contact's row, locked for the caller's transaction, with what a change to its customer record starts from. */
    public record Locked(long id, String phone, String email, String serviceStatus, LocalDate cancelledOn) {}

    /**
     * What the lead module keeps on a contact that is a customer: its name and email as staff set
     * them, its service record, its tags (stored {@code ",a,b,"} so one tag is a LIKE match) and time zone.
     */
    public record CustomerRecord(String name, String email, String serviceStatus, LocalDate lastServiceOn, LocalDate cancelledOn,
            String openIssues, String tags, String timeZone) {}

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock;
    private final IdCache<String> known = new IdCache<>(200_000);

    private final ConsentLedger consent;

    public ContactStore(JdbcTemplate jdbc, Clock clock, ConsentLedger consent) {
        this.jdbc = jdbc;
        this.consent = consent;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.clock = clock;
    }

    /** The contact id of each phone, creating the contacts that do not exist yet. */
    public Map<String, Long> ensure(Collection<String> phones) {
        return known.resolve(phones, this::select, missing -> {
            Timestamp now = Timestamp.from(clock.instant());
            MultiRowInsert.insertIgnoringConflicts(jdbc, "contact", List.of("phone", "created_at"),
                    missing.stream().map(phone -> new Object[] {phone, now}).toList());
            // A number a deleted customer had opted out of comes back opted out.
            consent.restoreTombstones(missing);
        });
    }

    public long ensure(String phone) {
        return ensure(List.of(phone)).get(phone);
    }

    public Optional<Contact> find(String phone) {
        return jdbc.query("SELECT id, phone, name, email, phone_valid, lead_score, lead_score_reasons FROM contact WHERE phone = ?",
                (rs, i) -> new Contact(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                        SqlValues.intOrNull(rs, 6), rs.getString(7)),
                phone).stream().findFirst();
    }

    /** Keeps a name or email the customer gave; the latest one wins. Runs only when a text carried one. */
    public void learn(String phone, String name, String email) {
        ensure(phone);
        jdbc.update("UPDATE contact SET name = COALESCE(?, name), email = COALESCE(?, email) WHERE phone = ?", name, email, phone);
    }

    /**
     * Fills a name or email the contact does not have yet, never replacing one: a lead form or a
     * duplicate import row describes someone already known, and must not rename them.
     */
    public void fillIn(String phone, String name, String email) {
        ensure(phone);
        jdbc.update("UPDATE contact SET name = COALESCE(name, ?), email = COALESCE(email, ?) WHERE phone = ?", name, email, phone);
    }

    /** Locks the contact's row until the caller's transaction ends (a customer change or deletion); empty when there is none. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Locked> lock(long id) {
        return jdbc.query("SELECT id, phone, email, service_status, cancelled_on FROM contact WHERE id = ? FOR UPDATE",
                (rs, i) -> new Locked(rs.getLong("id"), rs.getString("phone"), rs.getString("email"), rs.getString("service_status"),
                        rs.getDate("cancelled_on") == null ? null : rs.getDate("cancelled_on").toLocalDate()),
                id).stream().findFirst();
    }

    /** Replaces the contact's customer record, all of it (a null clears a field). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void saveCustomerRecord(long id, CustomerRecord r) {
        jdbc.update("UPDATE contact SET name = ?, email = ?, service_status = ?, last_service_on = ?, cancelled_on = ?, open_issues = ?,"
                + " tags = ?, time_zone = ?, updated_at = ? WHERE id = ?", r.name(), r.email(), r.serviceStatus(), date(r.lastServiceOn()),
                date(r.cancelledOn()), r.openIssues(), r.tags(), r.timeZone(), Timestamp.from(clock.instant()), id);
    }

    /**
     * Marks the phone's contact a warm lead (when, what they said, which campaign) unless it is one
     * already: the first interested reply stays. False when it was marked before or there is no such contact.
     */
    public boolean markWarm(String phone, Instant at, String text, String campaign) {
        return jdbc.update("UPDATE contact SET warm_lead_at = ?, warm_lead_text = ?, warm_lead_campaign = ? WHERE phone = ?"
                + " AND warm_lead_at IS NULL", Timestamp.from(at), text, campaign, phone) > 0;
    }

    /** Stores a recomputed lead score and the reasons for it. */
                                                                 /** A lead score to store on the contact with this phone. */
    public record Score(String phone, int score, String reasons, Instant at) {}

    /** Stores the scores in one batched round trip. */
    public void score(List<Score> scores) {
        if (scores.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE contact SET lead_score = ?, lead_score_reasons = ?, lead_scored_at = ? WHERE phone = ?",
                scores.stream().map(s -> new Object[] {s.score(), s.reasons(), Timestamp.from(s.at()), s.phone()}).toList());
    }

    /** Marks a number the provider says cannot receive texts (invalid or not mobile). */
    public void markInvalid(String phone) {
        jdbc.update("UPDATE contact SET phone_valid = FALSE WHERE phone = ?", phone);
    }

    private static Date date(LocalDate d) {
        return d == null ? null : Date.valueOf(d);
    }

    private Map<String, Long> select(List<String> phones) {
        Map<String, Long> ids = new HashMap<>();
        named.query("SELECT phone, id FROM contact WHERE phone IN (:phones)", new MapSqlParameterSource("phones", phones), rs -> {
            ids.put(rs.getString(1), rs.getLong(2));
        });
        return ids;
    }

    /**
     * Deletes a contact once every module has erased its own rows of the person (the lead module's
     * {@code Customers} publishes {@code PersonErased} first); its id is forgotten when that commits.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void delete(long id, String phone) {
        jdbc.update("DELETE FROM contact WHERE id = ?", id);
        known.forgetAfterCommit(phone);
    }
}
