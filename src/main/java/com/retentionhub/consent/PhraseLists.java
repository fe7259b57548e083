package com.retentionhub.consent;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/** The deterministic message layers from {@code config/phrases.yaml}: regular expressions over normalised text. */
public record PhraseLists(@NotEmpty List<String> optOut, @NotNull List<String> ambiguous, @NotEmpty Map<String, List<String>> escalation) {}
