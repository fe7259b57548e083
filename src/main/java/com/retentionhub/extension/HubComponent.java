package com.retentionhub.extension;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.EventFeed;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.stereotype.Component;

/**
 * The {@code hub:} component: the hub's capabilities as endpoints a YAML route can call
 * ({@code hub:leads}, {@code hub:messages}, {@code hub:consent}) and its business events as a
 * source ({@code hub:events?types=...}). Registered as the bean {@code hub}, which Camel resolves
 * as the component of that scheme.
 */
@Component("hub")
public class HubComponent extends DefaultComponent {

    private final HubCapabilities capabilities;
    private final EventFeed feed;
    private final ObjectMapper json;

    public HubComponent(HubCapabilities capabilities, EventFeed feed, ObjectMapper json) {
        this.capabilities = capabilities;
        this.feed = feed;
        this.json = json;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        HubEndpoint.Capability capability = HubEndpoint.Capability.of(remaining);
        HubEndpoint endpoint = new HubEndpoint(uri, this, capability);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    HubCapabilities capabilities() {
        return capabilities;
    }

    EventFeed feed() {
        return feed;
    }

    ObjectMapper json() {
        return json;
    }
}
