package com.retentionhub.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * An appointment as an iTIP invitation (RFC 5545/5546): METHOD REQUEST to add or update it in the
 * customer's calendar, CANCEL to remove it. Times are in the business's time zone, with a VTIMEZONE
 * that carries that zone's offsets for the event's year, so the event shows at the right local time
 * in any client. Lines are folded at 75 octets, as the format requires.
 */
public final class Invitation {

    public static final String REQUEST = "REQUEST";
    public static final String CANCEL = "CANCEL";

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int FOLD = 75;

    /** What the invitation says: who, when, where from, and the revision ({@code sequence}, raised by each change). */
    public record Event(long appointmentId, Instant start, Instant end, String summary, String description, String organizerName,
            String organizerEmail, String attendeeName, String attendeeEmail, int sequence, Instant stamp) {}

    private Invitation() {}

    public static String of(String method, Event e, ZoneId zone) {
        List<String> lines = new ArrayList<>(
                List.of("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//retention-hub//appointments//EN", "CALSCALE:GREGORIAN",
                        "METHOD:" + method));
        lines.addAll(timezone(zone, e.start()));
        lines.add("BEGIN:VEVENT");
        lines.add("UID:appointment-" + e.appointmentId() + "@retention-hub");
        lines.add("SEQUENCE:" + e.sequence());
        lines.add("DTSTAMP:" + UTC.format(e.stamp()));
        lines.add("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(LocalDateTime.ofInstant(e.start(), zone)));
        lines.add("DTEND;TZID=" + zone.getId() + ":" + LOCAL.format(LocalDateTime.ofInstant(e.end(), zone)));
        lines.add("SUMMARY:" + text(e.summary()));
        if (e.description() != null) {
            lines.add("DESCRIPTION:" + text(e.description()));
        }
        lines.add("ORGANIZER;CN=" + param(e.organizerName()) + ":mailto:" + e.organizerEmail());
        lines.add("ATTENDEE;CN=" + param(e.attendeeName() == null ? e.attendeeEmail() : e.attendeeName())
                + ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + e.attendeeEmail());
        lines.add("STATUS:" + (CANCEL.equals(method) ? "CANCELLED" : "CONFIRMED"));
        lines.add("END:VEVENT");
        lines.add("END:VCALENDAR");
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(fold(l)).append("\r\n"));
        return out.toString();
    }

    /**
     * The zone's observances around the event: each offset change of the event's year (and the one in
     * force at its start) as a STANDARD or DAYLIGHT block; a zone without changes gets one STANDARD.
     */
    static List<String> timezone(ZoneId zone, Instant at) {
        ZoneRules rules = zone.getRules();
        List<String> lines = new ArrayList<>(List.of("BEGIN:VTIMEZONE", "TZID:" + zone.getId()));
        int year = LocalDateTime.ofInstant(at, zone).getYear();
        List<ZoneOffsetTransition> changes = new ArrayList<>();
        ZoneOffsetTransition before = rules.previousTransition(at.plusSeconds(1));
        if (before != null) {
            changes.add(before);
        }
        Instant cursor = LocalDateTime.of(year, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
        for (ZoneOffsetTransition t = rules.nextTransition(cursor); t != null
                && t.getDateTimeBefore().getYear() <= year; t = rules.nextTransition(
                        t.getInstant())) {
            if (before == null || !t.getInstant().equals(before.getInstant())) {
                changes.add(t);
            }
        }
        if (changes.isEmpty()) {
            ZoneOffset fixed = rules.getOffset(at);
            lines.addAll(
                    List.of("BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset(fixed), "TZOFFSETTO:" + offset(fixed),
                            "END:STANDARD"));
        }
        for (ZoneOffsetTransition t : changes) {
            String kind = rules.isDaylightSavings(t.getInstant()) ? "DAYLIGHT" : "STANDARD";
            lines.addAll(List.of("BEGIN:" + kind, "DTSTART:" + LOCAL.format(t.getDateTimeBefore()),
                    "TZOFFSETFROM:" + offset(t.getOffsetBefore()),
                    "TZOFFSETTO:" + offset(t.getOffsetAfter()), "END:" + kind));
        }
        lines.add("END:VTIMEZONE");
        return lines;
    }

    /** Folds a content line into chunks of at most 75 octets, never inside a UTF-8 character; continuations start with a space. */
    static String fold(String line) {
        StringBuilder out = new StringBuilder();
        int octets = 0;
        int limit = FOLD;
        for (int i = 0; i < line.length();) {
            int cp = line.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append("\r\n ");
                octets = 1; // the leading space counts toward the continuation line's 75
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static String offset(ZoneOffset o) {
        int total = o.getTotalSeconds();
        int abs = Math.abs(total);
        return (total < 0 ? "-" : "+") + String.format("%02d%02d", abs / 3600, (abs % 3600) / 60);
    }

    /** TEXT value escaping (RFC 5545 3.3.11). */
    private static String text(String s) {
        return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n");
    }

    /** A parameter value; quoted when it holds characters a bare value may not. */
    private static String param(String s) {
        String clean = s.replace("\"", "'");
        return clean.matches("[^;:,]*") ? clean : "\"" + clean + "\"";
    }
}
