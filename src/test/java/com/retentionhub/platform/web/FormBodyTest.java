package com.retentionhub.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.WebhookRejectedException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void shouldDecodePlusPercentAndUtf8() {
        FormBody form = FormBody
                .parse("From=%2B14155550100&Body=Hola+se%C3%B1or+%F0%9F%98%80&Empty=&Flag".getBytes(StandardCharsets.US_ASCII));

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

    @Test
    void shouldRefuseANulInAValueButKeepItReplacedInFreeText() {
        FormBody form = FormBody.parse("MessageSid=SM%00x&Body=5%00pm".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> form.first("MessageSid")).isInstanceOf(WebhookRejectedException.class)
                .hasMessage("MessageSid: must not contain a NUL character");
        assertThat(form.text("Body")).isEqualTo("5\uFFFDpm");
        assertThat(form.all().get("Body")).containsExactly("5\u0000pm"); // the raw form keeps what was sent
    }

    @Test
    void shouldRefuseARepeatedNameWhenOneValueIsExpected() {
        assertThatThrownBy(() -> FormBody.parse("sub_id=a&sub_id=b".getBytes(StandardCharsets.US_ASCII)).single())
                .isInstanceOf(WebhookRejectedException.class).hasMessage("sub_id given more than once");
        assertThat(FormBody.parse("sub_id=a&tid=1".getBytes(StandardCharsets.US_ASCII)).single()).containsEntry("sub_id", "a")
                .containsEntry("tid", "1");
    }

    @Test
    void shouldRefuseMoreParametersThanTheCap() {
        StringBuilder body = new StringBuilder("a=1");
        for (int i = 1; i < FormBody.MAX_PARAMETERS; i++) {
            body.append("&p").append(i).append("=v");
        }
        assertThat(FormBody.parse(body.toString().getBytes(StandardCharsets.US_ASCII)).all()).hasSize(FormBody.MAX_PARAMETERS);

        assertThatThrownBy(() -> FormBody.parse((body + "&one=more").getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(WebhookRejectedException.class).hasMessage("more than 1000 form parameters");
    }
}
