package com.retentionhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has one owning module, and only that module's classes run SQL on it; the others go
 * through the owner's API or a read model the owner publishes. The check reads the SQL in the main
 * sources' string literals: a table named after FROM, JOIN, INTO, UPDATE or TABLE by a class of
 * another module is a trespass.
 *
 * <p>A view is a read model only for the module {@link #PUBLISHED} names, and only for reading: a
 * plain view is updatable in PostgreSQL, so writing through another module's view (INSERT INTO,
 * UPDATE) is a trespass too.
 */
class TableOwnershipTest {

    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("outbox", "dispatch"), Map.entry("status_event", "dispatch"), Map.entry("provider_drain", "dispatch"),
            Map.entry("call_report", "dispatch"),
            Map.entry("contact", "contact"),
            Map.entry("consent_state", "consent"), Map.entry("consent_event", "consent"), Map.entry("consent_tombstone", "consent"),
            Map.entry("consent_request", "consent"),
            Map.entry("leads", "lead"), Map.entry("campaign", "lead"), Map.entry("campaign_lead", "lead"),
            Map.entry("campaign_window", "lead"),
            Map.entry("script", "lead"), Map.entry("meta_leadgen", "lead"), Map.entry("service_visit", "lead"),
            Map.entry("conversation", "conversation"), Map.entry("message", "conversation"),
            Map.entry("conversation_state_change", "conversation"),
            Map.entry("reply_task", "conversation"), Map.entry("appointment", "conversation"), Map.entry("booking_lock", "conversation"),
            Map.entry("sequence", "sequence"), Map.entry("sequence_step", "sequence"), Map.entry("enrollment", "sequence"),
            Map.entry("step_execution", "sequence"),
            Map.entry("conversion", "conversion"), Map.entry("conversion_event", "conversion"),
            Map.entry("inbound_event", "ingress"),
            Map.entry("ab_test", "abtest"), Map.entry("ab_variant", "abtest"), Map.entry("ab_assignment", "abtest"),
            Map.entry("business_event", "platform"), Map.entry("event_relay", "platform"), Map.entry("api_audit", "platform"),
            Map.entry("dead_letter", "platform"), Map.entry("route_event", "platform"), Map.entry("route_event_cursor", "platform"),
            Map.entry("semantic_decision", "semantic"),
            Map.entry("console_user", "staff"),
            Map.entry("outreach_run", "batch"), Map.entry("outreach_target", "batch"),
            Map.entry("analytics_mark", "analytics"), Map.entry("word_stat", "analytics"));

    /** Views an owner publishes as read models for the other modules (V36 on): any module may read them. */
    static final Map<String, String> PUBLISHED = Map.ofEntries(
            Map.entry("consent_opted_out", "consent"), Map.entry("consent_status", "consent"),
            Map.entry("contact_card", "contact"),
            Map.entry("outbox_sends", "dispatch"), Map.entry("ended_calls", "dispatch"),
            Map.entry("lead_card", "lead"), Map.entry("lead_arrivals", "lead"), Map.entry("campaign_members", "lead"),
            Map.entry("conversation_messages", "conversation"), Map.entry("conversation_contacts", "conversation"),
            Map.entry("conversation_appointments", "conversation"), Map.entry("conversation_closed", "conversation"),
            Map.entry("conversation_replies", "conversation"), Map.entry("opened_emails", "conversation"),
            Map.entry("inbound_texts", "ingress"),
            Map.entry("sequence_names", "sequence"), Map.entry("sequence_steps", "sequence"),
            Map.entry("sequence_enrollments", "sequence"), Map.entry("sequence_step_runs", "sequence"),
            Map.entry("converted_leads", "conversion"), Map.entry("conversion_outcomes", "conversion"));

    static final Path MAIN = Path.of("src/main/java/com/retentionhub");
    /** A text block or a string literal: SQL may be in either. */
    static final Pattern LITERAL = Pattern.compile("\"\"\"([\\s\\S]*?)\"\"\"|\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern WRITE = Pattern.compile("\\b(?:INTO|UPDATE)\\s+([a-z_]+)\\b", Pattern.CASE_INSENSITIVE);
    static final Pattern TABLE = Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_]+)\\b", Pattern.CASE_INSENSITIVE);

    @Test
    void shouldRunSqlOnATableOnlyInItsOwningModule() throws IOException {
        Set<String> trespasses = trespasses();
        assertThat(trespasses).as("SQL on a table outside its owning module (go through the owner's API or a view it publishes)").isEmpty();
    }

    @Test
    void shouldNameAnOwnerForEveryTableAndView() throws IOException {
        Set<String> created = new TreeSet<>();
        Set<String> views = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/db"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = Pattern.compile("CREATE (TABLE|VIEW) (?:IF NOT EXISTS )?([a-z_]+)", Pattern.CASE_INSENSITIVE)
                        .matcher(Files.readString(f));
                while (m.find()) {
                    (m.group(1).equalsIgnoreCase("TABLE") ? created : views).add(m.group(2).toLowerCase());
                }
            }
        }
        created.removeIf(t -> t.startsWith("qrtz_")); // Quartz's own tables, used only by Quartz
        assertThat(OWNERS.keySet()).as("every table the migrations create has an owner").containsAll(created);
        assertThat(PUBLISHED.keySet()).as("every view is a read model some module publishes").containsExactlyInAnyOrderElementsOf(views);
    }

    @Test
    void shouldFindATrespassWhereThereIsOne() {
        assertThat(tablesIn("String sql = \"SELECT count(*) FROM outbox o JOIN consent_state c ON c.phone = o.phone\";"))
                .containsExactlyInAnyOrder("outbox", "consent_state");
        assertThat(tablesIn("String sql = \"\"\"\n    SELECT phone\n    FROM consent_state\n    \"\"\";")).containsExactly("consent_state");
        assertThat(viewsWrittenIn("jdbc.update(\"UPDATE contact_card SET name = ? WHERE id = ?\", name, id);"))
                .containsExactly("contact_card");
        assertThat(viewsWrittenIn("jdbc.query(\"SELECT name FROM contact_card WHERE id = ?\", id);")).isEmpty();
    }

    static Set<String> trespasses() throws IOException {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = MAIN.relativize(f);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                String module = relative.getName(0).toString();
                String type = f.getFileName().toString().replace(".java", "");
                String source = Files.readString(f);
                for (String table : tablesIn(source)) {
                    if (!module.equals(OWNERS.get(table))) {
                        found.add(module + "." + type + " -> " + table);
                    }
                }
                for (String view : viewsWrittenIn(source)) {
                    if (!module.equals(PUBLISHED.get(view))) {
                        found.add(module + "." + type + " writes " + view);
                    }
                }
            }
        }
        return found;
    }

    private static String text(Matcher literal) {
        return literal.group(1) != null ? literal.group(1) : literal.group(2);
    }

    static Set<String> viewsWrittenIn(String source) {
        Set<String> views = new TreeSet<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            Matcher w = WRITE.matcher(text(literal));
            while (w.find()) {
                if (PUBLISHED.containsKey(w.group(1).toLowerCase())) {
                    views.add(w.group(1).toLowerCase());
                }
            }
        }
        return views;
    }

    static Set<String> tablesIn(String source) {
        Set<String> tables = new TreeSet<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            Matcher t = TABLE.matcher(text(literal));
            while (t.find()) {
                String table = t.group(1).toLowerCase();
                if (OWNERS.containsKey(table)) {
                    tables.add(table);
                }
            }
        }
        return tables.stream().collect(Collectors.toCollection(TreeSet::new));
    }
}
