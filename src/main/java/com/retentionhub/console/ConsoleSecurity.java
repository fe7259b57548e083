package com.retentionhub.console;

import com.retentionhub.platform.LoginThrottle;
import com.retentionhub.staff.ConsoleUsers;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The console's own chain: form login for the first admin and the users an admin created (bcrypt hashes from the environment, never a
 * plain password), a session that times out ({@code server.servlet.session.timeout}), a growing wait
 * for an address after repeated failures ({@link ConsoleLogin}), logout, and CSRF tokens on every
 * state-changing request (forms carry a hidden field, htmx requests a header). The API's key and the ops user's basic auth do not open it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurity {

    static final String ROLE = "CONSOLE";

    /** Ahead of the security chain, so an oversized login form is refused before its CSRF token is parsed. */
    @Bean
    FilterRegistrationBean<LoginFormLimit> loginFormLimit() {
        FilterRegistrationBean<LoginFormLimit> registration = new FilterRegistrationBean<>(new LoginFormLimit());
        registration.addUrlPatterns("/login");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 2);
        return registration;
    }

    @Bean
    @Order(2)
    SecurityFilterChain consoleChain(HttpSecurity http, ConsoleProperties properties, LoginThrottle throttle,
            ConsoleUsers users) throws Exception {
        // SECURITY: full-path matchers. An MVC pattern "/" would also match the root of every other
        // servlet (Jolokia's /actuator/jolokia/ is "/" within its servlet) and pull it into this chain.
        http.securityMatcher(new OrRequestMatcher(Stream.of("/", "/console", "/console/**", "/login", "/logout", "/webjars/**")
                .map(p -> (RequestMatcher) new AntPathRequestMatcher(p)).toList()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/", "/login", "/console/assets/**", "/webjars/**").permitAll()
                        .anyRequest().hasRole(ROLE))
                .authenticationManager(new ProviderManager(new ConsoleLogin(properties, throttle, users)))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/console", false)
                        .failureHandler((request, response,
                                e) -> response.sendRedirect(e instanceof ConsoleLogin.UserLocked
                                        ? "/login?userlocked"
                                        : e instanceof LockedException ? "/login?locked" : "/login?error")))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").deleteCookies("JSESSIONID"))
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")));
        return http.build();
    }
}
