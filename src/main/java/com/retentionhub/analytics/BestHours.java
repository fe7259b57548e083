package com.retentionhub.analytics;

import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * "Send at the best hour" for sequence steps: the hour whose sends of the step's channel converted
 * best over the last 90 days, once there is enough data to say (hub.analytics.best-hour-min-*);
 * otherwise the step keeps its own time. The answer is kept for an hour: it moves slowly, and the
 * heatmap query reads every send of the period.
 */
@Component
public class BestHours {

    static final Duration LOOKBACK = Duration.ofDays(90);
    static final Duration KEEP = Duration.ofHours(1);

    private record Known(Optional<Integer> hour, Instant at) {}

    private final SendAnalytics sends;
    private final BusinessProfile business;
    private final Clock clock;
    private final long minSends;
    private final long minConversions;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    public BestHours(SendAnalytics sends, BusinessProfile business, Clock clock,
            @Value("${hub.analytics.best-hour-min-sends:100}") long minSends,
            @Value("${hub.analytics.best-hour-min-conversions:10}") long minConversions) {
        this.sends = sends;
        this.business = business;
        this.clock = clock;
        this.minSends = minSends;
        this.minConversions = minConversions;
    }

    /** The best hour (0-23, business time) of a step channel (SMS, EMAIL, CALL), if known. */
    public Optional<Integer> hour(String stepChannel) {
        String channel = Channel.parse(stepChannel).orElse(Channel.SMS).code();
        Instant now = clock.instant();
        Known k = known.get(channel);
        if (k == null || k.at().plus(KEEP).isBefore(now)) {
            k = new Known(sends.bestHour(channel, LOOKBACK, minSends, minConversions), now);
            known.put(channel, k);
        }
        return k.hour();
    }

    /** The first moment at or after {@code at} that falls in the channel's best hour; {@code at} itself when there is none. */
    public Instant align(String stepChannel, Instant at) {
        Optional<Integer> hour = hour(stepChannel);
        if (hour.isEmpty()) {
            return at;
        }
        ZonedDateTime local = at.atZone(business.zone());
        if (local.getHour() == hour.get()) {
            return at;
        }
        ZonedDateTime start = local.truncatedTo(ChronoUnit.HOURS).withHour(hour.get());
        return (start.isAfter(local) ? start : start.plusDays(1)).toInstant();
    }

    /** Forgets what it knew, so the next step reads the heatmap afresh. */
    public void forget() {
        known.clear();
    }
}
