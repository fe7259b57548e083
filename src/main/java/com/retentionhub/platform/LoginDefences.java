package com.retentionhub.platform;

import java.time.Clock;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What guards the password doors beyond the chains themselves: the one {@link LoginThrottle} both
 * share (guessing at one slows the other too), and a session cookie that never travels in clear
 * when the hub's public URL is https.
 */
@Configuration(proxyBeanMethods = false)
public class LoginDefences {

    @Bean
    LoginThrottle loginThrottle(LoginProperties properties, Clock clock) {
        return new LoginThrottle(properties, clock);
    }

    /**
     * SECURITY: behind the TLS proxy the hub itself may be reached over plain http (a proxy that is not
     * configured as trusted, a health check), and Tomcat marks the cookie Secure only for a secure
     * request; the public URL says how browsers reach it, so it decides.
     */
    @Bean
    ServletContextInitializer secureSessionCookie(HubProperties properties) {
        boolean https = properties.publicBaseUrl().regionMatches(true, 0, "https://", 0, 8);
        return context -> {
            if (https) {
                context.getSessionCookieConfig().setSecure(true);
            }
        };
    }
}
