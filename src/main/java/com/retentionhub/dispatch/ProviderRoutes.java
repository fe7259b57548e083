package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * One thin route per configured provider capability ({@code provider-<name>-send},
 * {@code provider-<name>-lookup}), so each connector is started with the hub under the
 * {@code provider-call} error policy and shows in Hawtio by name. The YAML routes
 * {@code dispatch-send} and {@code dispatch-lookup} pick one by the provider dispatch chose.
 */
@Component
public class ProviderRoutes extends RouteBuilder {

    private final HubProperties properties;

    public ProviderRoutes(HubProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        properties.dispatch().providers().forEach((name, provider) -> {
            from("direct:provider-" + name + "-send").routeId("provider-" + name + "-send").routeConfigurationId("provider-call")
                    .routeDescription(provider.channel() + " via " + name).to(provider.uri());
            if (provider.lookupUri() != null && !provider.lookupUri().isBlank()) {
                from("direct:provider-" + name + "-lookup").routeId("provider-" + name + "-lookup").routeConfigurationId("provider-call")
                        .routeDescription("find a message at " + name).to(provider.lookupUri());
            }
        });
    }
}
