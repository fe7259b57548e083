package com.retentionhub.staff;

import com.retentionhub.abtest.AbTests;
import com.retentionhub.abtest.Statistics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A/B test planning: how many leads per arm a test needs before it can tell a lift from noise. */
@RestController
@RequestMapping("/api/ab-tests")
public class AbTestsApi {

    public record VariantRequest(@NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 100) String script) {}

    public record TestRequest(@NotBlank @Size(max = 100) String name,
            @Size(max = 100) String campaign,
            @NotNull @Pattern(regexp = "(?i)sms|email|call") String channel, Long stepId,
            String rule, @NotNull @Size(min = 2, max = 10) List<@Valid VariantRequest> variants) {}

    private final AbTests tests;

    public AbTestsApi(AbTests tests) {
        this.tests = tests;
    }

    /** A running test; 201 with its verdict so far. */
    @PostMapping
    public ResponseEntity<AbTests.Verdict> create(@Valid @RequestBody TestRequest r) {
        long id = tests.create(new AbTests.Definition(r.name(), r.campaign(), r.channel(), r.stepId(), r.rule(),
                r.variants().stream().map(v -> new String[] {v.name(), v.script()}).toList()));
        return ResponseEntity.status(HttpStatus.CREATED).body(tests.evaluate(id).orElseThrow());
    }

    /** Every test with its counts, z-test, sequential p-value, sample-ratio check and verdict. */
    @GetMapping
    public List<AbTests.Verdict> list() {
        return tests.all();
    }

    @GetMapping("/{id}")
    public AbTests.Verdict get(@PathVariable long id) {
        return tests.evaluate(id).orElseThrow(() -> ApiProblem.notFound("A/B test", id));
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ProblemDetail taken() {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "an A/B test with this name exists");
    }

    /** {@code baseline} conversion rate (0.1 = 10%), relative {@code lift} to detect (0.2 = +20%), {@code power} and two-sided {@code alpha}. */
    @GetMapping("/plan")
    public Map<String, Object> plan(@RequestParam double baseline, @RequestParam double lift,
            @RequestParam(defaultValue = "0.8") double power,
            @RequestParam(defaultValue = "0.05") double alpha) {
        long perArm = Statistics.sampleSizePerArm(baseline, lift, alpha, power);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("baseline", baseline);
        plan.put("target", baseline * (1 + lift));
        plan.put("alpha", alpha);
        plan.put("power", power);
        plan.put("perArm", perArm);
        plan.put("total", 2 * perArm);
        return plan;
    }
}
