package com.retentionhub.platform;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Business events for routes inside the hub ({@code from: hub:events}), in every profile: the
 * events {@link BusinessEvents} publishes are also written to {@code route_event} in the same
 * transaction, while at least one subscriber is known, and each subscriber reads them on with a
 * cursor of its own ({@code route_event_cursor}, keyed by its route id). A subscriber is a lease
 * holder: with several instances only one reads for it at a time, and an instance that dies lets
 * another take over when the lease runs out. Delivery is at least once (the cursor moves after
 * the subscriber has taken the event), so subscribers drop repeats by the event's id.
 */
@Component
public class EventFeed {

    /** One waiting event as a subscriber reads it. */
    public record FeedEvent(long position, String id, String type, String payload) {}

    static final List<String> COLUMNS = List.of("event_id", "event_type", "payload", "created_at");

    /** How long one instance holds a subscriber before another may take it over. */
    static final Duration LEASE = Duration.ofSeconds(30);

    /** Rows older than this are deleted even when a subscriber (say, one whose route was removed) never read them. */
    static final Duration RETENTION = Duration.ofDays(7);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String owner = "hub-" + UUID.randomUUID();
    private volatile boolean subscribed;
    /** When "no subscriber" was last read: another instance may subscribe, so a negative answer is read again after a while. */
    private volatile long checkedAt = Long.MIN_VALUE;

    public EventFeed(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Whether any route has ever subscribed (its cursor is kept across restarts, so nothing is missed while it starts). */
    public boolean subscribed() {
        if (subscribed) {
            return true;
        }
        long now = System.nanoTime();
        if (checkedAt == Long.MIN_VALUE || now - checkedAt > 10_000_000_000L) {
            subscribed = jdbc.queryForObject("SELECT count(*) FROM route_event_cursor", Integer.class) > 0;
            checkedAt = now;
        }
        return subscribed;
    }

    /** Rows for {@code route_event}, in {@link #COLUMNS}' order. */
    static Object[] row(BusinessEvents.Event event, String payload) {
        return new Object[] {event.id(), event.type(), payload, Timestamp.from(event.occurredAt())};
    }

    /** Writes the rows (in the caller's transaction, when it has one). */
    void write(List<Object[]> rows) {
        if (!rows.isEmpty()) {
            MultiRowInsert.insertIgnoringConflicts(jdbc, "route_event", COLUMNS, rows);
        }
    }

    /**
     * Registers a subscriber: a new one starts after the newest event already waiting (it sees what
     * happens from now on); a known one resumes where it stopped.
     */
    public void subscribe(String subscriber) {
        if (jdbc.queryForObject("SELECT count(*) FROM route_event_cursor WHERE subscriber = ?", Integer.class, subscriber) == 0) {
            Long newest = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM route_event", Long.class);
            try {
                jdbc.update("INSERT INTO route_event_cursor (subscriber, last_id, updated_at) VALUES (?, ?, ?)", subscriber, newest,
                        Timestamp.from(clock.instant()));
            } catch (DuplicateKeyException e) {
                // another instance registered it at the same moment: the same cursor
            }
        }
        subscribed = true;
    }

    /** A batch read for a subscriber: the events of its types, and how far the batch reached (events of other types included). */
    public record Batch(List<FeedEvent> events, long reached) {}

    /**
     * The next batch after the subscriber's cursor, oldest first: the events whose type it asked for
     * (all when {@code types} is empty), and the position to {@link #advance} to once they are taken (0 when nothing was read),
     * so other types never hold the cursor back. Empty while another instance holds the subscriber.
     */
    public Batch next(String subscriber, Collection<String> types, int limit) {
        Instant now = clock.instant();
        int leased = jdbc.update("UPDATE route_event_cursor SET lease_owner = ?, leased_until = ?, updated_at = ? WHERE subscriber = ?"
                + " AND (lease_owner IS NULL OR lease_owner = ? OR leased_until < ?)", owner, Timestamp.from(now.plus(LEASE)),
                Timestamp.from(now),
                subscriber, owner, Timestamp.from(now));
        if (leased == 0) {
            return new Batch(List.of(), 0);
        }
        Long after = jdbc.queryForObject("SELECT last_id FROM route_event_cursor WHERE subscriber = ?", Long.class, subscriber);
        List<FeedEvent> read = jdbc.query(
                "SELECT id, event_id, event_type, payload FROM route_event WHERE id > ? ORDER BY id LIMIT " + limit,
                (rs, i) -> new FeedEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)), after);
        long reached = read.isEmpty() ? 0 : read.get(read.size() - 1).position();
        return new Batch(read.stream().filter(e -> types.isEmpty() || types.contains(e.type())).toList(), reached);
    }

    /** The subscriber has taken everything up to {@code position}; only the lease holder moves the cursor. */
    public void advance(String subscriber, long position) {
        jdbc.update("UPDATE route_event_cursor SET last_id = ?, updated_at = ? WHERE subscriber = ? AND lease_owner = ? AND last_id < ?",
                position, Timestamp.from(clock.instant()), subscriber, owner, position);
    }

    /** Lets another instance take the subscriber at once (this one is stopping its route). */
    public void release(String subscriber) {
        jdbc.update("UPDATE route_event_cursor SET lease_owner = NULL, leased_until = NULL WHERE subscriber = ? AND lease_owner = ?",
                subscriber,
                owner);
    }

    /**
     * Deletes rows every subscriber has read (subscribers idle past the retention do not hold rows
     * back) and rows past the retention. Returns how many went.
     */
    public int prune() {
        Timestamp cutoff = Timestamp.from(clock.instant().minus(RETENTION));
        Long lowest = jdbc.queryForObject("SELECT MIN(last_id) FROM route_event_cursor WHERE updated_at >= ?", Long.class, cutoff);
        int gone = jdbc.update("DELETE FROM route_event WHERE created_at < ?", cutoff);
        if (lowest != null) {
            gone += jdbc.update("DELETE FROM route_event WHERE id <= ?", lowest);
        }
        return gone;
    }
}
