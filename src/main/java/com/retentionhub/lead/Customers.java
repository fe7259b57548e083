package com.retentionhub.lead;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.MultiRowInsert;
import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SearchText;
import com.retentionhub.platform.SqlValues;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customers: contacts with a service record (status, last service, history, open issues, tags).
 * A contact without a service status is a lead or a number on a cold list; it becomes a customer
 * when staff create one with its phone.
 */
@Component
public class Customers {

    public static final List<String> STATUSES = List.of("active", "paused", "cancelled");
    /** Sort keys for {@link #search}; a leading '-' sorts descending. */
    public static final Map<String, String> SORTS = Map.of("name", "k.name", "created", "k.id", "lastService", "k.last_service_on",
            "cancelled", "k.cancelled_on");

    /** One visit in the service history. */
    public record Visit(String service, LocalDate performedOn, String notes) {}

    /** What staff set on a customer; a null history leaves the stored one as it is. */
    public record Fields(String name, String email, String serviceStatus, LocalDate lastServiceOn, LocalDate cancelledOn, String openIssues,
            List<String> tags, String timeZone, List<Visit> serviceHistory) {}

    /** A customer as the API shows it; {@code consent} is the SMS consent status. */
    public record Customer(long id, String phone, String name, String email, String serviceStatus, LocalDate lastServiceOn,
            LocalDate cancelledOn, String openIssues, List<String> tags, String timeZone, String consent, Integer leadScore,
            Instant createdAt,
            Instant updatedAt, List<Visit> serviceHistory) {}

    /** A search: text (name, phone, email), status ("none" for contacts that are not customers), tag, sort, page. */
    public record Query(String text, String status, String tag, String sort, int page, int size) {}

    public record Page<T>(List<T> items, int page, int size, long total) {}

    /** The phone already belongs to a customer. */
    public static class Exists extends RuntimeException {
        public final long id;

        Exists(long id) {
            super("a customer with this phone exists: " + id);
            this.id = id;
        }
    }

    private static final String COLUMNS = "k.id, k.phone, k.name, k.email, k.service_status, k.last_service_on, k.cancelled_on, k.open_issues,"
            + " k.tags, k.time_zone, (SELECT s.status FROM consent_status s WHERE s.phone = k.phone AND s.channel = 'sms'), k.lead_score,"
            + " k.created_at, k.updated_at";

    private final JdbcTemplate jdbc;
    private final ContactStore contacts;
    private final ApplicationEventPublisher events;
    private final BusinessProfile business;
    private final Clock clock;

    public Customers(JdbcTemplate jdbc, ContactStore contacts, ApplicationEventPublisher events, BusinessProfile business, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.events = events;
        this.business = business;
        this.clock = clock;
    }

    /** Makes the phone's contact a customer. @throws Exists when it already is one */
    @Transactional
    public Customer create(String phone, Fields fields) {
        long id = contacts.ensure(phone);
        ContactStore.Locked contact = contacts.lock(id).orElseThrow();
        if (contact.serviceStatus() != null) {
            throw new Exists(id);
        }
        write(contact, fields);
        return get(id).orElseThrow();
    }

    @Transactional
    public Optional<Customer> update(long id, Fields fields) {
        Optional<ContactStore.Locked> before = contacts.lock(id);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        write(before.get(), fields);
        return get(id);
    }

    public Optional<Customer> get(long id) {
        // The visits first, then the contact: a query inside the row mapper would hold one connection while it
        // asks for a second, and reply workers reading customers for their prompts would starve the pool.
        List<Visit> visits = visits(id);
        return jdbc.query("SELECT " + COLUMNS + " FROM contact_card k WHERE k.id = ?", (rs, i) -> customer(rs, visits), id).stream()
                .findFirst();
    }

    /** What the assistant is told about a person (see {@code CustomerBrief}); the latest visit's service only, not the history. */
    public record Profile(String name, String serviceStatus, LocalDate lastServiceOn, String lastService, String openIssues) {}

    /**
     * The profiles of these phones, by phone, in one statement. It is read for every model-written
     * reply, so it is neither {@link #byPhone}'s three statements (id, visits, contact) nor one per
     * phone: the reply workers read it for a batch of conversations at once.
     */
    public Map<String, Profile> profiles(Collection<String> phones) {
        if (phones.isEmpty()) {
            return Map.of();
        }
        Map<String, Profile> found = new HashMap<>();
        jdbc.query("SELECT k.phone, k.name, k.service_status, k.last_service_on, k.open_issues, (SELECT v.service FROM service_visit v"
                + " WHERE v.contact_id = k.id ORDER BY v.performed_on DESC, v.id DESC LIMIT 1) FROM contact_card k WHERE k.phone IN ("
                + MultiRowInsert.placeholders(phones.size()) + ")", rs -> {
                    found.put(rs.getString(1), new Profile(rs.getString(2), rs.getString(3), local(rs.getDate(4)), rs.getString(6),
                            rs.getString(5)));
                }, phones.toArray());
        return found;
    }

    public Optional<Customer> byPhone(String phone) {
        return jdbc.queryForList("SELECT id FROM contact_card WHERE phone = ?", Long.class, phone).stream().findFirst().flatMap(this::get);
    }

