package com.retentionhub.dispatch;

/**
 * A provider's refusal already classified by its connector (an HTTP gateway's error body matched
 * against the connector's configured opt-out and invalid-number patterns).
 */
public class ProviderException extends RuntimeException {

    private final transient ProviderError error;

    public ProviderException(ProviderError error) {
        super(error.detail());
        this.error = error;
    }

    public ProviderError error() {
        return error;
    }
}
