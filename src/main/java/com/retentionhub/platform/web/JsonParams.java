package com.retentionhub.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.WebhookRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON webhook body (Twilio sends some webhooks as JSON, signed through {@code bodySHA256}) read
 * as the same name-to-values parameters as a form: a scalar is one value, an array of scalars one
 * value per element, anything nested its JSON text.
 */
final class JsonParams {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonParams() {}

    static FormBody parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw WebhookRejectedException.badRequest("invalid JSON");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (root == null || !root.isObject()) {
            throw WebhookRejectedException.badRequest("expected a JSON object");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        root.properties().forEach(field -> {
            List<String> values = new ArrayList<>(1);
            if (field.getValue().isArray()) {
                field.getValue().forEach(v -> values.add(text(v)));
            } else {
                values.add(text(field.getValue()));
            }
            if (!values.isEmpty()) {
                params.put(field.getKey(), values);
            }
        });
        return FormBody.of(params);
    }

    private static String text(JsonNode value) {
        if (value.isNull()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
