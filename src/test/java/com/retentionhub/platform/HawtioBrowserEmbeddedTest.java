package com.retentionhub.platform;

import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link HawtioBrowserTest} on the embedded default's database: an H2 file in PostgreSQL mode, as
 * application.yaml ships it, in a folder of its own under target/. Hawtio reads the same routes either way, but
 * what they show (counts, states, the statistics after a text) comes through the database's dialect.
 */
// Its own context (and H2 file), closed when the class is done.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HawtioBrowserEmbeddedTest extends HawtioBrowserTest {

    /** Under target/: JUnit's @TempDir is not set yet when Spring builds a per-class instance's context. */
    private static final Path DATA = Path.of("target", "hawtio-h2", UUID.randomUUID().toString());

    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DATA.toAbsolutePath()
                + "/retention-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
        // The test profile's PostgreSQL-only settings, back to the embedded default's.
        registry.add("spring.datasource.hikari.connection-init-sql", () -> "SELECT 1");
        registry.add("spring.flyway.schemas", () -> "");
        registry.add("spring.quartz.properties.org.quartz.jobStore.driverDelegateClass",
                () -> "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    }

    @Override
    String screenshotPrefix() {
        return "hawtio-h2-";
    }
}
