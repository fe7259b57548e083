package com.retentionhub.semantic;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The semantic layer as the processing stage uses it: reads texts by meaning and decides opt-out,
 * clarification, escalation or flag. The model runs in process from the classpath, so it works
 * with no network and no API key. It is trained from the exemplar file at start-up, on a thread of
 * its own while the other beans are built; the hub is not ready until it is, so no text is ever
 * processed without it.
 */
@Component
public class SemanticLayer implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(SemanticLayer.class);

    private final SemanticProperties properties;
    private final SemanticDecisions audit;
    private final LayeredDecision decisions;
    private final List<Exemplars.Exemplar> fileExemplars;
    private final CachingEmbeddingModel embedder;
    private final Timer timer;
    private volatile CompletableFuture<SemanticClassifier> classifier;
    /** Decisions for recent texts: repeated texts ("ok", "yes please") cost a map lookup, not an embedding and a regression. */
    private final Map<String, LayeredDecision.Decision> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, LayeredDecision.Decision> eldest) {
                    return size() > 10_000;
                }
            });

    public SemanticLayer(SemanticProperties properties, SemanticDecisions audit, MeterRegistry meters) {
        this.properties = properties;
        this.audit = audit;
        this.decisions = new LayeredDecision(properties.act(), properties.band());
        this.timer = meters.timer("hub.semantic.classify");
        if (!properties.enabled()) {
            this.fileExemplars = List.of();
            this.embedder = null;
            this.classifier = CompletableFuture.completedFuture(null);
            return;
        }
        // Read the file now, so a bad exemplar file stops start-up and names the line.
        this.fileExemplars = Exemplars.load(Path.of(properties.exemplarsFile()));
        this.embedder = new CachingEmbeddingModel(new AllMiniLmL6V2QuantizedEmbeddingModel(), 10_000);
        this.classifier = train();
    }

    /**
     * Trains again with the exemplars staff accepted since (on a background thread); texts keep
     * being read by the current model until the new one is ready.
     */
    public void retrain() {
        if (!properties.enabled()) {
            return;
        }
        CompletableFuture<SemanticClassifier> next = train();
        next.thenAccept(c -> {
            classifier = next;
            recent.clear(); // decided by the old model
        });
    }

    private CompletableFuture<SemanticClassifier> train() {
        return CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            List<Exemplars.Exemplar> exemplars = new ArrayList<>(fileExemplars);
            exemplars.addAll(audit.acceptedExemplars());
            SemanticClassifier c = SemanticClassifier.train(embedder, exemplars, SemanticClassifier.Tuning.DEFAULT);
            LOG.info("semantic layer ready: {} exemplars ({} accepted from staff review) in {} ms", exemplars.size(),
                    exemplars.size() - fileExemplars.size(), (System.nanoTime() - started) / 1_000_000);
            return c;
        }, runnable -> {
            Thread t = new Thread(runnable, "semantic-train");
            t.setDaemon(true);
            t.start();
        });
    }

    @Override
    public void afterSingletonsInstantiated() {
        ready();
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** One decision per text, in order; all NONE when the layer is off. */
    public List<LayeredDecision.Decision> decideAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        SemanticClassifier c = ready();
        if (c == null) {
            List<LayeredDecision.Decision> none = new ArrayList<>(texts.size());
            texts.forEach(t -> none.add(new LayeredDecision.Decision(LayeredDecision.Level.NONE, 0, LayeredDecision.Level.NONE,
                    SemanticLabel.THREAT, 0, null, null, 0)));
            return none;
        }
        return timer.record(() -> {
            LayeredDecision.Decision[] out = new LayeredDecision.Decision[texts.size()];
            List<String> unseen = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            for (int i = 0; i < out.length; i++) {
                out[i] = recent.get(texts.get(i));
                if (out[i] == null) {
                    unseen.add(texts.get(i));
                    where.add(i);
                }
            }
            if (!unseen.isEmpty()) {
                List<SemanticClassifier.Reading> readings = c.readAll(unseen);
                for (int k = 0; k < readings.size(); k++) {
                    LayeredDecision.Decision d = decisions.decide(readings.get(k));
                    out[where.get(k)] = d;
                    recent.put(unseen.get(k), d);
                }
            }
            return List.of(out);
        });
    }

    public LayeredDecision.Decision decide(String text) {
        return decideAll(List.of(text)).get(0);
    }

    private SemanticClassifier ready() {
        try {
            return classifier.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the semantic layer could not be trained: " + e.getCause(), e.getCause());
        }
    }
}
