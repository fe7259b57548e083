package com.retentionhub.lead;

import com.retentionhub.platform.HubProperties;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** The route to the configured lead-fetch connector ({@code hub.meta.fetch-uri}), under the provider-call error policy. */
@Component
public class LeadRoutes extends RouteBuilder {

    private final HubProperties properties;

    public LeadRoutes(HubProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        from("direct:meta-lead-fetch").routeId("meta-lead-fetch").routeConfigurationId("provider-call")
                .routeDescription("read one lead from the Graph API").to(properties.meta().fetchUri());
    }
}
