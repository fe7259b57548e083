package com.retentionhub.staff;

import com.retentionhub.platform.DeadLetters;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dead letters for ops: what a route gave up on, with the original message and the error; replay re-drives one. */
@RestController
public class DeadLettersApi {

    private final DeadLetters letters;

    public DeadLettersApi(DeadLetters letters) {
        this.letters = letters;
    }

    /** Newest first; page on with {@code before} (the last id seen). */
    @GetMapping("/api/dead-letters")
    public List<DeadLetters.Letter> list(@RequestParam(name = "routeId", required = false) String routeId,
            @RequestParam(name = "before", required = false) Long before, @RequestParam(name = "size", defaultValue = "50") int size) {
        Paging.check(0, size);
        return letters.list(routeId == null || routeId.isBlank() ? null : routeId.trim(), before, size);
    }

    @GetMapping("/api/dead-letters/{id}")
    public DeadLetters.Letter get(@PathVariable("id") long id) {
        return letters.get(id).orElseThrow(() -> ApiProblem.notFound("dead letter", id));
    }

    /** Sends the stored message to its route again; the answer says whether it went through ({@code replayError} null). */
    @PostMapping("/api/dead-letters/{id}/replay")
    public DeadLetters.Letter replay(@PathVariable("id") long id) {
        try {
            return letters.replay(id).orElseThrow(() -> ApiProblem.notFound("dead letter", id));
        } catch (DeadLetters.NotReplayable e) {
            throw new ApiProblem(HttpStatus.CONFLICT, e.getMessage());
        }
    }
}
