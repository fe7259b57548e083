package com.retentionhub.conversation;

import com.retentionhub.platform.BusinessProfile;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Opening hours from the business profile, in the business's time zone. */
public final class BusinessHours {

    private record Window(LocalTime open, LocalTime close) {}

    private final ZoneId zone;
    private final Map<DayOfWeek, Window> windows = new EnumMap<>(DayOfWeek.class);

    public BusinessHours(BusinessProfile business) {
        this.zone = business.zone();
        business.hours().forEach((day, hours) -> {
            if (!"closed".equals(hours)) {
                String[] parts = hours.split("-");
                windows.put(day(day), new Window(LocalTime.parse(parts[0]), LocalTime.parse(parts[1])));
            }
        });
    }

    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        Window w = windows.get(local.getDayOfWeek());
        return w != null && !local.toLocalTime().isBefore(w.open()) && local.toLocalTime().isBefore(w.close());
    }

    /** When the current closed period began (the last closing time before {@code at}); empty while open or when never open. */
    public Optional<Instant> closedSince(Instant at) {
        if (isOpen(at) || windows.isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime local = at.atZone(zone);
        for (int back = 0; back <= 7; back++) {
            ZonedDateTime day = local.minusDays(back);
            Window w = windows.get(day.getDayOfWeek());
            if (w != null) {
                ZonedDateTime close = day.with(w.close());
                if (!close.isAfter(local)) {
                    return Optional.of(close.toInstant());
                }
            }
        }
        return Optional.empty();
    }

    /** The next opening after {@code at}, if the business opens at all. */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        for (int ahead = 0; ahead <= 7; ahead++) {
            ZonedDateTime day = local.plusDays(ahead);
            Window w = windows.get(day.getDayOfWeek());
            if (w != null) {
                ZonedDateTime open = day.with(w.open());
                if (open.isAfter(local)) {
                    return Optional.of(open);
                }
            }
        }
        return Optional.empty();
    }

    private static DayOfWeek day(String key) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).toLowerCase(Locale.ROOT).equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown day " + key);
    }
}
