package com.retentionhub.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts the ops user's basic auth (Hawtio, Jolokia) behind the same per-address {@link LoginThrottle}
 * as the console's form: while an address must wait, its credentials are not even checked (429 with
 * {@code Retry-After}); a 401 counts as a failure, an accepted password forgives the address.
 */
final class BasicLoginThrottle extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    BasicLoginThrottle(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    /** The filter for a chain, with the application's throttle, so wiring it in takes one line. */
    static BasicLoginThrottle of(HttpSecurity http) {
        return new BasicLoginThrottle(http.getSharedObject(ApplicationContext.class).getBean(LoginThrottle.class));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        Duration wait = throttle.waitFor(address);
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.setHeader("Retry-After", Long.toString(seconds));
            SecurityConfiguration.problem(response, 429, "Too Many Requests",
                    "too many failed logins from this address; retry in " + seconds + " s");
            return;
        }
        chain.doFilter(request, response);
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            throttle.failed(address);
        } else if (who != null && who.isAuthenticated() && !(who instanceof AnonymousAuthenticationToken)) {
            throttle.succeeded(address);
        }
    }
}
