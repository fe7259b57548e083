package com.retentionhub.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack (keywords, phrases, semantic layer with the shipped exemplars and thresholds, no
 * language model) on the frozen test split, which nobody tuned on. Prints only aggregate scores,
 * never the texts, so the split stays unseen.
 *
 * <p>Issue 25 asks for opt-out recall and escalation recall per class of at least 0.97, and at most
 * 0.03 false opt-outs and false escalations on ordinary texts. The floors asserted below are what
 * the layer achieved when it was built (bench/README.md); where a floor is under the target,
 * the target is not met yet, and this test says so in its output instead of pretending.
 */
class SemanticFrozenTestSplitTest {

    static final double TARGET_RECALL = 0.97;
    static final double TARGET_FALSE_RATE = 0.03;

    // Achieved on the frozen split when the layer was built (bench/README.md), less one text of slack for floating-point
    // differences between CPUs, asserted so that a change cannot quietly make it worse. All but the false opt-outs are
    // under the targets.
    static final double FLOOR_OPT_OUT = 0.93; // achieved 72/76 = 0.947
    static final double FLOOR_THREAT = 0.88; // achieved 24/26 = 0.923
    static final double FLOOR_LEGAL = 0.92; // achieved 27/28 = 0.964
    static final double FLOOR_MEDICAL = 0.89; // achieved 27/29 = 0.931
    static final double FLOOR_ANGER = 0.89; // achieved 27/29 = 0.931
    static final double CEILING_FALSE_OPT_OUT = 0.036; // achieved 3/114 = 0.026
    static final double CEILING_FALSE_ESCALATION = 0.132; // achieved 14/114 = 0.123

    static LayerEvaluation eval;

    @BeforeAll
    static void classifyTheFrozenSplit() {
        List<Exemplars.Exemplar> exemplars = Exemplars.load(Path.of("config/semantic/exemplars.tsv"));
        List<Exemplars.Exemplar> test = Exemplars.load(Path.of("src/test/resources/labelled/semantic/test.tsv"));
        assertThat(test).hasSizeGreaterThanOrEqualTo(300);
        SemanticClassifier classifier = SemanticClassifier.train(new AllMiniLmL6V2QuantizedEmbeddingModel(), exemplars,
                SemanticClassifier.Tuning.DEFAULT);
        // The thresholds application.yaml ships (hub.semantic.act / band).
        eval = LayerEvaluation.run(classifier, new LayeredDecision(0.5, 0.35), test);
        System.out.println(eval.report("frozen test split"));
        // For comparison: the same split through the keyword and phrase layers alone (the semantic layer never acting).
        System.out.println(LayerEvaluation.run(classifier, new LayeredDecision(1.0, 1.0), test)
                .report("frozen test split, keywords and phrases only"));
        for (SemanticLabel l : List.of(SemanticLabel.OPT_OUT, SemanticLabel.THREAT, SemanticLabel.LEGAL, SemanticLabel.MEDICAL,
                SemanticLabel.ANGER)) {
            System.out.printf("issue 25 target recall %.2f for %s: %s%n", TARGET_RECALL, l.code(),
                    eval.recall(l) >= TARGET_RECALL ? "met" : "NOT met");
        }
        System.out.printf("issue 25 target false opt-outs <= %.2f: %s; false escalations <= %.2f: %s%n", TARGET_FALSE_RATE,
                eval.falseOptOutRate() <= TARGET_FALSE_RATE ? "met" : "NOT met", TARGET_FALSE_RATE,
                eval.falseEscalationRate() <= TARGET_FALSE_RATE ? "met" : "NOT met");
    }

    @Test
    void shouldCatchOptOutsOnTheFrozenSplit() {
        assertThat(eval.recall(SemanticLabel.OPT_OUT)).isGreaterThanOrEqualTo(FLOOR_OPT_OUT);
    }

    @Test
    void shouldCatchEveryEscalationClassOnTheFrozenSplit() {
        assertThat(eval.recall(SemanticLabel.THREAT)).isGreaterThanOrEqualTo(FLOOR_THREAT);
        assertThat(eval.recall(SemanticLabel.LEGAL)).isGreaterThanOrEqualTo(FLOOR_LEGAL);
        assertThat(eval.recall(SemanticLabel.MEDICAL)).isGreaterThanOrEqualTo(FLOOR_MEDICAL);
        assertThat(eval.recall(SemanticLabel.ANGER)).isGreaterThanOrEqualTo(FLOOR_ANGER);
    }

    @Test
    void shouldKeepFalseOptOutsAndEscalationsOnOrdinaryTextsRare() {
        assertThat(eval.falseOptOutRate()).isLessThanOrEqualTo(CEILING_FALSE_OPT_OUT);
        assertThat(eval.falseEscalationRate()).isLessThanOrEqualTo(CEILING_FALSE_ESCALATION);
    }
}
