package com.retentionhub.connector.instantly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retentionhub.connector.http.HttpAnswers;
import com.retentionhub.dispatch.EmailCampaignPool;
import com.retentionhub.dispatch.EmailCommand;
import com.retentionhub.dispatch.ProviderError;
import com.retentionhub.dispatch.ProviderException;
import com.retentionhub.dispatch.Receipt;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Maps the email sink contract onto Instantly's API v2: an {@link EmailCommand} becomes
 * {@code POST /api/v2/leads}, adding the lead to the Instantly campaign with the message's subject,
 * body and attempt id as custom variables (the campaign's step shows them with
 * {@code {{subject}}} and {@code {{body}}}); {@code skip_if_in_campaign} makes a repeat harmless.
 * The receipt's id is Instantly's lead id; Instantly's events name the campaign and the lead's
 * email, which is how they find the message again. No I/O. SECURITY: all headers are replaced.
 */
@Component("instantlyEmailMapper")
public class InstantlyEmailMapper {

    private final ObjectMapper json;

    public InstantlyEmailMapper(ObjectMapper json) {
        this.json = json;
    }

    public void toRequest(Exchange exchange) {
        String apiKey = exchange.getVariable("instantlyApiKey", String.class);
        String defaultCampaign = exchange.getVariable("instantlyCampaign", String.class);
        String subjectVariable = exchange.getVariable("instantlySubjectVariable", String.class);
        String bodyVariable = exchange.getVariable("instantlyBodyVariable", String.class);
        EmailCommand command = exchange.getMessage().getBody(EmailCommand.class);
        if (command == null) {
            throw new IllegalArgumentException("instantly-email-sink expects an EmailCommand body");
        }
        // A configured list of campaigns (see EmailCampaignPool) falls back to its first.
        String campaign = command.target() == null || command.target().isBlank()
                ? EmailCampaignPool.campaigns(defaultCampaign).stream().findFirst().orElse(null)
                : command.target();
        if (campaign == null || campaign.isBlank()) {
            throw new ProviderException(new ProviderError(ProviderError.Kind.PERMANENT, null,
                    "no Instantly campaign: set one for the hub campaign under targets, or INSTANTLY_CAMPAIGN_ID"));
        }
        if (command.to() == null || command.to().isBlank()) {
            throw new ProviderException(new ProviderError(ProviderError.Kind.INVALID_RECIPIENT, null, "the contact has no email address"));
        }
        ObjectNode lead = json.createObjectNode();
        lead.put("campaign", campaign);
        lead.put("email", command.to());
        if (command.firstName() != null) {
            lead.put("first_name", command.firstName());
        }
        if (command.lastName() != null) {
            lead.put("last_name", command.lastName());
        }
        lead.put("skip_if_in_campaign", true);
        ObjectNode vars = lead.putObject("custom_variables");
        vars.put(subjectVariable, command.subject() == null ? "" : command.subject());
        vars.put(bodyVariable, command.body());
        vars.put("hub_attempt_id", command.attemptId());
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "POST");
        headers.put(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + apiKey);
        exchange.getMessage().setBody(lead.toString());
    }

    /** Instantly's lead as the receipt; a refusal classified (blocklisted or unsubscribed leads are opt-outs). */
    public Receipt toReceipt(Exchange exchange) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (!answer.ok()) {
            throw answer.refusal("blocklist|unsubscribed", "invalid email|email.*(invalid|must be)");
        }
        JsonNode node = answer.json(json);
        String id = node.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw answer.withoutId("/id");
        }
        return new Receipt("instantly", id, "queued");
    }
}