    /**
     * Deletes the customer's personal data and messages. Every module removes or anonymises its own
     * rows in this transaction ({@link PersonErased}); an opt-out survives as a hashed tombstone.
     */
    @Transactional
    public boolean delete(long id) {
        Optional<ContactStore.Locked> found = contacts.lock(id);
        if (found.isEmpty()) {
            return false;
        }
        String phone = found.get().phone();
        String email = found.get().email();
        String alias = "erased-" + UUID.randomUUID().toString().substring(0, 8);
        events.publishEvent(new PersonErased(id, phone, alias));
        jdbc.update("DELETE FROM meta_leadgen WHERE lead_id IN (SELECT id FROM leads WHERE phone = ? OR (email IS NOT NULL AND email = ?))",
                phone,
                email);
        // The lead stays for the campaign's and sequence's counts, with nothing left that names the person.
        jdbc.update("UPDATE leads SET phone = NULL, email = NULL, name = NULL, status = 'DO_NOT_CONTACT', updated_at = ? WHERE phone = ?"
                + " OR (email IS NOT NULL AND email = ?)", Timestamp.from(clock.instant()), phone, email);
        jdbc.update("DELETE FROM service_visit WHERE contact_id = ?", id);
        contacts.delete(id, phone);
        return true;
    }

    public Page<Customer> search(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        SearchText.append(q.text(), where, args, "k.phone", "lower(k.name) LIKE ?", "lower(k.email) LIKE ?");
        if ("none".equals(q.status())) {
            where.append(" AND k.service_status IS NULL");
        } else if (q.status() != null) {
            where.append(" AND k.service_status = ?");
            args.add(q.status());
        }
        if (q.tag() != null) {
            where.append(" AND k.tags LIKE ?");
            args.add("%," + SearchText.likeEscaped(q.tag()) + ",%");
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM contact_card k" + where, Long.class, args.toArray());
        String sort = q.sort() == null ? "-created" : q.sort();
        boolean descending = sort.startsWith("-");
        String column = SORTS.get(descending ? sort.substring(1) : sort);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.size());
        pageArgs.add((long) q.page() * q.size());
        List<Customer> items = jdbc
                .query("SELECT " + COLUMNS + " FROM contact_card k" + where + " ORDER BY " + column + (descending ? " DESC" : "")
                        + " NULLS LAST, k.id LIMIT ? OFFSET ?", (rs, i) -> customer(rs, null), pageArgs.toArray());
        return new Page<>(items, q.page(), q.size(), total == null ? 0 : total);
    }

    private void write(ContactStore.Locked before, Fields f) {
        long id = before.id();
        LocalDate today = LocalDate.ofInstant(clock.instant(), business.zone());
        LocalDate cancelledOn = f.cancelledOn();
        if (cancelledOn == null && "cancelled".equals(f.serviceStatus())) {
            // Keep the day it was cancelled; a customer newly cancelled now was cancelled today.
            cancelledOn = "cancelled".equals(before.serviceStatus()) ? before.cancelledOn() : today;
        }
        LocalDate lastService = f.lastServiceOn();
        if (lastService == null && f.serviceHistory() != null) {
            lastService = f.serviceHistory().stream().map(Visit::performedOn).max(LocalDate::compareTo).orElse(null);
        }
        contacts.saveCustomerRecord(id, new ContactStore.CustomerRecord(f.name(), f.email(), f.serviceStatus(), lastService, cancelledOn,
                f.openIssues(), tags(f.tags()), f.timeZone()));
        if (f.serviceHistory() != null) {
            jdbc.update("DELETE FROM service_visit WHERE contact_id = ?", id);
            jdbc.batchUpdate("INSERT INTO service_visit (contact_id, service, performed_on, notes) VALUES (?, ?, ?, ?)",
                    f.serviceHistory().stream().map(v -> new Object[] {id, v.service(), date(v.performedOn()), v.notes()}).toList());
        }
    }

    private List<Visit> visits(long contactId) {
        return jdbc.query("SELECT service, performed_on, notes FROM service_visit WHERE contact_id = ? ORDER BY performed_on DESC, id DESC",
                (rs, i) -> new Visit(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3)), contactId);
    }

    private static Customer customer(ResultSet rs, List<Visit> visits) throws SQLException {
        Timestamp updated = rs.getTimestamp(14);
        return new Customer(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), local(rs.getDate(6)),
                local(rs.getDate(7)), rs.getString(8), tagList(rs.getString(9)), rs.getString(10),
                rs.getString(11) == null ? "NONE" : rs.getString(11), SqlValues.intOrNull(rs, 12), SqlValues.instant(rs, 13),
                updated == null ? null : updated.toInstant(), visits);
    }

    /** Tags are stored as ",a,b," so that one tag is a LIKE match; callers pass them normalised. */
    static String tags(List<String> tags) {
        return tags == null || tags.isEmpty() ? null : "," + String.join(",", tags) + ",";
    }

    static List<String> tagList(String stored) {
        return stored == null ? List.of() : Arrays.stream(stored.split(",")).filter(t -> !t.isEmpty()).toList();
    }

    private static Date date(LocalDate d) {
        return d == null ? null : Date.valueOf(d);
    }

    private static LocalDate local(Date d) {
        return d == null ? null : d.toLocalDate();
    }
}
