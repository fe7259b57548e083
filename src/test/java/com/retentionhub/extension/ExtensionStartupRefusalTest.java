package com.retentionhub.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.retentionhub.RetentionHubApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The hub as it starts for real (the embedded default) with an extension file that names an
 * unknown endpoint: it refuses to start, and the one message says which file, which line and why.
 */
class ExtensionStartupRefusalTest {

    @TempDir
    Path home;

    @Test
    void shouldRefuseStartUpWithTheFileLineAndReasonOfAnInvalidExtensionRoute() throws Exception {
        Path bad = Files.writeString(home.resolve("ext-typo.camel.yaml"), """
                - route:
                    id: ext-typo
                    description: a CRM call with a typo in the scheme
                    from:
                      uri: hub:events
                      steps:
                        - to:
                            uri: htp://crm.example/leads
                """);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(RetentionHubApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:file:" + home
                        + "/data/retention-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--spring.flyway.schemas=",
                "--camel.main.routes-include-pattern=file:routes/*.camel.yaml,file:" + home + "/ext-*.camel.yaml").close());

        Throwable cause = failure;
        while (cause != null && !(cause instanceof ExtensionRouteCheck.InvalidExtensionRoute)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("start-up failed for the extension file: " + failure).isNotNull();
        assertThat(cause.getMessage()).isEqualTo("Extension route refused: " + bad
                + " line 8: unknown endpoint 'htp://crm.example/leads': the hub has no component 'htp'");
    }
}
