package com.retentionhub.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.platform.EventFeed;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one subscribing route with business events, on a thread of its own and with a cursor of
 * its own (the route's id), so a slow or failing subscriber delays only itself. An event the route
 * fails on goes where the route's error policy sends it (the default: a dead letter), and the
 * cursor moves on; only an exception the policy did not handle leaves the cursor, to try again.
 */
class HubEventsConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(HubEventsConsumer.class);
    private static final long PRUNE_EVERY_MS = 60_000;

    private volatile Thread reader;
    private volatile boolean running;
    private String subscriber;
    private Set<String> types;

    HubEventsConsumer(HubEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public HubEndpoint getEndpoint() {
        return (HubEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        types = getEndpoint().typeSet();
        subscriber = getRouteId() != null ? getRouteId() : getEndpoint().getEndpointUri();
        feed().subscribe(subscriber);
        running = true;
        reader = new Thread(this::readLoop, "hub-events-" + subscriber);
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Thread t = reader;
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
        try {
            feed().release(subscriber);
        } catch (RuntimeException e) {
            LOG.debug("could not release subscriber {}: {}", subscriber, e.toString());
        }
        super.doStop();
    }

    private EventFeed feed() {
        return getEndpoint().getComponent().feed();
    }

    private void readLoop() {
        long lastPrune = 0;
        long backoff = getEndpoint().getPollDelay();
        while (running) {
            try {
                int taken = readOnce();
                if (System.currentTimeMillis() - lastPrune > PRUNE_EVERY_MS) {
                    feed().prune();
                    lastPrune = System.currentTimeMillis();
                }
                backoff = getEndpoint().getPollDelay();
                if (taken == 0) {
                    TimeUnit.MILLISECONDS.sleep(getEndpoint().getPollDelay());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("subscriber {} stopped at an event it could not take; trying again: {}", subscriber, e.toString());
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    /** One batch: each event through the route, the cursor moved after each. Returns how many positions it read. */
    private int readOnce() {
        EventFeed.Batch batch = feed().next(subscriber, types, getEndpoint().getBatchSize());
        for (EventFeed.FeedEvent event : batch.events()) {
            if (!running) {
                return 0;
            }
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(event.payload());
            exchange.getMessage().setHeader(HubHeaders.EVENT_ID, event.id());
            exchange.getMessage().setHeader(HubHeaders.EVENT_TYPE, event.type());
            String phone = phoneOf(event.payload());
            if (phone != null) {
                exchange.getMessage().setHeader(HubHeaders.PHONE, phone);
            }
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            Exception failed = exchange.getException();
            releaseExchange(exchange, false);
            if (failed != null) {
                // Not handled by the route's policy: the event stays, to be offered again.
                throw new IllegalStateException("event " + event.id() + ": " + failed.getMessage(), failed);
            }
            feed().advance(subscriber, event.position());
        }
        if (running && batch.reached() > 0) {
            feed().advance(subscriber, batch.reached());
        }
        return batch.reached() > 0 ? Math.max(1, batch.events().size()) : 0;
    }

    private String phoneOf(String payload) {
        try {
            JsonNode phone = getEndpoint().getComponent().json().readTree(payload).get("phone");
            return phone == null || phone.isNull() ? null : phone.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
