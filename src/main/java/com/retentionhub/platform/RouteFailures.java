package com.retentionhub.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Makes a route that keeps failing visible. An exchange an error policy dead-letters or answers
 * with a 500 is "handled", so Camel's own failure counters and logs stay quiet, and a timer whose
 * every pass fails (as the sequence route did on H2) looked healthy. Each route's failures are
 * counted ({@code hub_route_failures_total{route}}), its current streak is a gauge
 * ({@code hub_route_failing{route}}), a streak is logged at WARN at most once a minute per route,
 * and health ({@code routeFailures}) is DOWN while any route has failed {@value #FAILING_AFTER}
 * times in a row, the last time within {@code STALE_AFTER}, naming the route and its last error. Bad input a webhook refused is not a failure.
 */
@Component("routeFailures")
public class RouteFailures extends EventNotifierSupport implements HealthIndicator {

    /** Consecutive failures after which a route counts as failing. */
    static final int FAILING_AFTER = 3;
    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    /** A streak with no new failure for this long is stale (a provider route nobody has called since), not a failing route. */
    static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(RouteFailures.class);
    /** Marks an exchange whose failure was already counted, so its completion is not counted as a success. */
    private static final String COUNTED = "hubRouteFailureCounted";

    private static final class Streak {
        volatile int failures;
        volatile Instant since;
        volatile String error;
        volatile Instant warnedAt;
        volatile Instant lastFailure;
    }

    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Streak> streaks = new ConcurrentHashMap<>();

    public RouteFailures(MeterRegistry meters) {
        this.meters = meters;
        // Wall time, not the hub's (test-settable) clock: this paces log lines.
        this.clock = Clock.systemUTC();
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        CamelEvent.Type type = event.getType();
        return type == CamelEvent.Type.ExchangeCompleted || type == CamelEvent.Type.ExchangeFailed
                || type == CamelEvent.Type.ExchangeFailureHandled;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeEvent e)) {
            return;
        }
        Exchange exchange = e.getExchange();
        String route = exchange.getFromRouteId();
        if (route == null) {
            return;
        }
        if (event.getType() == CamelEvent.Type.ExchangeCompleted) {
            if (!exchange.getProperty(COUNTED, false, Boolean.class)) {
                succeeded(route);
            }
            return;
        }
        Throwable cause = exchange.getException() != null
                ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof WebhookRejectedException || exchange.getProperty(COUNTED, false, Boolean.class)) {
            exchange.setProperty(COUNTED, true); // bad input, not a failing route; or counted already
            return;
        }
        exchange.setProperty(COUNTED, true);
        failed(route, cause);
    }

    void failed(String route, Throwable cause) {
        Counter.builder("hub.route.failures").description("Exchanges a route failed on (dead-lettered or answered with an error)")
                .tag("route", route)
                .register(meters).increment();
        Streak s = streaks.computeIfAbsent(route, r -> {
            Streak fresh = new Streak();
            Gauge.builder("hub.route.failing", fresh, x -> x.failures)
                    .description("Consecutive failures of a route (0: its last exchange went through)")
                    .tag("route", r).register(meters);
            return fresh;
        });
        Instant now = clock.instant();
        synchronized (s) {
            if (s.failures == 0) {
                s.since = now;
            }
            s.failures++;
            s.lastFailure = now;
            s.error = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (s.warnedAt == null || !now.isBefore(s.warnedAt.plus(WARN_EVERY))) {
                s.warnedAt = now;
                LOG.warn("route {} failed {} time(s) in a row since {}: {}", route, s.failures, s.since, s.error,
                        s.failures == 1 ? cause : null);
            }
        }
    }

    void succeeded(String route) {
        Streak s = streaks.get(route);
        if (s == null || s.failures == 0) {
            return;
        }
        synchronized (s) {
            if (s.failures >= FAILING_AFTER) {
                LOG.info("route {} works again after {} failures in a row", route, s.failures);
            }
            s.failures = 0;
            s.warnedAt = null;
        }
    }

    @Override
    public Health health() {
        Map<String, Object> failing = new TreeMap<>();
        Instant fresh = clock.instant().minus(STALE_AFTER);
        streaks.forEach((route, s) -> {
            if (s.failures >= FAILING_AFTER && s.lastFailure.isAfter(fresh)) {
                failing.put(route, "failed " + s.failures + " times in a row since " + s.since + ": " + s.error);
            }
        });
        return (failing.isEmpty() ? Health.up() : Health.down()).withDetails(failing).build();
    }
}
