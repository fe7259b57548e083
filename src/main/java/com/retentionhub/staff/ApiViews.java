package com.retentionhub.staff;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.consent.OptOutList;
import com.retentionhub.contact.ContactStore;
import com.retentionhub.conversation.ConversationEntries;
import com.retentionhub.conversation.ConversationSearch;
import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.lead.WarmLeads;
import com.retentionhub.sequence.SequenceDryRun;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the staff API's answers that the controllers build as maps, for the OpenAPI
 * document ({@link OpenApiConfiguration} names them per operation in {@code openapi/operations.yaml}).
 * They describe the wire format only; the contract test holds them to what the server answers.
 */
final class ApiViews {

    private ApiViews() {}

    /** Who has a conversation and until when. */
    record Takeover(String by, Instant until) {}

    /** A manual text queued for sending. */
    record MessageAccepted(long outboxId, String idempotencyKey, String phone, String status) {}

    /** A conversation with its contact, state, allowed moves, messages and state history. */
    record ConversationView(long id, Long contactId, String phone, ContactStore.Contact contact, WarmLeads.Mark warmLead, String state,
            List<String> allowedTransitions, Escalation escalation, Takeover takenOverByStaff, Instant createdAt, Instant updatedAt,
            List<ConversationEntries.Entry> messages, List<ConversationStore.StateChange> stateChanges) {}

    /** A page of the opt-out list (GET /api/consent?status=opted_out). */
    record OptOutPage(List<OptOutList.OptOut> items, int page, int size, long total) {}

    /** Why and when a conversation went to staff. */
    record Escalation(String reason, Instant at) {}

    /** A phone's SMS consent now and its ledger, oldest first. */
    record ConsentView(String phone, @Schema(allowableValues = "sms") String channel, ConsentStatus status,
            List<ConsentLedger.Entry> ledger) {}

    /** A staff text in a conversation, queued; the conversation is the staff's until the takeover ends. */
    record ConversationMessageAccepted(long conversationId, long outboxId, Takeover takenOverByStaff) {}

    /** A conversation taken over by staff. */
    record TakenOver(long conversationId, Takeover takenOverByStaff) {}

    /** A conversation handed back to the AI. */
    record HandedBack(long conversationId, @Schema(allowableValues = "answering") String ai) {}

    /** A transcript as JSON: its scope (a conversation, or a range), the column names, and the messages. */
    record Transcript(Long conversationId, Instant from, Instant to, List<String> columns,
            List<ConversationSearch.TranscriptLine> messages) {}

    /** A conversation started by staff: its first text, queued. */
    record ConversationStarted(Long conversationId, long outboxId, String type, String text, String source) {}

    /** A demo text, never sent; {@code nextState} only for a demo reply. */
    record DemoText(String text, String source, String nextState) {}

    /** A lead taken in: its id, whether it was already known, and the campaigns it was routed to. */
    record LeadAccepted(long id, boolean duplicate, List<String> campaigns) {}

    /** A dry run of a sequence for one lead, in virtual time. */
    record Simulation(String sequence, Instant start, List<SequenceDryRun.Entry> steps) {}

    /** A new enrollment. */
    record Enrolled(long enrollmentId) {}

    /** A sequence's enrollments by status and each step's executions by status. */
    record SequenceStats(Map<String, Long> enrollments, List<StepStats> steps) {}

    /** One step's executions by status. */
    record StepStats(int position, String channel, String script, Map<String, Long> executions) {}

    /** The analytics views there are. */
    record AnalyticsIndex(List<String> views) {}

    /** One analytics view: the filter it applied, a summary, and its rows (columns differ per view). */
    record AnalyticsReport(String view, Map<String, Object> filter, Map<String, Object> summary, List<Map<String, Object>> rows) {}

    /** The word statistics rebuilt. */
    record WordsRefreshed(int daysRebuilt) {}

    /** Leads per arm an A/B test needs. */
    record AbTestPlan(double baseline, double target, double alpha, double power, long perArm, long total) {}

    /** A page of warm leads, newest first. */
    record WarmLeadPage(List<WarmLeads.WarmLead> items, int page, int size, long total) {}

    /** Warm leads today, in the last 7 days, and per day. */
    record WarmLeadCounts(int today, int last7Days, List<WarmLeadDay> perDay) {}

    /** Warm leads on one day. */
    record WarmLeadDay(String day, int warmLeads) {}
}
