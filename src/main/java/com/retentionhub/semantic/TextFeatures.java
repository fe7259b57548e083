package com.retentionhub.semantic;

import com.retentionhub.platform.Texts;
import java.util.Map;
import java.util.TreeMap;

/**
 * Surface features that the embedding model misses: hashed character and word n-grams of the
 * accent-free text, plus shouting (capitals, exclamation marks). The English-only MiniLM reads
 * Spanish poorly; character n-grams let the regression learn "ya no me manden", "demanda" or
 * "mi hijo vomitando" from the exemplars instead.
 */
final class TextFeatures {

    /** Hashed buckets; a power of two. */
    static final int BUCKETS = 1 << 14;
    /** Dense extras after the buckets. */
    static final int EXTRAS = 3;
    static final int SIZE = BUCKETS + EXTRAS;

    private TextFeatures() {}

    /** Sparse, L2-normalised (the n-gram part), scaled by {@code weight}. */
    static SparseVector of(String raw, double weight) {
        String text = Texts.normalise(raw == null ? "" : raw);
        Map<Integer, Double> counts = new TreeMap<>();
        String padded = " " + text + " ";
        for (int n = 3; n <= 5; n++) {
            for (int i = 0; i + n <= padded.length(); i++) {
                add(counts, "c" + padded.substring(i, i + n));
            }
        }
        String[] words = text.isEmpty() ? new String[0] : text.split(" ");
        for (int i = 0; i < words.length; i++) {
            add(counts, "w" + words[i]);
            if (i + 1 < words.length) {
                add(counts, "b" + words[i] + " " + words[i + 1]);
            }
        }
        double norm = 0;
        for (double v : counts.values()) {
            norm += v * v;
        }
        norm = norm == 0 ? 1 : Math.sqrt(norm);
        int extras = 3;
        int[] idx = new int[counts.size() + extras];
        double[] val = new double[counts.size() + extras];
        int k = 0;
        for (Map.Entry<Integer, Double> e : counts.entrySet()) {
            idx[k] = e.getKey();
            val[k++] = weight * e.getValue() / norm;
        }
        idx[k] = BUCKETS;
        val[k++] = weight * capitals(raw);
        idx[k] = BUCKETS + 1;
        val[k++] = weight * Math.min(1.0, exclamations(raw) / 3.0);
        idx[k] = BUCKETS + 2;
        val[k] = weight * 0.5; // bias
        return new SparseVector(idx, val);
    }

    private static void add(Map<Integer, Double> counts, String gram) {
        int h = gram.hashCode() * 0x9E3779B1;
        int bucket = (h >>> 1) & (BUCKETS - 1);
        // Sublinear counts: a repeated word is not twice the evidence.
        counts.merge(bucket, 1.0, (a, b) -> Math.min(a + 0.5, 2.0));
    }

    /** Share of letters in capitals, counted only for texts with at least 8 letters (so "OK" is no shout). */
    static double capitals(String raw) {
        if (raw == null) {
            return 0;
        }
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (Character.isUpperCase(c)) {
                    upper++;
                }
            }
        }
        return letters < 8 ? 0 : (double) upper / letters;
    }

    private static int exclamations(String raw) {
        return raw == null ? 0 : (int) raw.chars().filter(c -> c == '!').count();
    }
}
