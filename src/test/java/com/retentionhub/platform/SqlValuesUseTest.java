package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No module casts a value the database handed back: PostgreSQL and H2 return different Java types
 * for the same column (a timestamp is a {@code Timestamp} on one and an {@code OffsetDateTime} on
 * the other), so such a cast works on one and fails every pass on the other. {@link SqlValues}
 * converts them instead.
 */
class SqlValuesUseTest {

    /** A cast to a date/time or number type of a row value ({@code x.get("...")}) or of {@code getObject(...)}. */
    private static final Pattern CAST_OF_ROW_VALUE = Pattern.compile(
            "\\((?:java\\.sql\\.)?(Timestamp|OffsetDateTime|LocalDateTime|java\\.util\\.Date|Number|Integer|Long|Short|Double|Float|BigDecimal|BigInteger)\\)"
                    + "\\s*\\(*\\s*[\\w.()]*?(?:getObject\\(|\\.get\\(\")");
    /** A cast to a JDBC timestamp or a driver's date/time type, whatever it is applied to. */
    private static final Pattern TIMESTAMP_CAST = Pattern
            .compile("\\((?:java\\.sql\\.)?Timestamp\\)\\s*[\\w(]|\\((?:java\\.time\\.)?OffsetDateTime\\)\\s*[\\w(]");

    @Test
    void shouldConvertDatabaseValuesOnlyThroughSqlValues() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("SqlValues.java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    for (Pattern p : List.of(CAST_OF_ROW_VALUE, TIMESTAMP_CAST)) {
                        Matcher m = p.matcher(lines.get(i));
                        if (m.find()) {
                            offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertThat(offenders).as("casts of database values; use SqlValues").isEmpty();
    }

    @Test
    void shouldFindTheCastsTheSequenceProcessorUsedToMake() {
        assertThat(CAST_OF_ROW_VALUE.matcher("Instant planned = ((Timestamp) e.get(\"next_run_at\")).toInstant();").find()).isTrue();
        assertThat(CAST_OF_ROW_VALUE.matcher("long id = ((Number) tests.get(0).get(\"id\")).longValue();").find()).isTrue();
        assertThat(CAST_OF_ROW_VALUE.matcher("Integer max = (Integer) rs.getObject(5);").find()).isTrue();
        assertThat(CAST_OF_ROW_VALUE.matcher("String name = (String) r.get(\"name\");").find()).isFalse();
    }
}
