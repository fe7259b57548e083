package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.RuntimeCamelException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class ProviderErrorTest {

    @Test
    void shouldClassifyTwilioErrorsByCodeThroughCamelWrapping() {
        assertThat(kind(new ApiException("unsubscribed", 21610, null, 400, null))).isEqualTo(ProviderError.Kind.OPTED_OUT);
        assertThat(kind(new ApiException("invalid", 21211, null, 400, null))).isEqualTo(ProviderError.Kind.INVALID_RECIPIENT);
        assertThat(kind(new ApiException("not mobile", 21614, null, 400, null))).isEqualTo(ProviderError.Kind.INVALID_RECIPIENT);
        assertThat(kind(new ApiException("slow down", 20429, null, 429, null))).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(kind(new ApiException("oops", 20500, null, 500, null))).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(kind(new ApiException("filtered", 30007, null, 400, null))).isEqualTo(ProviderError.Kind.PERMANENT);
    }

    @Test
    void shouldRetryARefusedConnectionButReconcileATimeout() {
        assertThat(kind(new ApiConnectionException("refused", new ConnectException("refused")))).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(kind(new ApiConnectionException("timeout", new SocketTimeoutException("read")))).isEqualTo(ProviderError.Kind.AMBIGUOUS);
    }

    // The Twilio SDK (NetworkHttpClient) wraps every IOException as ApiException(message, cause), with no code and no status.

    @Test
    void shouldLookUpATwilioSendWhoseAnswerTimedOut() {
        ProviderError e = classify(new ApiException("Read timed out", new SocketTimeoutException("Read timed out")));
        assertThat(e.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(e.timedOut()).isTrue();
    }

    @Test
    void shouldRetryATwilioSendWhoseConnectionWasRefused() {
        ProviderError e = classify(new ApiException("Connect to http://127.0.0.1:1 failed: Connection refused",
                new HttpHostConnectException("Connect to http://127.0.0.1:1 failed: Connection refused")));
        assertThat(e.kind()).isEqualTo(ProviderError.Kind.RETRYABLE);
    }

    @Test
    void shouldLookUpATwilioSendWhoseConnectionWasResetOrClosedWithoutAnAnswer() {
        ProviderError reset = classify(new ApiException("Connection reset", new SocketException("Connection reset")));
        assertThat(reset.kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(reset.timedOut()).as("a reset is answered: look it up at once").isFalse();
        assertThat(kind(new ApiException("127.0.0.1:1 failed to respond", new NoHttpResponseException("127.0.0.1:1 failed to respond"))))
                .isEqualTo(ProviderError.Kind.AMBIGUOUS);
    }

    @Test
    void shouldRetryATwilioSendThatNeverConnected() {
        assertThat(kind(new ApiException("Connect timed out",
                new ConnectTimeoutException("Connect to http://10.255.255.1:80 failed: Connect timed out"))))
                .isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(kind(new ApiException("api.twilio.invalid", new UnknownHostException("api.twilio.invalid"))))
                .isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(kind(new ApiException("PKIX path building failed", new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo(ProviderError.Kind.RETRYABLE);
    }

    @Test
    void shouldClassifyAnHttpConnectorsTransportFaultsAsTwiliosAre() {
        // camel-http (SMS gateways, Instantly, VAPI) throws Apache HttpClient's IOException as it is.
        assertThat(kind(new HttpHostConnectException("Connection refused"))).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(kind(new ConnectTimeoutException("Connect timed out"))).isEqualTo(ProviderError.Kind.RETRYABLE);
        assertThat(classify(new SocketTimeoutException("Read timed out")).timedOut()).isTrue();
        assertThat(classify(new SocketException("Connection reset")).kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
        assertThat(classify(new NoHttpResponseException("failed to respond")).kind()).isEqualTo(ProviderError.Kind.AMBIGUOUS);
    }

    @Test
    void shouldStillTakeTwiliosCodeWhenTheAnswerCameBack() {
        // An error document Twilio did send is about the message, whatever else is in the chain.
        assertThat(kind(new ApiException("filtered", 30007, null, 400, new RuntimeException("x")))).isEqualTo(ProviderError.Kind.PERMANENT);
        assertThat(kind(new ApiException("Unable to create record: bad", null, null, 400, null))).isEqualTo(ProviderError.Kind.PERMANENT);
    }

    private static ProviderError classify(Exception e) {
        return ProviderError.classify(new RuntimeCamelException(e));
    }

    private static ProviderError.Kind kind(Exception e) {
        return ProviderError.classify(new RuntimeCamelException(e)).kind();
    }
}
