package com.retentionhub.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.FormBody;
import com.retentionhub.platform.web.WebhookRequest;
import com.retentionhub.platform.web.Webhooks;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
    /** conversion.payout is NUMERIC(14, 2); a billion is already far beyond any real payout. */
    static final BigDecimal MAX_PAYOUT = new BigDecimal("1000000000");
    private static final int MAX_PAYOUT_DIGITS = 10;

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
        BigDecimal payout = amount(first(params, "payout", "revenue"));
        String currency = first(params, "currency");
        if (currency != null && !currency.matches("[A-Za-z]{3}")) {
            throw WebhookRejectedException.badRequest("currency must be a three-letter code");
        }
        Conversions.Outcome outcome = conversions.record(new Conversions.Postback(subId, tid == null ? "" : truncate(tid), status, payout,
                currency == null ? null : currency.toUpperCase(Locale.ROOT), truncate(first(params, "click_id")),
                json.writeValueAsString(params)));
        Webhooks.answer(exchange, outcome.result() + (outcome.matched() ? "" : " (unmatched: kept for reconciliation)") + "\n");
    }

    /**
     * Query, then form or JSON body, as one map. A name given twice (in one part, or with two
     * different values across query and body) is refused: which value Keitaro meant cannot be known.
     */
    private Map<String, String> params(WebhookRequest request) {
        Map<String, String> params = new LinkedHashMap<>(
                FormBody.parse((request.query() == null ? "" : request.query()).getBytes(StandardCharsets.UTF_8)).single());
        String type = request.contentType() == null ? "" : request.contentType().toLowerCase(Locale.ROOT);
        Map<String, String> body = new LinkedHashMap<>();
        if (request.body().length > 0 && type.startsWith("application/json")) {
            JsonNode node = Webhooks.jsonObject(request, json);
            node.fields().forEachRemaining(f -> body.put(f.getKey(), f.getValue().asText()));
        } else if (request.body().length > 0 && type.startsWith("application/x-www-form-urlencoded")) {
            body.putAll(request.form().single());
        }
        body.forEach((k, v) -> {
            String before = params.putIfAbsent(k, v);
            if (before != null && !before.equals(v)) {
                throw WebhookRejectedException.badRequest(k + " given twice with different values");
            }
        });
        return params;
    }

    /** The first of {@code names} given; 400 when two of them are given with different values (subid and sub_id). */
    private static String first(Map<String, String> params, String... names) {
        String found = null;
        for (String n : names) {
            String v = params.get(n);
            if (v != null && !v.isBlank()) {
                if (found != null && !found.equals(v.trim())) {
                    throw WebhookRejectedException.badRequest(String.join(" and ", names) + " disagree");
                }
                found = v.trim();
            }
        }
        return found;
    }

    /**
     * An amount in cents' precision and within what a payout can be; 400 otherwise. The exponent is
     * looked at before any arithmetic, so {@code 1e1000000} costs nothing and is not stored as 0.00.
     */
    static BigDecimal amount(String text) {
        if (text == null) {
            return null;
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw WebhookRejectedException.badRequest("payout: not a number");
        }
        if (value.precision() - value.scale() > MAX_PAYOUT_DIGITS) {
            throw WebhookRejectedException.badRequest("payout: at most " + MAX_PAYOUT.toPlainString() + " in absolute value");
        }
        value = value.setScale(2, RoundingMode.HALF_EVEN);
        if (value.abs().compareTo(MAX_PAYOUT) > 0) {
            throw WebhookRejectedException.badRequest("payout: at most " + MAX_PAYOUT.toPlainString() + " in absolute value");
        }
        return value;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200);
    }
}
