package com.retentionhub.extension;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ExtensionScenarios} on the embedded default's database and bus: an H2 file in PostgreSQL mode
 * (application.yaml's settings) with SEDA between stages. The test profile's secrets and fakes stay;
 * its PostgreSQL-only connection settings are neutralised.
 */
@DirtiesContext
class ExtensionsOnEmbeddedDefaultTest extends ExtensionScenarios {

    @DynamicPropertySource
    static void embeddedDatabase(DynamicPropertyRegistry registry) throws Exception {
        Path data = Files.createTempDirectory("hub-ext-h2");
        // IGNORE_UNKNOWN_SETTINGS: the test profile hands PostgreSQL's ApplicationName to every driver.
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + data + "/retention-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=FALSE;IGNORE_UNKNOWN_SETTINGS=TRUE");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.hikari.connection-init-sql", () -> "SELECT 1");
        registry.add("spring.flyway.schemas", () -> "");
        registry.add("spring.quartz.properties.org.quartz.jobStore.driverDelegateClass",
                () -> "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
    }
}
