package com.retentionhub.staff;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.lead.DoNotContact;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.platform.Channel;
import com.retentionhub.sequence.EnrollmentHolds;
import com.retentionhub.sequence.LeadEnrollments;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** One lead as the operators' console shows it: its record, its enrollments, its timeline, and the actions on it. */
@RestController
@RequestMapping("/api")
public class LeadDetailsApi {

    /** A lead's consent on one channel. */
    public record ChannelConsent(String channel, String status) {}

    /** One of the lead's enrollments, with its next step when it is running. */
    public record EnrollmentView(long id, long sequenceId, String sequence, String campaign, String status, String reason, Integer nextStep,
            Instant nextRunAt, Instant enrolledAt, Instant endedAt) {}

    /** A lead with its campaigns, consent and enrollments. */
    public record LeadDetail(long id, String name, String phone, String email, String source, String status, String subId, String clickId,
            List<String> campaigns, List<ChannelConsent> consent, List<EnrollmentView> enrollments, Instant createdAt) {}

    /** Why a lead is marked do-not-contact (kept in the consent ledger as the evidence). */
    public record DoNotContactRequest(@Size(max = 150) String reason) {}

    private final LeadDirectory leads;
    private final LeadEnrollments enrollments;
    private final LeadTimeline timeline;
    private final DoNotContact doNotContact;
    private final EnrollmentHolds holds;
    private final ConsentLedger consent;

    public LeadDetailsApi(LeadDirectory leads, LeadEnrollments enrollments, LeadTimeline timeline, DoNotContact doNotContact,
            EnrollmentHolds holds,
            ConsentLedger consent) {
        this.leads = leads;
        this.enrollments = enrollments;
        this.timeline = timeline;
        this.doNotContact = doNotContact;
        this.holds = holds;
        this.consent = consent;
    }

    @GetMapping("/leads/{id}")
    public LeadDetail get(@PathVariable long id) {
        LeadDirectory.Details l = leads.details(id).orElseThrow(() -> ApiProblem.notFound("lead", id));
        String phone = l.phone();
        List<ChannelConsent> consents = phone == null
                ? List.of()
                : Channel.codes().stream().map(c -> new ChannelConsent(c, consent.current(phone, c).name())).toList();
        List<LeadEnrollments.Enrollment> newestFirst = new ArrayList<>(this.enrollments.of(id));
        Collections.reverse(newestFirst);
        List<EnrollmentView> enrollments = newestFirst.stream()
                .map(e -> new EnrollmentView(e.id(), e.sequenceId(), e.sequence(), e.campaign(),
                        e.status().name(), e.exitReason(), e.status().running() ? e.nextPosition() : null,
                        e.status().running() ? e.nextRunAt() : null,
                        e.enrolledAt(), e.completedAt()))
                .toList();
        return new LeadDetail(id, l.name(), phone, l.email(), l.source(), l.status(), l.subId(), l.clickId(), l.campaigns(), consents,
                enrollments,
                l.createdAt());
    }

    @GetMapping("/leads/{id}/timeline")
    public LeadTimeline.Timeline timeline(@PathVariable long id) {
        return timeline.of(id).orElseThrow(() -> ApiProblem.notFound("lead", id));
    }

    @PostMapping("/leads/{id}/do-not-contact")
    public LeadDetail markDoNotContact(@PathVariable long id, @Valid @RequestBody(required = false) DoNotContactRequest request,
            Principal who) {
        if (!doNotContact.mark(id, Caller.of(who), request == null ? null : request.reason())) {
            throw ApiProblem.notFound("lead", id);
        }
        return get(id);
    }

    @PostMapping("/enrollments/{id}/pause")
    public ResponseEntity<Void> pause(@PathVariable long id, Principal who) {
        return answer(id, holds.pause(id, Caller.of(who)), "the enrollment is not running");
    }

    @PostMapping("/enrollments/{id}/resume")
    public ResponseEntity<Void> resume(@PathVariable long id) {
        return answer(id, holds.resume(id), "the enrollment is not paused by staff");
    }

    @PostMapping("/enrollments/{id}/end")
    public ResponseEntity<Void> end(@PathVariable long id, Principal who) {
        return answer(id, holds.end(id, Caller.of(who)), "the enrollment has ended already");
    }

    private ResponseEntity<Void> answer(long id, boolean changed, String refusal) {
        if (changed) {
            return ResponseEntity.noContent().build();
        }
        if (!holds.exists(id)) {
            throw ApiProblem.notFound("enrollment", id);
        }
        throw new ApiProblem(HttpStatus.CONFLICT, refusal);
    }
}
