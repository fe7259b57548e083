package com.retentionhub.console;

import com.retentionhub.platform.LoginThrottle;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The admin's password check for the console's form. An address that guessed wrong too often waits
 * first ({@link LoginThrottle}); a user name longer than any real one is a plain failed login that
 * nothing remembers; and an unknown user costs the same bcrypt work as the admin, so the time taken
 * does not tell whether a name exists.
 */
final class ConsoleLogin implements AuthenticationProvider {

    /** Longer than any user name anyone types; anything longer is refused before it is looked at. */
    static final int MAX_USER_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogin.class);

    private final DaoAuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ConsoleLogin(ConsoleProperties properties, LoginThrottle throttle) {
        String hash = properties.adminPasswordHash();
        if (hash == null || hash.isBlank()) {
            // No hash configured: no password can match, so the console stays shut rather than open.
            hash = new BCryptPasswordEncoder().encode(UUID.randomUUID().toString());
            LOG.warn("HUB_ADMIN_PASSWORD_HASH is not set; the staff console refuses every login for this run");
        } else if (!hash.matches("\\$2[aby]?\\$\\d\\d\\$.{53}")) {
            throw new IllegalStateException("HUB_ADMIN_PASSWORD_HASH must be a bcrypt hash ($2a$, $2b$ or $2y$); see the README");
        }
        this.passwords = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername(properties.adminUser()).password(hash).roles(ConsoleSecurity.ROLE).build()));
        // The encoder's strength is only used for the dummy hash an unknown user is checked against:
        // the admin's own cost, so both take the same time (matching reads the cost from the hash).
        this.passwords.setPasswordEncoder(new BCryptPasswordEncoder(cost(hash)));
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication request) throws AuthenticationException {
        String address = request.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        if (!throttle.waitFor(address).isZero()) {
            throw new LockedException("too many failed logins from this address; try again later");
        }
        String user = request.getName();
        if (user == null || user.length() > MAX_USER_LENGTH) {
            throttle.failed(address);
            throw new BadCredentialsException("bad credentials");
        }
        try {
            Authentication done = passwords.authenticate(request);
            throttle.succeeded(address);
            return done;
        } catch (BadCredentialsException e) {
            throttle.failed(address);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> type) {
        return passwords.supports(type);
    }

    /** The cost factor of a bcrypt hash ({@code $2a$12$...} is 12). */
    static int cost(String hash) {
        return Integer.parseInt(hash.substring(hash.indexOf('$', 1) + 1, hash.indexOf('$', 1) + 3));
    }
}
