package com.retentionhub.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.dispatch.ProviderError;
import com.retentionhub.support.TwilioTransportFake;
import com.retentionhub.support.TwilioTransportFake.Fault;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What camel-http, the component behind every HTTP connector (SMS gateways, Instantly, VAPI),
 * really throws for each transport fault, and what dispatch makes of it: the same as for Twilio.
 */
class HttpTransportErrorsTest {

    static CamelContext camel;
    static ProducerTemplate producer;
    TwilioTransportFake fake;

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(2_000);
        http.setSoTimeout(1_500);
        http.setResponseTimeout(1_500);
        camel.addComponent("http", http);
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterAll
    static void stopCamel() {
        camel.stop();
    }

    @BeforeEach
    void start() throws Exception {
        fake = new TwilioTransportFake(Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    @Test
    void shouldLookUpASendWhoseAnswerTimedOut() {
        ProviderError error = sendWith(Fault.TIMEOUT_AFTER_ACCEPTING);
        assertThat(error.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(error.timedOut()).isTrue();
        assertThat(sendWith(Fault.TIMEOUT_BEFORE_ACCEPTING).timedOut()).isTrue();
    }

    @Test
    void shouldLookUpASendWhoseConnectionWasReset() {
        ProviderError error = sendWith(Fault.RESET_AFTER_ACCEPTING);
        assertThat(error.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(error.timedOut()).isFalse();
        assertThat(sendWith(Fault.RESET_BEFORE_ACCEPTING).kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
    }

    @Test
    void shouldRetryASendWhoseConnectionWasRefused() throws Exception {
        fake.refuseConnectionsFor(Duration.ofSeconds(5));
        assertThat(fake.listening()).isFalse();

        assertThat(sendWith(Fault.NONE).kind()).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(fake.creates()).isZero();
    }

    private ProviderError sendWith(Fault fault) {
        fake.faults((to, attempt) -> fault);
        Exchange result = producer.send(fake.baseUrl() + "/2010-04-01/Accounts/ACfake/Messages.json?throwExceptionOnFailure=false", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
            e.getMessage().setBody("To=%2B14155550100&Body=hello");
        });
        assertThat(result.getException()).as("camel-http's exception for %s", fault).isNotNull();
        return ProviderError.classify(result.getException());
    }
}
