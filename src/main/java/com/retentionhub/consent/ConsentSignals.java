package com.retentionhub.consent;

import java.util.Optional;

/** Whole-message keywords first, then the plain-language layers: what a text means for consent. */
public final class ConsentSignals {

    private final KeywordClassifier keywords;
    private final MessageLayers layers;

    public ConsentSignals(KeywordClassifier keywords, MessageLayers layers) {
        this.keywords = keywords;
        this.layers = layers;
    }

    public Optional<Keyword> classify(String body) {
        Optional<Keyword> keyword = keywords.classify(body);
        if (keyword.isPresent()) {
            return keyword;
        }
        MessageLayers.Reading reading = layers.read(body);
        if (reading.optOut()) {
            return Optional.of(Keyword.REVOCATION);
        }
        return reading.ambiguous() ? Optional.of(Keyword.AMBIGUOUS) : Optional.empty();
    }
}
