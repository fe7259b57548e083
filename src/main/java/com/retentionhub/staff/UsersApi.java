package com.retentionhub.staff;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Console users: list them, create one (staff or admin) with their own password, lift a user's lock.
 * Creating and unlocking need an admin: a console user signed in as staff is refused (403). An API
 * key counts as an admin, since whoever holds one already holds the hub's configuration.
 */
@RestController
public class UsersApi {

    /** Authority of every console user (the console's chain requires it). */
    public static final String CONSOLE = "ROLE_CONSOLE";
    /** Authority a console admin has on top; staff do not. */
    public static final String CONSOLE_ADMIN = "ROLE_CONSOLE_ADMIN";

    /** A new console user: name, role (staff or admin), password (12+ characters, kept only as a bcrypt hash). */
    @Schema(name = "NewConsoleUser")
    public record NewUser(@NotBlank @Size(max = 64) String username, @NotBlank String role, @NotBlank @Size(max = 200) String password) {}

    /** A console user as others see them: never the hash. source: environment (the first admin) or console. */
    @Schema(name = "ConsoleUser")
    public record UserView(String username, String role, String source, boolean locked, Instant lockedUntil, String createdBy,
            Instant createdAt,
            Instant lastLoginAt) {}

    private final ConsoleUsers users;

    public UsersApi(ConsoleUsers users) {
        this.users = users;
    }

    @GetMapping("/api/users")
    public List<UserView> list() {
        List<UserView> all = new ArrayList<>();
        all.add(new UserView(users.firstAdmin(), ConsoleUsers.Role.ADMIN.value(), "environment", false, null, null, null, null));
        Instant now = users.now();
        users.all().forEach(u -> all.add(view(u, now)));
        return all;
    }

    @PostMapping("/api/users")
    public ResponseEntity<UserView> create(@Valid @RequestBody NewUser request, Principal who) {
        requireAdmin(who);
        ConsoleUsers.Role role = ConsoleUsers.Role.of(request.role()); // unknown: IllegalArgumentException, a 400
        try {
            ConsoleUsers.User created = users.create(request.username(), role, request.password(), Caller.of(who));
            return ResponseEntity.status(HttpStatus.CREATED).body(view(created, users.now()));
        } catch (ConsoleUsers.Taken e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    @PostMapping("/api/users/{username}/unlock")
    public UserView unlock(@PathVariable("username") String username, Principal who) {
        requireAdmin(who);
        if (!users.unlock(username)) {
            throw ApiProblem.notFound("user", username);
        }
        return view(users.find(username).orElseThrow(), users.now());
    }

    /** True for an admin signed in to the console and for an API key; false for a console user with the staff role. */
    public static boolean isAdmin(Principal who) {
        if (who instanceof Authentication signedIn && has(signedIn, CONSOLE)) {
            return has(signedIn, CONSOLE_ADMIN);
        }
        return true;
    }

    private static boolean has(Authentication who, String authority) {
        return who.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
    }

    private static void requireAdmin(Principal who) {
        if (!isAdmin(who)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "only an admin can manage users");
        }
    }

    private static UserView view(ConsoleUsers.User u, Instant now) {
        return new UserView(u.username(), u.role().value(), "console", u.lockedAt(now), u.lockedAt(now) ? u.lockedUntil() : null,
                u.createdBy(),
                u.createdAt(), u.lastLoginAt());
    }
}
