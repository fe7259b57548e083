package com.retentionhub.semantic;

/** Indices (ascending within each part) and values; the classifier's input. */
record SparseVector(int[] indices, double[] values) {

    /** Appends {@code other} after this vector with its indices shifted by {@code offset}. */
    SparseVector concat(SparseVector other, int offset) {
        int[] idx = new int[indices.length + other.indices.length];
        double[] val = new double[idx.length];
        System.arraycopy(indices, 0, idx, 0, indices.length);
        System.arraycopy(values, 0, val, 0, values.length);
        for (int i = 0; i < other.indices.length; i++) {
            idx[indices.length + i] = other.indices[i] + offset;
            val[indices.length + i] = other.values[i];
        }
        return new SparseVector(idx, val);
    }

    static SparseVector dense(float[] vector, double weight) {
        int[] idx = new int[vector.length];
        double[] val = new double[vector.length];
        for (int i = 0; i < vector.length; i++) {
            idx[i] = i;
            val[i] = weight * vector[i];
        }
        return new SparseVector(idx, val);
    }
}
