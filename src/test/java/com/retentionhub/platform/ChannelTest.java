package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two names of each channel, and the way between them. */
class ChannelTest {

    @Test
    void shouldReadEitherNameInAnyCase() {
        assertThat(Channel.parse("sms")).contains(Channel.SMS);
        assertThat(Channel.parse(" SMS ")).contains(Channel.SMS);
        assertThat(Channel.parse("voice")).contains(Channel.VOICE);
        assertThat(Channel.parse("CALL")).contains(Channel.VOICE);
        assertThat(Channel.parse("call")).contains(Channel.VOICE);
        assertThat(Channel.parse("Email")).contains(Channel.EMAIL);
        assertThat(Channel.parse("fax")).isEmpty();
        assertThat(Channel.parse(null)).isEmpty();
    }

    @Test
    void shouldTurnAStepsNameIntoTheStoredCodeAndBack() {
        assertThat(Channel.ofStepName("CALL").code()).isEqualTo("voice");
        assertThat(Channel.ofCode("voice").stepName()).isEqualTo("CALL");
        for (Channel c : Channel.values()) {
            assertThat(Channel.ofCode(c.code())).isEqualTo(c);
            assertThat(Channel.ofStepName(c.stepName())).isEqualTo(c);
        }
        assertThat(Channel.codes()).containsExactly("sms", "email", "voice");
        assertThat(Channel.stepNames()).containsExactly("SMS", "EMAIL", "CALL");
        assertThat(Channel.isTelephonic("sms")).isTrue();
        assertThat(Channel.isTelephonic("voice")).isTrue();
        assertThat(Channel.isTelephonic("email")).isFalse();
        assertThat(Channel.isTelephonic("SMS")).as("a step's name is not a stored code").isFalse();
        assertThatThrownBy(() -> Channel.ofStepName("voice")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.ofCode("CALL")).isInstanceOf(IllegalArgumentException.class);
    }
}
