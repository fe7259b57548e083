package com.retentionhub.extension;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One {@code hub:} endpoint: a capability to call (leads, messages, consent) or the events to subscribe to. */
public class HubEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    /** What a {@code hub:} URI names; the path after {@code hub:}. */
    public enum Capability {
        LEADS("leads"), MESSAGES("messages"), CONSENT("consent"), EVENTS("events");

        private final String path;

        Capability(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        static Capability of(String remaining) {
            String path = remaining == null ? "" : remaining.trim().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(c -> c.path.equals(path)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("hub:" + remaining + " is not a hub endpoint; known: "
                            + Arrays.stream(values()).map(c -> "hub:" + c.path).collect(Collectors.joining(", "))));
        }
    }

    private final Capability capability;
    /** hub:events only: the event types to receive, comma-separated (all when blank). */
    private String types;
    /**
     * hub:leads only: where the lead's fields are in the body when its names differ, as
     * {@code name=full_name,phone=phone_number} (hub field = body field); unnamed fields keep their names.
     */
    private String fields;
    /** hub:events only: how many events one read takes. */
    private int batchSize = 100;
    /** hub:events only: how long to wait between reads when nothing is waiting, in milliseconds. */
    private long pollDelay = 500;

    HubEndpoint(String uri, HubComponent component, Capability capability) {
        super(uri, component);
        this.capability = capability;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        if (capability == Capability.EVENTS) {
            throw new IllegalArgumentException("hub:events is a source (from:); events are published by the hub itself");
        }
        return new HubProducer(this, capability);
    }

    /**
     * Two extension routes may subscribe to the same {@code hub:events?types=...}: each reads with a cursor
     * of its own keyed by its route id, so Camel's one-consumer-per-endpoint rule does not apply.
     */
    @Override
    public boolean isMultipleConsumersSupported() {
        return capability == Capability.EVENTS;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (capability != Capability.EVENTS) {
            throw new IllegalArgumentException("hub:" + capability.path() + " can only be called (to:); subscribe with from: hub:events");
        }
        HubEventsConsumer consumer = new HubEventsConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    Capability capability() {
        return capability;
    }

    public String getTypes() {
        return types;
    }

    public void setTypes(String types) {
        this.types = types;
    }

    /** The types asked for, validated against the hub's (an unknown one is a typo that would never match). */
    Set<String> typeSet() {
        if (types == null || types.isBlank()) {
            return Set.of();
        }
        Set<String> asked = Arrays.stream(types.split(",")).map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        Set<String> known = EventTypes.wireNames();
        for (String t : asked) {
            if (!known.contains(t)) {
                throw new IllegalArgumentException("hub:events: unknown event type '" + t + "'; known: " + String.join(", ", known));
            }
        }
        return asked;
    }

    public String getFields() {
        return fields;
    }

    public void setFields(String fields) {
        this.fields = fields;
    }

    /** The body with its fields renamed to the hub's by {@link #fields}. */
    Map<String, Object> mapped(Map<String, Object> body) {
        if (fields == null || fields.isBlank()) {
            return body;
        }
        Map<String, Object> out = new LinkedHashMap<>(body);
        for (String pair : fields.split(",")) {
            String[] kv = pair.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("hub:leads fields must read hubField=bodyField,...; got '" + pair + "'");
            }
            out.put(kv[0].trim(), body.get(kv[1].trim()));
        }
        return out;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }
}
