package com.retentionhub.platform;

import jakarta.servlet.Filter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * After an {@link OutOfMemoryError} the hub is broken (logins, imports and sends fail at random), so
 * it says so: liveness BROKEN and readiness REFUSING_TRAFFIC, which turn {@code /actuator/health}
 * DOWN and let the proxy and the orchestrator route around it or restart it. Seen where it surfaces:
 * in a request (even wrapped by Spring in a ServletException) and in any thread it kills. Production
 * also runs with {@code -XX:+ExitOnOutOfMemoryError} (Dockerfile), which exits at the first one.
 */
@Configuration(proxyBeanMethods = false)
public class OutOfMemoryWatch {

    private static final Logger LOG = LoggerFactory.getLogger(OutOfMemoryWatch.class);

    private final ApplicationEventPublisher events;
    private final AtomicBoolean reported = new AtomicBoolean();

    public OutOfMemoryWatch(ApplicationEventPublisher events) {
        this.events = events;
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            check(e);
            if (previous != null) {
                previous.uncaughtException(thread, e);
            } else {
                thread.getThreadGroup().uncaughtException(thread, e);
            }
        });
    }

    /** Outermost, so it sees whatever any later filter, Spring MVC or a route lets escape. */
    @Bean
    FilterRegistrationBean<Filter> outOfMemoryFilter() {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
            try {
                chain.doFilter(request, response);
            } catch (Throwable e) {
                check(e);
                throw e;
            }
        });
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private void check(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OutOfMemoryError) {
                if (reported.compareAndSet(false, true)) {
                    LOG.error("OutOfMemoryError: the hub reports itself broken (health DOWN) until restarted", cause);
                }
                AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
                AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
                return;
            }
        }
    }
}
