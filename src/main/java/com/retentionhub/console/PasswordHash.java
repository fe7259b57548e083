package com.retentionhub.console;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the bcrypt hash of a password read from the terminal (or standard input), for
 * {@code HUB_ADMIN_PASSWORD_HASH}. The password is never an argument, so it stays out of shell
 * history and process lists. See the README for the command.
 */
public final class PasswordHash {

    private PasswordHash() {}

    public static void main(String[] args) throws IOException {
        String password;
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Password for the console: ");
            password = typed == null ? "" : new String(typed);
        } else {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            password = line == null ? "" : line;
        }
        if (password.length() < 12) {
            System.err.println("use at least 12 characters");
            System.exit(2);
        }
        System.out.println(new BCryptPasswordEncoder(12).encode(password));
    }
}
