package com.retentionhub.staff;

import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.lead.DoNotContact;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.sequence.EnrollmentHolds;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
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

    private final JdbcTemplate jdbc;
    private final LeadTimeline timeline;
    private final DoNotContact doNotContact;
    private final EnrollmentHolds holds;
    private final ConsentLedger consent;

    public LeadDetailsApi(JdbcTemplate jdbc, LeadTimeline timeline, DoNotContact doNotContact, EnrollmentHolds holds, ConsentLedger consent) {
        this.jdbc = jdbc;
        this.timeline = timeline;
        this.doNotContact = doNotContact;
        this.holds = holds;
        this.consent = consent;
    }

    @GetMapping("/leads/{id}")
    public LeadDetail get(@PathVariable long id) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, name, phone, email, source, status, sub_id, click_id, created_at FROM leads"
                + " WHERE id = ?", id);
        if (rows.isEmpty()) {
            throw ApiProblem.notFound("lead", id);
        }
        Map<String, Object> l = rows.get(0);
        String phone = (String) l.get("phone");
        List<ChannelConsent> consents = phone == null ? List.of()
                : List.of("sms", "email", "voice").stream().map(c -> new ChannelConsent(c, consent.current(phone, c).name())).toList();
        List<String> campaigns = jdbc.queryForList("SELECT c.name FROM campaign_lead cl JOIN campaign c ON c.id = cl.campaign_id WHERE cl.lead_id = ?"
                + " ORDER BY c.name", String.class, id);
        List<EnrollmentView> enrollments = jdbc.query("SELECT e.id, e.sequence_id, s.name, e.campaign, e.status, e.exit_reason, e.next_position,"
                + " e.next_run_at, e.enrolled_at, e.completed_at FROM enrollment e JOIN sequence s ON s.id = e.sequence_id WHERE e.lead_id = ?"
                + " ORDER BY e.id DESC", (rs, i) -> {
                    boolean running = rs.getString(5).equals("ACTIVE") || rs.getString(5).equals("PAUSED");
                    return new EnrollmentView(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            running ? rs.getInt(7) : null, running ? SqlValues.instant(rs, 8) : null, SqlValues.instant(rs, 9), SqlValues.instant(rs, 10));
                }, id);
        return new LeadDetail(id, (String) l.get("name"), phone, (String) l.get("email"), (String) l.get("source"), (String) l.get("status"),
                (String) l.get("sub_id"), (String) l.get("click_id"), campaigns, consents, enrollments, SqlValues.instant(l.get("created_at")));
    }

    @GetMapping("/leads/{id}/timeline")
    public LeadTimeline.Timeline timeline(@PathVariable long id) {
        return timeline.of(id).orElseThrow(() -> ApiProblem.notFound("lead", id));
    }

    @PostMapping("/leads/{id}/do-not-contact")
    public LeadDetail markDoNotContact(@PathVariable long id, @Valid @RequestBody(required = false) DoNotContactRequest request, Principal who) {
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
        if (jdbc.queryForObject("SELECT count(*) FROM enrollment WHERE id = ?", Integer.class, id) == 0) {
            throw ApiProblem.notFound("enrollment", id);
        }
        throw new ApiProblem(HttpStatus.CONFLICT, refusal);
    }
}
