package com.retentionhub.staff;

import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.sequence.Enrollments;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.SequenceDryRun;
import com.retentionhub.sequence.SequenceProcessor;
import com.retentionhub.sequence.Sequences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sequences, enrollments and the on-demand run of the sequence processor. */
@RestController
@RequestMapping("/api")
public class SequencesApi {

    public record EnrollRequest(@NotNull @Positive Long leadId,
            @Size(max = 100) String campaign) {}

    /** A dry run: an existing lead by id, or a synthetic one; the campaign whose scripts apply; when enrollment would be (default now). */
    public record SimulateRequest(Long leadId, @Valid SyntheticLead lead, @Size(max = 100) String campaign, Instant start) {}

    public record SyntheticLead(@Size(max = 200) String name, @Size(max = 40) String phone, @Size(max = 320) String email,
            @Size(max = 64) String timeZone) {}

    private final Sequences sequences;
    private final Enrollments enrollments;
    private final SequenceProcessor processor;
    private final SequenceDryRun dryRun;
    private final PhoneNumbers phones;
    private final LeadDirectory leads;
    private final Clock clock;

    public SequencesApi(Sequences sequences, Enrollments enrollments, SequenceProcessor processor, SequenceDryRun dryRun,
            PhoneNumbers phones, LeadDirectory leads, Clock clock) {
        this.dryRun = dryRun;
        this.phones = phones;
        this.leads = leads;
        this.clock = clock;
        this.sequences = sequences;
        this.enrollments = enrollments;
        this.processor = processor;
    }

    @GetMapping("/sequences")
    public List<Sequences.Sequence> list() {
        return sequences.list();
    }

    @PostMapping("/sequences")
    public ResponseEntity<Object> create(@Valid @RequestBody SequenceDefinition definition) {
        if (sequences.byName(definition.name().trim()).isPresent()) {
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "a sequence with this name exists"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(sequences.create(definition));
    }

    @GetMapping("/sequences/{id}")
    public ResponseEntity<Sequences.Sequence> get(@PathVariable long id) {
        return ResponseEntity.of(sequences.get(id));
    }

    public record SequenceChange(@Size(max = 100) String name, String status) {}

    @PutMapping("/sequences/{id}")
    public ResponseEntity<Sequences.Sequence> update(@PathVariable long id, @Valid @RequestBody SequenceChange change) {
        return ResponseEntity
                .of(sequences.update(id, change.name(), change.status() == null ? null : change.status().toUpperCase(Locale.ROOT)));
    }

    /** Only a draft nobody was enrolled in (409 otherwise: archive it instead). */
    @DeleteMapping("/sequences/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        return sequences.delete(id) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    @PostMapping("/sequences/{id}/steps")
    public ResponseEntity<Sequences.Sequence> addStep(@PathVariable long id, @Valid @RequestBody SequenceDefinition.Step step) {
        return sequences.addStep(id, step).map(s -> ResponseEntity.status(HttpStatus.CREATED).body(s))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @PutMapping("/sequences/{id}/steps/{stepId}")
    public ResponseEntity<Sequences.Sequence> updateStep(@PathVariable long id, @PathVariable long stepId,
            @Valid @RequestBody SequenceDefinition.Step step) {
        return ResponseEntity.of(sequences.updateStep(id, stepId, step));
    }

    /** A step that never ran (409 otherwise). */
    @DeleteMapping("/sequences/{id}/steps/{stepId}")
    public ResponseEntity<Void> deleteStep(@PathVariable long id, @PathVariable long stepId) {
        return sequences.deleteStep(id, stepId) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    @GetMapping("/sequences/{id}/stats")
    public ResponseEntity<Map<String, Object>> stats(@PathVariable long id) {
        return sequences.get(id).isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(sequences.stats(id));
    }

    @ExceptionHandler(Sequences.InUse.class)
    ProblemDetail inUse(Sequences.InUse e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    /** 201 with the enrollment id; 409 when the sequence is not active or the lead is in its cooldown. */
    @PostMapping("/sequences/{id}/enroll")
    public ResponseEntity<Object> enroll(@PathVariable long id, @Valid @RequestBody EnrollRequest request) {
        if (sequences.get(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        Optional<Long> enrolled;
        try {
            enrolled = enrollments.enroll(id, request.leadId(), request.campaign());
        } catch (DataIntegrityViolationException e) {
            // The lead is referenced, not looked up first: a missing one surfaces as the foreign key.
            if (e.getMostSpecificCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "leadId: no lead " + request.leadId());
            }
            throw e;
        }
        return enrolled
                .<ResponseEntity<Object>>map(e -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("enrollmentId", e)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                        "not enrolled: the sequence is not active, or the lead was enrolled in it within " + Enrollments.COOLDOWN.toDays()
                                + " days")));
    }

    /** Takes a lead out of the sequence at once (the enrollment ends EXITED); 404 when it is not running. */
    @DeleteMapping("/sequences/{id}/enrollments/{enrollmentId}")
    public ResponseEntity<Void> remove(@PathVariable long id, @PathVariable long enrollmentId,
            @RequestParam(name = "by", required = false) String by) {
        return enrollments.remove(id, enrollmentId, by) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    @GetMapping("/sequences/{id}/enrollments")
    public List<Enrollments.Enrollment> enrollments(@PathVariable long id) {
        return enrollments.ofSequence(id);
    }

    /** The timeline the sequence would give the lead, in virtual time. Nothing is sent or stored. */
    @PostMapping("/sequences/{id}/simulate")
    public ResponseEntity<Object> simulate(@PathVariable long id, @Valid @RequestBody SimulateRequest request) {
        var sequence = sequences.get(id);
        if (sequence.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        SequenceDryRun.Lead lead;
        if (request.leadId() != null) {
            LeadDirectory.Person person = leads.person(request.leadId())
                    .orElseThrow(() -> new IllegalArgumentException("no lead " + request.leadId()));
            lead = new SequenceDryRun.Lead(person.name(), person.phone(), person.email());
        } else if (request.lead() != null) {
            String phone = request.lead().phone() == null
                    ? null
                    : phones.toE164(request.lead().phone()).orElseThrow(() -> new IllegalArgumentException("phone is not a valid number"));
            String zone = request.lead().timeZone() == null || request.lead().timeZone().isBlank()
                    ? null
                    : request.lead().timeZone().trim();
            if (zone != null) {
                try {
                    ZoneId.of(zone);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("timeZone is not a time zone (e.g. America/New_York)");
                }
            }
            lead = new SequenceDryRun.Lead(request.lead().name(), phone, request.lead().email(), zone);
        } else {
            throw new IllegalArgumentException("give leadId or lead");
        }
        Instant start = request.start() == null ? clock.instant() : request.start();
        return ResponseEntity.ok(Map.of("sequence", sequence.get().name(), "start", start, "steps",
                dryRun.simulate(sequence.get(), lead, request.campaign(), start)));
    }

    /** Runs every due step now (the Quartz schedule does the same every minute). */
    @PostMapping("/scheduler/process-sequences")
    public SequenceProcessor.Pass process() {
        return processor.processDue();
    }
}
