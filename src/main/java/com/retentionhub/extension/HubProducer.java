package com.retentionhub.extension;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * Calls one capability with the exchange's body (a map, or a JSON object as text) and headers
 * ({@link HubHeaders}); the answer replaces the body as a map. A refusal is a
 * {@link HubRefusedException} and changes nothing.
 */
class HubProducer extends DefaultProducer {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

    private final HubEndpoint.Capability capability;

    HubProducer(HubEndpoint endpoint, HubEndpoint.Capability capability) {
        super(endpoint);
        this.capability = capability;
    }

    @Override
    public HubEndpoint getEndpoint() {
        return (HubEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<String, Object> body = body(in);
        HubCapabilities hub = getEndpoint().getComponent().capabilities();
        Map<String, Object> answer = switch (capability) {
            case LEADS -> hub.takeLead(getEndpoint().mapped(body), in.getHeader(HubHeaders.LEAD_SOURCE, String.class));
            case MESSAGES -> hub.queueMessage(body, in.getHeader(HubHeaders.IDEMPOTENCY_KEY, String.class));
            case CONSENT -> {
                String action = in.getHeader(HubHeaders.CONSENT_ACTION, String.class);
                yield action == null || action.isBlank() || action.trim().equalsIgnoreCase("lookup")
                        ? hub.lookUp(body)
                        : hub.changeConsent(body, action);
            }
            case EVENTS -> throw new IllegalStateException("hub:events has no producer");
        };
        in.setBody(answer);
    }

    private Map<String, Object> body(Message in) {
        Object raw = in.getBody();
        if (raw instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), v));
            return copy;
        }
        String text = in.getBody(String.class);
        if (text == null || text.isBlank()) {
            throw HubRefusedException.badInput("hub:" + capability.path() + " needs a body: a JSON object or a map");
        }
        try {
            return getEndpoint().getComponent().json().readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw HubRefusedException.badInput("hub:" + capability.path() + " needs a JSON object: " + e.getOriginalMessage());
        }
    }
}
