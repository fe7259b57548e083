package com.retentionhub.semantic;

import com.retentionhub.platform.PersonErased;
import com.retentionhub.platform.SqlValues;
import io.swagger.v3.oas.annotations.media.Schema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The audit trail of the semantic layer (table {@code semantic_decision}): every act, clarification
 * and flag with its score and nearest exemplar; staff verdicts; texts proposed as exemplars.
 */
@Component
public class SemanticDecisions {

    /** What the layer did with one text. */
    public enum Action {
        OPT_OUT, CLARIFY, ESCALATE, FLAG
    }

    /** One decision as staff see it. */
    @Schema(name = "SemanticDecision")
    public record Entry(long id, long inboundEventId, Long conversationId, String text, String action, String label, double score,
            String nearestExemplar, String nearestLabel, Double nearestSimilarity, Instant decidedAt, String verdict, String correctLabel,
            String markedBy, Instant markedAt, String exemplarStatus) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public SemanticDecisions(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a decision; a re-processed event records nothing twice. */
    public void record(long inboundEventId, long conversationId, String phone, String text, Action action, SemanticLabel label,
            LayeredDecision.Decision d) {
        double score = label == SemanticLabel.OPT_OUT ? d.optOutScore() : d.escalationScore();
        jdbc.update("INSERT INTO semantic_decision (inbound_event_id, conversation_id, phone, text, action, label, score, nearest_exemplar,"
                + " nearest_label, nearest_similarity, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                inboundEventId,
                conversationId, phone, text, action.name(), label.code(), score, d.nearestExemplar(),
                d.nearestLabel() == null ? null : d.nearestLabel().code(), d.nearestSimilarity(), Timestamp.from(clock.instant()));
    }

    public List<Entry> forConversation(long conversationId) {
        return jdbc.query(SELECT + " WHERE conversation_id = ? ORDER BY id", (rs, i) -> entry(rs), conversationId);
    }

    public Optional<Entry> find(long id) {
        return jdbc.query(SELECT + " WHERE id = ?", (rs, i) -> entry(rs), id).stream().findFirst();
    }

    /** Texts staff marked wrong whose proposed exemplar is waiting for review, oldest first. */
    public List<Entry> proposedExemplars() {
        return jdbc.query(SELECT + " WHERE exemplar_status = 'PROPOSED' ORDER BY id", (rs, i) -> entry(rs));
    }

    /**
     * Staff say the decision was wrong and what the text really is: the text is proposed as an
     * exemplar with that label, to be reviewed before it is added to the exemplar file.
     *
     * @return false when there is no such decision
     */
    public boolean markWrong(long id, SemanticLabel correct, String actor) {
        return jdbc.update("UPDATE semantic_decision SET verdict = 'WRONG', correct_label = ?, marked_by = ?, marked_at = ?,"
                + " exemplar_status = 'PROPOSED' WHERE id = ?", correct.code(), actor, Timestamp.from(clock.instant()), id) == 1;
    }

    /** The reviewer's answer on a proposed exemplar; false when none was proposed for that decision. */
    public boolean review(long id, boolean accept) {
        return jdbc.update("UPDATE semantic_decision SET exemplar_status = ? WHERE id = ? AND exemplar_status = 'PROPOSED'",
                accept ? "ACCEPTED" : "REJECTED", id) == 1;
    }

    /** Texts staff marked wrong and a reviewer accepted, with their right label: the classifier learns from them too. */
    public List<Exemplars.Exemplar> acceptedExemplars() {
        return jdbc.query("SELECT correct_label, text FROM semantic_decision WHERE exemplar_status = 'ACCEPTED' ORDER BY id",
                (rs, i) -> new Exemplars.Exemplar(SemanticLabel.fromCode(rs.getString(1)).orElse(SemanticLabel.ORDINARY), "?",
                        rs.getString(2)));
    }

    /** A deleted customer's words leave the audit too. */
    @EventListener
    public void on(PersonErased erased) {
        jdbc.update("DELETE FROM semantic_decision WHERE phone = ?", erased.phone());
    }

    private static final String SELECT = "SELECT id, inbound_event_id, conversation_id, text, action, label, score, nearest_exemplar, nearest_label,"
            + " nearest_similarity, decided_at, verdict, correct_label, marked_by, marked_at, exemplar_status FROM semantic_decision";

    private static Entry entry(ResultSet rs) throws SQLException {
        long conversation = rs.getLong(3);
        Long conversationId = rs.wasNull() ? null : conversation;
        double similarity = rs.getDouble(10);
        Double nearestSimilarity = rs.wasNull() ? null : similarity;
        return new Entry(rs.getLong(1), rs.getLong(2), conversationId, rs.getString(4), rs.getString(5), rs.getString(6), rs.getDouble(7),
                rs.getString(8), rs.getString(9), nearestSimilarity, SqlValues.instant(rs, 11), rs.getString(12), rs.getString(13),
                rs.getString(14), SqlValues.instant(rs, 15), rs.getString(16));
    }
}
