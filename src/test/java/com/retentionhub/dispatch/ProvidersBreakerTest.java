package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.TestProperties;
import com.twilio.exception.ApiException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.SocketException;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a provider's answers do to its circuit breaker: only an answer that shows it up counts as a success. */
class ProvidersBreakerTest {

    CamelContext camel;
    Providers providers;
    volatile Exception answer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:dispatch-send").process(e -> {
                    throw answer;
                });
            }
        });
        camel.start();
        providers = new Providers(TestProperties.hub("https://hub.example.com", "1", TestProperties.twilio("t")),
                camel.createProducerTemplate(),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void shouldNotCountAPermanentRefusalAsASuccess() {
        answer = new ApiException("Permission to send an SMS has not been enabled for the region", 21408, null, 400, null);

        ProviderError error = send();

        assertThat(error.kind()).isEqualTo(ProviderError.Kind.PERMANENT);
        assertThat(providers.breaker("twilio").getMetrics().getNumberOfSuccessfulCalls()).isZero();
    }

    @Test
    void shouldKeepTheBreakerOpeningOnTransportFaultsAmidPermanentRefusals() {
        // 8 resets and 12 permanent refusals: were the refusals successes, 8 of 20 (40%) would keep it closed.
        for (int i = 0; i < 20; i++) {
            answer = i % 5 < 2
                    ? new ApiException("Connection reset", new SocketException("Connection reset"))
                    : new ApiException("Permission to send an SMS has not been enabled for the region", 21408, null, 400, null);
            send();
        }
        for (int i = 0; i < 2; i++) {
            answer = new ApiException("Connection reset", new SocketException("Connection reset"));
            send();
        }

        assertThat(providers.breaker("twilio").getMetrics().getNumberOfFailedCalls()).isEqualTo(10);
        assertThat(providers.breaker("twilio").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldCountAnAnswerAboutTheRecipientAsASuccess() {
        answer = new ApiException("Attempt to send to unsubscribed recipient", 21610, null, 400, null);

        assertThat(send().kind()).isEqualTo(ProviderError.Kind.OPTED_OUT);
        assertThat(providers.breaker("twilio").getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
    }

    private ProviderError send() {
        return providers.send("twilio", new SmsCommand("+14155550100", null, "hello", null, "k")).error();
    }
}
