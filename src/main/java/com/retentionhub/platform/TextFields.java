package com.retentionhub.platform;

/**
 * The one check every text field from outside passes before it is stored or queried: no NUL (or
 * other C0 control but tab and line breaks), since PostgreSQL refuses NUL in text and a control
 * character in a name is never meant; and a length the column can hold. A violation names the
 * field and the rule ({@link InvalidText}), which the API and the webhooks answer with 400.
 */
public final class TextFields {

    /** What replaces a NUL in free text that must be kept (a customer's text): U+FFFD, the replacement character. */
    public static final char REPLACEMENT = '\uFFFD';

    private TextFields() {}

    /** A field that breaks a rule: {@code field} and {@code rule} go to the caller as "field: rule". */
    public static class InvalidText extends IllegalArgumentException {

        private final String field;
        private final String rule;

        public InvalidText(String field, String rule) {
            super(field + ": " + rule, null);
            this.field = field;
            this.rule = rule;
        }

        public String field() {
            return field;
        }

        public String rule() {
            return rule;
        }
    }

    /** The value as given, or {@link InvalidText} when it holds a control character or is longer than {@code max}. */
    public static String require(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        int bad = firstControl(value);
        if (bad >= 0) {
            throw new InvalidText(field,
                    value.charAt(bad) == 0 ? "must not contain a NUL character" : "must not contain control characters");
        }
        if (value.length() > max) {
            throw new InvalidText(field, "at most " + max + " characters");
        }
        return value;
    }

    /** The value with no length rule, only the character rule. */
    public static String require(String field, String value) {
        return require(field, value, Integer.MAX_VALUE);
    }

    /** Free text that must be kept whatever it holds: each NUL becomes {@link #REPLACEMENT}. */
    public static String replaceNul(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', REPLACEMENT);
    }

    /** Index of the first control character other than tab, CR and LF; -1 when there is none. */
    public static int firstControl(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }
}
