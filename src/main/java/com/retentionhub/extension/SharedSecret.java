package com.retentionhub.extension;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Verifies a webhook that proves itself with a shared secret in a header (form builders, simple
 * lead sources). SECURITY: the route names the setting that holds the secret (itself read from the
 * environment), never the secret, since route definitions show in Hawtio and logs; compared in constant time.
 */
@Component("sharedSecret")
public class SharedSecret {

    private final Environment env;

    public SharedSecret(Environment env) {
        this.env = env;
    }

    /** Refuses (403) unless {@code presented} equals the secret in the setting {@code secretProperty}; no secret refuses everything. */
    public void verify(String presented, String secretProperty) {
        String secret = env.getProperty(secretProperty);
        if (secret == null || secret.isBlank()) {
            throw new HubRefusedException(403, "webhook secret " + secretProperty + " is not set; every call is refused");
        }
        if (presented == null
                || !MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))) {
            throw new HubRefusedException(403, "wrong or missing shared secret");
        }
    }
}
