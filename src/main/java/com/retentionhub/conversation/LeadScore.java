package com.retentionhub.conversation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A contact's lead score, 0 to 100, with the reasons that make it up, so staff can see why a lead
 * is hot. Recomputed on each text from engagement, the best intent shown, information given,
 * sentiment and recency.
 */
public record LeadScore(int score, List<String> reasons) {

    /** What the score is computed from. */
    public record Inputs(int inboundTexts, TextSignals.Intent bestIntent, boolean nameKnown, boolean emailKnown, int sentiment,
            Duration sinceLastText) {}

    public static LeadScore of(Inputs in) {
        List<String> reasons = new ArrayList<>();
        int score = 0;
        int engagement = Math.min(20, in.inboundTexts() * 4);
        score += engagement;
        reasons.add("engagement +" + engagement + " (" + in.inboundTexts() + " texts)");
        score += in.bestIntent().weight;
        reasons.add("intent " + in.bestIntent().name().toLowerCase(Locale.ROOT) + " +" + in.bestIntent().weight);
        if (in.nameKnown()) {
            score += 10;
            reasons.add("name given +10");
        }
        if (in.emailKnown()) {
            score += 15;
            reasons.add("email given +15");
        }
        int mood = in.sentiment() * 10;
        if (mood != 0) {
            score += mood;
            reasons.add("sentiment " + (mood > 0 ? "+" : "") + mood);
        }
        long hours = in.sinceLastText().toHours();
        int recency = hours < 24 ? 15 : hours < 72 ? 8 : hours < 24 * 14 ? 3 : 0;
        score += recency;
        reasons.add("recency +" + recency);
        return new LeadScore(Math.max(0, Math.min(100, score)), List.copyOf(reasons));
    }
}
