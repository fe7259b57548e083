package com.retentionhub.sequence;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;

/** A sequence as written in {@code config/sequences/<name>.sequence.yaml} or sent to the API. */
public record SequenceDefinition(
        @NotBlank String name,
        @Pattern(regexp = "DRAFT|ACTIVE|ARCHIVED", message = "must be DRAFT, ACTIVE or ARCHIVED") String status,
        @NotEmpty List<@Valid Step> steps) {

    /**
     * One step: its channel, its delay after the previous step (the first: after enrollment), the script it sends, and
     * its conditions; {@code best-hour} is a timing, not a condition: the step waits for its channel's best hour
     * ({@link com.retentionhub.analytics.BestHours}).
     */
    @Schema(name = "StepDefinition")
    public record Step(
            @NotNull @Pattern(regexp = "SMS|EMAIL|CALL", message = "must be SMS, EMAIL or CALL") String channel,
            @NotNull @Valid Delay delay,
            @NotBlank String script,
            List<@Pattern(regexp = "skip-if-converted|only-if-no-reply|only-if-email-not-opened|best-hour", message = "must be skip-if-converted, only-if-no-reply, only-if-email-not-opened or best-hour") String> conditions,
            @Min(0) Integer retryLimit) {}

    public record Delay(@Min(0) long value,
            @NotNull @Pattern(regexp = "minutes|hours|days", message = "must be minutes, hours or days") String unit) {

        public long minutes() {
            return switch (unit) {
                case "days" -> Duration.ofDays(value).toMinutes();
                case "hours" -> Duration.ofHours(value).toMinutes();
                default -> value;
            };
        }
    }
}
