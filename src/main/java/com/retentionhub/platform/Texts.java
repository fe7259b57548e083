package com.retentionhub.platform;

import java.text.Normalizer;

/** Text normalisation shared by the deterministic message layers. */
public final class Texts {

    private Texts() {}

    /**
     * Lower case, accents removed, every run of characters that are not letters or digits turned
     * into one space, trimmed: "¡No me MANDEN más!" becomes "no me manden mas".
     */
    public static String normalise(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        boolean space = true;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            if (Character.isLetterOrDigit(c)) {
                sb.append(Character.toLowerCase(c));
                space = false;
            } else if (!space) {
                sb.append(' ');
                space = true;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        return sb.substring(0, end);
    }
}
