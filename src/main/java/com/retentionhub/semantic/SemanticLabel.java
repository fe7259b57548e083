package com.retentionhub.semantic;

import java.util.Optional;

/** What a text means to the hub. The escalation classes carry the reason names the phrase layer uses. */
public enum SemanticLabel {
    OPT_OUT("opt_out"), THREAT("threat"), LEGAL("legal"), MEDICAL("medical"), ANGER("anger"), INTEREST("interest"), ORDINARY("ordinary");

    private final String code;

    SemanticLabel(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean escalates() {
        return this == THREAT || this == LEGAL || this == MEDICAL || this == ANGER;
    }

    public static Optional<SemanticLabel> fromCode(String code) {
        for (SemanticLabel l : values()) {
            if (l.code.equals(code)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
