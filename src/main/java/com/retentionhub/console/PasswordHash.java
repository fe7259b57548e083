package com.retentionhub.console;

import com.retentionhub.staff.ConsoleUsers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Prints the bcrypt hash of a password read from the terminal (or standard input), for
 * {@code HUB_ADMIN_PASSWORD_HASH}; given a file, writes it there instead (the first-run file a running
 * hub reads at the next login, {@code hub.console.admin-password-file}). The password is never an
 * argument, so it stays out of shell history and process lists. See the README for the command.
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
        String problem = ConsoleUsers.passwordProblem(password);
        if (problem != null) {
            System.err.println(problem);
            System.exit(2);
        }
        // The same cost as the passwords of the users an admin creates in the console.
        String hash = new BCryptPasswordEncoder(ConsoleUsers.COST).encode(password);
        if (args.length == 0) {
            System.out.println(hash);
            return;
        }
        // A file, not stdout: the terminal stays free for the hidden prompt (System.console() needs stdout on the terminal).
        Path file = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(file.getParent());
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), hash + "\n");
        try {
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the folder's own permissions apply.
        }
        // Moved into place whole, so a login in between never reads half a hash.
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("hash written to " + file + "; the running hub reads it at the next login");
    }
}
