package com.retentionhub.ingress;

import com.retentionhub.conversation.InboundEvent;
import com.retentionhub.platform.HubProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Finds events that were persisted and acknowledged but never processed (the process died between
 * the answer and the processing) so the sweep route can put them back on the bus. The first sweep
 * after start takes everything; later sweeps leave a grace period for events still in flight.
 */
@Component("recoverySweep")
public class RecoverySweep {

    private static final int LIMIT = 5_000;

    private final InboundEventStore store;
    private final Clock clock;
    private final Duration grace;
    private final AtomicBoolean first = new AtomicBoolean(true);

    public RecoverySweep(InboundEventStore store, Clock clock, HubProperties properties) {
        this.store = store;
        this.clock = clock;
        this.grace = Duration.ofSeconds(properties.recovery().graceSeconds());
    }

    public List<InboundEvent> pending() {
        Instant cutoff = first.getAndSet(false) ? clock.instant().plusSeconds(1) : clock.instant().minus(grace);
        return store.unprocessed(cutoff, LIMIT);
    }
}
