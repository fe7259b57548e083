package com.retentionhub.semantic;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Tuning on the dev split only (never the frozen test split): run on demand with
 * {@code -Dtest=SemanticDevTuning -Dsemantic.tune=true}. Prints the whole stack's scores for a few
 * settings; the chosen ones are fixed in {@link SemanticClassifier.Tuning#DEFAULT}.
 */
@EnabledIfSystemProperty(named = "semantic.tune", matches = "true")
class SemanticDevTuning {

    @Test
    void printDevScores() {
        List<Exemplars.Exemplar> exemplars = Exemplars
                .load(Path.of(System.getProperty("semantic.exemplars", "config/semantic/exemplars.tsv")));
        List<Exemplars.Exemplar> dev = Exemplars.load(Path.of("src/test/resources/labelled/semantic/dev.tsv"));
        CachingEmbeddingModel embedder = new CachingEmbeddingModel(new AllMiniLmL6V2QuantizedEmbeddingModel(), 5000);
        String grid = System.getProperty("semantic.grid", "1,1,0.0001,300,0.05,1");
        for (String g : grid.split(";")) {
            String[] p = g.split(",");
            SemanticClassifier.Tuning t = new SemanticClassifier.Tuning(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                    Double.parseDouble(p[2]),
                    Integer.parseInt(p[3]), Double.parseDouble(p[4]), Double.parseDouble(p[5]));
            SemanticClassifier c = SemanticClassifier.train(embedder, exemplars, t);
            for (String th : System.getProperty("semantic.thresholds", "0.5,0.3").split(";")) {
                String[] a = th.split(",");
                LayerEvaluation eval = LayerEvaluation.run(c, new LayeredDecision(Double.parseDouble(a[0]), Double.parseDouble(a[1])), dev);
                System.out.println("TUNE " + t + " act/band " + th + "\n" + eval.report("dev"));
                if (Boolean.getBoolean("semantic.misses")) {
                    for (SemanticLabel l : SemanticLabel.values()) {
                        System.out.print(eval.misses(l));
                    }
                }
            }
        }
    }

    /** Shows what the phrase layer and the semantic layer make of the texts in {@code -Dsemantic.probe=a|b|c}. */
    @Test
    void probe() {
        String probe = System.getProperty("semantic.probe");
        if (probe == null) {
            return;
        }
        SemanticClassifier c = SemanticClassifier.train(new AllMiniLmL6V2QuantizedEmbeddingModel(),
                Exemplars.load(Path.of("config/semantic/exemplars.tsv")), SemanticClassifier.Tuning.DEFAULT);
        LayeredDecision decisions = new LayeredDecision(0.5, 0.35);
        for (String text : probe.split("\\|")) {
            LayeredDecision.Decision d = decisions.decide(c.read(text));
            System.out.println("PROBE " + text + " -> keyword " + LayerEvaluation.SIGNALS.classify(text) + ", phrases "
                    + LayerEvaluation.PHRASES.read(text)
                    + ", semantic " + d);
        }
    }
}
