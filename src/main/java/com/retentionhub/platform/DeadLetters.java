package com.retentionhub.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Exchanges a route gave up on, kept with the route, the error and the message so ops can see
 * them and re-drive them. A replay sends the stored message to the route's own input again; only
 * routes fed by an internal hand-off (SEDA, direct or Kafka) can be replayed, because a webhook's
 * or a timer's input cannot be rebuilt from a body alone (providers redeliver webhooks themselves).
 */
@Component("deadLetters")
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** Input schemes a stored body can be sent to again. */
    private static final Set<String> REDRIVABLE = Set.of("seda", "direct", "kafka");

    public record Letter(long id, String routeId, String correlationId, String body, String error, Instant at, int replays,
            Instant replayedAt, String replayError) {}

    /** Why a dead letter cannot be replayed. */
    public static class NotReplayable extends RuntimeException {
        public NotReplayable(String reason) {
            super(reason);
        }
    }

    /** Marks a replayed exchange, so a second failure is reported on its letter rather than as a new one. */
    static final String REPLAY_OF = "hubReplayOf";

    private static final String COLUMNS = "id, route_id, correlation_id, body, exception, created_at, replay_count, replayed_at, replay_error";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final boolean publishing;

    public DeadLetters(JdbcTemplate jdbc, Clock clock, CamelContext camel, ProducerTemplate producer, ObjectMapper json,
            HubProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.camel = camel;
        this.producer = producer;
        this.json = json;
        this.publishing = PublishRoutes.configured(properties.bus().deadLetters());
    }

    public void record(Exchange exchange) {
        if (exchange.getProperty(REPLAY_OF) != null) {
            return; // a replay that failed again: the replay records the new error on the original letter
        }
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error == null) {
            error = exchange.getException();
        }
        String routeId = exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
        Object body = exchange.getMessage().getBody();
        String text = body == null ? null : String.valueOf(body);
        String reason = error == null ? "unknown" : error.toString();
        Instant at = clock.instant();
        jdbc.update("INSERT INTO dead_letter (route_id, correlation_id, body, exception, created_at) VALUES (?, ?, ?, ?, ?)", routeId,
                exchange.getExchangeId(), text, reason, Timestamp.from(at));
        copyToTopic(routeId, exchange.getExchangeId(), text, reason, at);
    }

    /**
     * A failure no exchange carries (a worker gave something up after its retries): stored and
     * copied like any dead letter, so staff find it in the same list.
     */
    public void recordFailure(String routeId, String correlationId, String body, String reason) {
        Instant at = clock.instant();
        jdbc.update("INSERT INTO dead_letter (route_id, correlation_id, body, exception, created_at) VALUES (?, ?, ?, ?, ?)", routeId,
                correlationId, body, reason, Timestamp.from(at));
        copyToTopic(routeId, correlationId, body, reason, at);
    }

    /** The dead-letter topic's copy, when one is configured; the database row is the letter, so a failed copy is only logged. */
    private void copyToTopic(String routeId, String correlationId, String body, String error, Instant at) {
        if (!publishing) {
            return;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        copy.put("routeId", routeId);
        copy.put("correlationId", correlationId);
        copy.put("error", error);
        copy.put("at", at.toString());
        copy.put("body", body);
        try {
            producer.sendBodyAndHeader(PublishRoutes.DEAD_LETTERS_INPUT, json.writeValueAsString(copy), "kafka.KEY", routeId);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("dead letter of route {} is stored but was not copied to the dead-letter topic: {}", routeId, e.toString());
        }
    }

    /** Newest first; {@code before} pages on from the last id seen; {@code routeId} narrows to one route. */
    public List<Letter> list(String routeId, Long before, int size) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        if (routeId != null) {
            where.append(" AND route_id = ?");
            args.add(routeId);
        }
        if (before != null) {
            where.append(" AND id < ?");
            args.add(before);
        }
        args.add(size);
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter" + where + " ORDER BY id DESC LIMIT ?", DeadLetters::letter,
                args.toArray());
    }

    public Optional<Letter> get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", DeadLetters::letter, id).stream().findFirst();
    }

    /**
     * Sends the stored message to its route's input and, on SEDA or direct, waits for the route to
     * finish with it (a Kafka topic only acknowledges the record). The outcome is recorded on the
     * letter: a replay that fails again keeps it, with the new error.
     *
     * @return the letter after the replay
     * @throws NotReplayable when the route is gone or its input is not an internal hand-off
     */
    public Optional<Letter> replay(long id) {
        Optional<Letter> found = get(id);
        if (found.isEmpty()) {
            return found;
        }
        Letter letter = found.get();
        Route route = camel.getRoute(letter.routeId());
        if (route == null) {
            throw new NotReplayable("route " + letter.routeId() + " no longer exists");
        }
        String uri = route.getEndpoint().getEndpointUri();
        String scheme = uri.substring(0, Math.max(0, uri.indexOf(':')));
        if (!REDRIVABLE.contains(scheme) || letter.routeId().startsWith("ingress-")) {
            throw new NotReplayable("route " + letter.routeId() + " reads " + scheme + ", which a stored message cannot be sent to again");
        }
        // InOut, so a SEDA hand-off is waited for and its outcome is known here.
        Exchange result = producer.send(route.getEndpoint(), ExchangePattern.InOut, e -> {
            e.getMessage().setBody(letter.body());
            e.setProperty(REPLAY_OF, letter.id());
        });
        Throwable error = result.getException() != null
                ? result.getException()
                : result.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        jdbc.update("UPDATE dead_letter SET replay_count = replay_count + 1, replayed_at = ?, replay_error = ? WHERE id = ?",
                Timestamp.from(clock.instant()), error == null ? null : error.toString(), id);
        return get(id);
    }

    private static Letter letter(ResultSet rs, int i) throws SQLException {
        Timestamp replayed = rs.getTimestamp(8);
        return new Letter(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), SqlValues.instant(rs, 6),
                rs.getInt(7), replayed == null ? null : replayed.toInstant(), rs.getString(9));
    }
}
