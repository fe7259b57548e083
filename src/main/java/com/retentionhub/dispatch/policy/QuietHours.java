package com.retentionhub.dispatch.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The hours a recipient may be messaged, in their own time zone: a default window (federal
 * 8:00-21:00) and stricter windows per US state, optionally per weekday ({@code config/quiet-hours.yaml}).
 */
public final class QuietHours {

    static final String WINDOW = "closed|([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-4]):[0-5]\\d";

    /** The file as written. */
    public record File(
            @NotBlank @Pattern(regexp = WINDOW, message = "must be HH:MM-HH:MM or closed") String defaultWindow,
            @NotNull Map<@Pattern(regexp = "[A-Z]{2}", message = "must be a two-letter state code") String, @Valid StateRule> states) {

        @JsonCreator
        public static File of(@JsonProperty("default") String defaultWindow,
                @JsonProperty("states") Map<String, StateRule> states) {
            return new File(defaultWindow, states == null ? Map.of() : states);
        }
    }

    public record StateRule(
            @NotBlank @Pattern(regexp = WINDOW, message = "must be HH:MM-HH:MM or closed") String window,
            Map<@Pattern(regexp = "mon|tue|wed|thu|fri|sat|sun", message = "must be a day: mon..sun") String, @Pattern(regexp = WINDOW, message = "must be HH:MM-HH:MM or closed") String> days) {}

    /** A daily window; {@code null} start means closed all day. */
    record Window(LocalTime start, LocalTime end) {
        static Window parse(String text) {
            if (text.equals("closed")) {
                return new Window(null, null);
            }
            String[] parts = text.split("-");
            LocalTime end = parts[1].equals("24:00") ? LocalTime.MAX : LocalTime.parse(parts[1]);
            return new Window(LocalTime.parse(parts[0]), end);
        }

        boolean contains(LocalTime t) {
            return start != null && !t.isBefore(start) && t.isBefore(end);
        }
    }

    private final Map<DayOfWeek, Window> federal = new EnumMap<>(DayOfWeek.class);
    private final Map<String, Map<DayOfWeek, Window>> byState = new HashMap<>();

    public QuietHours(File file) {
        Window all = Window.parse(file.defaultWindow());
        for (DayOfWeek d : DayOfWeek.values()) {
            federal.put(d, all);
        }
        file.states().forEach((state, rule) -> {
            Map<DayOfWeek, Window> week = new EnumMap<>(DayOfWeek.class);
            Window base = Window.parse(rule.window());
            for (DayOfWeek d : DayOfWeek.values()) {
                week.put(d, base);
            }
            if (rule.days() != null) {
                rule.days().forEach((day, window) -> week.put(dayOf(day), Window.parse(window)));
            }
            byState.put(state, week);
        });
    }

    /**
     * The first moment at or after {@code at} when a message may reach someone in {@code zone}
     * (and {@code state}, when known): {@code at} itself inside the window, else the next opening.
     */
    public Instant firstAllowed(Instant at, ZoneId zone, String state) {
        Map<DayOfWeek, Window> week = state == null ? federal : byState.getOrDefault(state.toUpperCase(Locale.ROOT), federal);
        ZonedDateTime local = at.atZone(zone);
        if (week.get(local.getDayOfWeek()).contains(local.toLocalTime())) {
            return at;
        }
        LocalDate day = local.toLocalDate();
        for (int i = 0; i <= 7; i++, day = day.plusDays(1)) {
            Window w = week.get(day.getDayOfWeek());
            if (w.start() == null) {
                continue;
            }
            ZonedDateTime opening = day.atTime(w.start()).atZone(zone);
            if (opening.toInstant().isAfter(at) || (i == 0 && w.contains(local.toLocalTime()))) {
                return opening.toInstant().isAfter(at) ? opening.toInstant() : at;
            }
        }
        throw new IllegalStateException("no window open in a whole week for state " + state);
    }

    private static DayOfWeek dayOf(String day) {
        return switch (day) {
            case "mon" -> DayOfWeek.MONDAY;
            case "tue" -> DayOfWeek.TUESDAY;
            case "wed" -> DayOfWeek.WEDNESDAY;
            case "thu" -> DayOfWeek.THURSDAY;
            case "fri" -> DayOfWeek.FRIDAY;
            case "sat" -> DayOfWeek.SATURDAY;
            default -> DayOfWeek.SUNDAY;
        };
    }
}
