package com.retentionhub.connector.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.dispatch.Receipt;
import com.retentionhub.dispatch.SmsCommand;
import com.retentionhub.dispatch.SmsLookup;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Maps the SMS sink contract onto a generic HTTP SMS gateway and back, as the {@code http-sms-sink}
 * and {@code http-sms-lookup} Kamelets configure it: a request template with {@code {to}},
 * {@code {from}}, {@code {body}}, {@code {reference}} and {@code {callbackUrl}} slots (values escaped
 * for the template's content type), a JSON pointer to the provider's message id and status, and
 * patterns that recognise an unsubscribed or invalid recipient in an error answer. No I/O.
 * SECURITY: all headers are replaced, so nothing from an upstream message reaches the provider.
 */
@Component("httpSmsMapper")
public class HttpSmsMapper {

    /** Kamelet properties travel to this mapper as exchange variables of these names. */
    static final String TEMPLATE = "smsRequestTemplate";
    static final String CONTENT_TYPE = "smsContentType";
    static final String FROM = "smsFrom";
    static final String AUTH_HEADER = "smsAuthHeader";
    static final String AUTH_VALUE = "smsAuthValue";

    private final ObjectMapper json;

    public HttpSmsMapper(ObjectMapper json) {
        this.json = json;
    }

    public void toRequest(Exchange exchange) {
        SmsCommand command = exchange.getMessage().getBody(SmsCommand.class);
        if (command == null) {
            throw new IllegalArgumentException("http-sms-sink expects an SmsCommand body");
        }
        String contentType = exchange.getVariable(CONTENT_TYPE, String.class);
        boolean form = contentType.startsWith("application/x-www-form-urlencoded");
        String from = command.from() != null ? command.from() : exchange.getVariable(FROM, String.class);
        Map<String, String> slots = Map.of("to", command.to(), "from", from == null ? "" : from, "body", command.body(),
                "reference", command.idempotencyKey() == null ? "" : command.idempotencyKey(),
                "callbackUrl", command.statusCallbackUrl() == null ? "" : command.statusCallbackUrl());
        String body = exchange.getVariable(TEMPLATE, String.class);
        for (var slot : slots.entrySet()) {
            body = body.replace("{" + slot.getKey() + "}",
                    form ? URLEncoder.encode(slot.getValue(), StandardCharsets.UTF_8) : jsonEscape(slot.getValue()));
        }
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "POST");
        headers.put(Exchange.CONTENT_TYPE, contentType + "; charset=utf-8");
        headers.put("Accept", "application/json");
        authorise(exchange);
        exchange.getMessage().setBody(body);
    }

    /**
     * The gateway's answer as a receipt, or a classified refusal: 429 and 5xx are capacity and
     * outage; a 4xx whose body matches the opt-out or invalid-number pattern says so.
     */
    public Receipt toReceipt(Exchange exchange, String provider, String idField, String statusField, String optOutErrors,
            String invalidNumberErrors) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (!answer.ok()) {
            throw answer.refusal(optOutErrors, invalidNumberErrors);
        }
        JsonNode node = answer.json(json);
        String id = node.at(idField).asText(null);
        if (id == null || id.isBlank()) {
            throw answer.withoutId(idField); // accepted, but which message? reconcile rather than resend
        }
        String first = node.at(statusField).asText("accepted");
        return new Receipt(provider, id, first.isBlank() ? "accepted" : first.toLowerCase(Locale.ROOT));
    }

    /** A lookup request for the message sent with this reference. */
    public void toLookup(Exchange exchange, String baseUrl, String lookupPath) {
        SmsLookup query = exchange.getMessage().getBody(SmsLookup.class);
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put("Accept", "application/json");
        headers.put(Exchange.HTTP_URI,
                baseUrl + lookupPath.replace("{reference}", URLEncoder.encode(query.reference(), StandardCharsets.UTF_8)));
        authorise(exchange);
        exchange.getMessage().setBody(null);
    }

    /** 200: the gateway has it; 404: it never got it; anything else: the lookup failed (the row waits). */
    public SmsLookup.Result toLookupResult(Exchange exchange, String idField, String statusField) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (answer.status() == 404) {
            return SmsLookup.Result.notFound();
        }
        if (answer.status() != 200) {
            throw new IllegalStateException("lookup answered HTTP " + answer.status());
        }
        JsonNode node = answer.json(json);
        String id = node.at(idField).asText(null);
        return id == null
                ? SmsLookup.Result.notFound()
                : new SmsLookup.Result(true, id, node.at(statusField).asText("sent").toLowerCase(Locale.ROOT));
    }

    private static void authorise(Exchange exchange) {
        String header = exchange.getVariable(AUTH_HEADER, String.class);
        String value = exchange.getVariable(AUTH_VALUE, String.class);
        if (header != null && !header.isBlank() && value != null && !value.isBlank()) {
            exchange.getMessage().setHeader(header, value);
        }
    }

    /** The value as the inside of a JSON string: quotes, backslashes and control characters escaped. */
    static String jsonEscape(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }
}
