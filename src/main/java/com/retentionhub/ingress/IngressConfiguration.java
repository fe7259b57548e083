package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.web.RawBodyFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the start-up gate and the raw-body capture in front of every webhook path, before security and Camel. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    static final int META_MAX_BODY_BYTES = 1024 * 1024;

    @Bean
    StartupGate startupGate() {
        return new StartupGate(10_000);
    }

    @Bean
    FilterRegistrationBean<StartupGate> startupGateFilter(StartupGate gate, HubProperties properties) {
        FilterRegistrationBean<StartupGate> registration = new FilterRegistrationBean<>(gate);
        registration.setUrlPatterns(webhookPaths(properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RawBodyFilter> rawBodyFilter(HubProperties properties) {
        FilterRegistrationBean<RawBodyFilter> registration = new FilterRegistrationBean<>(
                new RawBodyFilter(properties.ingress().maxBodyBytes(),
                        // Meta batches up to 1,000 leadgen changes in one signed delivery: about 300 KB.
                        Map.of("/webhooks/meta", META_MAX_BODY_BYTES, "/api/webhooks/meta", META_MAX_BODY_BYTES)));
        registration.setUrlPatterns(webhookPaths(properties));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    private static List<String> webhookPaths(HubProperties properties) {
        List<String> paths = new ArrayList<>(properties.ingress().smsPaths());
        paths.addAll(properties.ingress().statusPaths());
        paths.add("/webhooks/*");
        paths.add("/api/webhooks/meta");
        paths.add("/api/webhooks/keitaro");
        return paths;
    }
}
