package com.retentionhub.dispatch;

import com.retentionhub.platform.HubProperties;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The dispatch threads. Each runs passes of {@link Dispatcher#dispatchDue()} while there is work
 * and sleeps otherwise; a newly committed outbox row ({@link Outbox} wakes them over the outbound
 * bus) or the poll ({@code hub.dispatch.poll-period-ms}: rows that came due by time, rows another
 * instance queued) wakes them. Several threads, and several instances, share the queue through
 * SKIP LOCKED claims.
 */
@Component("dispatchWorkers")
public class DispatchWorkers {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchWorkers.class);

    private final Dispatcher dispatcher;
    private final int count;
    /** How long an idle thread sleeps unless woken: the same period as {@code dispatch-poll-due}, so a test can lengthen both. */
    private final long pollMillis;
    private final Object signal = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private long nudges;

    public DispatchWorkers(Dispatcher dispatcher, HubProperties properties,
            @Value("${hub.dispatch.poll-period-ms:1000}") long pollMillis) {
        this.dispatcher = dispatcher;
        this.count = properties.dispatch().workers();
        this.pollMillis = pollMillis;
    }

    /** Starts once the routes (and the connectors behind them) are up. */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "dispatch-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    @PreDestroy
    public synchronized void stop() throws InterruptedException {
        running = false;
        nudge();
        for (Thread t : threads) {
            t.join(15_000);
        }
    }

    /** Something may be due: wake the threads. Cheap; the outbound bus and the poll call it. */
    public void nudge() {
        synchronized (signal) {
            nudges++;
            signal.notifyAll();
        }
    }

    private void work() {
        while (running) {
            long seen;
            synchronized (signal) {
                seen = nudges;
            }
            try {
                if (dispatcher.dispatchDue() > 0) {
                    continue;
                }
                synchronized (signal) {
                    if (nudges == seen && running) {
                        signal.wait(pollMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("dispatch pass failed; claimed rows are settled by reconciliation: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
