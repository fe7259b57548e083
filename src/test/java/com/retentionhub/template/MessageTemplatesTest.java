package com.retentionhub.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.support.TestProperties;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

    private static final BusinessProfile BUSINESS = new BusinessProfile("Acme Pest",
            List.of(new BusinessProfile.Service("Spray", "$99", null)),
            Map.of("mon", "08:00-17:00"), "America/New_York", "Text us anytime.", null, null, null, null, null, null);

    // TestProperties: defaults {firstName: there}, offer URL https://offers.example/go
    private final MessageTemplates templates = new MessageTemplates(TestProperties.hub("http://localhost", "0", TestProperties.twilio("t")),
            BUSINESS);

    @Test
    void shouldFillTheContactsFieldsAndTheBusinessName() {
        Map<String, Object> fields = new HashMap<>(MessageTemplates.fieldsOf(
                new ContactStore.Contact(1, "+15125550100", "Dana  Reyes Ortiz", "dana@example.com", true, null, null)));
        fields.put("service", "spring spray");

        String text = templates.render("Hi {{firstName}} {{lastName}}, {{business}} here about your {{service}} ({{email}}).", fields,
                null);

        assertThat(text).isEqualTo("Hi Dana Reyes Ortiz, Acme Pest here about your spring spray (dana@example.com).");
    }

    @Test
    void shouldUseTheConfiguredDefaultForAMissingFieldAndRefuseOneWithNoDefault() {
        assertThat(templates.render("Hi {{firstName}}!", Map.of(), null)).isEqualTo("Hi there!");
        assertThat(templates.render("Hi {{firstName}}!", Map.of("firstName", "  "), null)).isEqualTo("Hi there!");

        assertThatThrownBy(() -> templates.render("Your {{service}} is due", Map.of(), null))
                .isInstanceOf(MessageTemplates.TemplateException.class).hasMessageContaining("{{service}}");
    }

    @Test
    void shouldNeverLetBracesReachTheCustomer() {
        assertThatThrownBy(() -> templates.render("Hi {{firstName}", Map.of(), null))
                .isInstanceOf(MessageTemplates.TemplateException.class);
        // A value's braces are data: dropped, so a name typed "{{Ana}}" neither reaches the customer as braces nor blocks every text to them.
        assertThat(templates.render("Hi {{firstName}}", Map.of("firstName", "{{Ana}}"), null)).isEqualTo("Hi Ana");
    }

    @Test
    void shouldRefuseToSaveATemplateWithUnbalancedBraces() {
        assertThatThrownBy(() -> templates.validate("Hi {{firstName")).isInstanceOf(MessageTemplates.TemplateException.class);
        assertThatThrownBy(() -> templates.validate("Hi {{#deal}}open")).isInstanceOf(MessageTemplates.TemplateException.class);
        templates.validate("Hi {{firstName}}, {{#service}}your {{service}}{{/service}} is due");
    }

    @Test
    void shouldAppendTheAttemptIdAsSubIdToTheOfferUrl() {
        assertThat(templates.render("Book: {{trackingUrl}}", Map.of(), "a1b2")).isEqualTo("Book: https://offers.example/go?sub_id=a1b2");
        assertThat(
                templates.render("{{trackingUrl}}", Map.of(MessageTemplates.OFFER_URL, "https://t.example/c?x=1&sub_id=old#top"), "a1b2"))
                .isEqualTo("https://t.example/c?x=1&sub_id=a1b2#top");
        assertThat(MessageTemplates.withSubId("https://t.example/c?sub_id=old&y=2", "z")).isEqualTo("https://t.example/c?y=2&sub_id=z");
    }

    @Test
    void shouldRefuseTrackingUrlWithoutAnAttemptOrOffer() {
        assertThatThrownBy(() -> templates.render("{{trackingUrl}}", Map.of(), null))
                .isInstanceOf(MessageTemplates.TemplateException.class).hasMessageContaining("trackingUrl");
    }
}
