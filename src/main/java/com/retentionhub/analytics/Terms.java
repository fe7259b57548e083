package com.retentionhub.analytics;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The unigrams and bigrams of a sent text, each once: lower case, links and numbers left out (a
 * tracking link is unique to each message and says nothing about the wording), apostrophes kept
 * inside words ("don't"). A bigram is two adjacent words.
 */
public final class Terms {

    /** Longest term stored (word_stat.term). */
    static final int MAX_LENGTH = 100;

    private static final Pattern LINK = Pattern.compile("(https?://|www\\.)\\S+");
    private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}']+");

    private Terms() {}

    public static Set<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        if (text == null) {
            return terms;
        }
        String previous = null;
        for (String raw : SPLIT.split(LINK.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" "))) {
            String word = strip(raw);
            if (word.isEmpty() || word.chars().allMatch(Character::isDigit)) {
                previous = null; // a number breaks the phrase: "save 20 today" has no bigram "save today"
                continue;
            }
            if (word.length() <= MAX_LENGTH) {
                terms.add(word);
                if (previous != null && previous.length() + word.length() < MAX_LENGTH) {
                    terms.add(previous + " " + word);
                }
            }
            previous = word;
        }
        return terms;
    }

    private static String strip(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && word.charAt(start) == '\'') {
            start++;
        }
        while (end > start && word.charAt(end - 1) == '\'') {
            end--;
        }
        return word.substring(start, end);
    }
}
