package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the start-up gate and the raw-body capture in front of every webhook path, before security and Camel. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

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
        FilterRegistrationBean<RawBodyFilter> registration = new FilterRegistrationBean<>(new RawBodyFilter(properties.ingress().maxBodyBytes()));
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
