package com.retentionhub.semantic;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the embeddings of recent texts: "ok", "yes", "thanks" and template answers recur, and
 * each embedding costs milliseconds of CPU. Texts not seen yet are embedded in one batch.
 */
final class CachingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final Map<String, Embedding> cache;

    CachingEmbeddingModel(EmbeddingModel delegate, int capacity) {
        this.delegate = delegate;
        this.cache = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Embedding[] out = new Embedding[segments.size()];
        List<TextSegment> missing = new ArrayList<>();
        List<Integer> where = new ArrayList<>();
        synchronized (cache) {
            for (int i = 0; i < segments.size(); i++) {
                Embedding e = cache.get(segments.get(i).text());
                if (e != null) {
                    out[i] = e;
                } else {
                    missing.add(segments.get(i));
                    where.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<Embedding> fresh = delegate.embedAll(missing).content();
            synchronized (cache) {
                for (int k = 0; k < fresh.size(); k++) {
                    out[where.get(k)] = fresh.get(k);
                    cache.put(missing.get(k).text(), fresh.get(k));
                }
            }
        }
        return Response.from(List.of(out));
    }
}
