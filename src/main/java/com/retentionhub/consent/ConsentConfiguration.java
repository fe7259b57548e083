package com.retentionhub.consent;

import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.HubProperties;
import jakarta.validation.Validator;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the keyword and phrase lists of {@code config/} once at start-up; an invalid file stops the hub. */
@Configuration(proxyBeanMethods = false)
public class ConsentConfiguration {

    @Bean
    ConsentSignals consentSignals(HubProperties properties, Validator validator) {
        return new ConsentSignals(
                new KeywordClassifier(ConfigFiles.load(Path.of(properties.keywordsFile()), KeywordLists.class, validator)),
                messageLayers(properties, validator));
    }

    @Bean
    MessageLayers messageLayers(HubProperties properties, Validator validator) {
        return new MessageLayers(ConfigFiles.load(Path.of(properties.phrasesFile()), PhraseLists.class, validator));
    }
}
