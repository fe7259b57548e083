package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Registers the raw-body capture in front of every webhook path, before security and Camel. */
@Configuration(proxyBeanMethods = false)
public class IngressConfiguration {

    @Bean
    FilterRegistrationBean<RawBodyFilter> rawBodyFilter(HubProperties properties) {
        List<String> paths = new ArrayList<>(properties.ingress().smsPaths());
        paths.addAll(properties.ingress().statusPaths());
        paths.add("/webhooks/*");
        FilterRegistrationBean<RawBodyFilter> registration = new FilterRegistrationBean<>(new RawBodyFilter(properties.ingress().maxBodyBytes()));
        registration.setUrlPatterns(paths);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
