package com.retentionhub.conversation;

import com.retentionhub.platform.HubProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The per-phone hourly limit on answered texts ({@code SMS_RATE_LIMIT_PER_HOUR}): texts past it are stored but not answered. */
@Component
class ReplyRateLimit {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final InboundLog inbound;
    private final int perHour;

    ReplyRateLimit(InboundLog inbound, HubProperties properties) {
        this.inbound = inbound;
        this.perHour = properties.conversation().rateLimitPerHour();
    }

    /**
     * The texts past their phone's hourly limit: counting each text and the phone's texts in the hour
     * before it, from one read of the batch's phones instead of a count per text.
     */
    Set<Long> pastLimit(List<InboundEvent> events) {
        List<String> phones = events.stream().map(InboundEvent::phone).distinct().toList();
        Instant since = events.stream().map(InboundEvent::receivedAt).min(Instant::compareTo).orElseThrow().minus(WINDOW);
        long lastId = events.stream().mapToLong(InboundEvent::id).max().orElseThrow();
        Map<String, List<InboundLog.Received>> byPhone = inbound.receivedAfter(phones, since, lastId).stream()
                .collect(Collectors.groupingBy(InboundLog.Received::phone));
        Set<Long> past = new HashSet<>();
        for (InboundEvent e : events) {
            // As stored: the database keeps microseconds.
            Instant from = e.receivedAt().minus(WINDOW).truncatedTo(ChronoUnit.MICROS);
            long texts = byPhone.getOrDefault(e.phone(), List.of()).stream().filter(r -> r.id() <= e.id() && r.at().isAfter(from)).count();
            if (texts > perHour) {
                past.add(e.id());
            }
        }
        return past;
    }
}
