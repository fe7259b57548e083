package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscalationTest {

    @Test
    void shouldMaskTheCustomerNumberToItsLastFourDigits() {
        String alert = Escalation.staffAlert("+14155550123", "my son can't breathe after the spray", "medical");

        assertThat(alert).contains("***-***-0123").contains("medical").contains("can't breathe").doesNotContain("415555");
    }

    @Test
    void shouldShortenALongTextInTheAlert() {
        assertThat(Escalation.staffAlert("+14155550123", "x".repeat(500), "anger")).hasSizeLessThan(320);
    }
}
