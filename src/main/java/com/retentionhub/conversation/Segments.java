package com.retentionhub.conversation;

/**
 * How many SMS segments a text costs. GSM-7: 160 characters in one segment, 153 per segment when
 * split, extension characters counting twice. Anything outside GSM-7 switches the whole text to
 * UCS-2: 70, then 67 per segment, counted in UTF-16 units (so most emoji count twice).
 */
public record Segments(Encoding encoding, int count) {

    public enum Encoding {
        GSM7,
        UCS2
    }

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    public static Segments of(String text) {
        int septets = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return ucs2(text.length());
            }
        }
        return new Segments(Encoding.GSM7, split(septets, 160, 153));
    }

    private static Segments ucs2(int utf16Units) {
        return new Segments(Encoding.UCS2, split(utf16Units, 70, 67));
    }

    private static int split(int units, int single, int perPart) {
        if (units <= single) {
            return 1;
        }
        return (units + perPart - 1) / perPart;
    }
}
