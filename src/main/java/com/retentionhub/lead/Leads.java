package com.retentionhub.lead;

import com.retentionhub.platform.MultiRowInsert;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Leads as the modules above see and move them: a lead's card, the row lock that serialises its
 * enrollments, and its status. Sequences, conversions and consent changes set a lead's status only
 * here, inside their own transaction, so the change commits or rolls back with what caused it.
 * Joins and filters read the {@code lead_card} view instead.
 */
@Component
public class Leads {

    /** A lead: who it is and where it stands. */
    public record Lead(long id, String phone, String email, String name, LeadStatus status) {}

    private static final String COLUMNS = "id, phone, email, name, status";

    private final JdbcTemplate jdbc;

    public Leads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Lead> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM leads WHERE id = ?", Leads::lead, id).stream().findFirst();
    }

    /** The leads with these ids, by id; unknown ids are left out. */
    public Map<Long, Lead> find(Collection<Long> ids) {
        Map<Long, Lead> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query("SELECT " + COLUMNS + " FROM leads WHERE id IN (" + MultiRowInsert.placeholders(ids.size()) + ")",
                (RowCallbackHandler) rs -> {
                    Lead lead = lead(rs, 0);
                    found.put(lead.id(), lead);
                }, ids.toArray());
        return found;
    }

    /** Locks the lead's row until the caller's transaction ends, so two enrollments of one lead cannot both pass a check. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(long id) {
        jdbc.queryForList("SELECT id FROM leads WHERE id = ? FOR UPDATE", Long.class, id);
    }

    /** Moves the lead to {@code status} when its current one allows ({@link LeadStatus#movesFrom()}); false when it did not move. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean markStatus(long leadId, LeadStatus status, Instant at) {
        return move("id = ?", leadId, status, at) > 0;
    }

    /** Moves every lead with this phone to {@code status} where its current one allows; returns how many moved. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int markStatus(String phone, LeadStatus status, Instant at) {
        return move("phone = ?", phone, status, at);
    }

    /**
     * Renewed consent lifts the do-not-contact mark of the phone's leads once no channel of it is
     * opted out any more; they count as contacted. Returns how many were lifted.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int liftDoNotContact(String phone, Instant at) {
        return jdbc.update("UPDATE leads SET status = ?, updated_at = ? WHERE phone = ? AND status = ?"
                + " AND NOT EXISTS (SELECT 1 FROM consent_opted_out s WHERE s.phone = ?)", LeadStatus.CONTACTED.name(), Timestamp.from(at),
                phone,
                LeadStatus.DO_NOT_CONTACT.name(), phone);
    }

    private int move(String where, Object key, LeadStatus status, Instant at) {
        if (status.movesFrom().isEmpty()) {
            return 0;
        }
        List<Object> args = new ArrayList<>(List.of(status.name(), Timestamp.from(at), key));
        status.movesFrom().forEach(from -> args.add(from.name()));
        return jdbc.update("UPDATE leads SET status = ?, updated_at = ? WHERE " + where + " AND status IN ("
                + MultiRowInsert.placeholders(status.movesFrom().size()) + ")", args.toArray());
    }

    private static Lead lead(ResultSet rs, int row) throws SQLException {
        return new Lead(rs.getLong("id"), rs.getString("phone"), rs.getString("email"), rs.getString("name"),
                LeadStatus.valueOf(rs.getString("status")));
    }
}
