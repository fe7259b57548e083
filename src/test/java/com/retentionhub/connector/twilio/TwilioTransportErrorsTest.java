package com.retentionhub.connector.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.retentionhub.dispatch.ProviderError;
import com.retentionhub.support.TwilioFake;
import com.retentionhub.support.TwilioTransportFake;
import com.retentionhub.support.TwilioTransportFake.Fault;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Twilio SDK really throws for each transport fault, through the hub's own client
 * settings, and what dispatch makes of it: refused means not sent (retry), a lost answer means
 * perhaps sent (look it up).
 */
class TwilioTransportErrorsTest {

    static final String ACCOUNT = "ACfakefakefakefakefakefakefakefake";

    TwilioTransportFake fake;
    TwilioRestClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new TwilioTransportFake(Clock.systemUTC(), Duration.ofSeconds(10));
        client = new TwilioRestClient.Builder(ACCOUNT, "token").accountSid(ACCOUNT)
                .httpClient(new BaseUrlHttpClient(fake.baseUrl(), 2_000, 1_500)).build();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    @Test
    void shouldLookUpASendWhoseAnswerTimedOutAfterTwilioAcceptedIt() {
        ProviderError error = sendWith(Fault.TIMEOUT_AFTER_ACCEPTING);
        assertThat(error.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(error.timedOut()).isTrue();
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void shouldLookUpASendThatTimedOutBeforeTwilioAcceptedIt() {
        ProviderError error = sendWith(Fault.TIMEOUT_BEFORE_ACCEPTING);
        assertThat(error.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(error.timedOut()).isTrue();
    }

    @Test
    void shouldLookUpASendWhoseConnectionWasReset() {
        ProviderError after = sendWith(Fault.RESET_AFTER_ACCEPTING);
        assertThat(after.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(after.timedOut()).isFalse();
        assertThat(sendWith(Fault.RESET_BEFORE_ACCEPTING).kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
    }

    @Test
    void shouldRetryASendWhoseConnectionWasRefused() throws Exception {
        fake.refuseConnectionsFor(Duration.ofSeconds(5));
        assertThat(fake.listening()).isFalse();

        ProviderError error = sendWith(Fault.NONE);

        assertThat(error.kind()).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(fake.creates()).isZero();
    }

    @Test
    void shouldSendWhenNothingGoesWrong() {
        fake.faults((to, attempt) -> Fault.NONE);
        Message m = Message.creator(ACCOUNT, new PhoneNumber("+14155550100"), new PhoneNumber("+15017122661"), "hello").create(client);
        assertThat(m.getSid()).isEqualTo(fake.accepted().get(0).sid());
    }

    @Test
    void shouldSendOneRequestWhenTwilioAnswersServiceUnavailable() {
        // Apache HttpClient's default strategy repeats even a POST after a 503 or 429: a second text behind dispatch's back.
        WireMockServer wiremock = new WireMockServer(
                WireMockConfiguration.options().dynamicPort());
        wiremock.start();
        try {
            TwilioFake.failWith(wiremock, 503, 20503, "Service unavailable");
            TwilioRestClient direct = new TwilioRestClient.Builder(ACCOUNT, "token").accountSid(ACCOUNT)
                    .httpClient(new BaseUrlHttpClient(wiremock.baseUrl(), 2_000, 5_000)).build();

            Throwable thrown = catchThrowable(
                    () -> Message.creator(ACCOUNT, new PhoneNumber("+14155550100"), new PhoneNumber("+15017122661"), "hello")
                            .create(direct));

            assertThat(ProviderError.classify(thrown).kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
            assertThat(wiremock.getAllServeEvents()).hasSize(1);
        } finally {
            wiremock.stop();
        }
    }

    private ProviderError sendWith(Fault fault) {
        fake.faults((to, attempt) -> fault);
        Throwable thrown = catchThrowable(
                () -> Message.creator(ACCOUNT, new PhoneNumber("+14155550100"), new PhoneNumber("+15017122661"), "hello")
                        .create(client));
        assertThat(thrown).as("the SDK's exception for %s", fault).isNotNull();
        return ProviderError.classify(thrown);
    }
}
