package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells dispatch, over {@code hub.bus.outbound}, that outbox rows are ready, so they go out at once
 * rather than at the next poll. Only {@link Outbox} calls it, for every row it queues: no caller of
 * the outbox has to remember a wake-up, and none can send one for a row that was never committed.
 * Best effort by design: {@code dispatch-poll-due} finds every due row within a second on every
 * instance, so a nudge the bus cannot take (a Kafka broker restarting) only costs that second. It
 * never fails the caller.
 */
@Component
class DispatchNudges {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchNudges.class);

    private final ProducerTemplate producer;
    private final String bus;
    private final Counter failed;

    DispatchNudges(ProducerTemplate producer, HubProperties properties, MeterRegistry meters) {
        this.producer = producer;
        this.bus = properties.bus().outbound();
        this.failed = meters.counter("hub.dispatch.nudges.failed");
    }

    /**
     * Nudges once the current transaction commits, and not at all if it rolls back (a woken
     * dispatcher could not see the row yet, and a rolled-back one is nothing to send); at once
     * without a transaction. One nudge per transaction however many rows it queues: a nudge wakes
     * every dispatch thread, and they keep claiming while rows are due.
     */
    void afterCommit(long outboxId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            nudge(outboxId);
            return;
        }
        // The current transaction's own synchronizations only: a suspended outer one keeps its own nudge.
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof NudgeOnCommit) {
                return;
            }
        }
        TransactionSynchronizationManager.registerSynchronization(new NudgeOnCommit(outboxId));
    }

    void nudge(long outboxId) {
        try {
            producer.sendBody(bus, outboxId);
        } catch (RuntimeException e) {
            failed.increment();
            LOG.debug("nudge for outbox row {} not delivered; the next poll sends it: {}", outboxId, e.toString());
        }
    }

    /** The transaction's one pending nudge, named by the first row it queued. */
    private final class NudgeOnCommit implements TransactionSynchronization {

        private final long outboxId;

        NudgeOnCommit(long outboxId) {
            this.outboxId = outboxId;
        }

        @Override
        public void afterCommit() {
            nudge(outboxId);
        }
    }
}
