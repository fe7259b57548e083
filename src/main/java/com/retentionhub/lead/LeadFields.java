package com.retentionhub.lead;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a lead form, in either shape Meta and older integrations send: Graph API
 * {@code field_data} ({@code [{"name": "full_name", "values": ["..."]}]}) or a flat object
 * ({@code {"full_name": "...", "email": "..."}}). Extracts name, email, phone, sub_id and click_id.
 */
public final class LeadFields {

    public record Extracted(String name, String email, String phone, String subId, String clickId) {}

    private LeadFields() {}

    public static Extracted extract(JsonNode fields) {
        Map<String, String> values = new HashMap<>();
        if (fields != null && fields.isArray()) {
            fields.forEach(f -> {
                JsonNode v = f.path("values");
                String value = v.isArray() && !v.isEmpty() ? v.get(0).asText() : f.path("value").asText(null);
                if (f.hasNonNull("name") && value != null) {
                    values.put(key(f.get("name").asText()), value.trim());
                }
            });
        } else if (fields != null && fields.isObject()) {
            fields.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    values.put(key(e.getKey()), e.getValue().asText().trim());
                }
            });
        }
        String name = first(values, "full_name", "name", "fullname");
        if (name == null) {
            String joined = (nz(values.get("first_name")) + " " + nz(values.get("last_name"))).trim();
            name = joined.isEmpty() ? null : joined;
        }
        return new Extracted(name, first(values, "email", "email_address"), first(values, "phone_number", "phone", "mobile", "cell"),
                first(values, "sub_id", "subid"), first(values, "click_id", "clickid"));
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static String first(Map<String, String> values, String... keys) {
        for (String k : keys) {
            String v = values.get(k);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
