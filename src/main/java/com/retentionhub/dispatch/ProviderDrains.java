package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.SqlValues;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Providers ops have drained: dispatch sends nothing new through them (a channel's secondary takes
 * over, or the messages wait, uncounted as attempts) until they are resumed. Kept in the database,
 * so a drain holds on every instance; each instance re-reads it at most a second later. A send
 * already under way when the drain lands finishes.
 */
@Component
public class ProviderDrains {

    public record Drain(String provider, Instant since, String actor, String reason) {}

    private record Snapshot(Set<String> drained, long readAtNanos) {}

    private static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(Set.of(), Long.MIN_VALUE);

    public ProviderDrains(JdbcTemplate jdbc, Clock clock, HubProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        properties.dispatch().providers().keySet()
                .forEach(name -> Gauge.builder("hub.dispatch.provider.drained", () -> isDrained(name) ? 1 : 0)
                        .description("1 while ops have the provider drained").tag("provider", name).register(meters));
    }

    public boolean isDrained(String provider) {
        Snapshot s = snapshot;
        if (s.readAtNanos() == Long.MIN_VALUE || System.nanoTime() - s.readAtNanos() > FRESH_NANOS) {
            s = new Snapshot(Set.copyOf(jdbc.queryForList("SELECT provider FROM provider_drain", String.class)), System.nanoTime());
            snapshot = s;
        }
        return s.drained().contains(provider);
    }

    public List<Drain> list() {
        return jdbc.query("SELECT provider, drained_at, actor, reason FROM provider_drain ORDER BY provider",
                (rs, i) -> new Drain(rs.getString(1), SqlValues.instant(rs, 2), rs.getString(3), rs.getString(4)));
    }

    public Optional<Drain> get(String provider) {
        return list().stream().filter(d -> d.provider().equals(provider)).findFirst();
    }

    /** @return false when it was drained already (the first drain's actor and reason stay) */
    public boolean drain(String provider, String actor, String reason) {
        int added = jdbc.update(
                "INSERT INTO provider_drain (provider, drained_at, actor, reason) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", provider,
                Timestamp.from(clock.instant()), actor, reason);
        forget();
        return added == 1;
    }

    /** @return false when it was not drained */
    public boolean resume(String provider) {
        int removed = jdbc.update("DELETE FROM provider_drain WHERE provider = ?", provider);
        forget();
        return removed == 1;
    }

    private void forget() {
        snapshot = new Snapshot(Set.of(), Long.MIN_VALUE);
    }
}
