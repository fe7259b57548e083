package com.retentionhub.extension;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The error policy extension routes that call out opt into ({@code routeConfigurationId:
 * extension-call}): retry with exponential backoff, then a dead letter like the hub's own. A
 * {@link HubRefusedException} is never retried (the same input is refused again): dead-lettered
 * at once with its reason.
 */
@Component
public class ExtensionPolicies extends RouteConfigurationBuilder {

    private final int retries;
    private final long delayMs;

    public ExtensionPolicies(@Value("${hub.extensions.retries:5}") int retries,
            @Value("${hub.extensions.retry-delay-ms:1000}") long delayMs) {
        this.retries = retries;
        this.delayMs = delayMs;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition call = routeConfiguration("extension-call");
        call.onException(HubRefusedException.class).maximumRedeliveries(0).handled(true).to("bean:deadLetters?method=record");
        call.errorHandler(deadLetterChannel("bean:deadLetters?method=record").maximumRedeliveries(retries).redeliveryDelay(delayMs)
                .useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(60_000).retryAttemptedLogLevel(
                        LoggingLevel.WARN));
    }
}
