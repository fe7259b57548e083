package com.retentionhub.staff;

import com.retentionhub.lead.Scripts;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
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

/** Scripts: {@code /api/scripts} CRUD; {@code ?campaign=} lists a campaign's own scripts with the defaults. */
@RestController
@RequestMapping("/api/scripts")
public class ScriptsApi {

    public record ScriptRequest(@Size(max = 100) String name,
            @Schema(pattern = "(?i)SMS|EMAIL|CALL") String channel, @Size(max = 100) String campaign, @Size(max = 300) String subject,
            @Size(max = 10_000) String body, @Size(max = 200) String target) {

        Scripts.Definition definition() {
            return new Scripts.Definition(name, channel, campaign, subject, body, target);
        }
    }

    private final Scripts scripts;

    public ScriptsApi(Scripts scripts) {
        this.scripts = scripts;
    }

    @GetMapping
    public List<Scripts.Script> list(@RequestParam(name = "campaign", required = false) String campaign) {
        return scripts.list(campaign);
    }

    @PostMapping
    public ResponseEntity<Scripts.Script> create(@Valid @RequestBody ScriptRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(scripts.create(request.definition()));
    }

    @GetMapping("/{id}")
    public Scripts.Script get(@PathVariable long id) {
        return scripts.get(id).orElseThrow(() -> ApiProblem.notFound("script", id));
    }

    @PutMapping("/{id}")
    public Scripts.Script update(@PathVariable long id, @Valid @RequestBody ScriptRequest request) {
        return scripts.update(id, request.definition()).orElseThrow(() -> ApiProblem.notFound("script", id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        if (!scripts.delete(id)) {
            throw ApiProblem.notFound("script", id);
        }
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(Scripts.Taken.class)
    ProblemDetail taken(Scripts.Taken e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
