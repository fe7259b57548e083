package com.retentionhub.staff;

import com.retentionhub.platform.SqlValues;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * The console's users after the first admin: a name, a role, a bcrypt hash of their own password (the
 * same cost the first-run command uses), and a lock of their own: {@code lockAfter} wrong passwords in a
 * row lock that user alone for {@code lockFor} (or until an admin unlocks them). The first admin
 * ({@code hub.console.admin-user}) is not stored here and is never locked by name, so a stranger
 * guessing at that name cannot shut the hub's owner out; the per-address wait still slows them.
 */
@Component
public class ConsoleUsers {

    /** bcrypt's cost for every console password, the first admin's included (see {@code PasswordHash}). */
    public static final int COST = 12;
    /** Shortest password accepted, as the first-run command requires. */
    public static final int MIN_PASSWORD = 12;
    /** bcrypt reads at most 72 bytes; a longer password would be silently cut, so it is refused instead. */
    public static final int MAX_PASSWORD_BYTES = 72;

    /** What a console user may do: staff work the inbox and campaigns; an admin also manages users. */
    public enum Role {
        STAFF, ADMIN;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role of(String value) {
            for (Role r : values()) {
                if (r.value().equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("role must be staff or admin");
        }
    }

    /** Per-user lock settings ({@code hub.console.users.*}). */
    @Validated
    @ConfigurationProperties("hub.console.users")
    public record LockProperties(@Min(1) int lockAfter, @NotNull Duration lockFor) {}

    /** A stored user; the hash never leaves this module's callers that check passwords. */
    public record User(long id, String username, Role role, String passwordHash, int failedLogins, Instant lockedUntil, String createdBy,
            Instant createdAt, Instant lastLoginAt) {

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    /** A user name that is taken (by a stored user or the first admin). */
    public static class Taken extends RuntimeException {
        public Taken(String username) {
            super("user " + username + " exists");
        }
    }

    private static final String COLUMNS = "id, username, role, password_hash, failed_logins, locked_until, created_by, created_at, last_login_at";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,63}");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final LockProperties lock;
    private final String firstAdmin;
    private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(COST);

    public ConsoleUsers(JdbcTemplate jdbc, Clock clock, LockProperties lock, @Value("${hub.console.admin-user}") String firstAdmin) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lock = lock;
        this.firstAdmin = firstAdmin;
    }

    /** The first admin's name, from the environment: always an admin, never stored, never locked by name. */
    public String firstAdmin() {
        return firstAdmin;
    }

    /** A user name as stored: trimmed and lower case; IllegalArgumentException when it cannot be one. */
    public static String normalise(String username) {
        String name = username == null ? "" : key(username);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("username must be 2-64 letters, digits, '.', '_', '@' or '-'");
        }
        return name;
    }

    /** How a name is stored and looked up: trimmed, lower case. */
    private static String key(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }

    /** The password's problem, or null when it may be used. */
    public static String passwordProblem(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return "password must have at least " + MIN_PASSWORD + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return "password must fit in " + MAX_PASSWORD_BYTES + " bytes";
        }
        return null;
    }

    public User create(String username, Role role, String password, String createdBy) {
        String name = normalise(username);
        String problem = passwordProblem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (name.equals(firstAdmin.toLowerCase(Locale.ROOT))) {
            throw new Taken(name);
        }
        try {
            jdbc.update(
                    "INSERT INTO console_user (username, role, password_hash, failed_logins, created_by, created_at) VALUES (?, ?, ?, 0, ?, ?)",
                    name, role.value(), encoder.encode(password), createdBy, Timestamp.from(clock.instant()));
        } catch (DuplicateKeyException e) {
            throw new Taken(name);
        }
        return find(name).orElseThrow();
    }

    public Optional<User> find(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM console_user WHERE username = ?", (rs, i) -> user(rs),
                key(username)).stream().findFirst();
    }

    public List<User> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM console_user ORDER BY username", (rs, i) -> user(rs));
    }

    /** A wrong password for a stored user: true when this one locked them. */
    public boolean failed(User user) {
        Instant now = clock.instant();
        int failures = user.failedLogins() + 1;
        if (failures >= lock.lockAfter()) {
            jdbc.update("UPDATE console_user SET failed_logins = 0, locked_until = ? WHERE id = ?",
                    Timestamp.from(now.plus(lock.lockFor())), user.id());
            return true;
        }
        jdbc.update("UPDATE console_user SET failed_logins = failed_logins + 1 WHERE id = ?", user.id());
        return false;
    }

    public void succeeded(User user) {
        jdbc.update("UPDATE console_user SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
                Timestamp.from(clock.instant()), user.id());
    }

    /** An admin lifts a user's lock; false when there is no such user. */
    public boolean unlock(String username) {
        return jdbc.update("UPDATE console_user SET failed_logins = 0, locked_until = NULL WHERE username = ?", key(username)) == 1;
    }

    /** Whether the password is this user's (bcrypt, constant time). */
    public boolean matches(User user, String password) {
        return password != null && encoder.matches(password, user.passwordHash());
    }

    public Instant now() {
        return clock.instant();
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), Role.of(rs.getString(3)), rs.getString(4), rs.getInt(5), SqlValues.instant(rs, 6),
                rs.getString(7), SqlValues.instant(rs, 8), SqlValues.instant(rs, 9));
    }
}
