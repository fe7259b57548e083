package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.LoginProperties;
import com.retentionhub.platform.LoginThrottle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The first run needs no restart: with no HUB_ADMIN_PASSWORD_HASH, the hub that is already running
 * takes the admin's hash from the file the README's first-run command writes, and a new one when it changes.
 */
class ConsoleLoginFirstRunTest {

    @TempDir
    Path data;

    private final LoginThrottle throttle = new LoginThrottle(
            new LoginProperties(100, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), 100), Clock.systemUTC());

    @Test
    void shouldLetTheAdminInOnceTheFirstRunCommandHasWrittenTheHashWithoutANewLogin() throws Exception {
        Path file = data.resolve("admin-password.hash");
        ConsoleLogin login = new ConsoleLogin(new ConsoleProperties("admin", "", file.toString()), throttle, null);
        assertThatThrownBy(() -> login.authenticate(attempt("first-run-password"))).isInstanceOf(BadCredentialsException.class);

        Files.writeString(file, new BCryptPasswordEncoder(4).encode("first-run-password") + "\n");

        assertThat(login.authenticate(attempt("first-run-password")).isAuthenticated()).isTrue();
        assertThatThrownBy(() -> login.authenticate(attempt("another-password"))).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void shouldTakeANewPasswordWhenTheFileChangesAndRefuseWhenItHoldsNoHash() throws Exception {
        Path file = data.resolve("admin-password.hash");
        Files.writeString(file, new BCryptPasswordEncoder(4).encode("old-password-123"));
        ConsoleLogin login = new ConsoleLogin(new ConsoleProperties("admin", null, file.toString()), throttle, null);
        assertThat(login.authenticate(attempt("old-password-123")).isAuthenticated()).isTrue();

        Files.writeString(file, new BCryptPasswordEncoder(4).encode("new-password-456"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5))); // a second write within the clock's grain
        assertThat(login.authenticate(attempt("new-password-456")).isAuthenticated()).isTrue();
        assertThatThrownBy(() -> login.authenticate(attempt("old-password-123"))).isInstanceOf(BadCredentialsException.class);

        Files.writeString(file, "Password for the console: oops");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        assertThatThrownBy(() -> login.authenticate(attempt("new-password-456"))).isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void shouldPreferTheConfiguredHashToTheFile() throws Exception {
        Path file = data.resolve("admin-password.hash");
        Files.writeString(file, new BCryptPasswordEncoder(4).encode("file-password-1"));
        ConsoleLogin login = new ConsoleLogin(
                new ConsoleProperties("admin", new BCryptPasswordEncoder(4).encode("env-password-12"), file.toString()), throttle, null);

        assertThat(login.authenticate(attempt("env-password-12")).isAuthenticated()).isTrue();
        assertThatThrownBy(() -> login.authenticate(attempt("file-password-1"))).isInstanceOf(BadCredentialsException.class);
    }

    private static UsernamePasswordAuthenticationToken attempt(String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated("admin", password);
    }
}
