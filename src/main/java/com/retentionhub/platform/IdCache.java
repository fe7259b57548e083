package com.retentionhub.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A bounded map from a natural key to a row id, for rows that are never deleted (contacts,
 * conversations). Ids learnt inside a transaction are kept only once it commits, so a rolled-back
 * insert never leaves a dangling id behind.
 */
public final class IdCache<K> {

    private final Map<K, Long> ids;

    public IdCache(int capacity) {
        this.ids = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Long get(K key) {
        return ids.get(key);
    }

    public void putAfterCommit(Map<K, Long> learnt) {
        if (learnt.isEmpty()) {
            return;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            putAll(learnt);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                putAll(learnt);
            }
        });
    }

    private synchronized void putAll(Map<K, Long> learnt) {
        ids.putAll(learnt);
    }
}
