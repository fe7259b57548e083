package com.retentionhub.sequence;

import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.SqlValues;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sequence definitions. The files in {@code config/sequences/} are validated and stored at start-up
 * (a sequence already stored under the same name is left as it is: staff edits through the API win).
 */
@Component
public class Sequences {

    private static final Logger LOG = LoggerFactory.getLogger(Sequences.class);

    public record Step(long id, int position, String channel, long delayMinutes, String script, List<String> conditions, int retryLimit) {}

    public record Sequence(long id, String name, String status, List<Step> steps) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Validator validator;
    private final Clock clock;
    private final Path directory;

    public Sequences(JdbcTemplate jdbc, TransactionTemplate tx, Validator validator, Clock clock,
            @Value("${hub.sequences.directory:config/sequences}") String directory) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.validator = validator;
        this.clock = clock;
        this.directory = Path.of(directory);
        // Validate at construction: an invalid file stops the hub, naming the file and the field.
        definitions();
    }

    /** After the shipped scripts ({@code ScriptFiles}), before the shipped campaigns ({@code CampaignFiles}) that name sequences. */
    public static final int ORDER = 100;

    @Order(ORDER)
    @EventListener(ApplicationReadyEvent.class)
    public void storeShipped() {
        definitions().forEach(d -> {
            if (byName(d.name()).isEmpty()) {
                create(d);
                LOG.info("sequence '{}' stored from {}", d.name(), directory);
            }
        });
    }

    private List<SequenceDefinition> definitions() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<SequenceDefinition> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.sequence.yaml")) {
            for (Path f : files) {
                found.add(ConfigFiles.load(f, SequenceDefinition.class, validator));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + directory, e);
        }
        return found;
    }

    public Sequence create(SequenceDefinition d) {
        return tx.execute(s -> {
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.update("INSERT INTO sequence (name, status, created_at, updated_at) VALUES (?, ?, ?, ?)", d.name().trim(),
                    d.status() == null ? "DRAFT" : d.status(), now, now);
            long id = jdbc.queryForObject("SELECT id FROM sequence WHERE name = ?", Long.class, d.name().trim());
            int position = 1;
            for (SequenceDefinition.Step step : d.steps()) {
                insertStep(id, position++, step);
            }
            return get(id).orElseThrow();
        });
    }

    /** A change refused because of what depends on it (enrollments, executions); the message says what. */
    public static class InUse extends RuntimeException {
        public InUse(String message) {
            super(message);
        }
    }

    /** Renames a sequence or moves it between DRAFT, ACTIVE and ARCHIVED; empty when there is none. */
    public Optional<Sequence> update(long id, String name, String status) {
        if (status != null && !List.of("DRAFT", "ACTIVE", "ARCHIVED").contains(status)) {
            throw new IllegalArgumentException("status must be DRAFT, ACTIVE or ARCHIVED");
        }
        return tx.execute(s -> {
            if (get(id).isEmpty()) {
                return Optional.<Sequence>empty();
            }
            if (name != null && !name.isBlank() && byName(name.trim()).filter(o -> o.id() != id).isPresent()) {
                throw new InUse("a sequence named '" + name.trim() + "' exists");
            }
            jdbc.update("UPDATE sequence SET name = COALESCE(?, name), status = COALESCE(?, status), updated_at = ? WHERE id = ?",
                    name == null || name.isBlank() ? null : name.trim(), status, Timestamp.from(clock.instant()), id);
            return get(id);
        });
    }

    /** Deletes a draft that nobody was ever enrolled in; anything else is archived, not deleted. */
    public boolean delete(long id) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            Optional<Sequence> sequence = get(id);
            if (sequence.isEmpty()) {
                return false;
            }
            if (!sequence.get().status().equals("DRAFT")
                    || jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE sequence_id = ?", Integer.class,
                            id) > 0) {
                throw new InUse("only a draft nobody was enrolled in can be deleted; archive it instead");
            }
            jdbc.update("DELETE FROM sequence_step WHERE sequence_id = ?", id);
            jdbc.update("DELETE FROM sequence WHERE id = ?", id);
            return true;
        }));
    }

    /** Adds a step after the last one. */
    public Optional<Sequence> addStep(long id, SequenceDefinition.Step step) {
        return tx.execute(s -> {
            if (get(id).isEmpty()) {
                return Optional.<Sequence>empty();
            }
            Integer last = jdbc.queryForObject("SELECT max(position) FROM sequence_step WHERE sequence_id = ?", Integer.class, id);
            insertStep(id, last == null ? 1 : last + 1, step);
            return get(id);
        });
    }

    /** Changes a step in place (its position stays, so enrollments waiting for it keep their place). */
    public Optional<Sequence> updateStep(long id, long stepId, SequenceDefinition.Step step) {
        return tx.execute(s -> {
            int n = jdbc.update("UPDATE sequence_step SET channel = ?, delay_minutes = ?, script = ?, conditions = ?, retry_limit = ?"
                    + " WHERE id = ? AND sequence_id = ?", step.channel(), step.delay().minutes(), step.script(),
                    step.conditions() == null ? "" : String.join(",", step.conditions()), step.retryLimit() == null ? 2 : step.retryLimit(),
                    stepId, id);
            return n == 0 ? Optional.<Sequence>empty() : get(id);
        });
    }

    /** Removes a step that never ran; one with executions stays, as the record of what was sent. */
    public boolean deleteStep(long id, long stepId) {
        return Boolean.TRUE.equals(tx.execute(s -> {
            if (jdbc.queryForObject("SELECT count(*) FROM step_execution WHERE step_id = ?", Integer.class, stepId) > 0) {
                throw new InUse("the step has run for some leads; archive the sequence and make a new one instead");
            }
            return jdbc.update("DELETE FROM sequence_step WHERE id = ? AND sequence_id = ?", stepId, id) == 1;
        }));
    }

    /** Enrollments by status and each step's executions by status. */
    public Map<String, Object> stats(long id) {
        Map<String, Object> enrollments = new TreeMap<>();
        jdbc.query("SELECT status, count(*) FROM enrollment WHERE sequence_id = ? GROUP BY status", rs -> {
            enrollments.put(rs.getString(1), rs.getLong(2));
        }, id);
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step step : get(id).map(Sequence::steps).orElse(List.of())) {
            Map<String, Object> byStatus = new TreeMap<>();
            jdbc.query("SELECT status, count(*) FROM step_execution WHERE step_id = ? GROUP BY status", rs -> {
                byStatus.put(rs.getString(1), rs.getLong(2));
            }, step.id());
            steps.add(Map.of("position", step.position(), "channel", step.channel(), "script", step.script(), "executions", byStatus));
        }
        return Map.of("enrollments", enrollments, "steps", steps);
    }

    private void insertStep(long sequenceId, int position, SequenceDefinition.Step step) {
        jdbc.update(
                "INSERT INTO sequence_step (sequence_id, position, channel, delay_minutes, script, conditions, retry_limit) VALUES (?, ?, ?, ?, ?, ?, ?)",
                sequenceId, position, step.channel(), step.delay().minutes(), step.script(),
                step.conditions() == null ? "" : String.join(",", step.conditions()), step.retryLimit() == null ? 2 : step.retryLimit());
    }

    public List<Sequence> list() {
        return jdbc.queryForList("SELECT id FROM sequence ORDER BY id", Long.class).stream().map(id -> get(id).orElseThrow()).toList();
    }

    public Optional<Sequence> byName(String name) {
        return jdbc.queryForList("SELECT id FROM sequence WHERE name = ?", Long.class, name).stream().findFirst().flatMap(this::get);
    }

    public Optional<Sequence> get(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, name, status FROM sequence WHERE id = ?", id);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Step> steps = jdbc.query("SELECT id, position, channel, delay_minutes, script, conditions, retry_limit FROM sequence_step"
                + " WHERE sequence_id = ? ORDER BY position",
                (rs, i) -> new Step(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6).isEmpty() ? List.of() : List.of(rs.getString(6).split(",")), rs.getInt(7)),
                id);
        Map<String, Object> r = rows.get(0);
        return Optional.of(new Sequence(SqlValues.toLong(r.get("id")), (String) r.get("name"), (String) r.get("status"), steps));
    }
}
