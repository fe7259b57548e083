package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void shouldDecodePlusPercentAndUtf8() {
        FormBody form = FormBody.parse("From=%2B14155550100&Body=Hola+se%C3%B1or+%F0%9F%98%80&Empty=&Flag".getBytes(StandardCharsets.US_ASCII));

        assertThat(form.first("From")).isEqualTo("+14155550100");
        assertThat(form.first("Body")).isEqualTo("Hola señor 😀");
        assertThat(form.first("Empty")).isEmpty();
        assertThat(form.first("Flag")).isEmpty();
        assertThat(form.first("Missing")).isNull();
    }

    @Test
    void shouldKeepRepeatedNames() {
        FormBody form = FormBody.parse("MediaUrl=a&MediaUrl=b".getBytes(StandardCharsets.US_ASCII));

        assertThat(form.all().get("MediaUrl")).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseInvalidUtf8AndBrokenEscapes() {
        assertThatThrownBy(() -> FormBody.parse("Body=%C3%28".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WebhookRejectedException.class).hasMessage("invalid UTF-8");
        assertThatThrownBy(() -> FormBody.parse("Body=%G1".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WebhookRejectedException.class).hasMessage("malformed form encoding");
        assertThatThrownBy(() -> FormBody.parse("Body=%2".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WebhookRejectedException.class);
    }
}
