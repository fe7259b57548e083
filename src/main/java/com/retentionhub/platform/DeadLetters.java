package com.retentionhub.platform;

import java.sql.Timestamp;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Persists exchanges a route gave up on, with the route, the error and the message, for replay. */
@Component("deadLetters")
public class DeadLetters {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeadLetters(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        String routeId = exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
        Object body = exchange.getMessage().getBody();
        jdbc.update("INSERT INTO dead_letter (route_id, correlation_id, body, exception, created_at) VALUES (?, ?, ?, ?, ?)", routeId,
                exchange.getExchangeId(), body == null ? null : String.valueOf(body), error == null ? "unknown" : error.toString(),
                Timestamp.from(clock.instant()));
    }
}
