package com.retentionhub.semantic;

import java.util.Locale;

/**
 * Turns a reading into what the hub does, for consent and for escalation separately (a text can
 * revoke consent and threaten at once): at or above the act threshold it opts out or escalates; in
 * the band below it an opt-out gets the one permitted clarification and an escalation is flagged for
 * a human; below the band nothing.
 */
public final class LayeredDecision {

    /** How strongly the layer read one class. */
    public enum Level {
        ACT, BAND, NONE
    }

    /** A decision with what staff need to judge it. */
    public record Decision(Level optOut, double optOutScore, Level escalation, SemanticLabel escalationClass, double escalationScore,
            String nearestExemplar, SemanticLabel nearestLabel, double nearestSimilarity) {

        /** For the consent ledger and the escalation record: layer, class, score and nearest exemplar. */
        public String evidence(SemanticLabel label) {
            double score = label == SemanticLabel.OPT_OUT ? optOutScore : escalationScore;
            return String.format(Locale.ROOT, "semantic %s p=%.2f nearest=\"%s\" (%s, %.2f)", label.code(), score,
                    nearestExemplar == null ? "" : nearestExemplar, nearestLabel == null ? "" : nearestLabel.code(), nearestSimilarity);
        }
    }

    private final double act;
    private final double band;

    public LayeredDecision(double act, double band) {
        if (!(band > 0 && band <= act && act <= 1)) {
            throw new IllegalArgumentException("need 0 < band <= act <= 1, got band " + band + ", act " + act);
        }
        this.act = act;
        this.band = band;
    }

    public Decision decide(SemanticClassifier.Reading r) {
        double optOut = r.probability(SemanticLabel.OPT_OUT);
        SemanticLabel worst = SemanticLabel.THREAT;
        for (SemanticLabel l : SemanticLabel.values()) {
            if (l.escalates() && r.probability(l) > r.probability(worst)) {
                worst = l;
            }
        }
        // The escalation classes' mass together: a text read as 0.3 threat and 0.25 anger needs a human
        // as much as one read as 0.55 threat. The class shown is the likeliest of them.
        double escalation = 0;
        for (SemanticLabel l : SemanticLabel.values()) {
            if (l.escalates()) {
                escalation += r.probability(l);
            }
        }
        Level optOutLevel = level(optOut);
        Level escalationLevel = level(escalation);
        // The nearest exemplar is evidence for staff; an ordinary text (no decision to show) skips the search.
        if (optOutLevel == Level.NONE && escalationLevel == Level.NONE) {
            return new Decision(optOutLevel, optOut, escalationLevel, worst, escalation, null, null, 0);
        }
        return new Decision(optOutLevel, optOut, escalationLevel, worst, escalation, r.nearestExemplar(), r.nearestLabel(),
                r.nearestSimilarity());
    }

    private Level level(double p) {
        return p >= act ? Level.ACT : p >= band ? Level.BAND : Level.NONE;
    }
}
