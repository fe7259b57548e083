package com.retentionhub.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hawtio's own login page, answered by the hub: the page POSTs {@code {"username","password"}} to
 * {@code auth/login}, reads the name back from {@code user} and leaves through {@code auth/logout}.
 * WORKAROUND(hawtio-springboot 4.3.0): its Spring Security login module is missing from the jar, so
 * Hawtio's authentication stays off and the hub checks the ops user here, keeping it in the session
 * under a key of its own (a console login in the same browser is another key, and neither replaces
 * the other). Failed attempts count in the same per-address {@link LoginThrottle} as Basic and the console.
 */
final class HawtioLogin extends OncePerRequestFilter {

    static final String BASE = "/actuator/hawtio";
    static final String LOGIN = BASE + "/auth/login";
    static final String LOGOUT = BASE + "/auth/logout";
    static final String USER = BASE + "/user";
    /** Hawtio's client route for its login form. */
    static final String LOGIN_PAGE = BASE + "/login";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuthenticationManager opsUsers;
    private final LoginThrottle throttle;
    private final JolokiaGuard sameOrigin;
    private final HttpSessionSecurityContextRepository sessions;

    HawtioLogin(AuthenticationManager opsUsers, LoginThrottle throttle, JolokiaGuard sameOrigin,
            HttpSessionSecurityContextRepository sessions) {
        this.opsUsers = opsUsers;
        this.throttle = throttle;
        this.sameOrigin = sameOrigin;
        this.sessions = sessions;
    }

    /** Where the ops user's login lives in the session: not Spring's default key, which the console uses. */
    static HttpSessionSecurityContextRepository sessionRepository() {
        HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();
        repository.setSpringSecurityContextKey("HUB_OPS_SECURITY_CONTEXT");
        // Only a login here opens a session: Basic callers (scripts, Jolokia clients) stay stateless.
        repository.setAllowSessionCreation(false);
        return repository;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !(path.equals(LOGIN) || path.equals(LOGOUT));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (path(request).equals(LOGOUT)) {
            var session = request.getSession(false);
            if (session != null) {
                session.removeAttribute("HUB_OPS_SECURITY_CONTEXT");
            }
            response.sendRedirect(request.getContextPath() + LOGIN_PAGE);
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            SecurityConfiguration.problem(response, 405, "Method Not Allowed", "log in with a POST");
            return;
        }
        // SECURITY: the login takes no CSRF token (Hawtio sends none), so a page elsewhere must not be able to post it.
        if (!sameOrigin.fromOwnOrigin(request)) {
            SecurityConfiguration.problem(response, 403, "Forbidden", "log in from the hub's own Hawtio page");
            return;
        }
        String address = request.getRemoteAddr();
        Duration wait = throttle.waitFor(address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds)); // Hawtio's form counts down from it
            SecurityConfiguration.problem(response, 429, "Too Many Requests",
                    "too many failed logins from this address; retry in " + seconds + " s");
            return;
        }
        Authentication who;
        try {
            JsonNode body = JSON.readTree(request.getInputStream().readNBytes(4096));
            String user = body == null ? "" : body.path("username").asText("");
            String password = body == null ? "" : body.path("password").asText("");
            who = opsUsers.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(user, password));
        } catch (AuthenticationException | IOException refused) {
            throttle.failed(address);
            SecurityConfiguration.problem(response, 403, "Forbidden", "wrong user or password");
            return;
        }
        throttle.succeeded(address);
        // A fresh session id for the logged-in session (no fixation of one a page elsewhere planted).
        if (request.getSession(false) != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(who);
        SecurityContextHolder.setContext(context);
        sessions.saveContext(context, request, response);
        response.setContentType("application/json");
        response.getOutputStream()
                .write(("{\"username\":" + JSON.writeValueAsString(who.getName()) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * Hawtio asks {@code user} who is logged in; its own servlet says "public" while its authentication
     * is off. Answered after authorisation, so only the ops user gets here.
     */
    static final class User extends OncePerRequestFilter {
        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !path(request).equals(USER);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws IOException {
            response.setContentType("application/json");
            response.getOutputStream().write(JSON.writeValueAsBytes(SecurityContextHolder.getContext().getAuthentication().getName()));
        }
    }

    /**
     * Not logged in: a page of Hawtio's is sent to its login form; anything Hawtio fetches gets a bare
     * 401, which its pages take as "show the login form". No {@code WWW-Authenticate}: a 401 with a Basic
     * challenge would make the browser put its own prompt over Hawtio's page.
     */
    static AuthenticationEntryPoint entryPoint() {
        return (request, response, e) -> {
            String accept = request.getHeader("Accept");
            if ("GET".equals(request.getMethod()) && accept != null && accept.contains("text/html")) {
                response.sendRedirect(request.getContextPath() + LOGIN_PAGE);
                return;
            }
            SecurityConfiguration.problem(response, 401, "Unauthorized", "log in as the ops user at " + LOGIN_PAGE);
        };
    }
}
