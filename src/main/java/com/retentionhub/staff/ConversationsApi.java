package com.retentionhub.staff;

import com.retentionhub.analytics.AnalyticsFilter;
import com.retentionhub.conversation.ConversationSearch;
import com.retentionhub.conversation.ConversationState;
import com.retentionhub.conversation.ConversationStore;
import com.retentionhub.conversation.ManualMessages;
import com.retentionhub.dispatch.Outbox;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.CsvWriter;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The conversation roster, staff takeover and hand-back, and transcript exports (CSV or JSON). */
@RestController
@RequestMapping("/api")
public class ConversationsApi {

    /** Most messages one export answers; a wider range must be narrowed. */
    static final int EXPORT_LIMIT = 50_000;

    /** A staff text in a conversation; {@code pauseMinutes} 0 keeps the AI quiet until handed back. */
    public record MessageRequest(@NotBlank @Size(max = 1600) String body, @Min(0) @Max(10_080) Integer pauseMinutes) {}

    /** Take a conversation over without writing. */
    public record TakeoverRequest(@Min(0) @Max(10_080) Integer pauseMinutes) {}

    private final ConversationSearch search;
    private final ConversationStore conversations;
    private final ManualMessages manual;
    private final BusinessProfile business;
    private final Clock clock;

    public ConversationsApi(ConversationSearch search, ConversationStore conversations, ManualMessages manual,
            BusinessProfile business, Clock clock) {
        this.search = search;
        this.conversations = conversations;
        this.manual = manual;
        this.business = business;
        this.clock = clock;
    }

    @GetMapping(value = "/conversations", params = "!phone")
    public ConversationSearch.Page list(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "state", required = false) String state,
            @RequestParam(name = "escalated", required = false) Boolean escalated,
            @RequestParam(name = "warmLead", required = false) Boolean warmLead, @RequestParam(name = "sort", required = false) String sort,
            @RequestParam(name = "page", defaultValue = "0") int page, @RequestParam(name = "size", defaultValue = "50") int size,
            @RequestParam(name = "assignedTo", required = false) String assignedTo,
            @RequestParam(name = "awaitingReply", required = false) Boolean awaitingReply) {
        String s = null;
        if (state != null) {
            s = ConversationState.of(state.trim().toLowerCase(Locale.ROOT)).value(); // unknown: IllegalArgumentException, a 400
        }
        if (sort != null && !ConversationSearch.SORTS.containsKey(sort.startsWith("-") ? sort.substring(1) : sort)) {
            throw ApiProblem.badRequest("sort must be one of " + ConversationSearch.SORTS.keySet().stream().sorted().toList()
                    + ", '-' first to reverse");
        }
        Paging.check(page, size);
        String assignee = assignedTo == null || assignedTo.isBlank() ? null : assignedTo.trim();
        return search.search(new ConversationSearch.Query(q, s, escalated, warmLead, sort, page, size, assignee, awaitingReply),
                clock.instant());
    }

    @PostMapping("/conversations/{id}/messages")
    public ResponseEntity<Map<String, Object>> message(@PathVariable("id") long id, @Valid @RequestBody MessageRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Principal who) {
        ConversationStore.Conversation c = conversation(id);
        String key = ManualMessages.key(idempotencyKey);
        Outbox.Enqueued enqueued;
        try {
            enqueued = manual.send(key, c.phone(), request.body(), Caller.of(who), request.pauseMinutes());
        } catch (ManualMessages.OptedOut e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("conversationId", id);
        body.put("outboxId", enqueued.id());
        conversations.takeover(id).ifPresent(t -> body.put("takenOverByStaff", t));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    @PostMapping("/conversations/{id}/takeover")
    public Map<String, Object> takeOver(@PathVariable("id") long id, @Valid @RequestBody(required = false) TakeoverRequest request,
            Principal who) {
        conversation(id);
        manual.takeOver(id, Caller.of(who), request == null ? null : request.pauseMinutes());
        return Map.of("conversationId", id, "takenOverByStaff", conversations.takeover(id).orElseThrow());
    }

    @PostMapping("/conversations/{id}/handback")
    public Map<String, Object> handBack(@PathVariable("id") long id) {
        conversation(id);
        conversations.handBack(id);
        return Map.of("conversationId", id, "ai", "answering");
    }

    @GetMapping("/conversations/{id}/transcript")
    public ResponseEntity<?> transcript(@PathVariable("id") long id, @RequestParam(name = "format", defaultValue = "json") String format) {
        conversation(id);
        return export(search.transcript(id), format, "conversation-" + id, Map.of("conversationId", id));
    }

    /** Every conversation's messages in a range: dates in the business's time zone ({@code to} inclusive) or instants ({@code to} exclusive). */
    @GetMapping("/transcripts")
    public ResponseEntity<?> transcripts(@RequestParam("from") String from, @RequestParam("to") String to,
            @RequestParam(name = "format", defaultValue = "json") String format) {
        // The same date-or-instant rule as the analytics views; a bad or empty range is a 400.
        AnalyticsFilter range = AnalyticsFilter.parse(Map.of("from", from, "to", to), business.zone());
        Instant start = range.from();
        Instant end = range.to();
        List<ConversationSearch.TranscriptLine> lines = search.transcripts(start, end, EXPORT_LIMIT + 1);
        if (lines.size() > EXPORT_LIMIT) {
            throw ApiProblem.badRequest("more than " + EXPORT_LIMIT + " messages in the range; narrow it");
        }
        return export(lines, format, "transcripts", Map.of("from", start, "to", end));
    }

    private ResponseEntity<?> export(List<ConversationSearch.TranscriptLine> lines, String format, String name, Map<String, Object> scope) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> {
                String csv = CsvWriter.write(ConversationSearch.TRANSCRIPT_COLUMNS, lines.stream().map(ConversationSearch::row).toList());
                return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"").body(csv);
            }
            case "json" -> {
                Map<String, Object> body = new LinkedHashMap<>(scope);
                body.put("columns", ConversationSearch.TRANSCRIPT_COLUMNS);
                body.put("messages", lines);
                return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
            }
            default -> throw ApiProblem.badRequest("format must be csv or json");
        }
    }

    private ConversationStore.Conversation conversation(long id) {
        return conversations.byId(id).orElseThrow(() -> ApiProblem.notFound("conversation", id));
    }
}
