package com.retentionhub.staff;

import com.retentionhub.sequence.Sequences;
import com.retentionhub.sequence.StepFigures;
import com.retentionhub.sequence.StepOrder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the sequence editor needs besides the step CRUD: per-step figures and the order of the steps. */
@RestController
@RequestMapping("/api")
public class SequenceEditorApi {

    /** Every step of the sequence, each once, in the new order. */
    public record StepOrderRequest(@NotEmpty @Size(max = 100) List<Long> stepIds) {}

    private final Sequences sequences;
    private final StepFigures figures;
    private final StepOrder order;

    public SequenceEditorApi(Sequences sequences, StepFigures figures, StepOrder order) {
        this.sequences = sequences;
        this.figures = figures;
        this.order = order;
    }

    @GetMapping("/sequences/{id}/step-figures")
    public List<StepFigures.Figures> figures(@PathVariable long id) {
        return figures.of(sequences.get(id).orElseThrow(() -> ApiProblem.notFound("sequence", id)));
    }

    @PutMapping("/sequences/{id}/step-order")
    public Sequences.Sequence reorder(@PathVariable long id, @Valid @RequestBody StepOrderRequest request) {
        if (!order.reorder(id, request.stepIds())) {
            throw ApiProblem.notFound("sequence", id);
        }
        return sequences.get(id).orElseThrow();
    }

    @ExceptionHandler(Sequences.InUse.class)
    ProblemDetail inUse(Sequences.InUse e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
