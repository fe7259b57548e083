package com.retentionhub.platform.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.TextFields;
import com.retentionhub.platform.WebhookRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.camel.Exchange;

/** What every provider webhook does the same way: check a shared secret, read a JSON body, answer in plain text. */
public final class Webhooks {

    private Webhooks() {}

    /** The {@code token} query parameter of a webhook call. */
    public static String queryToken(WebhookRequest request) {
        return query(request).first("token");
    }

    /** A webhook call's query string, decoded as strictly as a form body. */
    public static FormBody query(WebhookRequest request) {
        return FormBody.parse((request.query() == null ? "" : request.query()).getBytes(StandardCharsets.UTF_8));
    }

    /** 403 unless the caller's secret equals the configured one (constant time; no secret configured refuses all). */
    public static void requireSecret(String given, String expected) {
        if (expected == null || expected.isBlank()) {
            throw WebhookRejectedException.forbidden("no secret configured for this webhook");
        }
        if (!secretMatches(given, expected)) {
            throw WebhookRejectedException.forbidden("bad token");
        }
    }

    /** Whether the caller's secret equals a configured, non-blank one, compared in constant time. */
    public static boolean secretMatches(String given, String expected) {
        return given != null && expected != null && !expected.isBlank()
                && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** A webhook's JSON object body, or 400. */
    public static JsonNode jsonObject(WebhookRequest request, ObjectMapper json) {
        JsonNode node;
        try {
            node = json.readTree(new String(request.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw WebhookRejectedException.badRequest("body is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw WebhookRejectedException.badRequest("body is not a JSON object");
        }
        requireCleanText(node, "");
        return node;
    }

    /** 400 naming the field when any name or text in the tree holds a NUL or other control character. */
    private static void requireCleanText(JsonNode node, String path) {
        if (node.isTextual()) {
            clean(path, node.textValue());
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String at = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                clean(at, f.getKey());
                requireCleanText(f.getValue(), at);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireCleanText(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static void clean(String path, String text) {
        try {
            TextFields.require(path, text);
        } catch (TextFields.InvalidText e) {
            throw WebhookRejectedException.badRequest((TextFields.firstControl(path) >= 0 ? "a field name" : path) + ": " + e.rule());
        }
    }

    /** A 200 with a plain-text body and none of the provider's headers echoed back. */
    public static void answer(Exchange exchange, String text) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getMessage().setBody(text);
    }
}
