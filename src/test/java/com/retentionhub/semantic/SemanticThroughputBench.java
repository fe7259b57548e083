package com.retentionhub.semantic;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Texts the semantic layer classifies per second, uncached (every text new to it), in batches of
 * 1 and of 32; run by {@code bench/semantic.sh}, pinned to one core, so the figure is per core.
 * Uses the dev split's texts (short customer SMS, English and Spanish), repeated to {@code semantic.texts}.
 */
@EnabledIfSystemProperty(named = "semantic.bench", matches = "true")
class SemanticThroughputBench {

    @Test
    void measure() {
        List<Exemplars.Exemplar> exemplars = Exemplars.load(Path.of("config/semantic/exemplars.tsv"));
        List<String> dev = Exemplars.load(Path.of("src/test/resources/labelled/semantic/dev.tsv")).stream().map(Exemplars.Exemplar::text)
                .toList();
        long started = System.nanoTime();
        SemanticClassifier classifier = SemanticClassifier.train(new AllMiniLmL6V2QuantizedEmbeddingModel(), exemplars,
                SemanticClassifier.Tuning.DEFAULT);
        System.out.printf("BENCH training on %d exemplars: %d ms%n", exemplars.size(), (System.nanoTime() - started) / 1_000_000);
        LayeredDecision decisions = new LayeredDecision(0.5, 0.35);
        int texts = Integer.getInteger("semantic.texts", 2000);
        List<String> load = new ArrayList<>(texts);
        for (int i = 0; i < texts; i++) {
            // A suffix makes each text unique, as real traffic is: no cache could help.
            load.add(dev.get(i % dev.size()) + (i < dev.size() ? "" : " " + i));
        }
        for (int batch : new int[] {1, 32}) {
            classify(classifier, decisions, load.subList(0, Math.min(200, texts)), batch); // warm-up
            double[] rates = new double[5];
            for (int run = 0; run < rates.length; run++) {
                long t0 = System.nanoTime();
                classify(classifier, decisions, load, batch);
                rates[run] = texts / ((System.nanoTime() - t0) / 1e9);
            }
            Arrays.sort(rates);
            System.out.printf("BENCH batch %d: median %.0f texts/s (runs %s)%n", batch, rates[2], Arrays.toString(Arrays.stream(rates)
                    .mapToLong(Math::round).toArray()));
        }
    }

    private static void classify(SemanticClassifier classifier, LayeredDecision decisions, List<String> texts, int batch) {
        for (int i = 0; i < texts.size(); i += batch) {
            classifier.readAll(texts.subList(i, Math.min(texts.size(), i + batch))).forEach(decisions::decide);
        }
    }
}
