package com.retentionhub.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** The reply path's meters: answers by source, texts past the hourly limit, model fallbacks and latency. */
@Component
class ReplyMetrics {

    private final MeterRegistry meters;

    ReplyMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A text stored but not answered: its phone is past the hourly limit. */
    void rateLimited() {
        meters.counter("hub.replies.rate_limited").increment();
    }

    /** A task answered ({@code reply} null: skipped before asking), by source; a fallback counts once whatever its reason. */
    void answered(Reply reply) {
        meters.counter("hub.replies", "outcome", reply == null ? "skipped" : reply.source().replaceFirst(":.*", "")).increment();
    }

    /** The model's answer was not used and the template replied instead. */
    void fallback(String reason) {
        meters.counter("hub.replies.fallback", "reason", reason).increment();
    }

    /** How long the model took, by outcome ("ok" or the fallback's reason): a timeout shows as its own tail. */
    void modelLatency(String outcome, long askedNanos) {
        meters.timer("hub.model.latency", "outcome", outcome).record(System.nanoTime() - askedNanos, TimeUnit.NANOSECONDS);
    }
}
