package com.retentionhub.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A stored text the bus did not take (a broker restarting). Nothing is lost: the event is in the
 * database and the recovery sweep offers it again. So each refusal is counted
 * ({@code hub_bus_handoff_failures_total}), and logged at most every ten seconds with how many
 * there were, rather than once per text at webhook rates.
 */
@Component("busHandOffs")
public class BusHandOffs {

    private static final Logger LOG = LoggerFactory.getLogger(BusHandOffs.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Counter failures;
    private final AtomicLong sinceLastLog = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public BusHandOffs(MeterRegistry meters) {
        this.failures = meters.counter("hub.bus.handoff.failures");
    }

    /** Called with the refused exchange; its event stays unprocessed in the database for the sweep. */
    public void failed(Exchange exchange) {
        failures.increment();
        sinceLastLog.incrementAndGet();
        long last = lastLogNanos.get();
        long now = System.nanoTime();
        if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
            long count = sinceLastLog.getAndSet(0);
            Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            LOG.warn(
                    "{} stored inbound event(s) not taken by the bus since the last report ({} on route {}); the recovery sweep offers them again",
                    count, cause == null ? "unknown cause" : cause.toString(), exchange.getFromRouteId());
        }
    }
}
