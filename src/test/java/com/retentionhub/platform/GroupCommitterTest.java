package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitterTest {

    @Test
    void shouldApplyItemsInSubmissionOrderAndBatchThemUnderLoad() throws Exception {
        List<Integer> applied = Collections.synchronizedList(new ArrayList<>());
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommitter<Integer, Integer> committer = new GroupCommitter<>("t", 1, 64, 10_000, batch -> {
            batchSizes.add(batch.size());
            applied.addAll(batch);
            sleep(2);
            return batch.stream().map(i -> i * 2).toList();
        })) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                results.add(committer.submit(i));
            }
            for (int i = 0; i < 500; i++) {
                assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i * 2);
            }
        }
        assertThat(applied).isSorted().hasSize(500);
        assertThat(batchSizes).anyMatch(size -> size > 1);
    }

    @Test
    void shouldFailOnlyTheBadItemWhenABatchFails() throws Exception {
        try (GroupCommitter<Integer, Integer> committer = new GroupCommitter<>("t", 1, 64, 100, batch -> {
            if (batch.contains(13)) {
                throw new IllegalStateException("bad item");
            }
            return batch;
        })) {
            CompletableFuture<Integer> good = committer.submit(12);
            CompletableFuture<Integer> bad = committer.submit(13);
            CompletableFuture<Integer> alsoGood = committer.submit(14);

            assertThat(good.get(5, TimeUnit.SECONDS)).isEqualTo(12);
            assertThat(alsoGood.get(5, TimeUnit.SECONDS)).isEqualTo(14);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("bad item");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // simulates a commit's latency inside the batch function, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
