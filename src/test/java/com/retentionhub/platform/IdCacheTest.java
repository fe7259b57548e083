package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdCacheTest {

    private final Map<String, Long> table = new HashMap<>(Map.of("known", 1L));
    private final List<List<String>> selects = new ArrayList<>();
    private final List<List<String>> inserts = new ArrayList<>();
    private final IdCache<String> cache = new IdCache<>(10);

    @Test
    void shouldCreateOnlyTheMissingKeysAndThenServeAllFromTheCache() {
        Map<String, Long> first = cache.resolve(List.of("known", "new"), this::select, this::insert);

        assertThat(first).containsEntry("known", 1L).containsKey("new");
        assertThat(inserts).containsExactly(List.of("new"));

        selects.clear();
        Map<String, Long> again = cache.resolve(List.of("new", "known"), this::select, this::insert);

        assertThat(again).isEqualTo(first);
        assertThat(selects).isEmpty();
        assertThat(inserts).hasSize(1);
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedKeysBeyondItsCapacity() {
        for (int i = 0; i < 12; i++) {
            table.put("k" + i, 100L + i);
            cache.resolve(List.of("k" + i), this::select, this::insert);
        }
        selects.clear();

        cache.resolve(List.of("k0"), this::select, this::insert);

        assertThat(selects).containsExactly(List.of("k0"));
    }

    private Map<String, Long> select(List<String> keys) {
        selects.add(keys);
        Map<String, Long> found = new HashMap<>();
        keys.forEach(k -> {
            if (table.containsKey(k)) {
                found.put(k, table.get(k));
            }
        });
        return found;
    }

    private void insert(List<String> keys) {
        inserts.add(keys);
        keys.forEach(k -> table.put(k, 1000L + table.size()));
    }
}
