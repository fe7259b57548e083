package com.retentionhub.console;

import com.retentionhub.platform.LoginThrottle;
import com.retentionhub.staff.ConsoleUsers;
import com.retentionhub.staff.UsersApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * The password check for the console's form: the first admin (hash from the environment or the
 * first-run file) and the users an admin created ({@link ConsoleUsers}). An address that guessed wrong
 * too often waits first ({@link LoginThrottle}); a user name longer than any real one is a plain failed
 * login that nothing remembers; an unknown user costs the same bcrypt work as the admin, so the time
 * taken does not tell whether a name exists. A created user's own wrong passwords lock that user alone;
 * the first admin is never locked by name (anyone could type it), only slowed per address.
 */
final class ConsoleLogin implements AuthenticationProvider {

    /** Longer than any user name anyone types; anything longer is refused before it is looked at. */
    static final int MAX_USER_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleLogin.class);

    private final String adminUser;
    private final AdminHash adminHash;
    private final LoginThrottle throttle;
    private final ConsoleUsers users;
    /** The check for the hash last read; rebuilt when the hash changes. */
    private String checkedHash;
    private DaoAuthenticationProvider passwords;

    /** A created user locked after too many wrong passwords: the login page says so, and that only this user waits. */
    static final class UserLocked extends LockedException {
        UserLocked() {
            super("this user is locked after too many wrong passwords");
        }
    }

    ConsoleLogin(ConsoleProperties properties, LoginThrottle throttle, ConsoleUsers users) {
        String hash = properties.adminPasswordHash();
        if (hash != null && !hash.isBlank() && !AdminHash.isBcrypt(hash)) {
            throw new IllegalStateException("HUB_ADMIN_PASSWORD_HASH must be a bcrypt hash ($2a$, $2b$ or $2y$); see the README");
        }
        this.adminUser = properties.adminUser();
        this.adminHash = new AdminHash(hash, properties.adminPasswordFile() == null || properties.adminPasswordFile().isBlank()
                ? null
                : Path.of(properties.adminPasswordFile()));
        this.throttle = throttle;
        this.users = users;
        if (adminHash.current() == null) {
            LOG.warn("HUB_ADMIN_PASSWORD_HASH is not set and {} holds no hash; the staff console refuses every login until one"
                    + " of them does (the README's first-run command writes the file; no restart needed)", properties.adminPasswordFile());
        }
        passwordsFor(adminHash.current());
    }

    /** The password check for the admin's current hash: with none, a random one no password matches, so the console stays shut. */
    private synchronized DaoAuthenticationProvider passwordsFor(String hash) {
        if (passwords != null && Objects.equals(hash, checkedHash)) {
            return passwords;
        }
        String effective = hash != null ? hash : new BCryptPasswordEncoder().encode(UUID.randomUUID().toString());
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername(adminUser).password(effective).authorities(UsersApi.CONSOLE, UsersApi.CONSOLE_ADMIN).build()));
        // The encoder's strength is only used for the dummy hash an unknown user is checked against:
        // the admin's own cost, so both take the same time (matching reads the cost from the hash).
        provider.setPasswordEncoder(new BCryptPasswordEncoder(cost(effective)));
        checkedHash = hash;
        passwords = provider;
        return provider;
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
        if (users != null && !user.equals(adminUser)) { // null: a unit test of the first admin alone
            Optional<ConsoleUsers.User> stored = users.find(user);
            if (stored.isPresent()) {
                return authenticate(stored.get(), request.getCredentials(), address);
            }
        }
        try {
            Authentication done = passwordsFor(adminHash.current()).authenticate(request);
            throttle.succeeded(address);
            return done;
        } catch (BadCredentialsException e) {
            throttle.failed(address);
            throw e;
        }
    }

    private Authentication authenticate(ConsoleUsers.User user, Object credentials, String address) {
        if (user.lockedAt(users.now())) {
            // Not an address failure: the password was not even looked at.
            throw new UserLocked();
        }
        if (!users.matches(user, credentials == null ? null : credentials.toString())) {
            throttle.failed(address);
            if (users.failed(user)) {
                LOG.warn("console user {} locked after repeated wrong passwords", user.username());
                throw new UserLocked();
            }
            throw new BadCredentialsException("bad credentials");
        }
        users.succeeded(user);
        throttle.succeeded(address);
        List<String> authorities = user.role() == ConsoleUsers.Role.ADMIN
                ? List.of(UsersApi.CONSOLE, UsersApi.CONSOLE_ADMIN)
                : List.of(UsersApi.CONSOLE);
        User principal = (User) User.withUsername(user.username()).password("").authorities(authorities.toArray(String[]::new)).build();
        return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.getAuthorities());
    }

    @Override
    public boolean supports(Class<?> type) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(type);
    }

    /** The cost factor of a bcrypt hash ({@code $2a$12$...} is 12). */
    static int cost(String hash) {
        return Integer.parseInt(hash.substring(hash.indexOf('$', 1) + 1, hash.indexOf('$', 1) + 3));
    }

    /**
     * Where the admin's hash comes from: the configured one, or else the first-run file, read again
     * only when its size or time changes. A file that holds no bcrypt hash counts as none (and says so once).
     */
    static final class AdminHash {

        private final String configured;
        private final Path file;
        private String stamp;
        private String fromFile;

        AdminHash(String configured, Path file) {
            this.configured = configured == null || configured.isBlank() ? null : configured.trim();
            this.file = file;
        }

        static boolean isBcrypt(String hash) {
            return hash.matches("\\$2[aby]?\\$\\d\\d\\$.{53}");
        }

        synchronized String current() {
            if (configured != null || file == null) {
                return configured;
            }
            try {
                var attributes = Files.readAttributes(file, BasicFileAttributes.class);
                String now = attributes.lastModifiedTime() + "/" + attributes.size();
                if (!now.equals(stamp)) {
                    stamp = now;
                    String read = Files.readString(file).trim();
                    fromFile = isBcrypt(read) ? read : null;
                    if (fromFile == null) {
                        LOG.warn("{} holds no bcrypt hash; make it with the README's first-run command", file);
                    } else {
                        LOG.info("console admin password hash read from {}", file);
                    }
                }
            } catch (NoSuchFileException missing) {
                stamp = null;
                fromFile = null;
            } catch (IOException unreadable) {
                LOG.warn("cannot read {}: {}", file, unreadable.getMessage());
                fromFile = null;
            }
            return fromFile;
        }
    }
}
