package com.retentionhub.connector.twilio;

import com.retentionhub.platform.HubProperties;
import com.twilio.http.TwilioRestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Twilio REST client camel-twilio uses ({@code camel.component.twilio.rest-client}), pointed
 * at {@code TWILIO_API_BASE_URL}, with the connect and read timeouts of {@code hub.twilio.*}.
 */
@Configuration(proxyBeanMethods = false)
public class TwilioClientConfiguration {

    @Bean
    TwilioRestClient twilioRestClient(HubProperties properties) {
        HubProperties.Twilio twilio = properties.twilio();
        String token = twilio.authToken() == null || twilio.authToken().isBlank() ? "unset" : twilio.authToken();
        return new TwilioRestClient.Builder(twilio.accountSid(), token)
                .accountSid(twilio.accountSid())
                .httpClient(new BaseUrlHttpClient(twilio.apiBaseUrl(), twilio.connectTimeoutMs(), twilio.readTimeoutMs()))
                .build();
    }
}
