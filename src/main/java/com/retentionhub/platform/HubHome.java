package com.retentionhub.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Stops a hub started from the wrong folder with one line that says what to do, before Spring
 * builds anything: routes, connectors and config are read from {@code HUB_HOME} (the working
 * directory by default), and without them every bean fails in turn with a long stack trace.
 * Registered by {@code main} only, so tests and embedding applications keep their own rules.
 */
public final class HubHome implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        problem(event.getEnvironment()).ifPresent(line -> {
            System.err.println(line);
            System.exit(2);
        });
    }

    /** What is missing, as one line for a person, or empty when the hub can start here. */
    static Optional<String> problem(Environment env) {
        String home = env.getProperty("HUB_HOME");
        String business = env.getProperty("hub.business-file", "config/business.yaml");
        if (Files.isRegularFile(Path.of(business))) {
            return Optional.empty();
        }
        String where = Path.of(home == null ? "" : home).toAbsolutePath().normalize().toString();
        return Optional.of(business + " not found (looked in " + where + "): "
                + (home == null
                        ? "start from the repository root or set HUB_HOME"
                        : "HUB_HOME must be the folder that holds config/, routes/ and connectors/"));
    }
}
