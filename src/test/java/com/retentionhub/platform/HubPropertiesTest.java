package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.TestProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubPropertiesTest {

    @ParameterizedTest
    @CsvSource({"1,true", "true,true", "TRUE,true", " 1 ,true", "0,false", "'',false", "yes,false", "2,false"})
    void shouldGoLiveOnlyWhenTheToggleIsOneOrTrue(String value, boolean live) {
        assertThat(properties(value).outboundLiveEnabled()).isEqualTo(live);
    }

    private static HubProperties properties(String outboundLive) {
        return TestProperties.hub("https://x.example.com", outboundLive, TestProperties.twilio("t"));
    }
}
