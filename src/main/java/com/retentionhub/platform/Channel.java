package com.retentionhub.platform;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hub's three outbound channels, each by both of its names: the code stored in outbox, message
 * and consent rows and carried on events ({@code sms}, {@code email}, {@code voice}), and the name
 * staff write in sequences and scripts ({@code SMS}, {@code EMAIL}, {@code CALL}). Whatever turns one
 * into the other goes through here, so the two vocabularies cannot drift apart.
 */
public enum Channel {
    SMS("sms", "SMS", "Text"), EMAIL("email", "EMAIL", "Email"), VOICE("voice", "CALL", "Call");

    private final String code;
    private final String stepName;
    private final String label;

    Channel(String code, String stepName, String label) {
        this.code = code;
        this.stepName = stepName;
        this.label = label;
    }

    /** As stored in rows and sent on events: {@code sms}, {@code email}, {@code voice}. */
    public String code() {
        return code;
    }

    /** As sequences and scripts name it: {@code SMS}, {@code EMAIL}, {@code CALL}. */
    public String stepName() {
        return stepName;
    }

    /** As the console shows it: Text, Email, Call. */
    public String label() {
        return label;
    }

    /** Texts and calls are telephone solicitations: quiet hours and the 24-hour caps apply to them; email is not. */
    public boolean telephonic() {
        return this != EMAIL;
    }

    /** Whether a stored code names a telephonic channel; a code that is none is not. */
    public static boolean isTelephonic(String code) {
        return Arrays.stream(values()).anyMatch(c -> c.code.equals(code) && c.telephonic());
    }

    /** The channel either of its names stands for, in any case ({@code sms}, {@code SMS}, {@code voice}, {@code call}); empty for anything else. */
    public static Optional<Channel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.code.equals(n) || c.stepName.toLowerCase(Locale.ROOT).equals(n)).findFirst();
    }

    /** The channel with this stored code; a code that is none is a programming error. */
    public static Channel ofCode(String code) {
        return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel has the code " + code));
    }

    /** The channel a sequence step or script names; a name that is none is a programming error (they are validated on the way in). */
    public static Channel ofStepName(String stepName) {
        return Arrays.stream(values()).filter(c -> c.stepName.equals(stepName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no channel is named " + stepName));
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(Channel::code).toList();
    }

    public static List<String> stepNames() {
        return Arrays.stream(values()).map(Channel::stepName).toList();
    }
}
