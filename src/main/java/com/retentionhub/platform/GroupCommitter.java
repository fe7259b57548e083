package com.retentionhub.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits concurrent requests together: callers submit items, writer threads drain whatever has
 * queued up and hand it to one batch function (which runs one transaction), then complete every
 * caller's future. At low load a batch holds one item, so latency stays one commit; under load
 * the per-commit cost is shared by the whole batch.
 *
 * <p>Order is kept per writer: with one writer, items are applied in submission order. When a
 * batch fails, each item is retried alone so one bad item cannot fail its neighbours.
 */
public final class GroupCommitter<T, R> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    private record Pending<T, R>(T item, CompletableFuture<R> result) {}

    private final BlockingQueue<Pending<T, R>> queue;
    private final Function<List<T>, List<R>> batchFunction;
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running = true;

    public GroupCommitter(String name, int writerCount, int maxBatch, int capacity, Function<List<T>, List<R>> batchFunction) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchFunction = batchFunction;
        this.maxBatch = maxBatch;
        for (int i = 0; i < writerCount; i++) {
            Thread t = new Thread(this::drainLoop, name + "-writer-" + i);
            t.setDaemon(true);
            t.start();
            writers.add(t);
        }
    }

    /** Queues an item; blocks while the queue is full, which pushes back on the caller. */
    public CompletableFuture<R> submit(T item) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("group committer is stopped"));
        }
        CompletableFuture<R> future = new CompletableFuture<>();
        try {
            queue.put(new Pending<>(item, future));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(e);
        }
        return future;
    }

    public int backlog() {
        return queue.size();
    }

    private void drainLoop() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                apply(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("group commit writer failed", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void apply(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) {
            items.add(p.item());
        }
        try {
            List<R> results = batchFunction.apply(items);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(batchFailure);
                return;
            }
            LOG.warn("batch of {} failed ({}); applying items one by one", batch.size(), batchFailure.toString());
            for (Pending<T, R> p : batch) {
                try {
                    p.result().complete(batchFunction.apply(List.of(p.item())).get(0));
                } catch (RuntimeException itemFailure) {
                    p.result().completeExceptionally(itemFailure);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : writers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
