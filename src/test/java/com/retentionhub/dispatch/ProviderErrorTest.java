package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.camel.RuntimeCamelException;
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

    private static ProviderError.Kind kind(Exception e) {
        return ProviderError.classify(new RuntimeCamelException(e)).kind();
    }
}
