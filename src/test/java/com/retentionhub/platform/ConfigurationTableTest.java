package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The configuration table in docs/configuration.md against what the hub reads: every environment
 * variable named in a placeholder ({@code ${NAME...}}), {@code System.getenv} or a connector's
 * {@code ...Env=NAME} property in the code, the
 * application files, routes, connectors and config is documented, and every documented one is read.
 */
class ConfigurationTableTest {

    /** Read by Spring Boot itself through relaxed binding, not through a placeholder of ours. */
    private static final Set<String> READ_BY_SPRING = Set.of("SPRING_PROFILES_ACTIVE");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+)[:}]");
    private static final Pattern GETENV = Pattern.compile("getenv\\(\"([A-Z][A-Z0-9_]+)\"\\)");
    /** A secret handed to a connector by its variable's name (authValueEnv=SMS_RETAIL_API_KEY), so its value is on no URI. */
    private static final Pattern BY_NAME = Pattern.compile("[a-z][A-Za-z]*Env=([A-Z][A-Z0-9_]+)");
    private static final Pattern DOCUMENTED = Pattern.compile("`([A-Z][A-Z0-9_]{2,})`");

    @Test
    void shouldDocumentEveryEnvironmentVariableTheHubReads() {
        Set<String> read = read();
        assertThat(read).as("the scan found the hub's variables").contains("TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "HUB_API_KEYS");
        assertThat(documented()).containsAll(read);
    }

    @Test
    void shouldReadEveryEnvironmentVariableTheTableDocuments() {
        Set<String> documented = documented();
        documented.removeAll(READ_BY_SPRING);
        assertThat(read()).containsAll(documented);
    }

    private static Set<String> read() {
        Set<String> names = new TreeSet<>();
        for (String dir : new String[] {"src/main/java", "src/main/resources", "routes", "connectors", "config", "hawtio"}) {
            try (Stream<Path> files = Files.walk(Path.of(dir))) {
                files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(java|ya?ml|xml|properties|json)$"))
                        .forEach(f -> {
                            String text = text(f);
                            collect(PLACEHOLDER.matcher(text), names);
                            collect(GETENV.matcher(text), names);
                            collect(BY_NAME.matcher(text), names);
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The names in the first column of the table's rows. */
    private static Set<String> documented() {
        Set<String> names = new TreeSet<>();
        text(Path.of("docs/configuration.md")).lines().filter(l -> l.startsWith("| `"))
                .forEach(row -> collect(DOCUMENTED.matcher(row.split("\\|")[1]), names));
        return names;
    }

    private static void collect(Matcher m, Set<String> into) {
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
