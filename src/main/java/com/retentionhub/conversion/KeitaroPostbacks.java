package com.retentionhub.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.ingress.FormBody;
import com.retentionhub.ingress.WebhookRequest;
import com.retentionhub.ingress.Webhooks;
import com.retentionhub.platform.WebhookRejectedException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keitaro postbacks ({@code GET} or {@code POST /webhooks/keitaro?token=...}, also under /api).
 * Keitaro signs nothing: the token is compared in constant time and a wrong one answers 404, so the
 * endpoint does not show itself. Parameters come from the query, a form or a JSON body:
 * {@code subid}/{@code sub_id}, {@code tid}, {@code status} (default sale), {@code payout}/{@code revenue},
 * {@code currency}, {@code click_id}. A macro Keitaro left unsubstituted ({@code {subid}}) is bad input.
 */
@Component("keitaroPostbacks")
public class KeitaroPostbacks {

    private static final Pattern MACRO = Pattern.compile("\\{[A-Za-z_0-9]+\\}");

    private final Conversions conversions;
    private final ObjectMapper json;
    private final String token;

    public KeitaroPostbacks(Conversions conversions, ObjectMapper json, @Value("${hub.keitaro.postback-token:}") String token) {
        this.conversions = conversions;
        this.json = json;
        this.token = token;
    }

    public void accept(Exchange exchange) throws Exception {
        WebhookRequest request = WebhookRequest.read(exchange);
        Map<String, String> params = params(request);
        String given = params.remove("token");
        if (!Webhooks.secretMatches(given, token)) {
            throw new WebhookRejectedException(404, "not found");
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (MACRO.matcher(e.getValue()).find()) {
                throw WebhookRejectedException.badRequest(e.getKey() + " holds an unsubstituted macro");
            }
        }
        String subId = first(params, "subid", "sub_id");
        if (subId == null || subId.length() > 200) {
            throw WebhookRejectedException.badRequest("missing subid");
        }
        String status = first(params, "status");
        status = status == null ? "sale" : status.toLowerCase(Locale.ROOT);
        if (!Conversions.STATUSES.contains(status)) {
            throw WebhookRejectedException.badRequest("status must be lead, sale, rejected or rebill");
        }
        String tid = first(params, "tid");
        String payoutText = first(params, "payout", "revenue");
        BigDecimal payout;
        try {
            payout = payoutText == null ? null : new BigDecimal(payoutText);
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.badRequest("payout is not a number");
        }
        String currency = first(params, "currency");
        if (currency != null && !currency.matches("[A-Za-z]{3}")) {
            throw WebhookRejectedException.badRequest("currency must be a three-letter code");
        }
        Conversions.Outcome outcome = conversions.record(new Conversions.Postback(subId, tid == null ? "" : truncate(tid), status, payout,
                currency == null ? null : currency.toUpperCase(Locale.ROOT), truncate(first(params, "click_id")), json.writeValueAsString(params)));
        Webhooks.answer(exchange, outcome.result() + (outcome.matched() ? "" : " (unmatched: kept for reconciliation)") + "\n");
    }

    private Map<String, String> params(WebhookRequest request) {
        Map<String, String> params = new LinkedHashMap<>();
        FormBody.parse((request.query() == null ? "" : request.query()).getBytes(StandardCharsets.UTF_8)).all()
                .forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        String type = request.contentType() == null ? "" : request.contentType().toLowerCase(Locale.ROOT);
        if (request.body().length > 0 && type.startsWith("application/json")) {
            JsonNode node = Webhooks.jsonObject(request, json);
            node.fields().forEachRemaining(f -> params.putIfAbsent(f.getKey(), f.getValue().asText()));
        } else if (request.body().length > 0 && type.startsWith("application/x-www-form-urlencoded")) {
            request.form().all().forEach((k, v) -> params.putIfAbsent(k, v.isEmpty() ? "" : v.get(0)));
        }
        return params;
    }

    private static String first(Map<String, String> params, String... names) {
        for (String n : names) {
            String v = params.get(n);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200);
    }
}
