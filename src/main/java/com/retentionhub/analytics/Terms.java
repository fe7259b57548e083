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

    /**
     * English function words and greetings: what nearly every text holds, so their "lift" says nothing
     * about the wording. The words report leaves out a stop word and a pair of them ("to the"); a pair
     * with one word that carries meaning ("hi jamie", "book now") stays.
     */
    static final Set<String> STOP_WORDS = Set.of("a", "about", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be",
            "been", "before", "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have",
            "having",
            "he", "her", "here", "hers", "him", "his", "how", "i", "i'm", "i'll", "i've", "if", "in", "into", "is", "it", "it's", "its",
            "just",
            "let", "let's", "me", "more", "most", "my", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over",
            "own",
            "she", "so", "some", "such", "than", "that", "that's", "the", "their", "them", "then", "there", "these", "they", "this",
            "those",
            "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "we're", "we'll", "we've", "were", "what", "when",
            "where",
            "which", "while", "who", "whom", "why", "will", "with", "would", "you", "you're", "you'll", "you've", "your", "yours", "hi",
            "hello",
            "hey", "dear", "thanks", "thank", "please", "also", "s", "t");

    private Terms() {}

    /** A stop word, or two of them: left out of the words report. */
    public static boolean isStopTerm(String term) {
        int space = term.indexOf(' ');
        return space < 0
                ? STOP_WORDS.contains(term)
                : STOP_WORDS.contains(term.substring(0, space)) && STOP_WORDS.contains(term.substring(space + 1));
    }

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
