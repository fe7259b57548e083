package com.retentionhub.staff;

import com.retentionhub.sequence.Enrollments;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.SequenceProcessor;
import com.retentionhub.sequence.Sequences;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sequences, enrollments and the on-demand run of the sequence processor. */
@RestController
@RequestMapping("/api")
public class SequencesApi {

    public record EnrollRequest(long leadId, @Size(max = 100) String campaign) {}

    private final Sequences sequences;
    private final Enrollments enrollments;
    private final SequenceProcessor processor;

    public SequencesApi(Sequences sequences, Enrollments enrollments, SequenceProcessor processor) {
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
            return ResponseEntity.status(HttpStatus.CONFLICT).body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "a sequence with this name exists"));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(sequences.create(definition));
    }

    @GetMapping("/sequences/{id}")
    public ResponseEntity<Sequences.Sequence> get(@PathVariable long id) {
        return ResponseEntity.of(sequences.get(id));
    }

    /** 201 with the enrollment id; 409 when the sequence is not active or the lead is in its cooldown. */
    @PostMapping("/sequences/{id}/enroll")
    public ResponseEntity<Object> enroll(@PathVariable long id, @Valid @RequestBody EnrollRequest request) {
        if (sequences.get(id).isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return enrollments.enroll(id, request.leadId(), request.campaign())
                .<ResponseEntity<Object>>map(e -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("enrollmentId", e)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.CONFLICT).body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                        "not enrolled: the sequence is not active, or the lead was enrolled in it within " + Enrollments.COOLDOWN.toDays() + " days")));
    }

    @GetMapping("/sequences/{id}/enrollments")
    public List<Enrollments.Enrollment> enrollments(@PathVariable long id) {
        return enrollments.ofSequence(id);
    }

    /** Runs every due step now (the Quartz schedule does the same every minute). */
    @PostMapping("/scheduler/process-sequences")
    public SequenceProcessor.Pass process() {
        return processor.processDue();
    }
}
