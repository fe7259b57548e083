package com.retentionhub.staff;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at /api/openapi.json: every staff endpoint under the X-API-Key scheme, with
 * the 401 and problem+json answers every one of them can give, plus the provider webhooks that
 * also live under /api (verified by signature or token, not by key).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String API_KEY = "apiKey";

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("retention-hub staff API").version("1")
                        .description("Customers, conversations, transcripts, reach-out runs, warm-lead farming, leads, campaigns, sequences,"
                                + " A/B tests and analytics. Every call needs an X-API-Key header and is audited. Errors are"
                                + " application/problem+json."))
                .components(new Components()
                        .addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key"))
                        .addSchemas("Problem", new Schema<>().type("object")
                                .addProperty("type", new Schema<>().type("string"))
                                .addProperty("title", new Schema<>().type("string"))
                                .addProperty("status", new Schema<>().type("integer"))
                                .addProperty("detail", new Schema<>().type("string"))))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /** Adds the refusals every key-guarded operation can answer, and the webhooks springdoc cannot see (they are Camel routes). */
    @Bean
    OpenApiCustomizer refusalsAndWebhooks() {
        return openApi -> {
            openApi.getPaths().values().forEach(item -> item.readOperations().forEach(op -> {
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                responses.putIfAbsent("400", problem("bad input; nothing was written"));
                responses.putIfAbsent("401", problem("missing or invalid X-API-Key"));
                op.setResponses(responses);
            }));
            openApi.path("/api/inbound-sms", webhook("Inbound SMS from Twilio (alias of /sms); verified by X-Twilio-Signature, answers TwiML"));
            openApi.path("/api/webhooks/meta", webhook("Meta lead ads (alias of /webhooks/meta); verified by X-Hub-Signature-256")
                    .get(new Operation().summary("Meta subscription handshake; hub.verify_token must match").security(List.of())
                            .tags(List.of("webhooks")).responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("the challenge"))
                                    .addApiResponse("403", new ApiResponse().description("wrong verify token")))));
            openApi.path("/api/webhooks/keitaro", webhook("Keitaro postbacks (alias of /webhooks/keitaro); verified by the token query parameter"));
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"))));
    }

    private static PathItem webhook(String summary) {
        return new PathItem().post(new Operation().summary(summary).tags(List.of("webhooks"))
                // Providers sign their calls; no API key applies.
                .security(List.of())
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("stored"))
                        .addApiResponse("403", new ApiResponse().description("bad signature or token"))));
    }
}
