package com.retentionhub.dispatch;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.Variables;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * The providers of each channel (SMS, email, voice), in failover order, each behind its own circuit
 * breaker. Calls go through the {@code dispatch-send} and {@code dispatch-lookup} routes to the
 * provider's connector; this class only says which connector and what its answer means.
 */
@Component
public class Providers {

    /** A provider's answer to a send: a receipt, or an error. */
    public record Attempt(String provider, Receipt receipt, ProviderError error) {}

    private final HubProperties.Dispatch settings;
    private final ProducerTemplate producer;
    private final CircuitBreakerRegistry breakers;

    public Providers(HubProperties properties, ProducerTemplate producer, MeterRegistry meters) {
        this.settings = properties.dispatch();
        this.producer = producer;
        HubProperties.Breaker b = settings.breaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRatePercent())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.slidingWindowCalls())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(Duration.ofSeconds(b.waitOpenSeconds()))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        for (String name : configured()) {
            breaker(name).getEventPublisher().onStateTransition(e -> {
                // Counted, not kept: a list of every move would grow for as long as the hub runs.
                String to = e.getStateTransition().getToState().name();
                meters.counter("hub.dispatch.breaker.transitions", "provider", name, "to", to).increment();
            });
            meters.gauge("hub.dispatch.breaker.open", List.of(Tag.of("provider", name)), breaker(name),
                    cb -> cb.getState() == CircuitBreaker.State.OPEN ? 1 : 0);
        }
    }

    /** The SMS providers in failover order: primary, then secondary if one is configured. */
    public List<String> sms() {
        return forChannel(Channel.SMS.code());
    }

    /** A channel's providers in failover order; empty when the channel has none configured. */
    public List<String> forChannel(String channel) {
        return Channel.parse(channel).map(c -> switch (c) {
            case SMS -> order(settings.smsProvider(), settings.smsSecondaryProvider());
            case EMAIL -> order(settings.emailProvider(), null);
            case VOICE -> order(settings.voiceProvider(), null);
        }).orElse(List.of());
    }

    private static List<String> order(String primary, String secondary) {
        List<String> order = new ArrayList<>();
        if (primary != null && !primary.isBlank()) {
            order.add(primary);
        }
        if (secondary != null && !secondary.isBlank() && !secondary.equals(primary)) {
            order.add(secondary);
        }
        return order;
    }

    /** Every provider some channel uses; fails at start-up on a name with no definition or on the wrong channel. */
    private List<String> configured() {
        List<String> all = new ArrayList<>();
        for (String channel : List.of(Channel.SMS.code(), Channel.EMAIL.code(), Channel.VOICE.code())) {
            for (String name : forChannel(channel)) {
                String actual = settings.provider(name).channel();
                if (!channel.equals(actual)) {
                    throw new IllegalStateException(
                            "provider '" + name + "' is configured for " + channel + " but its channel is " + actual);
                }
                all.add(name);
            }
        }
        return all;
    }

    /** Whether the provider can be asked if it has a message (else an unclear send is never repeated). */
    public boolean hasLookup(String provider) {
        String uri = settings.provider(provider).lookupUri();
        return uri != null && !uri.isBlank();
    }

    public HubProperties.Provider settings(String provider) {
        return settings.provider(provider);
    }

    public CircuitBreaker breaker(String provider) {
        return breakers.circuitBreaker(provider);
    }

    /**
     * Hands the command to the provider's connector. Outage, capacity and transport errors count
     * against its breaker; an answer about the recipient (opted out, invalid number) shows the
     * provider is up; any other refusal is not counted.
     */
    public Attempt send(String provider, Object command) {
        CircuitBreaker breaker = breaker(provider);
        long start = System.nanoTime();
        Exchange result = producer.send("direct:dispatch-send", e -> {
            e.setVariable(Variables.PROVIDER, provider);
            e.getMessage().setBody(command);
        });
        long took = System.nanoTime() - start;
        if (result.getException() == null) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            return new Attempt(provider, result.getMessage().getBody(Receipt.class), null);
        }
        ProviderError error = ProviderError.classify(result.getException());
        if (error.kind() == ProviderError.Kind.AMBIGUOUS && settings.provider(provider).idempotent()) {
            error = new ProviderError(ProviderError.Kind.RETRYABLE, error.code(), error.detail()); // repeating it cannot duplicate
        }
        switch (error.kind()) {
            case RETRYABLE, AMBIGUOUS -> breaker.onError(took, TimeUnit.NANOSECONDS, result.getException());
            case OPTED_OUT, INVALID_RECIPIENT -> breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            // A refusal for good says nothing sure about the provider's health (a bad credential is one too): not counted either way.
            case PERMANENT -> breaker.releasePermission();
        }
        return new Attempt(provider, null, error);
    }

    /** Asks the provider whether it has the message; null when the lookup itself failed or the provider has no lookup. */
    public SmsLookup.Result lookup(String provider, SmsLookup query) {
        if (!hasLookup(provider)) {
            return null;
        }
        Exchange result = producer.send("direct:dispatch-lookup", e -> {
            e.setVariable(Variables.PROVIDER, provider);
            e.getMessage().setBody(query);
        });
        return result.getException() == null ? result.getMessage().getBody(SmsLookup.Result.class) : null;
    }
}
