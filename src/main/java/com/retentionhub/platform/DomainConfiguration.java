package com.retentionhub.platform;

import jakarta.validation.Validator;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the business profile of {@code config/} once at start-up; an invalid file stops the hub. Each module loads its own files. */
@Configuration(proxyBeanMethods = false)
public class DomainConfiguration {

    @Bean
    BusinessProfile businessProfile(HubProperties properties, Validator validator) {
        return ConfigFiles.load(Path.of(properties.businessFile()), BusinessProfile.class, validator);
    }
}
