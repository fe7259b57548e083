package com.retentionhub.staff;

import com.retentionhub.semantic.SemanticDecisions;
import com.retentionhub.semantic.SemanticLabel;
import com.retentionhub.semantic.SemanticLayer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the semantic layer decided and why (score, nearest exemplar); staff mark a wrong decision
 * with the right label, which proposes the text as an exemplar; a reviewer accepts or rejects it.
 */
@RestController
public class SemanticDecisionsApi {

    /** The label the text should have had. */
    // Not "Verdict": the OpenAPI document names schemas by simple class name, and AbTests.Verdict is one.
    public record Correction(@NotBlank String label) {}

    /** A reviewer's answer on a proposed exemplar. */
    public record Review(@NotNull Boolean accept) {}

    private final SemanticDecisions decisions;
    private final SemanticLayer layer;

    public SemanticDecisionsApi(SemanticDecisions decisions, SemanticLayer layer) {
        this.decisions = decisions;
        this.layer = layer;
    }

    @GetMapping("/api/conversations/{id}/semantic-decisions")
    public List<SemanticDecisions.Entry> forConversation(@PathVariable("id") long id) {
        return decisions.forConversation(id);
    }

    @PostMapping("/api/semantic-decisions/{id}/wrong")
    public SemanticDecisions.Entry markWrong(@PathVariable("id") long id, @Valid @RequestBody Correction verdict, Principal who) {
        SemanticLabel label = SemanticLabel.fromCode(verdict.label().trim()).orElseThrow(() -> new ApiProblem(HttpStatus.BAD_REQUEST,
                "label must be one of opt_out, threat, legal, medical, anger, interest, ordinary"));
        if (!decisions.markWrong(id, label, Caller.of(who))) {
            throw ApiProblem.notFound("semantic decision", id);
        }
        return decisions.find(id).orElseThrow();
    }

    @GetMapping("/api/semantic-decisions/proposed")
    public List<SemanticDecisions.Entry> proposed() {
        return decisions.proposedExemplars();
    }

    @PostMapping("/api/semantic-decisions/{id}/review")
    public SemanticDecisions.Entry review(@PathVariable("id") long id, @Valid @RequestBody Review review) {
        SemanticDecisions.Entry entry = decisions.find(id).orElseThrow(() -> ApiProblem.notFound("semantic decision", id));
        if (!decisions.review(id, review.accept())) {
            throw new ApiProblem(HttpStatus.CONFLICT,
                    "no exemplar is proposed for this decision (exemplar status " + entry.exemplarStatus() + ")");
        }
        if (review.accept()) {
            layer.retrain(); // the accepted text counts from the next model on
        }
        return decisions.find(id).orElseThrow();
    }
}
