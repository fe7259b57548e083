package com.retentionhub.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The nearest exemplar is evidence for staff: a decision that acts or asks names it, an ordinary
 * text's decision does not (and skips the pass over every exemplar, which was most of the
 * processing stage's CPU under ingest load).
 */
class NearestExemplarTest {

    /** A two-dimensional meaning: "stop"-like texts point one way, everything else the other. */
    private static final EmbeddingModel TWO_MEANINGS = new EmbeddingModel() {
        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            return Response.from(segments.stream().map(s -> {
                String t = s.text().toLowerCase(Locale.ROOT);
                boolean stop = t.contains("stop") || t.contains("off your list") || t.contains("no more");
                return Embedding.from(stop ? new float[] {1, 0} : new float[] {0, 1});
            }).toList());
        }
    };

    private static final List<Exemplars.Exemplar> EXEMPLARS = List.of(
            new Exemplars.Exemplar(SemanticLabel.OPT_OUT, "en", "stop texting me"),
            new Exemplars.Exemplar(SemanticLabel.OPT_OUT, "en", "take me off your list"),
            new Exemplars.Exemplar(SemanticLabel.OPT_OUT, "en", "no more messages please"),
            new Exemplars.Exemplar(SemanticLabel.ORDINARY, "en", "what time is my appointment"),
            new Exemplars.Exemplar(SemanticLabel.ORDINARY, "en", "thanks see you tuesday"),
            new Exemplars.Exemplar(SemanticLabel.ORDINARY, "en", "can you come on friday"));

    private final SemanticClassifier classifier = SemanticClassifier.train(TWO_MEANINGS, EXEMPLARS, SemanticClassifier.Tuning.DEFAULT);
    private final LayeredDecision decisions = new LayeredDecision(0.5, 0.35);

    @Test
    void shouldNameTheNearestExemplarOfADecisionThatActs() {
        LayeredDecision.Decision d = decisions.decide(classifier.read("please stop texting me"));

        assertThat(d.optOut()).isEqualTo(LayeredDecision.Level.ACT);
        assertThat(d.nearestLabel()).isEqualTo(SemanticLabel.OPT_OUT);
        assertThat(d.nearestExemplar()).isIn("stop texting me", "take me off your list", "no more messages please");
        assertThat(d.nearestSimilarity()).isEqualTo(1.0, offset(1e-6));
        assertThat(d.evidence(SemanticLabel.OPT_OUT)).contains("nearest=\"").contains("(opt_out, 1.00)");
    }

    @Test
    void shouldLeaveAnOrdinaryTextWithoutNearestExemplar() {
        SemanticClassifier.Reading reading = classifier.read("what time do you open friday");
        LayeredDecision.Decision d = decisions.decide(reading);

        assertThat(d.optOut()).isEqualTo(LayeredDecision.Level.NONE);
        assertThat(d.escalation()).isEqualTo(LayeredDecision.Level.NONE);
        assertThat(d.nearestExemplar()).isNull();
        // Asked for directly, the reading still finds it.
        assertThat(reading.nearestLabel()).isEqualTo(SemanticLabel.ORDINARY);
    }
}
