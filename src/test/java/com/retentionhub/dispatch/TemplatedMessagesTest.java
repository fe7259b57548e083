package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.template.MessageTemplates;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A templated message on the running hub: the contact's fields, and a tracking link that names the row's own attempt id. */
class TemplatedMessagesTest extends HubIntegrationTest {

    @Autowired
    TemplatedMessages messages;

    @Test
    void shouldQueueTheRenderedTextWithItsAttemptIdInTheTrackingLink() {
        String phone = newPhone();
        jdbc.update("INSERT INTO contact (phone, name, created_at) VALUES (?, 'Maria Lopez', now())", phone);

        long id = messages
                .queue(Outbox.Message.sms("tpl:" + phone, phone, "Hi {{firstName}}, {{business}}: book your {{service}} at {{trackingUrl}}")
                        .inCampaign("spring"), Map.of(MessageTemplates.OFFER_URL, "https://trk.example/click?c=7"))
                .id();

        String attempt = jdbc.queryForObject("SELECT attempt_id FROM outbox WHERE id = ?", String.class, id);
        assertThat(attempt).hasSize(32);
        assertThat(jdbc.queryForObject("SELECT body FROM outbox WHERE id = ?", String.class, id)).isEqualTo(
                "Hi Maria, Green Shield Pest Control: book your next service at https://trk.example/click?c=7&sub_id=" + attempt
                        + " Reply STOP to opt out."); // a first text says how to opt out (FirstContact)
        assertThat(jdbc.queryForObject("SELECT body FROM message WHERE outbox_id = ?", String.class, id)).contains("sub_id=" + attempt);
    }

    @Test
    void shouldQueueNothingWhenAFieldHasNoValueAndNoDefault() {
        String phone = newPhone();

        assertThatThrownBy(() -> messages.queue(Outbox.Message.sms("tpl2:" + phone, phone, "Your {{petName}} is due"), Map.of()))
                .isInstanceOf(MessageTemplates.TemplateException.class).hasMessageContaining("{{petName}}");

        assertThat(count("SELECT count(*) FROM outbox WHERE phone = ?", phone)).isZero();
    }
}
