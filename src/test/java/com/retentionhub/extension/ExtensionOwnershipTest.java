package com.retentionhub.extension;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No extension reaches a table: the extension module runs no SQL of its own (it calls the owning
 * modules' APIs), and extension route files name no database endpoint (ExtensionRouteCheck refuses
 * them; ExtensionRouteCheckTest shows it).
 */
class ExtensionOwnershipTest {

    @Test
    void shouldRunNoSqlInTheExtensionModule() throws Exception {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/com/retentionhub/extension"))) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(sources).isNotEmpty();
        for (Path source : sources) {
            String code = Files.readString(source);
            assertThat(code).as(source.toString()).doesNotContain("JdbcTemplate").doesNotContain("java.sql").doesNotContain("DataSource")
                    .doesNotContainPattern("(?i)\"\\s*(SELECT|INSERT|UPDATE|DELETE|MERGE)\\s");
        }
    }

    @Test
    void shouldNameNoDatabaseEndpointInTheShippedExtensionFiles() throws Exception {
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("examples")), Files.list(Path.of("routes")))) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(ExtensionRouteCheck.PREFIX)).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContainPattern("(?m)(uri|to|toD|from):\\s*\"?(sql|jdbc|jpa|spring-jdbc):");
            }
        }
    }
}
