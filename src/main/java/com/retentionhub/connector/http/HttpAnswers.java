package com.retentionhub.connector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.dispatch.ProviderError;
import com.retentionhub.dispatch.ProviderException;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * What an HTTP provider's answer means, shared by every HTTP connector: the status code and body
 * read once, the body as JSON, and a refusal classified (429 and 5xx capacity and outage; a 4xx
 * whose body matches the connector's opt-out or invalid-recipient pattern says so).
 */
public record HttpAnswers(int status, String text) {

    /** Reads the answer off the exchange and clears the provider's headers from it. */
    public static HttpAnswers read(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String answer = exchange.getMessage().getBody(String.class);
        exchange.getMessage().getHeaders().clear();
        return new HttpAnswers(status, answer == null ? "" : answer);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public JsonNode json(ObjectMapper mapper) {
        try {
            return mapper.readTree(text.isBlank() ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new ProviderException(new ProviderError(ProviderError.Kind.AMBIGUOUS, null, "answer is not JSON"));
        }
    }

    /** The refusal this answer is, as the exception dispatch classifies. */
    public ProviderException refusal(String optOutErrors, String invalidRecipientErrors) {
        String detail = text.length() > 300 ? text.substring(0, 300) : text;
        if (status >= 400 && status < 500 && status != 429) {
            if (matches(optOutErrors, text)) {
                return new ProviderException(new ProviderError(ProviderError.Kind.OPTED_OUT, String.valueOf(status), detail));
            }
            if (matches(invalidRecipientErrors, text)) {
                return new ProviderException(new ProviderError(ProviderError.Kind.INVALID_RECIPIENT, String.valueOf(status), detail));
            }
        }
        return new ProviderException(ProviderError.fromHttpStatus(status, String.valueOf(status), detail));
    }

    /** An accepted answer that does not say which message it is: treated like a lost answer. */
    public ProviderException withoutId(String where) {
        return new ProviderException(
                new ProviderError(ProviderError.Kind.AMBIGUOUS, String.valueOf(status), "answer without an id at " + where));
    }

    private static boolean matches(String pattern, String text) {
        return pattern != null && !pattern.isBlank() && Pattern.compile(pattern, Pattern.CASE_INSENSITIVE).matcher(text).find();
    }
}
