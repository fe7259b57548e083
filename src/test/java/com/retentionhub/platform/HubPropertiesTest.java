package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubPropertiesTest {

    @ParameterizedTest
    @CsvSource({"1,true", "true,true", "TRUE,true", " 1 ,true", "0,false", "'',false", "yes,false", "2,false"})
    void shouldGoLiveOnlyWhenTheToggleIsOneOrTrue(String value, boolean live) {
        assertThat(properties(value).outboundLiveEnabled()).isEqualTo(live);
    }

    private static HubProperties properties(String outboundLive) {
        return new HubProperties("https://x.example.com", "config/business.yaml", "config/keywords.yaml", "US", outboundLive,
                new HubProperties.Bus("seda:in", "seda:out"),
                new HubProperties.Ingress(65536, true, List.of("/sms"), List.of("/sms/status"), 256, 2),
                new HubProperties.Recovery(30, 15), new HubProperties.Dispatch("direct:x", 6, 2),
                new HubProperties.Security(List.of(), "ops", "x"), new HubProperties.Twilio("AC1", "t", null, null, "https://api.twilio.com"));
    }
}
