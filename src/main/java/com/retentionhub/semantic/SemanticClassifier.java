package com.retentionhub.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a text by meaning: a sentence embedding (in process, no network) plus surface n-grams,
 * fed to a softmax regression trained on the labelled exemplars. Also names the nearest exemplar
 * by embedding similarity, so staff can see why a decision was made.
 */
public final class SemanticClassifier {

    /** Tuning that is fixed in code, chosen on the dev split (see bench/README.md). */
    public record Tuning(double embeddingWeight, double ngramWeight, double l2, int epochs, double learningRate, double escalationBoost) {
        public static final Tuning DEFAULT = new Tuning(1.0, 1.0, 1e-4, 300, 0.05, 1.0);
    }

    /**
     * One text's reading: the probability of every label, the top one, and the closest exemplar. The
     * exemplar is searched for when first asked (a pass over every exemplar's vector): only a decision
     * that acts or asks needs it, and most texts are ordinary.
     */
    public record Reading(SemanticLabel label, double score, Map<SemanticLabel, Double> probabilities, Nearest nearest) {

        public double probability(SemanticLabel l) {
            return probabilities.getOrDefault(l, 0.0);
        }

        public String nearestExemplar() {
            return nearest.exemplar() == null ? null : nearest.exemplar().text();
        }

        public SemanticLabel nearestLabel() {
            return nearest.exemplar() == null ? null : nearest.exemplar().label();
        }

        public double nearestSimilarity() {
            return nearest.similarity();
        }
    }

    /** The exemplar closest to one text's embedding, found on first use and kept. */
    public static final class Nearest {

        private final float[] vector;
        private final SemanticClassifier classifier;
        private boolean found;
        private Exemplars.Exemplar exemplar;
        private double similarity;

        private Nearest(float[] vector, SemanticClassifier classifier) {
            this.vector = vector;
            this.classifier = classifier;
        }

        Exemplars.Exemplar exemplar() {
            find();
            return exemplar;
        }

        double similarity() {
            find();
            return similarity;
        }

        private synchronized void find() {
            if (found) {
                return;
            }
            int best = -1;
            double bestSimilarity = -2;
            for (int i = 0; i < classifier.exemplarVectors.length; i++) {
                double s = dot(vector, classifier.exemplarVectors[i]);
                if (s > bestSimilarity) {
                    bestSimilarity = s;
                    best = i;
                }
            }
            exemplar = best < 0 ? null : classifier.exemplars.get(best);
            similarity = bestSimilarity;
            found = true;
        }
    }

    private static final SemanticLabel[] LABELS = SemanticLabel.values();

    private final EmbeddingModel embedder;
    private final Tuning tuning;
    private final SoftmaxRegression model;
    private final List<Exemplars.Exemplar> exemplars;
    private final float[][] exemplarVectors;

    private SemanticClassifier(EmbeddingModel embedder, Tuning tuning, SoftmaxRegression model, List<Exemplars.Exemplar> exemplars,
            float[][] exemplarVectors) {
        this.embedder = embedder;
        this.tuning = tuning;
        this.model = model;
        this.exemplars = exemplars;
        this.exemplarVectors = exemplarVectors;
    }

    public static SemanticClassifier train(EmbeddingModel embedder, List<Exemplars.Exemplar> exemplars, Tuning tuning) {
        float[][] vectors = embed(embedder, exemplars.stream().map(Exemplars.Exemplar::text).toList());
        List<SparseVector> features = new ArrayList<>(exemplars.size());
        int[] labels = new int[exemplars.size()];
        int[] counts = new int[LABELS.length];
        for (int i = 0; i < exemplars.size(); i++) {
            features.add(features(vectors[i], exemplars.get(i).text(), tuning));
            labels[i] = exemplars.get(i).label().ordinal();
            counts[labels[i]]++;
        }
        // Balance the classes: ordinary texts outnumber threats four to one, and a missed threat costs more.
        double[] classWeight = new double[LABELS.length];
        for (int c = 0; c < LABELS.length; c++) {
            classWeight[c] = counts[c] == 0 ? 0 : (double) exemplars.size() / (LABELS.length * counts[c]);
            if (LABELS[c].escalates() || LABELS[c] == SemanticLabel.OPT_OUT) {
                classWeight[c] *= tuning.escalationBoost();
            }
        }
        int dims = vectors.length == 0 ? TextFeatures.SIZE : vectors[0].length + TextFeatures.SIZE;
        SoftmaxRegression model = SoftmaxRegression.train(features, labels, LABELS.length, dims, classWeight, tuning.l2(), tuning.epochs(),
                tuning.learningRate());
        return new SemanticClassifier(embedder, tuning, model, List.copyOf(exemplars), vectors);
    }

    public Reading read(String text) {
        return readAll(List.of(text)).get(0);
    }

    /** Embeds the texts in one batch (cheaper per text than one at a time). */
    public List<Reading> readAll(List<String> texts) {
        float[][] vectors = embed(embedder, texts);
        List<Reading> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(reading(vectors[i], texts.get(i)));
        }
        return out;
    }

    public int exemplarCount() {
        return exemplars.size();
    }

    private Reading reading(float[] vector, String text) {
        double[] p = model.probabilities(features(vector, text, tuning));
        Map<SemanticLabel, Double> probabilities = new LinkedHashMap<>();
        int best = 0;
        for (int c = 0; c < p.length; c++) {
            probabilities.put(LABELS[c], p[c]);
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return new Reading(LABELS[best], p[best], probabilities, new Nearest(vector, this));
    }

    private static SparseVector features(float[] vector, String text, Tuning tuning) {
        return SparseVector.dense(vector, tuning.embeddingWeight()).concat(TextFeatures.of(text, tuning.ngramWeight()), vector.length);
    }

    private static float[][] embed(EmbeddingModel embedder, List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(t == null || t.isBlank() ? "." : t)).toList();
        List<Embedding> embeddings = embedder.embedAll(segments).content();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = normalised(embeddings.get(i).vector());
        }
        return out;
    }

    private static float[] normalised(float[] v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        n = n == 0 ? 1 : Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
