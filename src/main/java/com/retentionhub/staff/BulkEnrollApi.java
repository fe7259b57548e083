package com.retentionhub.staff;

import com.retentionhub.sequence.BulkEnrollment;
import com.retentionhub.sequence.Sequences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Enrolls chosen leads, or a whole filtered list, in a sequence; with {@code preview} it only says how
 * many would be enrolled and why the others would not.
 */
@RestController
@RequestMapping("/api")
public class BulkEnrollApi {

    /** The most leads one bulk enrollment takes: a bigger list is narrowed by its filter or sent in parts. */
    public static final int MAX_LEADS = 5000;
    /** Lead ids listed per reason in the answer (the counts are complete). */
    static final int SAMPLE = 20;

    /** The lead list's filter, the same as {@code GET /api/leads}'s. */
    public record LeadFilter(@Size(max = 200) String q, @Size(max = 16) String source, @Size(max = 16) String status,
            @Size(max = 100) String campaign) {}

    /** Either {@code leadIds} or {@code filter}; {@code campaign} is the one whose scripts the steps use. */
    public record BulkEnrollRequest(@Size(max = MAX_LEADS) List<@Positive Long> leadIds, @Valid LeadFilter filter,
            @Size(max = 100) String campaign,
            boolean preview) {}

    /** Leads kept out for one reason: how many, and the first few ids. */
    public record NotEnrolled(String reason, int count, List<Long> leadIds) {}

    /** The outcome: selected = enrolled (or, in a preview, would be) + every reason's count + unknown ids. */
    public record BulkEnrollResult(long sequenceId, String sequence, String sequenceStatus, boolean preview, int selected, int enrolled,
            List<Long> enrolledLeadIds, List<NotEnrolled> notEnrolled) {}

    private final Sequences sequences;
    private final BulkEnrollment bulk;
    private final LeadsApi leads;

    public BulkEnrollApi(Sequences sequences, BulkEnrollment bulk, LeadsApi leads) {
        this.sequences = sequences;
        this.bulk = bulk;
        this.leads = leads;
    }

    @PostMapping("/sequences/{id}/bulk-enroll")
    public BulkEnrollResult bulkEnroll(@PathVariable long id, @Valid @RequestBody BulkEnrollRequest request) {
        Sequences.Sequence sequence = sequences.get(id).orElseThrow(() -> ApiProblem.notFound("sequence", id));
        List<Long> ids = selection(request);
        if (!request.preview() && !sequence.status().equals("ACTIVE")) {
            throw new ApiProblem(HttpStatus.CONFLICT,
                    "the sequence is " + sequence.status().toLowerCase(Locale.ROOT) + "; activate it first");
        }
        BulkEnrollment.Outcome outcome = request.preview() ? bulk.preview(id, ids) : bulk.enroll(id, ids, blank(request.campaign()));
        List<NotEnrolled> refused = outcome.refused().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> new NotEnrolled(e.getKey(), e.getValue().size(),
                        List.copyOf(e.getValue().subList(0, Math.min(SAMPLE, e.getValue().size())))))
                .toList();
        return new BulkEnrollResult(id, sequence.name(), sequence.status(), request.preview(), ids.size(), outcome.enrolled().size(),
                outcome.enrolled().subList(0, Math.min(100, outcome.enrolled().size())), refused);
    }

    /** The ids named, or every lead the filter finds (refused beyond {@link #MAX_LEADS}). */
    private List<Long> selection(BulkEnrollRequest request) {
        if ((request.leadIds() == null) == (request.filter() == null)) {
            throw ApiProblem.badRequest("give either leadIds or filter");
        }
        if (request.leadIds() != null) {
            return request.leadIds().stream().distinct().toList();
        }
        LeadFilter f = request.filter();
        List<Long> ids = new ArrayList<>();
        int size = 200;
        for (int page = 0;; page++) {
            var found = leads.list(f.q(), f.source(), f.status(), f.campaign(), page, size);
            if (found.total() > MAX_LEADS) {
                throw ApiProblem.badRequest("the filter finds " + found.total() + " leads; at most " + MAX_LEADS + " per bulk enrollment");
            }
            found.items().forEach(l -> ids.add(l.id()));
            if (found.items().size() < size) {
                return ids;
            }
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
