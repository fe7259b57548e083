package com.retentionhub.extension;

import com.retentionhub.support.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ExtensionScenarios} on PostgreSQL with SEDA, in a schema of its own: its context differs from
 * the shared one, and cleaning the shared schema at its start would leave the shared context's id
 * caches pointing at rows that are gone (conversations and contacts then fail their foreign keys).
 */
class ExtensionsTest extends ExtensionScenarios {

    @DynamicPropertySource
    static void ownSchema(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_ext"));
        registry.add("spring.flyway.schemas", () -> "hub_ext");
    }
}
