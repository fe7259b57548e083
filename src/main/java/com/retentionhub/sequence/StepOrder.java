package com.retentionhub.sequence;

import java.util.HashSet;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Puts a sequence's steps in a new order. A running enrollment waits for a position, not a step, so
 * reordering under it would send a lead a different step than the one it was waiting for: the order
 * changes only while nobody is walking the sequence (running or paused enrollments).
 */
@Component
public class StepOrder {

    private final JdbcTemplate jdbc;

    public StepOrder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** False when there is no such sequence; {@link Sequences.InUse} while leads walk it; IllegalArgumentException unless every step is named once. */
    @Transactional
    public boolean reorder(long sequenceId, List<Long> stepIds) {
        if (jdbc.queryForList("SELECT id FROM sequence WHERE id = ? FOR UPDATE", Long.class, sequenceId).isEmpty()) {
            return false;
        }
        List<Long> current = jdbc.queryForList("SELECT id FROM sequence_step WHERE sequence_id = ? ORDER BY position", Long.class,
                sequenceId);
        if (stepIds.size() != current.size() || !new HashSet<>(stepIds).equals(new HashSet<>(current))) {
            throw new IllegalArgumentException("stepIds: name each of the sequence's " + current.size() + " steps once");
        }
        if (stepIds.equals(current)) {
            return true;
        }
        int running = jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE sequence_id = ? AND status IN ('ACTIVE', 'PAUSED')",
                Integer.class,
                sequenceId);
        if (running > 0) {
            throw new Sequences.InUse(
                    running + (running == 1 ? " lead is" : " leads are") + " walking this sequence; the order can change only"
                            + " when none is (end their enrollments, or copy the sequence)");
        }
        // Two moves keep (sequence, position) unique throughout: out of the way, then into place.
        jdbc.update("UPDATE sequence_step SET position = position + 100000 WHERE sequence_id = ?", sequenceId);
        for (int i = 0; i < stepIds.size(); i++) {
            jdbc.update("UPDATE sequence_step SET position = ? WHERE id = ?", i + 1, stepIds.get(i));
        }
        return true;
    }
}
