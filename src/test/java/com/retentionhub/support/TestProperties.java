package com.retentionhub.support;

import com.retentionhub.platform.HubProperties;
import java.util.List;
import java.util.Map;

/** {@link HubProperties} for plain unit tests, with the defaults of application.yaml. */
public final class TestProperties {

    private TestProperties() {}

    public static HubProperties hub(String publicBaseUrl, String outboundLive, HubProperties.Twilio twilio) {
        return new HubProperties(publicBaseUrl, "config/business.yaml", "config/keywords.yaml", "config/phrases.yaml",
                "config/fsm/conversation.fsm.yaml", "config/outreach.yaml", null, "US", outboundLive,
                new HubProperties.Bus("seda:in", "seda:out", "", ""),
                new HubProperties.Ingress(65536, true, List.of("/sms"), List.of("/sms/status"), 256, 2),
                new HubProperties.Recovery(30, 15), dispatch(),
                new HubProperties.Conversation(true, 30, 4, "config/replies.yaml", false, 0, 20, 24, true),
                new HubProperties.Llm("http://localhost/v1", null, "m", 5, 10),
                new HubProperties.Security(List.of(), "ops", "x"), twilio,
                new HubProperties.Templates(Map.of("firstName", "there"), "https://offers.example/go"),
                new HubProperties.Meta("verify", "secret", "direct:meta", 5000, 1));
    }

    public static HubProperties.Dispatch dispatch() {
        return new HubProperties.Dispatch("twilio", "", null, null,
                Map.of("twilio", new HubProperties.Provider("sms", "direct:x", null, 0, 0, null, null, null, false)),
                6, 2, 64, 2, 8, 30, 300, new HubProperties.Breaker(50, 20, 10, 30), policy());
    }

    public static HubProperties.Policy policy() {
        return new HubProperties.Policy("config/quiet-hours.yaml", false, 3, 3, 5);
    }

    public static HubProperties.Twilio twilio(String authToken) {
        return new HubProperties.Twilio("AC1", authToken, null, null, "https://api.twilio.com", 30_500, 30_000);
    }
}
