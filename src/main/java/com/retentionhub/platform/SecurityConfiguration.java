package com.retentionhub.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may call what. Webhooks are open to the network but verified by signature in their routes
 * (so CSRF is off for them); {@code /api/**} needs an {@code X-API-Key} from {@code HUB_API_KEYS};
 * Hawtio and Jolokia need the ops user. SECURITY: Hawtio 4.3's own login is broken under Spring
 * Security, so Hawtio authentication is off and these paths are guarded here instead; Hawtio's login
 * form is answered by {@link HawtioLogin}, Jolokia's scripts still use Basic.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    static final String API_KEY_HEADER = "X-API-Key";

    /**
     * Webhooks: open, verified by signature in their routes, no session, no CSRF. A chain of their
     * own keeps the per-request cost of the busiest paths small.
     */
    @Bean
    @Order(1)
    SecurityFilterChain webhookChain(HttpSecurity http, HubProperties properties) throws Exception {
        http.securityMatcher(new OrRequestMatcher(webhookMatchers(properties)))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.disable())
                .securityContext(c -> c.disable())
                .requestCache(c -> c.disable())
                .anonymous(a -> a.disable())
                .headers(h -> h.disable());
        return http.build();
    }

    /** After the webhooks (1) and the staff console's form login (2, {@code ConsoleSecurity}): the API, Hawtio and actuator. */
    @Bean
    @Order(3)
    SecurityFilterChain filterChain(HttpSecurity http, HubProperties properties, UserDetailsService opsUsers) throws Exception {
        JolokiaGuard jolokiaGuard = new JolokiaGuard(properties.publicBaseUrl());
        HttpSessionSecurityContextRepository opsSessions = HawtioLogin.sessionRepository();
        // Browser clients (Hawtio) get the token in an XSRF-TOKEN cookie and send
        // it back in X-XSRF-TOKEN. /api/** is authenticated by the X-API-Key header alone (basic-auth
        // ops users have no STAFF role), so no ambient browser credential can be forged there: a call
        // without a key is a 401, not a CSRF 403.
        CsrfTokenRequestAttributeHandler plainToken = new CsrfTokenRequestAttributeHandler();
        plainToken.setCsrfRequestAttributeName(null); // load the token on every request, so the cookie is always set
        http.csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                .csrfTokenRequestHandler(plainToken)
                // Stateless Basic auth "logs in" on every request; rotating the token each time
                // left Hawtio holding a stale one, so its POSTs got 403 and it reloaded forever.
                // The token lives as long as its cookie instead.
                .sessionAuthenticationStrategy((authentication, request, response) -> {})
                .ignoringRequestMatchers(new AntPathRequestMatcher("/api/**"),
                        // Hawtio's login form sends no token; HawtioLogin takes it from the hub's own pages only.
                        new AntPathRequestMatcher(HawtioLogin.LOGIN, HttpMethod.POST.name())))
                // No session but the one Hawtio's login form opens (HawtioLogin); Basic callers stay stateless.
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER).sessionFixation(f -> f.none()))
                .securityContext(c -> c.securityContextRepository(new DelegatingSecurityContextRepository(
                        new RequestAttributeSecurityContextRepository(), opsSessions)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info").permitAll()
                        // Hawtio's page and its login form hold no data: everything it reads comes through Jolokia.
                        .requestMatchers(HttpMethod.GET, "/actuator/hawtio", "/actuator/hawtio/", "/actuator/hawtio/index.html",
                                HawtioLogin.LOGIN_PAGE, "/actuator/hawtio/static/**", "/actuator/hawtio/img/**", "/actuator/hawtio/*.js",
                                "/actuator/hawtio/favicon.ico", "/actuator/hawtio/hawtconfig.json", "/actuator/hawtio/keycloak/enabled",
                                "/actuator/hawtio/proxy/enabled", "/actuator/hawtio/auth/config", "/actuator/hawtio/auth/config/**",
                                "/actuator/hawtio/plugin")
                        .permitAll()
                        .requestMatchers("/actuator/hawtio/**", "/actuator/jolokia/**", "/hawtio/**").hasRole("OPS")
                        // The API's description and its browsable UI hold no data; the UI asks for a key to try calls.
                        .requestMatchers("/api/openapi.json", "/api/openapi.json/**", "/api/docs", "/api/swagger-ui/**", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/api/**").hasRole("STAFF")
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll())
                .httpBasic(Customizer.withDefaults())
                .addFilterBefore(new ApiKeyFilter(properties.security().apiKeys()), BasicAuthenticationFilter.class)
                .addFilterBefore(BasicLoginThrottle.of(http), BasicAuthenticationFilter.class)
                .addFilterBefore(new HawtioLogin(new ProviderManager(
                        new DaoAuthenticationProvider(opsUsers)),
                        http.getSharedObject(ApplicationContext.class).getBean(LoginThrottle.class), jolokiaGuard, opsSessions),
                        BasicAuthenticationFilter.class)
                .addFilterAfter(new HawtioLogin.User(), AuthorizationFilter.class)
                .addFilterBefore(jolokiaGuard, CsrfFilter.class)
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        (request, response, ex) -> problem(response, 401, "Unauthorized", "missing or invalid X-API-Key"),
                        new AntPathRequestMatcher("/api/**"))
                        .defaultAuthenticationEntryPointFor(HawtioLogin.entryPoint(), new AntPathRequestMatcher(HawtioLogin.BASE + "/**"))
                        // Everything else here is the ops console: a browser must be asked for the ops login,
                        // not shown the API's JSON 401 (the first entry point registered was everyone's default).
                        .defaultAuthenticationEntryPointFor(opsLogin(), AnyRequestMatcher.INSTANCE));
        return http.build();
    }

    private static BasicAuthenticationEntryPoint opsLogin() {
        BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
        entryPoint.setRealmName("retention-hub ops");
        return entryPoint;
    }

    /** The audit wraps the security chain, so it sees refused calls as well as answered ones. */
    @Bean
    ApiAudit apiAudit(JdbcTemplate jdbc, Clock clock, HubProperties properties) {
        List<String> webhooks = new ArrayList<>(List.of(META_ALIAS, KEITARO_ALIAS));
        webhooks.addAll(properties.ingress().smsPaths());
        webhooks.addAll(properties.ingress().statusPaths());
        return new ApiAudit(jdbc, clock, webhooks);
    }

    @Bean
    FilterRegistrationBean<ApiAudit> apiAuditRegistration(ApiAudit audit) {
        FilterRegistrationBean<ApiAudit> registration = new FilterRegistrationBean<>(audit);
        registration.addUrlPatterns("/api/*");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }

    /** Spring Security's per-filter observations cost more than a webhook's own work; metrics come from Camel and MVC. */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** The path the systems this hub replaces gave Meta; signed like /webhooks/meta, not a staff API. */
    private static final String META_ALIAS = "/api/webhooks/meta";
    /** Keitaro's postback path in the systems this hub replaces; token-guarded like /webhooks/keitaro. */
    private static final String KEITARO_ALIAS = "/api/webhooks/keitaro";

    private static RequestMatcher[] webhookMatchers(HubProperties properties) {
        List<String> paths = new ArrayList<>(properties.ingress().smsPaths());
        paths.addAll(properties.ingress().statusPaths());
        paths.add("/webhooks/**");
        paths.add(META_ALIAS);
        paths.add(KEITARO_ALIAS);
        List<RequestMatcher> matchers = new ArrayList<>(paths.stream()
                .map(p -> (RequestMatcher) new AntPathRequestMatcher(p, HttpMethod.POST.name())).toList());
        // Meta's subscription handshake and Keitaro's postbacks may be GETs; each is checked by its own token.
        for (String get : List.of("/webhooks/meta", META_ALIAS, "/webhooks/keitaro", KEITARO_ALIAS)) {
            matchers.add(new AntPathRequestMatcher(get, HttpMethod.GET.name()));
        }
        return matchers.toArray(RequestMatcher[]::new);
    }

    @Bean
    UserDetailsService opsUsers(HubProperties properties) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        String password = properties.security().opsPassword();
        if (password == null || password.isBlank()) {
            // No configured password: generate one so the ops console is never open by default.
            password = UUID.randomUUID().toString();
            LOG.warn("HUB_OPS_PASSWORD is not set; Hawtio is locked with a random password for this run");
        }
        return new InMemoryUserDetailsManager(
                User.withUsername(properties.security().opsUser()).password(encoder.encode(password)).roles("OPS").build());
    }

    static void problem(HttpServletResponse response, int status, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}");
    }

    /**
     * Authenticates {@code /api/**} calls by API key, compared in constant time. The principal is the
     * key's fingerprint ({@link ApiAudit#keyId}), which audits and "who" fields record.
     */
    static final class ApiKeyFilter extends OncePerRequestFilter {

        private final List<byte[]> keys;
        private final List<String> ids;

        ApiKeyFilter(List<String> keys) {
            List<String> configured = keys == null ? List.of() : keys.stream().map(String::trim).filter(k -> !k.isEmpty()).toList();
            this.keys = configured.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
            this.ids = configured.stream().map(ApiAudit::keyId).toList();
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !request.getRequestURI().startsWith("/api/");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String presented = request.getHeader(API_KEY_HEADER);
            int match = presented == null ? -1 : match(presented.getBytes(StandardCharsets.UTF_8));
            if (match >= 0) {
                request.setAttribute(ApiAudit.KEY_ID, ids.get(match));
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        ids.get(match), null, AuthorityUtils.createAuthorityList("ROLE_STAFF")));
            }
            chain.doFilter(request, response);
        }

        /** The index of the matching key, or -1; every key is compared, so the time taken tells nothing. */
        private int match(byte[] presented) {
            int found = -1;
            for (int i = 0; i < keys.size(); i++) {
                if (MessageDigest.isEqual(keys.get(i), presented)) {
                    found = i;
                }
            }
            return found;
        }
    }
}
