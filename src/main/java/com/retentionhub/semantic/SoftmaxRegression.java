package com.retentionhub.semantic;

import java.util.Arrays;
import java.util.List;

/**
 * Multinomial logistic regression over sparse features, trained by full-batch gradient descent
 * with L2 regularisation and per-class weights. Small and deterministic: the same exemplars give
 * the same model, so a decision can be reproduced from the exemplar file.
 */
final class SoftmaxRegression {

    private final int classes;
    private final int dimensions;
    private final double[][] weights;

    private SoftmaxRegression(int classes, int dimensions) {
        this.classes = classes;
        this.dimensions = dimensions;
        this.weights = new double[classes][dimensions];
    }

    /**
     * @param labels class index per example
     * @param classWeight weight of each class in the loss (rare escalation classes count more)
     */
    static SoftmaxRegression train(List<SparseVector> examples, int[] labels, int classes, int dimensions, double[] classWeight,
            double l2, int epochs, double learningRate) {
        SoftmaxRegression model = new SoftmaxRegression(classes, dimensions);
        int n = examples.size();
        double[][] grad = new double[classes][dimensions];
        // Adam moments: plain gradient descent needs far more epochs on these scales.
        double[][] m = new double[classes][dimensions];
        double[][] v = new double[classes][dimensions];
        double beta1 = 0.9;
        double beta2 = 0.999;
        double totalWeight = 0;
        for (int i = 0; i < n; i++) {
            totalWeight += classWeight[labels[i]];
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (double[] g : grad) {
                Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                SparseVector x = examples.get(i);
                double[] p = model.probabilities(x);
                double w = classWeight[labels[i]] / totalWeight;
                for (int c = 0; c < classes; c++) {
                    double err = w * (p[c] - (c == labels[i] ? 1 : 0));
                    if (err == 0) {
                        continue;
                    }
                    double[] g = grad[c];
                    for (int k = 0; k < x.indices().length; k++) {
                        g[x.indices()[k]] += err * x.values()[k];
                    }
                }
            }
            double c1 = 1 - Math.pow(beta1, epoch);
            double c2 = 1 - Math.pow(beta2, epoch);
            for (int c = 0; c < classes; c++) {
                double[] wc = model.weights[c];
                for (int d = 0; d < dimensions; d++) {
                    double g = grad[c][d] + l2 * wc[d];
                    if (g == 0 && m[c][d] == 0) {
                        continue;
                    }
                    m[c][d] = beta1 * m[c][d] + (1 - beta1) * g;
                    v[c][d] = beta2 * v[c][d] + (1 - beta2) * g * g;
                    wc[d] -= learningRate * (m[c][d] / c1) / (Math.sqrt(v[c][d] / c2) + 1e-8);
                }
            }
        }
        return model;
    }

    double[] probabilities(SparseVector x) {
        double[] z = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double s = 0;
            double[] wc = weights[c];
            for (int k = 0; k < x.indices().length; k++) {
                s += wc[x.indices()[k]] * x.values()[k];
            }
            z[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= sum;
        }
        return z;
    }

    int dimensions() {
        return dimensions;
    }
}
