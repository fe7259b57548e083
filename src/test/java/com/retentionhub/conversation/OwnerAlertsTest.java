package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnerAlertsTest {

    @Test
    void shouldMaskTheCustomerNumberToItsLastFourDigits() {
        String alert = OwnerAlerts.escalationText("+14155550123", "my son can't breathe after the spray", "medical",
                "Someone will call you.");

        assertThat(alert).contains("***-***-0123").contains("medical").contains("can't breathe").contains("Someone will call you.")
                .doesNotContain("415555");
    }

    @Test
    void shouldLeaveTheAnswerOutWhenTheCustomerGotNone() {
        assertThat(OwnerAlerts.escalationText("+14155550123", "stop texting me or I sue", "legal", null)).doesNotContain("Bot replied");
    }

    @Test
    void shouldShortenLongTextsSoTheAlertStaysShort() {
        assertThat(OwnerAlerts.escalationText("+14155550123", "x".repeat(500), "anger", "y".repeat(500))).hasSizeLessThan(400);
        assertThat(OwnerAlerts.newConversationText("+14155550123", "x".repeat(500), "y".repeat(500))).hasSizeLessThan(320)
                .contains("***-***-0123");
    }
}
