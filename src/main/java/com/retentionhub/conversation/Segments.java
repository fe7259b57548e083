package com.retentionhub.conversation;

/**
 * How many SMS segments a text costs. GSM-7: 160 characters in one segment, 153 per segment when
 * split, extension characters counting twice. Anything outside GSM-7 switches the whole text to
 * UCS-2: 70, then 67 per segment, counted in UTF-16 units (so most emoji count twice). A split text
 * never cuts an escape pair or a surrogate pair in two: a pair that would straddle a boundary moves
 * whole to the next segment, as handsets and carriers split them.
 */
public record Segments(Encoding encoding, int count) {

    public enum Encoding {
        GSM7, UCS2
    }

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    public static Segments of(String text) {
        int[] septets = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets[i] = 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets[i] = 2;
            } else {
                return ucs2(text);
            }
        }
        return new Segments(Encoding.GSM7, split(septets, 160, 153));
    }

    /** Each code point's UTF-16 units: 2 for a surrogate pair (most emoji), which must stay in one segment. */
    private static Segments ucs2(String text) {
        int[] units = text.codePoints().map(Character::charCount).toArray();
        return new Segments(Encoding.UCS2, split(units, 70, 67));
    }

    /** Fills segments of {@code perPart} units in order, never splitting one character's units. */
    private static int split(int[] sizes, int single, int perPart) {
        int total = 0;
        for (int size : sizes) {
            total += size;
        }
        if (total <= single) {
            return 1;
        }
        int parts = 1;
        int used = 0;
        for (int size : sizes) {
            if (used + size > perPart) {
                parts++;
                used = 0;
            }
            used += size;
        }
        return parts;
    }
}
