package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Delays read as people say them, and typed back the same way. */
class DelaysTest {

    @Test
    void shouldSayDelaysInWholeUnitsWhenShowingThem() {
        assertThat(Delays.ofMinutes(4320)).isEqualTo("3 days");
        assertThat(Delays.ofMinutes(720)).isEqualTo("12 hours");
        assertThat(Delays.ofMinutes(1)).isEqualTo("1 minute");
        assertThat(Delays.ofMinutes(1830)).isEqualTo("1 day 6 hours 30 minutes");
        assertThat(Delays.ofMinutes(0)).isEqualTo("at once");
        assertThat(Delays.spoken(Duration.ofSeconds(95))).isEqualTo("1 minute 35 seconds");
    }

    @Test
    void shouldReadWhatAnOperatorTypesWhenEditingAStep() {
        assertThat(Delays.parse("3 days")).isEqualTo(4320);
        assertThat(Delays.parse("12h")).isEqualTo(720);
        assertThat(Delays.parse(" 1 day, 6 hours and 30 minutes ")).isEqualTo(1830);
        assertThat(Delays.parse("2 weeks")).isEqualTo(20160);
        assertThat(Delays.parse("at once")).isZero();
        assertThat(Delays.parse("0")).isZero();
        assertThat(Delays.parse(Delays.ofMinutes(1830))).isEqualTo(1830);
    }

    @Test
    void shouldRefuseWhatIsNotADelayWithHowToWriteIt() {
        assertThatThrownBy(() -> Delays.parse("soon")).hasMessageContaining("write it like \"3 days\"");
        assertThatThrownBy(() -> Delays.parse("3 dayz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delays.parse("-3 days")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Delays.parse("400 days")).hasMessageContaining("at most 365 days");
        assertThatThrownBy(() -> Delays.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStoreADelayInItsLargestWholeUnit() {
        assertThat(Delays.definition(4320)).isEqualTo(new SequenceDefinition.Delay(3, "days"));
        assertThat(Delays.definition(90)).isEqualTo(new SequenceDefinition.Delay(90, "minutes"));
        assertThat(Delays.definition(120)).isEqualTo(new SequenceDefinition.Delay(2, "hours"));
    }
}
