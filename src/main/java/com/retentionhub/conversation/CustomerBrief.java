package com.retentionhub.conversation;

import com.retentionhub.lead.Customers;
import com.retentionhub.platform.BusinessProfile;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * The customer's record as the model reads it: name, last service and its date, service status,
 * open issues and the next appointment. It is what lets a reply say "Hey Jamie! Still seeing those
 * ants since the May 3 treatment?" instead of a stranger's greeting.
 *
 * <p>The brief has a fixed budget ({@link #BUDGET} characters) so a long record (pages of notes,
 * a sprawling open issue) never crowds the conversation out of the prompt: the open issues, the
 * one free-text field, take what the other fields leave, and are cut with an ellipsis past that.
 */
@Component
public class CustomerBrief {

    /** The most characters the customer record may take in the prompt. */
    public static final int BUDGET = 600;

    private static final String HEADER = "Customer record (use it to make the reply personal and relevant; never recite it, never invent more):";
    private static final int FIELD_LIMIT = 80;

    private final Customers customers;
    private final Scheduling scheduling;
    private final DateTimeFormatter day;
    private final DateTimeFormatter when;

    public CustomerBrief(Customers customers, Scheduling scheduling, BusinessProfile business) {
        this.customers = customers;
        this.scheduling = scheduling;
        this.day = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US);
        this.when = DateTimeFormatter.ofPattern("EEE MMM d 'at' h:mm a", Locale.US).withZone(business.zone());
    }

    /** The brief for this phone, or empty when the hub knows nothing about the person yet. */
    public String of(String phone) {
        return phone == null ? "" : of(List.of(phone)).getOrDefault(phone, "");
    }

    /** The briefs of these phones in two statements, whatever their number; a phone the hub knows nothing about has none. */
    public Map<String, String> of(Collection<String> phones) {
        List<String> known = phones.stream().filter(Objects::nonNull).distinct().toList();
        Map<String, Customers.Profile> profiles = customers.profiles(known);
        Map<String, Instant> appointments = scheduling.nextAppointments(known);
        Map<String, String> briefs = new HashMap<>();
        for (String phone : known) {
            Customers.Profile found = profiles.get(phone);
            Instant appointment = appointments.get(phone);
            if (found == null && appointment == null) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            if (found != null) {
                field(lines, "Name", found.name());
                field(lines, "Service status", found.serviceStatus());
                field(lines, "Last service", lastService(found));
            }
            if (appointment != null) {
                lines.add("Upcoming appointment: " + when.format(appointment));
            }
            String issues = found == null || found.openIssues() == null || found.openIssues().isBlank() ? null : found.openIssues().strip();
            briefs.put(phone, render(lines, issues));
        }
        return briefs;
    }

    /** Fits the fields and the open issues into the budget: the fixed fields first, the issues in what is left. */
    static String render(List<String> lines, String openIssues) {
        if (lines.isEmpty() && openIssues == null) {
            return "";
        }
        StringBuilder brief = new StringBuilder(HEADER);
        for (String line : lines) {
            brief.append('\n').append(line);
        }
        if (openIssues != null) {
            String label = "\nOpen issues: ";
            int room = BUDGET - brief.length() - label.length();
            if (room > 10) {
                brief.append(label).append(cut(openIssues.replaceAll("\\s+", " "), room));
            }
        }
        return brief.length() <= BUDGET ? brief.toString() : brief.substring(0, BUDGET - 1) + "…";
    }

    private String lastService(Customers.Profile c) {
        if (c.lastServiceOn() == null) {
            return c.lastService();
        }
        return (c.lastService() == null ? "" : c.lastService() + " on ") + day.format(c.lastServiceOn());
    }

    private static void field(List<String> lines, String label, String value) {
        if (value != null && !value.isBlank()) {
            lines.add(label + ": " + cut(value.strip().replaceAll("\\s+", " "), FIELD_LIMIT));
        }
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
