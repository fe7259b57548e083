package com.retentionhub.sequence;

import com.retentionhub.platform.ConfigFiles;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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
        List<SequenceDefinition> found = new java.util.ArrayList<>();
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
                jdbc.update("INSERT INTO sequence_step (sequence_id, position, channel, delay_minutes, script, conditions, retry_limit)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)", id, position++, step.channel(), step.delay().minutes(), step.script(),
                        step.conditions() == null ? "" : String.join(",", step.conditions()), step.retryLimit() == null ? 2 : step.retryLimit());
            }
            return get(id).orElseThrow();
        });
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
                + " WHERE sequence_id = ? ORDER BY position", (rs, i) -> new Step(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6).isEmpty() ? List.of() : List.of(rs.getString(6).split(",")), rs.getInt(7)), id);
        Map<String, Object> r = rows.get(0);
        return Optional.of(new Sequence(((Number) r.get("id")).longValue(), (String) r.get("name"), (String) r.get("status"), steps));
    }
}
