package com.retentionhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instantly's campaigns as they behave: a lead is in a campaign once. Adding a lead whose email the
 * campaign already holds, with {@code skip_if_in_campaign}, adds nothing and sends nothing: the
 * answer is the lead already there (its id). Each real add is what makes Instantly send the
 * campaign's step to the lead, so {@link #delivered} is what reached the lead's inbox. Stubs opt in
 * with {@code withTransformers(InstantlyCampaigns.NAME)}.
 */
public final class InstantlyCampaigns implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "instantly-campaigns";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One lead added to a campaign: what Instantly will send it. */
    public record Added(String campaign, String email, String id, String subject, String body) {}

    /** campaign + "|" + email -> the lead. */
    private final Map<String, Added> leads = new ConcurrentHashMap<>();
    private final List<Added> skipped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        JsonNode request;
        try {
            request = JSON.readTree(serveEvent.getRequest().getBodyAsString());
        } catch (Exception e) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(400)
                    .withBody("{\"statusCode\":400,\"message\":\"body must be JSON\"}")
                    .build();
        }
        String campaign = request.path("campaign").asText("");
        String email = request.path("email").asText("").toLowerCase(Locale.ROOT);
        JsonNode vars = request.path("custom_variables");
        Added fresh = new Added(campaign, email, UUID.randomUUID().toString(), vars.path("subject").asText(null),
                vars.path("body").asText(null));
        Added existing = leads.putIfAbsent(campaign + "|" + email, fresh);
        Added lead = fresh;
        if (existing != null) {
            if (request.path("skip_if_in_campaign").asBoolean(false)) {
                skipped.add(fresh);
                lead = existing;
            } else {
                leads.put(campaign + "|" + email, fresh);
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("id", lead.id());
        body.put("campaign", campaign);
        body.put("email", email);
        body.put("status", 1);
        body.put("timestamp_created", Instant.now().toString());
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.toString()).build();
    }

    /** Every add that put the lead into a campaign (so Instantly sends it that campaign's email), in order. */
    public List<Added> delivered(String email) {
        String e = email.toLowerCase(Locale.ROOT);
        return leads.values().stream().filter(a -> a.email().equals(e)).sorted(Comparator.comparing(Added::campaign)).toList();
    }

    /** Adds Instantly skipped because the lead was already in the campaign. */
    public List<Added> skipped(String email) {
        String e = email.toLowerCase(Locale.ROOT);
        synchronized (skipped) {
            return skipped.stream().filter(a -> a.email().equals(e)).toList();
        }
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }
}
