package com.retentionhub.connector.vapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retentionhub.connector.http.HttpAnswers;
import com.retentionhub.dispatch.CallCommand;
import com.retentionhub.dispatch.ProviderError;
import com.retentionhub.dispatch.ProviderException;
import com.retentionhub.dispatch.Receipt;
import com.retentionhub.dispatch.SmsLookup;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Maps the voice sink contract onto VAPI: a {@link CallCommand} becomes {@code POST /call} with the
 * assistant (the command's target, else the connector's default), the outbound phone number, the
 * customer, and assistant overrides: the script's opening line, the variables the assistant's
 * prompt may use, and the hub's webhook as the server URL. The receipt's id is VAPI's call id,
 * which every status update and end-of-call report names. Creating a call is not idempotent: after
 * an unclear answer dispatch looks the call up ({@link #toLookup}, the {@code vapi-call-lookup}
 * connector) by the hub's key, which every call carries in its metadata, and places it again only
 * if VAPI has no such call. No I/O. SECURITY: all headers are replaced.
 */
@Component("vapiCallMapper")
public class VapiCallMapper {

    private static final int LOOKUP_LIMIT = 100;
    /** The call metadata field that carries the hub's idempotency key, sent on create and matched on lookup. */
    static final String HUB_KEY = "hubKey";

    private final ObjectMapper json;

    public VapiCallMapper(ObjectMapper json) {
        this.json = json;
    }

    public void toRequest(Exchange exchange) {
        CallCommand command = exchange.getMessage().getBody(CallCommand.class);
        if (command == null) {
            throw new IllegalArgumentException("vapi-call-sink expects a CallCommand body");
        }
        String assistant = command.target() == null || command.target().isBlank()
                ? exchange.getVariable("vapiAssistantId", String.class)
                : command.target();
        if (assistant == null || assistant.isBlank()) {
            throw new ProviderException(new ProviderError(ProviderError.Kind.PERMANENT, null,
                    "no VAPI assistant: set one for the hub campaign under targets, or VAPI_ASSISTANT_ID"));
        }
        ObjectNode call = json.createObjectNode();
        call.put("assistantId", assistant);
        call.put("phoneNumberId", exchange.getVariable("vapiPhoneNumberId", String.class));
        ObjectNode customer = call.putObject("customer");
        customer.put("number", command.to());
        if (command.name() != null) {
            customer.put("name", command.name());
        }
        ObjectNode overrides = call.putObject("assistantOverrides");
        if (command.script() != null && !command.script().isBlank()) {
            overrides.put("firstMessage", command.script());
        }
        ObjectNode vars = overrides.putObject("variableValues");
        vars.put("name", command.name() == null ? "" : command.name());
        vars.put("attemptId", command.attemptId());
        if (command.serverUrl() != null && !command.serverUrl().isBlank()) {
            ObjectNode server = overrides.putObject("server");
            server.put("url", command.serverUrl());
            String secret = exchange.getVariable("vapiServerSecret", String.class);
            if (secret != null && !secret.isBlank()) {
                server.put("secret", secret); // VAPI sends it back as X-Vapi-Secret, which the hub's webhook checks
            }
        }
        ObjectNode metadata = call.putObject("metadata");
        metadata.put(HUB_KEY, command.idempotencyKey());
        metadata.put("attemptId", command.attemptId());
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "POST");
        headers.put(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + exchange.getVariable("vapiApiKey", String.class));
        exchange.getMessage().setBody(call.toString());
    }

    /**
     * {@code GET /call} for the calls created since a minute before the attempt (VAPI's list filters
     * by creation time, not by metadata), newest first, at most 100: a hub places far fewer calls
     * than that in the minutes an unclear answer takes to look up.
     */
    public void toLookup(Exchange exchange, String baseUrl) {
        SmsLookup query = exchange.getMessage().getBody(SmsLookup.class);
        if (query == null) {
            throw new IllegalArgumentException("vapi-call-lookup expects an SmsLookup body");
        }
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + exchange.getVariable("vapiApiKey", String.class));
        headers.put(Exchange.HTTP_URI, baseUrl + "/call?limit=" + LOOKUP_LIMIT + "&createdAtGe="
                + URLEncoder.encode(query.since().minusSeconds(60).toString(), StandardCharsets.UTF_8));
        exchange.setVariable("vapiLookupKey", query.reference());
        exchange.setVariable("vapiLookupTo", query.to());
        exchange.getMessage().setBody(null);
    }

    /**
     * The call carrying the hub's key in its metadata; a call without metadata (created by another
     * client of the account) never matches, so a lookup cannot adopt someone else's call. Anything
     * but a 200 with a list is a failed lookup: the row waits and is asked about again.
     */
    public SmsLookup.Result toLookupResult(Exchange exchange) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (answer.status() != 200) {
            throw new IllegalStateException("VAPI call lookup answered HTTP " + answer.status());
        }
        JsonNode calls = answer.json(json);
        if (!calls.isArray()) {
            throw new IllegalStateException("VAPI call lookup answered something other than a list of calls");
        }
        String key = exchange.getVariable("vapiLookupKey", String.class);
        String to = exchange.getVariable("vapiLookupTo", String.class);
        for (JsonNode call : calls) {
            if (key.equals(call.path("metadata").path(HUB_KEY).asText(null))
                    && to.equals(call.path("customer").path("number").asText(to))) {
                String status = VapiCallStatus.of(call.path("status").asText("queued"), call.path("endedReason").asText(null));
                return new SmsLookup.Result(true, call.path("id").asText(), status == null ? "queued" : status);
            }
        }
        return SmsLookup.Result.notFound();
    }

    public Receipt toReceipt(Exchange exchange) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (!answer.ok()) {
            throw answer.refusal("do.not.call|opted.out", "customer\\.number|invalid.*number|not a valid phone");
        }
        JsonNode node = answer.json(json);
        String id = node.path("id").asText(null);
        if (id == null || id.isBlank()) {
            throw answer.withoutId("/id");
        }
        return new Receipt("vapi", id, VapiCallStatus.of(node.path("status").asText("queued"), null));
    }
}
