package com.retentionhub.platform;

import java.util.regex.Pattern;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Hands connectors their credentials by the name of the environment variable that holds them.
 * SECURITY: a kamelet is given that name, never the secret, so no secret rides on an endpoint URI
 * (which Jolokia, Hawtio and logs show) or sits in a route's model (which route dumps resolve).
 */
@Component("hubSecrets")
public class HubSecrets {

    /** Environment-style names only: a route cannot read Spring settings such as the database password. */
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final String SLOT = "{secret}";

    private final Environment environment;

    public HubSecrets(Environment environment) {
        this.environment = environment;
    }

    /** The secret held by the environment variable {@code name}; empty when it is not set. */
    public String get(String name) {
        if (name == null || name.isBlank()) {
            return "";
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
        }
        return environment.getProperty(name, "");
    }

    /** {@code form} with the secret in its {@code {secret}} slot, e.g. "Bearer {secret}". */
    public String fill(String form, String name) {
        String secret = get(name);
        return form == null || form.isEmpty() ? secret : form.replace(SLOT, secret);
    }
}
