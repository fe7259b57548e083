package com.retentionhub.console;

import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console's own chain: form login for the admin (a bcrypt hash from the environment, never a
 * plain password), a session that times out ({@code server.servlet.session.timeout}), lockout after
 * repeated failures, logout, and CSRF tokens on every state-changing request (forms carry a hidden
 * field, htmx requests a header). The API's key and the ops user's basic auth do not open it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurity.class);
    static final String ROLE = "CONSOLE";

    @Bean
    LoginAttempts loginAttempts(ConsoleProperties properties, Clock clock) {
        return new LoginAttempts(properties, clock);
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleChain(HttpSecurity http, ConsoleProperties properties, LoginAttempts attempts) throws Exception {
        http.securityMatcher("/", "/console", "/console/**", "/login", "/logout", "/webjars/**")
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/", "/login", "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().hasRole(ROLE))
                .authenticationManager(new ProviderManager(lockingProvider(properties, attempts)))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", false).failureHandler((request, response, e) ->
                        response.sendRedirect(e instanceof LockedException ? "/login?locked" : "/login?error")))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").deleteCookies("JSESSIONID"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")));
        return http.build();
    }

    /** The admin's password check, refused outright while the user is locked out. */
    private static AuthenticationProvider lockingProvider(ConsoleProperties properties, LoginAttempts attempts) {
        String hash = properties.adminPasswordHash();
        if (hash == null || hash.isBlank()) {
            // No hash configured: no password can match, so the console stays shut rather than open.
            hash = new BCryptPasswordEncoder().encode(UUID.randomUUID().toString());
            LOG.warn("HUB_ADMIN_PASSWORD_HASH is not set; the staff console refuses every login for this run");
        } else if (!hash.startsWith("$2")) {
            throw new IllegalStateException("HUB_ADMIN_PASSWORD_HASH must be a bcrypt hash ($2a$, $2b$ or $2y$); see the README");
        }
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(
                User.withUsername(properties.adminUser()).password(hash).roles(ROLE).build()));
        passwords.setPasswordEncoder(new BCryptPasswordEncoder());
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication request) throws AuthenticationException {
                String user = request.getName();
                if (attempts.locked(user)) {
                    throw new LockedException("too many failed logins; try again later");
                }
                try {
                    Authentication done = passwords.authenticate(request);
                    attempts.succeeded(user);
                    return done;
                } catch (BadCredentialsException e) {
                    attempts.failed(user);
                    throw e;
                }
            }

            @Override
            public boolean supports(Class<?> type) {
                return passwords.supports(type);
            }
        };
    }
}
