package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.web.Webhooks;
import io.micrometer.observation.ObservationPredicate;
import java.util.HashSet;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Webhooks are timed and counted by their Camel routes (camel_exchanges_*, per route id); the
 * servlet-level observation of the same request is skipped on the hottest paths of the hub.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookObservations {

    @Bean
    ObservationPredicate skipWebhookServerObservations(HubProperties properties) {
        Set<String> paths = new HashSet<>(properties.ingress().smsPaths());
        paths.addAll(properties.ingress().statusPaths());
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && paths.contains(request.getCarrier().getRequestURI()));
    }
}
