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
 * <p>{@link #KNOWN} lists the trespasses that were there when the rule came in (issue 24), each to be
 * moved behind its owner. The list may only shrink: a new trespass fails, and so does a listed one
 * that is gone (take it off the list).
 */
class TableOwnershipTest {

    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("outbox", "dispatch"), Map.entry("status_event", "dispatch"), Map.entry("provider_drain", "dispatch"),
            Map.entry("call_report", "dispatch"),
            Map.entry("contact", "contact"),
            Map.entry("consent_state", "consent"), Map.entry("consent_event", "consent"), Map.entry("consent_tombstone", "consent"),
            Map.entry("consent_request", "consent"),
            Map.entry("leads", "lead"), Map.entry("campaign", "lead"), Map.entry("campaign_lead", "lead"), Map.entry("campaign_window", "lead"),
            Map.entry("script", "lead"), Map.entry("meta_leadgen", "lead"), Map.entry("service_visit", "lead"),
            Map.entry("conversation", "conversation"), Map.entry("message", "conversation"), Map.entry("conversation_state_change", "conversation"),
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
            Map.entry("outbox_sends", "dispatch"),
            Map.entry("converted_leads", "conversion"),
            Map.entry("contact_card", "contact"));

    /** {@code module.Class -> table} trespasses still to move behind their owners. */
    static final Set<String> KNOWN = Set.of(
            "analytics.ConversationAnalytics -> appointment",
            "analytics.ConversationAnalytics -> contact",
            "analytics.ConversationAnalytics -> conversation",
            "analytics.ConversationAnalytics -> message",
            "analytics.SendAnalytics -> conversion",
            "analytics.SequenceAnalytics -> campaign",
            "analytics.SequenceAnalytics -> campaign_lead",
            "analytics.SequenceAnalytics -> conversion",
            "analytics.SequenceAnalytics -> enrollment",
            "analytics.SequenceAnalytics -> leads",
            "analytics.SequenceAnalytics -> message",
            "analytics.SequenceAnalytics -> sequence",
            "analytics.SequenceAnalytics -> sequence_step",
            "analytics.SequenceAnalytics -> step_execution",
            "analytics.WordStats -> conversion",
            "batch.Audiences -> contact",
            "batch.Audiences -> conversation",
            "batch.Audiences -> leads",
            "batch.Runs -> contact",
            "batch.Runs -> conversation",
            "batch.Runs -> inbound_event",
            "consent.OptOutList -> contact",
            "consent.ReConsent -> contact",
            "conversation.ConversationEntries -> call_report",
            "conversation.ConversationSearch -> contact",
            "conversation.ConversationStore -> contact",
            "conversation.InboundMessageProcessor -> inbound_event",
            "conversation.LeadScoring -> contact",
            "conversation.ManualMessages -> inbound_event",
            "conversation.OwnerAlerts -> inbound_event",
            "conversation.OwnerAlerts -> outbox",
            "conversation.ReplyRateLimit -> inbound_event",
            "conversion.Conversions -> leads",
            "dispatch.DeliveryLog -> message",
            "dispatch.DispatchStore -> contact",
            "dispatch.DispatchStore -> message",
            "dispatch.Outbox -> message",
            "ingress.MetaLeads -> meta_leadgen",
            "ingress.VapiEvents -> call_report",
            "ingress.VapiEvents -> outbox",
            "lead.Customers -> contact",
            "lead.WarmLeads -> contact",
            "sequence.BulkEnrollment -> leads",
            "sequence.Enrollments -> campaign",
            "sequence.Enrollments -> leads",
            "sequence.OutreachEnd -> leads",
            "sequence.SequenceDryRun -> contact",
            "sequence.SequenceProcessor -> campaign",
            "sequence.SequenceProcessor -> contact",
            "sequence.SequenceProcessor -> conversation",
            "sequence.SequenceProcessor -> leads",
            "sequence.SequenceProcessor -> message",
            "sequence.SmartReengagement -> leads",
            "sequence.StepFigures -> conversion"
    );

    static final Path MAIN = Path.of("src/main/java/com/retentionhub");
    static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern TABLE = Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_]+)\\b", Pattern.CASE_INSENSITIVE);

    @Test
    void shouldRunSqlOnATableOnlyInItsOwningModule() throws IOException {
        Set<String> trespasses = trespasses();
        assertThat(trespasses).as("SQL on a table outside its owning module (go through the owner's API)").isSubsetOf(KNOWN);
        assertThat(KNOWN).as("trespasses that are gone: take them off KNOWN").isSubsetOf(trespasses);
    }

    @Test
    void shouldNameAnOwnerForEveryTableAndView() throws IOException {
        Set<String> created = new TreeSet<>();
        Set<String> views = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/db"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = Pattern.compile("CREATE (TABLE|VIEW) (?:IF NOT EXISTS )?([a-z_]+)", Pattern.CASE_INSENSITIVE).matcher(Files.readString(f));
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
                for (String table : tablesIn(Files.readString(f))) {
                    if (!module.equals(OWNERS.get(table))) {
                        found.add(module + "." + type + " -> " + table);
                    }
                }
            }
        }
        return found;
    }

    static Set<String> tablesIn(String source) {
        Set<String> tables = new TreeSet<>();
        Matcher literal = LITERAL.matcher(source);
        while (literal.find()) {
            Matcher t = TABLE.matcher(literal.group(1));
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
