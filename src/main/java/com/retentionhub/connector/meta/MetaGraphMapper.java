package com.retentionhub.connector.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.connector.http.HttpAnswers;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Maps a leadgen id onto the Graph API's lead read ({@code GET /{leadgen_id}?fields=...}, page
 * token as a bearer credential, never in the URL) and its answer back to the lead's JSON. No I/O.
 * SECURITY: the id must be digits, so nothing but a lead id reaches the path; all headers are replaced.
 */
@Component("metaGraphMapper")
public class MetaGraphMapper {

    private static final Pattern LEADGEN_ID = Pattern.compile("\\d{1,40}");
    static final String FIELDS = "id,created_time,ad_id,form_id,campaign_id,field_data";

    private final ObjectMapper json;

    public MetaGraphMapper(ObjectMapper json) {
        this.json = json;
    }

    public void toRequest(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        if (id == null || !LEADGEN_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("meta-lead-fetch expects a numeric leadgen id");
        }
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(Exchange.HTTP_METHOD, "GET");
        headers.put(Exchange.HTTP_PATH, "/" + id);
        headers.put(Exchange.HTTP_QUERY, "fields=" + FIELDS);
        headers.put("Accept", "application/json");
        headers.put("Authorization", "Bearer " + exchange.getVariable("metaAccessToken", String.class));
        exchange.getMessage().setBody(null);
    }

    /** The lead as the Graph API gives it; any refusal is an exception (the fetch is retried later). */
    public JsonNode toLead(Exchange exchange) {
        HttpAnswers answer = HttpAnswers.read(exchange);
        if (!answer.ok()) {
            throw new IllegalStateException("Graph API answered HTTP " + answer.status() + ": "
                    + (answer.text().length() > 200 ? answer.text().substring(0, 200) : answer.text()));
        }
        JsonNode lead = answer.json(json);
        if (!lead.path("field_data").isArray()) {
            throw new IllegalStateException("Graph API answer has no field_data");
        }
        return lead;
    }
}
